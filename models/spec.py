"""What a directive's spec file says (văn bản chỉ đạo as validated data): its kind, items,
deadlines, recipients, citations and signer. Checked against an organisation tree in
models/directive.py."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

import pendulum
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    StringConstraints,
    model_validator,
)

from models.calendar import WorkingCalendar, end_of_day
from models.limits import FIRST_YEAR, LAST_YEAR, MAX_DEPTH, MAX_WORKING_DAYS
from models.org import Abbreviation, Code, Text
from models.vntext import long_date, month_year, roman, short_date


def _office_year(day: dt.date) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"năm phải từ {FIRST_YEAR} đến {LAST_YEAR}")
    return day


def _office_month(month: str) -> str:
    _office_year(dt.date(int(month[:4]), 1, 1))
    return month


# Dates an office can mean; a year like 9999 would overflow every later computation.
OfficeDate = Annotated[dt.date, AfterValidator(_office_year)]
YearMonth = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$"),
    AfterValidator(_office_month),
]
YearQuarter = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-Q[1-4]$"), AfterValidator(_office_month)
]


def _as_list(value: object) -> object:
    """Let a single paragraph be written without list syntax."""
    return [value] if isinstance(value, str) else value


Paragraphs = Annotated[list[Text], BeforeValidator(_as_list)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentKind(StrEnum):
    """Kind of administrative document (thể loại văn bản)."""

    CONG_VAN = "cong_van"
    KE_HOACH = "ke_hoach"
    BAO_CAO = "bao_cao"
    THONG_BAO = "thong_bao"

    @property
    def label(self) -> str:
        """As written in running text: 'Công văn', 'Kế hoạch', 'Báo cáo', 'Thông báo'."""
        return {
            "cong_van": "Công văn",
            "ke_hoach": "Kế hoạch",
            "bao_cao": "Báo cáo",
            "thong_bao": "Thông báo",
        }[self.value]

    @property
    def abbreviation(self) -> str | None:
        """Kind code in the symbol ('KH-UBND'); a công văn has none (ND 30, Phụ lục III)."""
        return {"cong_van": None, "ke_hoach": "KH", "bao_cao": "BC", "thong_bao": "TB"}[self.value]


class Ladder(_Strict):
    """The escalation ladder (thang đôn đốc), in working days around an assignment's due day."""

    remind_before: int = Field(2, ge=0, title="Nhắc hạn trước (ngày làm việc)")
    urge_after: int = Field(1, ge=1, title="Công văn đôn đốc sau hạn (ngày làm việc)")
    escalate_after: int = Field(5, ge=1, title="Báo cáo cấp trên sau hạn (ngày làm việc)")
    new_deadline_days: int = Field(3, ge=1, title="Hạn mới trong công văn đôn đốc (ngày làm việc)")

    @model_validator(mode="after")
    def _ordered(self) -> Ladder:
        if self.escalate_after <= self.urge_after:
            raise ValueError(
                "báo cáo cấp trên phải sau công văn đôn đốc (escalate_after > urge_after)"
            )
        return self


