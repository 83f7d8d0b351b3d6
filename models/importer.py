"""Reading a received letter into a directive spec: what it says, matched to an organisation tree.

The reader takes only what the letter states. What it cannot read — a blank date, a signer
without a position, a recipient outside the tree, an item that names no lead unit — is listed
with the line it came from, never filled in by guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from models import clock
from models.calendar import WorkingCalendar
from models.cascade import Wording, implementing_spec
from models.directive import (
    Deadline,
    Directive,
    DirectiveSpec,
    DocumentKind,
    Period,
    item_label,
)
from models.errors import InputError
from models.letterfile import Line
from models.org import OrgTree, Unit, UnitKind
from models.validation import validate
from models.vntext import roman

_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
_INDEPENDENCE = "Độc lập - Tự do - Hạnh phúc"
# A plan or report is titled in capitals and coded in its symbol (KH-UBND); a công văn is not.
_TITLES = {k.label.upper(): k.value for k in DocumentKind if k.abbreviation}
_KIND_CODES = {k.abbreviation: k.value for k in DocumentKind if k.abbreviation}
_NUMBER = re.compile(r"^Số\s*:?\s*(\d*)\s*/\s*([A-ZĐ0-9]+(?:\s?-\s?[A-ZĐ0-9]+)*)\s*$")
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,]{2,60}),\s*ngày\s*(?P<day>\d{1,2})?\s*tháng\s*(?P<month>\d{1,2})?"
    r"\s*năm\s*(?P<year>\d{4})\s*$"
)
_RECIPIENTS = re.compile(r"^Kính gửi\s*:\s*(.*)$")
_ITEM = re.compile(r"^(?:(\d{1,2})\.|([a-zđ])\)|\((\d{1,2})\))\s+(.*)$")
_SECTION = re.compile(r"^([IVX]{1,4})\.\s+(.+)$")
_DISTRIBUTION = re.compile(r"^Nơi nhận\s*:?\s*$")
_BULLET = re.compile(r"^[-–+•]\s*(.*?)\s*[;,.]?$")
_ARCHIVE = re.compile(r"^Lưu\s*:\s*(.*)$")
_AUTHORITY = re.compile(r"^(TM|KT|Q|TL|TUQ)\.\s*(.*)$")
_APPENDIX = "PHỤ LỤC"
_HEADING_LENGTH = 100
_CLOSING_STARTS = ("Yêu cầu", "Trên đây", "Đề nghị", "Nhận được")
_DATE = r"(\d{1,2})(?:/|\s*tháng\s*)(\d{1,2})(?:/|\s*năm\s*)(\d{4})"
_DEADLINES = {
    "before": re.compile(rf"trước ngày {_DATE}"),
    "latest": re.compile(rf"chậm nhất(?: đến| là)? ngày {_DATE}"),
    "month": re.compile(r"trong tháng (\d{1,2})(?:/|\s*năm\s*)(\d{4})"),
    "working_days": re.compile(r"trong (?:thời hạn )?(\d{1,3}) ngày làm việc[^.;]*"),
}
_PERIOD = re.compile(r"ngày (\d{1,2}/\d{1,2}/\d{4}) đến ngày (\d{1,2}/\d{1,2}/\d{4})")
_CITATION = re.compile(
    r"(Công văn|Quyết định|Báo cáo|Kế hoạch|Thông báo|Chỉ thị|Nghị quyết|Nghị định|Thông tư)"
    r" số:? ((?:\d+/[\wĐđ.-]+(?:\s?-\s?[A-ZĐ]+)*)(?:, \d+/[\wĐđ.-]+)*) ngày (\d{1,2}/\d{1,2}/\d{4})"
    r"(?: của ([^,;:.()]+?))?(?= về|[,;:.(]|$| để| theo| thì)(?: về (?:việc )?(.+))?"
)
# Where a cited document's subject ends: a remark in brackets "(gửi kèm …)", a sentence end,
# a colon, or the issuer's own clause ("…, UBND tỉnh yêu cầu").
_SUBJECT_END = re.compile(
    r" \((?![A-Z]{2,}[A-Z ]*\))|\. |:|\.$|, (?=(?:đến nay|hiện nay|theo đó|nay|để|nhằm) )"
)
_ALL_RECIPIENTS = ("các cơ quan, đơn vị", "thủ trưởng các cơ quan", "các cơ quan nêu trên")
_ROLE = re.compile(r"^(Thủ trưởng|Chánh|Giám đốc|Chủ tịch|Trưởng)\s+")
_COOPERATE = re.compile(r"phối hợp (?:với )?(.+?)(?:[,;:.]| để| theo|$)")
_REPORT_TO = re.compile(
    r"gửi (?:(?:kết quả|báo cáo) )?(?:về )?([^(,.;{]+?)\s*(?:\(\*?qua ([^)*]+?)\*?\))?"
    r"\s*(?:để|trước|chậm|trong|\{|[,.;]|$)"
)
# Old and new tone placement name the same office: "Văn hoá" = "Văn hóa".
_OLD_TONES = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip


def key(text: str) -> str:
    """How names are compared: case, spacing, emphasis and tone placement do not count."""
    text = re.sub(r"[*\s]+", " ", text).strip(" ;,.").lower()
    for old, new in _OLD_TONES.items():
        text = text.replace(old, new)
    return text


@dataclass(frozen=True)
class Unread:
    """Something the letter says (or leaves blank) that the reader could not turn into data."""

    line: int
    text: str
    what: str

    def describe(self, file: str) -> str:
        shown = self.text if len(self.text) <= 70 else self.text[:67] + "..."
        where = f"dòng {self.line} («{shown}»)" if self.line else "(cả văn bản)"
        return f"Tệp {file}, {where}: {self.what}"


@dataclass
class Imported:
    """The spec as read (a dict in the shape of DirectiveSpec) and what could not be read."""

    spec: dict[str, Any]
    unread: list[Unread] = field(default_factory=list)


class _Reader:
    def __init__(self, lines: list[Line], org: OrgTree, org_ref: str):
        self.lines = lines
        self.org = org
        self.spec: dict[str, Any] = {"org": org_ref}
        self.unread: list[Unread] = []
        self.issuer: Unit | None = None
        self.recipient_codes: list[str] = []
        self.place: str | None = None  # as the date line writes it
        self.symbol_parts: list[str] = []  # "UBND-TTHC" -> ["UBND", "TTHC"]
        self._names = self._name_index()

    def note(self, line: Line | None, what: str) -> None:
        self.unread.append(Unread(line.no if line else 0, line.text if line else "", what))

    # Matching names to the tree -------------------------------------------------------------

    def _name_index(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for group in self.org.groups.values():
            names.setdefault(key(group.label), group.code)
        for unit in self.org.walk():
            for name in (unit.name, unit.short_name, unit.text_name):
                if name:
                    names.setdefault(key(name), unit.code)
        return names

    def match(self, text: str) -> str | None:
        """The unit or group a name means, preferring the issuer's own units. Running text may
        leave out the level or the place: 'các sở, ban, ngành' for '… ngành tỉnh'."""
        wanted = key(_ROLE.sub("", text.strip()))
        if not wanted:
            return None
        place = key(self.org.place_of(self.issuer) or "") if self.issuer else ""
        if self.issuer is not None:
            for unit in self.org.children(self.issuer.code):
                name = key(unit.name)
                if wanted in (name, f"{name} {place}") or name == f"{wanted} {place}":
                    return unit.code
        if wanted in self._names:
            return self._names[wanted]
        omitted = {"tỉnh", "huyện", "thành phố", "thị xã", place}
        for name, code in self._names.items():
            if name.startswith(f"{wanted} ") and name[len(wanted) + 1 :] in omitted:
                return code
        return None

    def match_all(self, text: str) -> list[str] | None:
        """Every name of a '; '-separated list, or None when one is not in the tree."""
        whole = self.match(text)
        if whole:
            return [whole]
        office_list = re.match(r"^(?:Thủ trưởng )?các (Phòng|Sở|Ban)\s*:\s*(.+)$", text)
        if office_list:
            parts = [f"{office_list[1]} {p}" for p in office_list[2].split(", ")]
        else:
            parts = [p for p in re.split(r";\s*", text) if p.strip()]
        codes = [self.match(p) for p in parts]
        return None if len(parts) < 2 or None in codes else [c for c in codes if c]

    def names(self, codes: list[str]) -> str:
        return "; ".join(self.org.label(c) for c in codes)

    # The parts of a letter ------------------------------------------------------------------

    def read(self) -> Imported:
        body_start = self.header()
        self.spec.setdefault("kind", "cong_van")
        blocks = list(_blocks(self.lines[body_start:]))
        distribution_at = next(
            (i for i, b in enumerate(blocks) if _DISTRIBUTION.match(b.text)), len(blocks)
        )
        appendix_at = next((i for i, b in enumerate(blocks) if b.text == _APPENDIX), len(blocks))
        body = self.recipients(blocks[:distribution_at])
        self.body(body)
        self.signature(blocks[distribution_at:appendix_at])
        if self.spec["kind"] == "ke_hoach":
            self.appendix(blocks[appendix_at:])
        return Imported(self.spec, self.unread)

    def header(self) -> int:
        """Issuer, number and symbol, place and date, kind and subject. Returns where the
        body starts."""
        issuer_lines: list[Line] = []
        subject: list[str] = []
        subject_line: Line | None = None
        in_subject = False
        last = 0
        for i, line in enumerate(self.lines):
            text = line.text.replace("*", "")  # the place and date line is italic
            if _RECIPIENTS.match(text):
                break
            last = i + 1
            number = _NUMBER.match(text)
            place_date = _PLACE_DATE.match(text)
            if not text and in_subject and not subject:
                continue  # a plan's title and its subject may stand apart
            if not text or text in _MOTTO or text == _INDEPENDENCE:
                in_subject = False
            elif number:
                self.symbol(line, number[1], number[2])
            elif place_date:
                self.place_and_date(line, place_date)
                in_subject = False
            elif text.startswith("V/v"):
                self.spec["kind"] = "cong_van"
                subject, subject_line, in_subject = [text[3:].strip()], line, True
            elif text in _TITLES:
                self.spec["kind"] = _TITLES[text]
                subject_line, in_subject = line, True
            elif in_subject:
                subject.append(text)
            elif not subject and text.isupper() and "drafting_unit" not in self.spec:
                issuer_lines.append(line)
            else:
                last = i
                break
        self.find_issuer(issuer_lines)
        if subject:
            self.spec["subject"] = " ".join(subject)
        else:
            self.note(subject_line, "không đọc được trích yếu (V/v hoặc tên kế hoạch)")
        return last

    def symbol(self, line: Line, number: str, symbol: str) -> None:
        if number:
            self.spec["number"] = int(number)
        parts = [p.strip() for p in symbol.split("-")]
        self.symbol_parts = parts
        if parts[0] in _KIND_CODES:
            self.spec["kind"] = _KIND_CODES[parts[0]]
        elif len(parts) >= 2:
            self.spec["drafting_unit"] = "-".join(parts[1:])
        else:
            self.note(line, f"không tách được ký hiệu «{symbol}» thành cơ quan và đơn vị soạn thảo")

    def place_and_date(self, line: Line, found: re.Match[str]) -> None:
        self.place = found["place"].strip()
        if not (found["day"] and found["month"]):
            self.note(line, "ngày ban hành để trống (dự thảo): hãy ghi ngày dự kiến")
            return
        try:
            day = dt.date(int(found["year"]), int(found["month"]), int(found["day"]))
        except ValueError:
            self.note(line, "ngày ban hành không tồn tại")
            return
        self.spec["issued_on"] = day.isoformat()

    def find_issuer(self, lines: list[Line]) -> None:
        written = key(" ".join(line.text for line in lines))
        for unit in self.org.walk():
            header = key(" ".join(self.org.header_lines(unit)))
            above = key(self.org.superior_line(unit) or "")  # "UBND TỈNH …" over "SỞ NỘI VỤ"
            if written and written in (header, f"{above} {header}", key(unit.name)):
                self.issuer = unit
                break
        if self.issuer is None:
            # No readable header (seed 003): the place and the symbol name the issuer when
            # exactly one committee of the tree has both.
            place = self.place
            abbreviations = set(self.symbol_parts)
            found = [
                u
                for u in self.org.walk()
                if place
                and self.org.place_of(u) == place
                and u.abbreviation in abbreviations
                and u.kind is UnitKind.COMMITTEE
            ]
            codes = {u.code for u in found}
            found = [u for u in found if u.parent not in codes]  # the city, not its wards
            if len(found) == 1:
                self.issuer = found[0]
        if self.issuer is None:
            shown = lines[0] if lines else None
            self.note(shown, f"cơ quan ban hành không có trong cây tổ chức {self.org.name}")
            return
        self.spec["issuer"] = self.issuer.code
        place = self.org.place_of(self.issuer)
        if self.place and place and key(self.place) != key(place):
            self.note(None, f"địa danh «{self.place}» khác địa danh của cơ quan ban hành «{place}»")

    def recipients(self, blocks: list[Line]) -> list[Line]:
        """Reads 'Kính gửi' and returns the blocks after it."""
        at = next((i for i, b in enumerate(blocks[:3]) if _RECIPIENTS.match(b.text)), None)
        if at is None:
            return blocks
        inline = _RECIPIENTS.match(blocks[at].text)
        assert inline is not None
        entries = [Line(blocks[at].no, inline[1])] if inline[1] else []
        rest = blocks[at + 1 :]
        while rest and _BULLET.match(rest[0].text):
            entries.append(rest[0])
            rest = rest[1:]
        lines: list[dict[str, Any]] = []
        for entry in entries:
            bullet = _BULLET.match(entry.text)
            text = (bullet[1] if bullet else entry.text).strip().rstrip(";,.")
            codes = self.match_all(text)
            if codes is None:
                self.note(
                    entry, "nơi nhận không khớp đơn vị nào trong cây tổ chức; giữ nguyên dòng"
                )
                lines.append({"label": text})
                continue
            self.recipient_codes += codes
            if self.names(codes) == text:
                lines.append({"units": codes})
            else:
                lines.append({"label": text, "units": codes})
        self.spec["recipients"] = lines
        return rest

    def body(self, blocks: list[Line]) -> None:
        if self.spec["kind"] == "ke_hoach":
            self.sections(blocks)
            return
        preamble: list[Line] = []
        items: list[tuple[Line, re.Match[str]]] = []
        closing: list[Line] = []
        for block in blocks:
            marker = _ITEM.match(block.text)
            if marker:
                items.append((block, marker))
            elif not items:
                preamble.append(block)
            elif closing or block.text.startswith(_CLOSING_STARTS) or block.text.endswith("./."):
                # ND 30 ends the body with "./.": that paragraph closes the letter.
                closing.append(block)
            else:
                self.note(block, "đoạn không đánh số giữa các mục: nối vào mục trước")
                last, found = items[-1]
                joined = Line(last.no, f"{last.text} {block.text}")
                items[-1] = (joined, _ITEM.match(joined.text) or found)
        if preamble:
            self.spec["preamble"] = [b.text for b in preamble]
            self.basis(preamble)
        self.spec["items"] = self.items(items)
        if closing:
            self.spec["closing"] = " ".join(b.text for b in closing)

    def basis(self, blocks: list[Line]) -> None:
        references = []
        for block in blocks:
            for found in _CITATION.finditer(block.text.replace("*", "")):
                kind, numbers, date, issuer, subject = found.groups()
                day = _date(date)
                if day is None:
                    self.note(block, f"ngày của văn bản căn cứ không tồn tại: {date}")
                    continue
                for number in numbers.split(", "):
                    who = issuer.strip() if issuer else self.issuer_of_symbol(number)
                    if who is None:
                        self.note(block, f"không rõ cơ quan ban hành văn bản căn cứ {number}")
                        continue
                    reference = {"kind": kind, "number": number.replace(" ", ""), "date": day}
                    reference["issuer"] = who
                    if subject:
                        reference["subject"] = self.subject_of(subject)
                    references.append(reference)
        if references:
            self.spec["basis"] = references

    def subject_of(self, text: str) -> str:
        end = _SUBJECT_END.search(text)
        text = text[: end.start()] if end else text
        if self.issuer is not None:
            for name in (self.issuer.short_name, self.issuer.text_name, self.issuer.name):
                if name and f", {name} " in text:
                    text = text.split(f", {name} ")[0]
        return text.strip().rstrip(",;")

    def issuer_of_symbol(self, number: str) -> str | None:
        """'84/BC-SNV' was issued by the unit abbreviated SNV, when the tree has one such."""
        abbreviation = number.rsplit("-", 1)[-1]
        found = [u for u in self.org.walk() if u.abbreviation == abbreviation]
        if self.issuer is not None:
            own = [u for u in found if u.parent in (self.issuer.code, self.issuer.parent)]
            found = own or found
        return found[0].text_name if len(found) == 1 else None

    def items(self, found: list[tuple[Line, re.Match[str]]]) -> list[dict[str, Any]]:
        """Numbered items into a tree: '1.' at the top, 'a)' or '(1)' below, in the order the
        styles first appear."""
        root: list[dict[str, Any]] = []
        stack: list[tuple[str, list[dict[str, Any]], dict[str, Any] | None]] = [("1.", root, None)]
        for line, marker in found:
            style = "1." if marker[1] else "a)" if marker[2] else "(1)"
            while len(stack) > 1 and style != stack[-1][0] and style in [s for s, _, _ in stack]:
                stack.pop()
            if style != stack[-1][0]:
                parent = stack[-1][1][-1] if stack[-1][1] else None
                if parent is None:
                    self.note(line, "mục con không thuộc mục nào")
                    continue
                parent["sublabels"] = style
                parent["items"] = []
                stack.append((style, parent["items"], parent))
            siblings = stack[-1][1]
            expected = item_label(style, len(siblings) + 1)
            label = next(g for g in marker.groups()[:3] if g)
            if _label_of(style, label) != expected:
                self.note(line, f"số thứ tự mục không liền mạch (chờ {expected})")
            siblings.append(self.item(line, marker[4], stack[-1][2]))
        for item in _walk(root):
            if item.get("sublabels") == "a)":
                del item["sublabels"]
            _hoist_closing_deadline(item)
        return root

    def item(self, line: Line, text: str, parent: dict[str, Any] | None) -> dict[str, Any]:
        item: dict[str, Any] = {"text": text}
        self.deadline_of(line, item)
        self.period_of(item)
        if parent is None:
            lead = self.leads(line, text)
            if lead:
                item["lead"] = lead
        cooperating = _COOPERATE.search(text)
        if cooperating:
            code = self.match(cooperating[1])
            if code:
                item["cooperating"] = [code]
        report = _REPORT_TO.search(text)
        if report:
            target = self.match(report[2] or "") or self.match(report[1])
            if target and target in self.org.units and target != self.spec.get("issuer"):
                item["report_to"] = target
        return item

    def leads(self, line: Line, text: str) -> list[str]:
        given = re.match(r"^Giao (?:cho )?(.+)$", text)
        if given:
            # The longest run of opening words that names a unit: "Sở Nội vụ tổng hợp …".
            words = given[1].split()[:16]
            for count in range(len(words), 0, -1):
                code = self.match(" ".join(words[:count]).rstrip(":,"))
                if code:
                    return [code]
            self.note(line, "đơn vị được giao không có trong cây tổ chức")
            return []
        opening = key(text[:120])
        if opening.startswith(_ALL_RECIPIENTS):
            return list(dict.fromkeys(self.recipient_codes))
        named = [
            code for name, code in self._names.items() if opening.startswith(name) and len(name) > 8
        ]
        if not named:
            self.note(line, "mục không ghi rõ đơn vị chủ trì")
        return named[:1]

    def deadline_of(self, line: Line, item: dict[str, Any]) -> None:
        plain = item["text"].replace("*", "")
        found = [(form, m) for form, pattern in _DEADLINES.items() for m in pattern.finditer(plain)]
        if not found:
            return
        if len(found) > 1:
            self.note(line, "mục ghi nhiều thời hạn; không chọn thay người đọc")
            return
        form, match = found[0]
        value: Any
        if form == "month":
            month, year = int(match[1]), int(match[2])
            value = f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
        elif form == "working_days":
            value = int(match[1])
        else:
            value = _date(f"{match[1]}/{match[2]}/{match[3]}")
        if value is None:
            self.note(line, f"thời hạn không tồn tại: {match[0]}")
            return
        item["deadline"] = {form: value}
        phrase = Deadline.model_validate(item["deadline"]).phrase()
        if phrase in item["text"]:
            item["text"] = item["text"].replace(phrase, "{deadline}", 1)

    def period_of(self, item: dict[str, Any]) -> None:
        found = _PERIOD.search(item["text"])
        if not found:
            return
        start, end = _date(found[1]), _date(found[2])
        if start is None or end is None or end < start:
            return
        period = Period(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))
        item["period"] = {"start": start, "end": end}
        item["text"] = item["text"].replace(period.phrase(), "{period}", 1)

    def sections(self, blocks: list[Line]) -> None:
        """A plan's body: preamble, then I., II. … with '1.' sub-parts, then the closing."""
        preamble: list[str] = []
        sections: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        for block in blocks:
            top = _SECTION.match(block.text)
            sub = _ITEM.match(block.text)
            if top and top[1] == roman(len(sections) + 1):
                sections.append({"heading": top[2]})
                current = sections[-1]
            elif sections and sub and sub[1]:
                current = {"heading": sub[4]}
                sections[-1].setdefault("sections", []).append(current)
            elif block.text.startswith(_CLOSING_STARTS) and sections:
                self.spec["closing"] = block.text
            elif current is None:
                preamble.append(block.text)
            else:
                current.setdefault("paragraphs", []).append(block.text)
        if preamble:
            self.spec["preamble"] = preamble
            self.basis([b for b in blocks if b.text in preamble])
        self.spec["sections"] = sections

    def appendix(self, blocks: list[Line]) -> None:
        rows = [b for b in blocks if b.cells]
        if not rows:
            self.note(None, "kế hoạch không kèm phụ lục nhiệm vụ đọc được")
            return
        head = [key(c) for c in rows[0].cells]
        columns = {
            "text": _column(head, "nội dung"),
            "lead": _column(head, "chủ trì"),
            "cooperating": _column(head, "phối hợp"),
            "product": _column(head, "sản phẩm"),
            "deadline": _column(head, "thời gian", "thời hạn"),
        }
        items = []
        for row in rows[1:]:
            cell = {name: row.cells[i] if i is not None else "" for name, i in columns.items()}
            item: dict[str, Any] = {"text": cell["text"]}
            for role in ("lead", "cooperating"):
                if cell[role]:
                    codes = self.match_all(cell[role])
                    if codes is None:
                        self.note(
                            row,
                            f"đơn vị {'chủ trì' if role == 'lead' else 'phối hợp'} "
                            f"không có trong cây tổ chức: {cell[role]}",
                        )
                    else:
                        item[role] = codes
            if cell["product"]:
                item["product"] = cell["product"]
            if cell["deadline"]:
                probe = {"text": cell["deadline"]}
                self.deadline_of(row, probe)
                if "deadline" in probe:
                    item["deadline"] = probe["deadline"]
                else:
                    self.note(row, f"không đọc được thời hạn: {cell['deadline']}")
            items.append(item)
        self.spec["items"] = items

    def signature(self, blocks: list[Line]) -> None:
        if not blocks:
            self.note(None, "không tìm thấy «Nơi nhận»")
            return
        distribution: list[str] = []
        rest = blocks[1:]
        while rest and _BULLET.match(rest[0].text):
            bullet = _BULLET.match(rest[0].text)
            assert bullet is not None
            archive = _ARCHIVE.match(bullet[1])
            if archive:
                self.spec["archive"] = [p.strip() for p in archive[1].rstrip(".").split(",")]
            else:
                distribution.append(bullet[1])
            rest = rest[1:]
        self.spec["distribution"] = distribution
        if "drafting_unit" not in self.spec and self.spec.get("archive"):
            # ND 30: "Lưu: VT, <drafting unit>" when the symbol does not carry it (KH-UBND).
            self.spec["drafting_unit"] = self.spec["archive"][-1]
        signer: dict[str, Any] = {}
        titles = [b for b in rest if b.text.isupper()]
        names = [b for b in rest if not b.text.isupper() and b.text]
        for block in titles:
            authority = _AUTHORITY.match(block.text)
            if authority:
                signer["authority"] = authority[1]
                signer["on_behalf_of"] = authority[2].capitalize()
            else:
                signer["position"] = block.text.capitalize()
        if names:
            signer["name"] = names[-1].text.strip("*")
        if "position" not in signer:
            self.note(names[-1] if names else None, "không đọc được chức vụ người ký")
        self.spec["signer"] = signer


