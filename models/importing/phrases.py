"""The phrases of the genre that carry data: deadlines in every form letters use, citations of
other documents, what an item asks to be produced. Each reader returns what it found and the
text it found it in, so that the spec can keep the phrase as a placeholder."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from models.vntext import UPPER, roman

_DAY = r"(\d{1,2})"
# "20/5/2024", "20-5-2024", "20.5.2024", "ngày 09 tháng 6 năm 2023"
DATE = rf"{_DAY}\s*(?:/|-|\.|\s+tháng\s+)\s*(\d{{1,2}})\s*(?:/|-|\.|\s+năm\s+)\s*(\d{{4}})"
_ROMAN_Q = r"(IV|I{1,3}|[1-4])"
# "trước 16 giờ 00 ngày 20/9/2024", "chậm nhất 10h30 ngày …": the hour does not change the day.
_HOUR = r"(?:\d{1,2}\s*(?:giờ|h)\s*(?:\d{2})?(?:\s*phút)?,?\s*)?"
# "trước ngày 25/9": a day and month whose year is the letter's.
_DAY_MONTH = rf"{_DAY}\s*/\s*(\d{{1,2}})(?![\d/-]|\.\d)"


def day_of(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


@dataclass(frozen=True)
class DeadlineRead:
    """A deadline as a spec writes it ({"before": "2024-05-20"} …) and the words it was read
    from; `value` is None when the words name a day that does not exist."""

    value: dict[str, Any] | None
    words: str
    at: int


_RECURRING = re.compile(
    r"\b(thường xuyên|hằng năm|hàng năm|định kỳ(?: hằng| hàng)? (?:tháng|quý|năm|tuần)"
    r"|định kỳ (?:0?6|sáu) tháng"
    r"|hằng (?:tháng|quý|tuần)|hàng (?:tháng|quý|tuần)|trước ngày \d{1,2} (?:hằng|hàng) tháng"
    r"|của tháng đầu quý sau|liên tục)\b",
    re.IGNORECASE,
)
_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("latest", re.compile(
        rf"(?:chậm nhất|muộn nhất)(?: là| đến| vào)*(?: hết)? {_HOUR}(?:ngày )?{DATE}", re.I)),
    ("latest", re.compile(rf"hoàn thành trong ngày {DATE}|(?:trước|đến) hết ngày {DATE}", re.I)),
    ("before", re.compile(rf"trước {_HOUR}(?:ngày )?{DATE}", re.I)),
    ("latest_this_year", re.compile(
        rf"(?:chậm nhất|muộn nhất)(?: là| đến| vào)*(?: hết)? {_HOUR}(?:ngày )?{_DAY_MONTH}",
        re.I)),
    ("before_this_year", re.compile(rf"trước {_HOUR}(?:ngày )?{_DAY_MONTH}", re.I)),
    ("month", re.compile(
        r"(?:trong |hoàn thành |trước )?tháng (\d{1,2})(?:\s*/\s*|\s+năm\s+)(\d{4})", re.I)),
    ("quarter", re.compile(rf"(?:trong )?quý {_ROMAN_Q}(?:\s*/\s*|\s+năm\s+)(\d{{4}})", re.I)),
    ("quarter_only", re.compile(rf"^(?:trong )?quý {_ROMAN_Q}\.?$", re.I)),
    ("month_only", re.compile(r"^(?:trong )?tháng (\d{1,2})\.?$", re.I)),
    ("month_only", re.compile(r"\btrong tháng (\d{1,2})(?=[.;,)]|$)", re.I)),
    ("working_days", re.compile(
        r"(?:trong (?:thời hạn |vòng )?)?(\d{1,3}) ngày làm việc"
        r"(?:,? kể từ (?:ngày|khi) (nhận được|ký|ban hành|nhận)[^.;,]*)?", re.I)),
    ("date_only", re.compile(rf"^(?:ngày )?{DATE}\.?$", re.I)),
]  # fmt: skip


def deadline_in(text: str, issued_on: dt.date | None) -> list[DeadlineRead]:
    """Every deadline TEXT states, in order. A recurring time ("thường xuyên", "trước ngày 25
    hằng tháng") is one unless the text also names a day."""
    plain = text.replace("*", "")
    found: list[DeadlineRead] = []
    taken: list[tuple[int, int]] = []
    for form, pattern in _FORMS:
        for m in pattern.finditer(plain):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value = _value(form, m, issued_on)
            taken.append((m.start(), m.end()))
            found.append(DeadlineRead(value, m[0], m.start()))
    found.sort(key=lambda d: d.at)
    recurring = _RECURRING.search(plain)
    if recurring and not found:
        return [DeadlineRead({"recurring": True}, recurring[0], recurring.start())]
    return found


def _value(form: str, m: re.Match[str], issued_on: dt.date | None) -> dict[str, Any] | None:
    groups = [g for g in m.groups() if g is not None]
    year = issued_on.year if issued_on else None
    if form in ("latest", "before", "date_only", "latest_this_year", "before_this_year"):
        if form.endswith("_this_year"):  # the next such day on or after the letter's
            if issued_on is None:
                return None
            later = (int(groups[1]), int(groups[0])) < (issued_on.month, issued_on.day)
            groups = [*groups[:2], str(issued_on.year + later)]
        day = day_of(*groups[:3])
        kind = "before" if form.startswith("before") else "latest"
        return {kind: day.isoformat()} if day else None
    if form in ("month", "month_only"):
        month = int(groups[0])
        y = int(groups[1]) if form == "month" else year
        if form == "month_only" and issued_on is not None and month < issued_on.month:
            y = issued_on.year + 1  # "trong tháng 1" written in December
        return {"month": f"{y:04d}-{month:02d}"} if y and 1 <= month <= 12 else None
    if form in ("quarter", "quarter_only"):
        q = groups[0].upper()
        n = int(q) if q.isdigit() else [roman(i) for i in range(1, 5)].index(q) + 1
        y = int(groups[1]) if form == "quarter" else year
        return {"quarter": f"{y:04d}-Q{n}"} if y else None
    days = int(groups[0])
    since = (groups[1] if len(groups) > 1 else "").lower()
    return {"working_days": days, "from": "receipt" if "nhận" in since else "issue"}


# Citations --------------------------------------------------------------------------------------

KINDS = (
    "Công văn", "Quyết định", "Báo cáo", "Kế hoạch", "Thông báo kết luận", "Thông báo", "Chỉ thị",
    "Nghị quyết", "Nghị định", "Thông tư", "Tờ trình", "Kết luận", "Chương trình", "Đề án",
    "Hướng dẫn", "Công điện", "Văn bản", "Luật",
)  # fmt: skip
_KIND = "|".join(KINDS)
# "2268/UBND-TTHC", "118/2025/NĐ-CP", and the Party's "61-NQ/TW".
_NUMBER = (
    r"\d+(?:(?:/\d{4})?/[A-ZĐ][A-ZĐa-zđ0-9.]*(?:\s?-\s?[A-ZĐ][A-ZĐa-zđ0-9.]*)*"
    r"|-[A-ZĐ]{1,6}/[A-ZĐ][A-ZĐa-zđ0-9.]*)"
)
# A decision's subject follows its issuer without "về": "… của Chủ tịch UBND tỉnh ban hành …".
_ACTS = r" (?:ban hành|phê duyệt|quy định|hướng dẫn|công bố|giao chỉ tiêu|thành lập|kiện toàn) "
# "… của Bộ Nội vụ và Báo cáo số …", "… của Sở Nội vụ và ý kiến …": the issuer ends at "và"
# unless a name goes on ("Sở Tài nguyên và Môi trường").
_AND_NEXT = rf" và (?:(?:{_KIND}) |(?![{UPPER}]))"
_ISSUER = rf"(?P<issuer>(?:[{UPPER}][^,;:.()]*?))"
CITATION = re.compile(
    rf"(?P<kind>{_KIND}) (?:số:? )?(?P<number>{_NUMBER}(?:(?:, | và ){_NUMBER})*)"
    rf"\s*(?:ngày|,? ngày) (?P<date>{DATE})(?: của {_ISSUER}(?= về|[,;:.(]| để| theo| thì| đã|$"
    rf"|{_ACTS}|{_AND_NEXT}))?"
)
_SUBJECT = re.compile(rf"^(?: (?:về việc|về|V/v) |(?={_ACTS}) )")
# "Ngày 24/4/2023, Sở Nội vụ có Báo cáo số 92/BC-SNV …": the day stands before the number.
CITATION_DATE_FIRST = re.compile(
    rf"[Nn]gày (?P<date>{DATE}),? (?P<issuer>[{UPPER}][^,;:.()]*?) (?:có|ban hành|đã ban hành) "
    rf"(?P<kind>{_KIND}) (?:số:? )?(?P<number>{_NUMBER})"
)
# "Sau khi nghe Sở Nội vụ báo cáo tại Báo cáo số 131/BC-SNV …": the issuer before the verb.
_HEARD = re.compile(r"(?:nghe|đề nghị của) (?:(?:Giám đốc|Thủ trưởng|Lãnh đạo|Chánh) )?"
                    rf"(?P<issuer>[{UPPER}][^,;:.()]*?) (?:báo cáo|trình|tại|đề nghị)")  # fmt: skip


@dataclass(frozen=True)
class Citation:
    kind: str
    number: str
    date: dt.date | None
    issuer: str | None
    subject: str | None


def citations(text: str) -> list[Citation]:
    plain = text.replace("*", "")
    out: list[Citation] = []
    found = list(CITATION.finditer(plain))
    for n, m in enumerate(found):
        heard = [h for h in _HEARD.finditer(plain[: m.start()])]
        issuer = m["issuer"] or (heard[-1]["issuer"] if heard else None)
        date = day_of(*re.match(DATE, m["date"]).groups())  # type: ignore[union-attr]
        after = plain[m.end() : found[n + 1].start() if n + 1 < len(found) else len(plain)]
        about = _SUBJECT.match(after)
        subject = (
            re.split(r";| và (?=\S+ số)|, (?=\S+ \S+ số)", after[about.end() :])[0]
            if about
            else None
        )
        for number in re.split(r", | và ", m["number"]):
            out.append(Citation(m["kind"], number.replace(" ", ""), date, issuer, subject))
    for m in CITATION_DATE_FIRST.finditer(plain):
        date = day_of(*re.match(DATE, m["date"]).groups())  # type: ignore[union-attr]
        number = m["number"].replace(" ", "")
        if not any(c.number == number for c in out):
            out.append(Citation(m["kind"], number, date, m["issuer"], None))
    return out


# What an item asks to be produced -------------------------------------------------------------

_PRODUCTS = (
    "Báo cáo", "Kế hoạch", "Quyết định", "Đề án", "Chương trình", "Dự thảo", "Danh mục",
    "Quy chế", "Quy trình", "Phương án", "Hướng dẫn", "Văn bản", "Tờ trình", "Bộ chỉ số",
    "Bộ tiêu chí",
)  # fmt: skip
# What is made: a verb of drafting or sending, a document's kind (any case: "đề xuất phương
# án …"), and its name up to where the sentence goes on to when, to whom or why.
PRODUCT = re.compile(
    r"(?:xây dựng|ban hành|trình|tham mưu(?: UBND \w+)? ban hành|dự thảo|lập|hoàn thiện|"
    r"đề xuất|gửi|xây dựng, ban hành)\s+(?P<product>(?i:" + "|".join(_PRODUCTS) + r") [^;]+?)"
    r"(?=;|\. |\.$|$|, (?:trình|gửi|hoàn thành|báo cáo|xong|thời hạn|chậm nhất)| trình | gửi "
    r"| để | hoàn thành| trước ngày| chậm nhất| trong (?:tháng|quý)| \(| kèm"
    r"| (?:về|đến) (?:Sở|UBND|Ủy ban|Phòng|Văn phòng|Ban) )"
)