class Deadline(_Strict):
    """A deadline (thời hạn), in exactly one of the forms documents use; "thường xuyên" and
    "định kỳ" are a recurring duty with no last day."""

    before: OfficeDate | None = Field(None, title="Trước ngày", description="trước ngày …")
    latest: OfficeDate | None = Field(
        None, title="Chậm nhất đến ngày", description="chậm nhất đến ngày …"
    )
    month: YearMonth | None = Field(None, title="Trong tháng", description="YYYY-MM")
    quarter: YearQuarter | None = Field(None, title="Trong quý", description="YYYY-QN")
    working_days: Annotated[int, Field(gt=0, le=MAX_WORKING_DAYS)] | None = Field(
        None, title="Số ngày làm việc", description="… ngày làm việc kể từ ngày ký"
    )
    from_receipt: bool = Field(
        False, title="Tính từ ngày nhận", description="… ngày làm việc kể từ ngày nhận được"
    )
    recurring: bool = Field(False, title="Thường xuyên", description="định kỳ, không có hạn cuối")

    @model_validator(mode="after")
    def _exactly_one(self) -> Deadline:
        forms = (self.before, self.latest, self.month, self.quarter, self.working_days)
        given = [v for v in (*forms, self.recurring) if v]
        if len(given) != 1:
            raise ValueError(
                "thời hạn phải ghi đúng một trong: before, latest, month, quarter, "
                "working_days, recurring"
            )
        if self.from_receipt and not self.working_days:
            raise ValueError("from_receipt chỉ dùng với working_days")
        return self

    def phrase(self) -> str:
        if self.before:
            return f"trước ngày {short_date(self.before)}"
        if self.latest:
            return f"chậm nhất đến {long_date(self.latest)}"
        if self.month:
            year, month = self.month.split("-")
            return f"trong tháng {month_year(int(year), int(month))}"
        if self.quarter:
            year, quarter = self.quarter.split("-Q")
            return f"trong Quý {roman(int(quarter))}/{year}"
        if self.recurring:
            return "thường xuyên"
        since = "nhận được văn bản" if self.from_receipt else "ký văn bản"
        return f"trong thời hạn {self.working_days:02d} ngày làm việc kể từ ngày {since}"

    def due_on(
        self, issued_on: dt.date, calendar: WorkingCalendar, received_on: dt.date | None = None
    ) -> dt.date | None:
        """The last day a report is on time (None for a recurring duty). 'trước ngày X' is due
        by the end of the day before X; 'chậm nhất đến ngày X' by the end of X; 'trong tháng'
        and 'trong quý' by their last day; N working days by the N-th working day after the
        issue date, or after the day the letter was received when it counts from receipt."""
        if self.before:
            return self.before - dt.timedelta(days=1)
        if self.latest:
            return self.latest
        if self.month or self.quarter:
            return self._period_end()
        if self.recurring or self.working_days is None:
            return None
        start = received_on if self.from_receipt and received_on else issued_on
        return calendar.add(start, self.working_days)

    def due_at(self, issued_on: dt.date, calendar: WorkingCalendar) -> pendulum.DateTime | None:
        """The exact moment the deadline passes: the end of its due day in Asia/Ho_Chi_Minh.
        So 'trước ngày 20/5/2024' is due at 20/5/2024 00:00 and a report sent on 20/5 is late;
        'chậm nhất đến ngày 20/5/2024' is due at 21/5/2024 00:00."""
        due = self.due_on(issued_on, calendar)
        return end_of_day(due) if due else None

    def closes_on(self) -> dt.date | None:
        """The last day the deadline's words allow (the day named, the month's or quarter's
        last day), for checking it is not before the letter's own date: a letter dated
        04/8/2025 may say "trong tháng 8/2025"."""
        if self.before or self.latest:
            return self.before or self.latest
        return self._period_end()

    def _period_end(self) -> dt.date | None:
        """The last day of the month or quarter the deadline names."""
        if self.month:
            year, month = (int(x) for x in self.month.split("-"))
            return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        if self.quarter:
            year, quarter = (int(x) for x in self.quarter.split("-Q"))
            return dt.date(year + quarter // 4, quarter * 3 % 12 + 1, 1) - dt.timedelta(days=1)
        return None


class Period(_Strict):
    """A reporting period (kỳ báo cáo): 'từ ngày … đến ngày …'. Not a deadline."""

    start: OfficeDate = Field(title="Từ ngày")
    end: OfficeDate = Field(title="Đến ngày")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("ngày kết thúc kỳ báo cáo trước ngày bắt đầu")
        return self

    def phrase(self) -> str:
        return f"ngày {short_date(self.start)} đến ngày {short_date(self.end)}"


class Item(_Strict):
    """A numbered item (nhiệm vụ) of a directive; may hold sub-items."""

    text: Text = Field(
        title="Nội dung", description="có thể chứa {deadline}, {period}; **đậm**, *nghiêng*"
    )
    paragraphs: Paragraphs = Field(
        default_factory=list,
        title="Các đoạn tiếp theo",
        description="đoạn văn và gạch đầu dòng «- …» của mục, sau đoạn đầu",
    )
    deadline_emphasis: Literal["bold", "italic"] = Field(
        "bold", title="Kiểu chữ của thời hạn", description="bold (mặc định) hoặc italic"
    )
    lead: list[Code] = Field(default_factory=list, title="Đơn vị chủ trì")
    cooperating: list[Code] = Field(default_factory=list, title="Đơn vị phối hợp")
    product: Text | None = Field(None, title="Sản phẩm")
    deadline: Deadline | None = Field(None, title="Thời hạn")
    period: Period | None = Field(None, title="Kỳ báo cáo")
    report_to: Code | None = Field(
        None, title="Gửi báo cáo về", description="mặc định: cơ quan thường trực"
    )
    follow_up: bool | None = Field(
        None,
        title="Nhiệm vụ theo dõi, tổng hợp của cơ quan thường trực",
        description="mặc định: có khi chỉ giao riêng cơ quan thường trực",
    )
    chase_cooperating: bool = Field(
        False,
        title="Đôn đốc cả đơn vị phối hợp",
        description="mặc định: đơn vị phối hợp báo cáo đơn vị chủ trì, không bị đôn đốc",
    )
    sublabels: Literal["a)", "(1)"] = Field("a)", title="Kiểu đánh số mục con")
    items: list[Item] = Field(default_factory=list, title="Mục con")


def _as_line(value: object) -> object:
    """A recipient written as a bare code is a line naming that one unit or group."""
    return {"units": [value]} if isinstance(value, str) else value


class RecipientLine(_Strict):
    """One 'Kính gửi' line: units named together, optionally under a label of its own."""

    units: list[Code] = Field(default_factory=list, title="Đơn vị")
    label: Text | None = Field(None, title="Cách ghi")

    @model_validator(mode="after")
    def _names_someone(self) -> RecipientLine:
        # A body outside the tree ("Thường trực Tỉnh ủy") is written by its label alone.
        if not self.units and not self.label:
            raise ValueError("dòng nơi nhận phải có đơn vị (units) hoặc cách ghi (label)")
        return self


class Reference(_Strict):
    """A document cited as basis (căn cứ): 'Công văn số 2371/UBND-TTHC ngày 13/5/2024 …'."""

    kind: Text = Field(title="Loại văn bản")
    number: Text = Field(title="Số, ký hiệu")
    date: OfficeDate = Field(title="Ngày ban hành")
    issuer: Text = Field(title="Cơ quan ban hành")
    subject: Text | None = Field(None, title="Trích yếu")

    def citation(self) -> str:
        text = f"{self.kind} số {self.number} ngày {short_date(self.date)} của {self.issuer}"
        return f"{text} về {self.subject}" if self.subject else text


class Authority(StrEnum):
    """Signing authority (thể thức đề ký): TM., KT., Q., TL., TUQ."""

    TM = "TM"
    KT = "KT"
    Q = "Q"
    TL = "TL"
    TUQ = "TUQ"


class Signer(_Strict):
    """Signature block (chữ ký): authority form, position, full name. A deputy signing a
    collective body's letter has two authority lines: `body` gives the first ("TM. ỦY BAN NHÂN
    DÂN"), `authority` and `on_behalf_of` the second ("KT. CHỦ TỊCH")."""

    body: Text | None = Field(
        None, title="Thay mặt tập thể (TM.)", description="ỦY BAN NHÂN DÂN, khi ký thay có hai dòng"
    )
    body_authority: Authority = Field(
        Authority.TM,
        title="Thẩm quyền dòng trên",
        description="TL. khi Chánh Văn phòng ký thừa lệnh: TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG",
    )
    authority: Authority | None = Field(None, title="Thẩm quyền ký (TM., KT., Q., TL., TUQ.)")
    on_behalf_of: Text | None = Field(
        None, title="Ký thay mặt / ký thay", description="ỦY BAN NHÂN DÂN, CHỦ TỊCH"
    )
    position: Text = Field(title="Chức vụ")
    name: Text | None = Field(None, title="Họ và tên", description="để trống trong dự thảo")

    @model_validator(mode="after")
    def _needs_principal(self) -> Signer:
        needs = self.authority not in (None, Authority.Q)
        if needs and not self.on_behalf_of:
            raise ValueError(f"ký {self.authority}. phải ghi on_behalf_of (ký thay/thay mặt ai)")
        if self.body and self.authority is self.body_authority:
            raise ValueError("đã ghi body (TM.) thì authority không được là TM")
        return self

    def title_lines(self) -> list[str]:
        lines = [f"{self.body_authority}. {self.body}".upper()] if self.body else []
        if self.authority and self.authority is not Authority.Q:
            lines.append(f"{self.authority}. {self.on_behalf_of}".upper())
        prefix = "Q. " if self.authority is Authority.Q else ""
        return [*lines, f"{prefix}{self.position}".upper()]


class Section(_Strict):
    """A headed part of a plan ('I. MỤC ĐÍCH, YÊU CẦU'), with paragraphs and sub-parts."""

    heading: Text = Field(title="Tiêu đề")
    paragraphs: Paragraphs = Field(default_factory=list, title="Các đoạn")
    table: list[list[str]] = Field(
        default_factory=list, title="Bảng", description="dòng đầu: tiêu đề"
    )
    sections: list[Section] = Field(default_factory=list, title="Phần con")


def _too_deep(node: object, key: str, depth: int = 1) -> str | None:
    """Where NODE's KEY lists (items in items, sections in sections) go deeper than allowed."""
    if not isinstance(node, dict) or not isinstance(node.get(key), list):
        return None
    for n, child in enumerate(node[key], start=1):
        here = f"{key}[{n}]"
        if depth > MAX_DEPTH:
            return here
        deeper = _too_deep(child, key, depth + 1)
        if deeper is not None:
            return f"{here}.{deeper}"
    return None


class DirectiveSpec(_Strict):
    """The directive as its author writes it (YAML); dates are ISO 8601."""

    @model_validator(mode="before")
    @classmethod
    def _bounded_depth(cls, data: object) -> object:
        # Checked on the raw data, before a thousand nested levels reach anything recursive.
        for key in ("items", "sections"):
            where = _too_deep(data, key)
            if where is not None:
                raise ValueError(f"lồng quá {MAX_DEPTH} cấp (tại {where})")
        return data

    org: Text = Field(title="Tệp cây tổ chức", description="đường dẫn, tính từ tệp mô tả")
    kind: DocumentKind = Field(title="Loại văn bản")
    issuer: Code = Field(title="Cơ quan ban hành (mã)")
    drafting_unit: Abbreviation | None = Field(
        None, title="Đơn vị soạn thảo", description="như TTHC trong UBND-TTHC"
    )
    number: PositiveInt | None = Field(
        None, title="Số văn bản", description="để trống khi là dự thảo"
    )
    issued_on: OfficeDate = Field(title="Ngày ban hành", description="ngày dự kiến nếu là dự thảo")
    received_on: OfficeDate | None = Field(
        None, title="Ngày nhận", description="văn bản đến: hạn «kể từ ngày nhận được» tính từ đây"
    )
    unchecked: bool = Field(
        False,
        title="Chưa kiểm tra",
        description="đọc tự động từ văn bản đến; phải được người kiểm tra trước khi phát hành",
    )
    subject: Text = Field(title="Trích yếu")
    basis: list[Reference] = Field(default_factory=list, title="Căn cứ")
    recipients: list[Annotated[RecipientLine, BeforeValidator(_as_line)]] = Field(
        default_factory=list, title="Kính gửi"
    )
    preamble: Paragraphs = Field(default_factory=list, title="Đoạn mở đầu")
    sections: list[Section] = Field(default_factory=list, title="Các phần (kế hoạch)")
    items: list[Item] = Field(default_factory=list, title="Các nhiệm vụ")
    closing: Text | None = Field(None, title="Đoạn kết")
    signer: Signer = Field(title="Người ký")
    distribution: list[Text] = Field(default_factory=list, title="Nơi nhận")
    escalation: Ladder | None = Field(None, title="Thang đôn đốc", description="mặc định nếu trống")
    archive: list[Text] | None = Field(
        None, title="Lưu", description="mặc định: VT, đơn vị soạn thảo"
    )