def _blocks(lines: list[Line]) -> Iterator[Line]:
    """Paragraphs of the body. A phrase broken over lines is joined back: within a block when
    the next line goes on in lower case, and even over a blank line (seed 002: "PAR" / "INDEX")
    when a long line ends mid-sentence. A heading ("1. Mục đích") is short and unpunctuated
    too, and a bracketed remark on its own line ("(có phụ lục …).") stands alone."""
    pending: Line | None = None
    gap = False
    for line in lines:
        if not line.text:
            gap = True
            continue
        if line.cells:
            if pending:
                yield pending
                pending = None
            yield line
            continue
        starts_new = (
            _ITEM.match(line.text)
            or _SECTION.match(line.text)
            or _BULLET.match(line.text)
            or _RECIPIENTS.match(line.text)
            or _DISTRIBUTION.match(line.text)
            or line.text.isupper()
            or line.text.startswith("(")
        )
        if pending and not starts_new and not _ends_sentence(pending.text):
            goes_on = not gap and line.text.lstrip("*")[:1].islower()
            if goes_on or len(pending.text) > _HEADING_LENGTH:
                pending = Line(pending.no, f"{pending.text} {line.text}")
                gap = False
                continue
        if pending:
            yield pending
        pending, gap = line, False
    if pending:
        yield pending


def _ends_sentence(text: str) -> bool:
    return text.endswith((".", ":", ";", "!", "?", ")", "./.")) or text.isupper()


def _date(text: str) -> str | None:
    day, month, year = (int(p) for p in text.split("/"))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _label_of(style: str, label: str) -> str:
    return {"1.": f"{label}.", "a)": f"{label})", "(1)": f"({label})"}[style]


def _column(head: list[str], *words: str) -> int | None:
    return next((i for i, h in enumerate(head) if any(w in h for w in words)), None)


def _hoist_closing_deadline(item: dict[str, Any]) -> None:
    """'Thời hạn hoàn thành …' in the last sub-item alone closes the whole item (seed 000,
    item 2): the deadline is the item's, and its sub-items are not tasks of their own."""
    subs = item.get("items", [])
    if not subs:
        return
    closing_only = "deadline" in subs[-1] and not any("deadline" in s for s in subs[:-1])
    if len(subs) > 1 and closing_only and "deadline" not in item:
        item["deadline"] = subs[-1].pop("deadline")


def _walk(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from _walk(item.get("items", []))


def import_letter(lines: list[Line], org: OrgTree, org_ref: str) -> Imported:
    """The spec LINES state, with ORG_REF as its 'org' field."""
    return _Reader(lines, org, org_ref).read()


def org_reference(org_path: Path, spec_path: Path | None) -> str:
    """The 'org' field: the tree's path relative to where the spec will be written."""
    if spec_path is None:
        return str(org_path.resolve())
    try:
        return str(org_path.resolve().relative_to(spec_path.resolve().parent))
    except ValueError:
        return str(org_path.resolve())


def letter_spec(data: dict[str, Any], org: OrgTree, file: Path) -> DirectiveSpec:
    """DATA as a spec checked against ORG; every problem is raised together."""
    spec = validate(DirectiveSpec, data, file)
    Directive(spec, org, str(file))
    return spec


def implementing_letter(
    data: dict[str, Any], org: OrgTree, file: Path, unit_code: str, lead_days: int, say: Wording
) -> DirectiveSpec:
    """UNIT's letter passing the received one down (the seed-002 pattern). The received
    letter's signer does not appear in it, so an unreadable signer does not stop it."""
    if unit_code not in org.units:
        raise InputError.one(
            file, "--implement-as", unit_code, f"đơn vị không có trong cây tổ chức {org.name}"
        )
    unit = org.units[unit_code]
    if not unit.governs or unit.coordinator is None:
        raise InputError.one(
            file, "--implement-as", unit_code, "đơn vị này không có cấp dưới để triển khai"
        )
    received = dict(data)
    issuer = org.units.get(str(data.get("issuer")))
    if issuer is not None:
        signer = dict(received.get("signer") or {})
        signer.setdefault("position", issuer.head_title)
        received["signer"] = signer
    parent_spec = letter_spec(received, org, file)
    if parent_spec.number is None:
        raise InputError.one(
            file, "number", None, "văn bản đến chưa có số (dự thảo): chưa thể triển khai"
        )
    parent = Directive(parent_spec, org, str(file))
    if not any(unit in task.lead for task in parent.tasks()):
        raise InputError.one(
            file,
            "--implement-as",
            unit_code,
            "văn bản đến không giao mục nào cho đơn vị này (theo những gì đọc được)",
        )
    return implementing_spec(parent, unit, WorkingCalendar.load(), lead_days, say, clock.today())


def spec_yaml(spec: DirectiveSpec, origin: str, notes: list[str]) -> str:
    """The spec as its author would write it, with where it came from and what to check."""
    data = spec.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"org": spec.org, "kind": spec.kind.value, **data}
    header = [f"# {origin}; hãy kiểm tra trước khi phát hành."]
    header += [f"# Lưu ý: {note}" for note in notes]
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(header) + "\n" + body


def stated_fields(spec: dict[str, Any]) -> dict[str, str]:
    """A spec flattened to 'items[2].deadline.before' -> '2024-05-20': what a letter states,
    field by field, for comparing an import with a reader's labels. Signer words are compared
    without case: the document prints them in capitals."""
    out: dict[str, str] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, f"{path}.{name}" if path else name)
        elif isinstance(value, list):
            for n, inner in enumerate(value, start=1):
                walk(inner, f"{path}[{n}]")
        elif value is not None:
            out[path] = str(value)

    data = {name: value for name, value in spec.items() if name != "org"}
    walk(data, "")
    for path in [p for p in out if p.startswith("signer.") and p != "signer.name"]:
        out[path] = out[path].casefold()
    return out
