"""Reading a received letter into a directive spec. The reader takes only what the letter
states; whatever it doubts (a blank date, a lead it cannot match, an item led by the issuer
itself) becomes a note beside the field, and the spec is marked "chưa kiểm tra" until a person
has checked it. It refuses only what is not a letter."""

from __future__ import annotations

import re
from typing import Any

from models.errors import InputError
from models.importing import structure as st
from models.importing.addressing import AddressReading
from models.importing.facts import Imported, Node, Unread
from models.importing.names import Names, key
from models.importing.phrases import citations, day_of
from models.letterlines import Line
from models.org import OrgTree, Unit, UnitKind
from models.spec import DocumentKind
from models.vntext import roman

__all__ = ["Imported", "Reader", "Unread"]

_TITLES = {k.label.upper(): k.value for k in DocumentKind if k.abbreviation}
_KIND_CODES = {k.abbreviation: k.value for k in DocumentKind if k.abbreviation}
_CLOSING_STARTS = ("Yêu cầu", "Trên đây", "Nhận được", "Trong quá trình", "Ủy ban nhân dân")
_TASK_SECTIONS = (
    "đề xuất",
    "kiến nghị",
    "tổ chức thực hiện",
    "nhiệm vụ",
    "giải pháp",
    "phương hướng",
)


class Reader(AddressReading):
    def __init__(self, lines: list[Line], org: OrgTree, org_ref: str, file: str):
        self.lines = st.split_layout(lines)
        self.org = org
        self.file = file
        self.spec: dict[str, Any] = {"org": org_ref}
        self.facts: dict[str, Any] = {}
        self.unread: list[Unread] = []
        self.issuer: Unit | None = None
        self.place: str | None = None
        self.symbol_parts: list[str] = []
        self.recipient_codes: list[str] = []
        self.pending_note: str | None = None  # why the last item read has no lead
        self.opening_leads: list[str] = []
        self.names: Names  # once the issuer is known: its own units' names come first

    # -- the whole letter --------------------------------------------------------------------

    def read(self) -> Imported:
        end = self.header()
        rest = self.lines[end:]
        closing_at = next(
            (i for i, ln in enumerate(rest) if st.DISTRIBUTION.match(st.plain(ln.text))), None
        )
        appendix_at = next(
            (
                i
                for i, ln in enumerate(rest)
                if (closing_at is None or i > closing_at) and st.APPENDIX.match(st.plain(ln.text))
            ),
            None,
        )
        if appendix_at is None and closing_at is not None:
            appendix_at = next(
                (i for i, ln in enumerate(rest) if i > closing_at and len(ln.cells) > 2), None
            )
        body_end = closing_at if closing_at is not None else appendix_at or len(rest)
        # A signature set as paragraphs before «Nơi nhận» belongs to the closing, not the body.
        signed_at = st.signature_start(rest, body_end) if closing_at is not None else body_end
        body = list(st.blocks(rest[:signed_at]))
        body = self.recipients(body)
        if not body and "subject" not in self.spec:
            raise InputError.one(
                self.file, "(tệp)", None, "không phải văn bản hành chính: không có nội dung"
            )
        signature_end = appendix_at if appendix_at is not None else len(rest)
        closing = rest[closing_at + 1 : signature_end] if closing_at is not None else []
        self.signature(rest[signed_at:body_end] + closing, body, found=closing_at is not None)
        appendix = rest[appendix_at:] if appendix_at is not None else []
        self.body(body, appendix)
        self.spec.setdefault("kind", "cong_van")
        self.facts.setdefault("tasks", [])
        return Imported(self.spec, self.unread, self.facts)

    # -- header ------------------------------------------------------------------------------

    def header(self) -> int:
        """Issuer, number and symbol, place and date, kind and subject. Returns where the
        body starts."""
        issuer_lines: list[Line] = []
        subject: list[str] = []
        subject_line: Line | None = None
        in_subject = False
        seen_number = seen_date = False
        end = 0
        for i, line in enumerate(self.lines):
            text = st.plain(line.text)
            if line.cells:
                end = i
                break
            if st.RECIPIENTS.match(text):
                end = i
                break
            number = st.NUMBER.match(text)
            place_date = st.PLACE_DATE.match(text) if "ngày" in text else None
            if not text or st.RULE.match(text):
                if subject and in_subject and (self.spec.get("kind") != "cong_van" or seen_date):
                    in_subject = False  # past the date, a blank line ends the column
                continue
            if st.MOTTO.fullmatch(text) or st.INDEPENDENCE.fullmatch(text) or st.is_stamp(text):
                in_subject = False
            elif number and not seen_number:
                seen_number = True
                self.symbol(line, number[1], number[2])
                in_subject = False
            elif place_date and not seen_date:
                seen_date = True
                self.place_and_date(line, place_date)
                # A V/v subject in its column goes on past the date beside it.
                in_subject = in_subject and self.spec.get("kind") == "cong_van"
            elif re.match(r"^V/v\b", text):
                self.spec.setdefault("kind", "cong_van")
                subject, subject_line, in_subject = [text[3:].strip(" :")], line, True
            elif text.upper() in _TITLES and not subject:
                self.spec["kind"] = _TITLES[text.upper()]
                subject_line, in_subject = line, True
            elif in_subject and not (subject and st.body_starts(text)):
                subject.append(text)
            elif st.is_caps(text) and not subject and not seen_date:
                issuer_lines.append(line)
            elif seen_date or seen_number or subject:
                end = i
                break
            end = i + 1
        self.find_issuer(issuer_lines)
        if subject:
            self.spec["subject"] = re.sub(r"\s+", " ", " ".join(subject)).strip()
        else:
            self.note(subject_line, "không đọc được trích yếu (V/v hoặc tên văn bản)", "subject")
        return end

    def symbol(self, line: Line, number: str, symbol: str) -> None:
        symbol = re.sub(r"\s*[-–]\s*", "-", symbol)
        self.facts["symbol"] = symbol
        if number:
            self.spec["number"] = int(number)
        parts = [p.strip() for p in symbol.split("-")]
        self.symbol_parts = parts
        if parts[0] in _KIND_CODES:
            self.spec["kind"] = _KIND_CODES[parts[0]]
        elif len(parts) >= 2:
            self.spec["drafting_unit"] = "-".join(parts[1:])

    def place_and_date(self, line: Line, found: re.Match[str]) -> None:
        self.place = found["place"].strip(" *")
        if not (found["day"] and found["month"]):
            self.note(line, "ngày ban hành để trống (dự thảo): hãy ghi ngày dự kiến", "issued_on")
            return
        day = day_of(found["day"], found["month"], found["year"])
        if day is None:
            self.note(line, "ngày ban hành không tồn tại", "issued_on")
            return
        self.spec["issued_on"] = day.isoformat()

    def find_issuer(self, lines: list[Line]) -> None:
        written = key(" ".join(st.plain(ln.text) for ln in lines))
        for unit in self.org.walk():
            header = key(" ".join(self.org.header_lines(unit)))
            above = key(self.org.superior_line(unit) or "")
            if written and written in (header, f"{above} {header}", key(unit.name)):
                self.issuer = unit
                break
        if self.issuer is None and lines:
            own = key(st.plain(lines[-1].text))  # the body's own line, under its superior's
            found = [
                u
                for u in self.org.walk()
                if own in (key(u.name), key(" ".join(self.org.header_lines(u)[-1:])))
            ]
            if not found and len(lines) > 1:
                # "UBND TỈNH AN GIANG / VĂN PHÒNG": the body's name shortened under the line of
                # the committee it belongs to ("Văn phòng UBND tỉnh").
                above = key(" ".join(st.plain(ln.text) for ln in lines[:-1]))
                found = [
                    u
                    for u in self.org.walk()
                    if key(u.name).startswith(f"{own} ")
                    and above == key(self.org.superior_line(u) or "")
                ]
            found = self._placed(found)
            if len(found) == 1:
                self.issuer = found[0]
        if self.issuer is None:
            # No readable header: the place and the symbol name the issuer when exactly one
            # committee of the tree has both.
            abbreviations = set(self.symbol_parts)
            found = [
                u
                for u in self.org.walk()
                if self.place
                and key(self.org.place_of(u) or "") == key(self.place)
                and u.abbreviation in abbreviations
                and u.kind is UnitKind.COMMITTEE
            ]
            codes = {u.code for u in found}
            found = [u for u in found if u.parent not in codes]
            if len(found) == 1:
                self.issuer = found[0]
        if self.issuer is None:
            if not lines and "number" not in self.spec and "issued_on" not in self.spec:
                raise InputError.one(
                    self.file,
                    "(tệp)",
                    None,
                    "không phải văn bản hành chính: không có cơ quan ban hành, số hay ngày tháng",
                )
            shown = lines[0] if lines else None
            self.note(
                shown, f"cơ quan ban hành không có trong cây tổ chức {self.org.name}", "issuer"
            )
        else:
            self.spec["issuer"] = self.issuer.code
        self.names = Names(self.org, self.issuer)

    def _placed(self, units: list[Unit]) -> list[Unit]:
        if len(units) <= 1 or not self.place:
            return units
        placed = [u for u in units if key(self.org.place_of(u) or "") == key(self.place)]
        return placed or units

    # -- body --------------------------------------------------------------------------------

    def body(self, blocks: list[Line], appendix: list[Line]) -> None:
        preamble: list[Line] = []
        roots: list[Node] = []
        sections: list[Node] = []
        closing: list[Line] = []
        stack: list[Node] = []
        styles: list[str] = []
        for block in blocks:
            text = st.plain(block.text)
            section = st.SECTION.match(text)
            item = st.ITEM.match(text)
            bullet = st.BULLET.match(text)
            if section and (section[1] == roman(len(sections) + 1)):
                node = Node(block, section[1], section[2])
                sections.append(node)
                stack, styles = [node], ["I."]
                continue
            if closing or (
                (text.startswith(_CLOSING_STARTS) or text.endswith("./."))
                and (roots or sections)
                and not item
            ):
                closing.append(block)
                continue
            if item or bullet:
                style = _style(item) if item else "-"
                label = _label(item) if item else "-"
                body_text = item[5] if item else bullet[1]  # type: ignore[index]
                node = Node(block, label, body_text)
                while styles and style in styles and styles[-1] != style:
                    styles.pop()
                    stack.pop()
                if styles and styles[-1] == style:
                    stack.pop()
                    styles.pop()
                parent = stack[-1] if stack else None
                (parent.children if parent else roots).append(node)
                stack.append(node)
                styles.append(style)
                continue
            # A bullet is one paragraph: the paragraph after a list goes on with its item.
            while len(stack) > 1 and styles[-1] == "-":
                stack.pop()
                styles.pop()
            if stack:
                stack[-1].children.append(Node(block, "", text))
            else:
                preamble.append(block)
        if preamble:
            self.spec["preamble"] = [b.text for b in preamble]
            self.opening_leads = self.opening(preamble[-1].text)
        if closing:
            self.spec["closing"] = " ".join(b.text for b in closing)
        basis_from = preamble or blocks
        self.basis(basis_from)
        kind = self.spec.get("kind", "cong_van")
        rows = [ln for ln in appendix if len(ln.cells) > 2]
        nodes: list[Node] = []
        if rows:
            self.appendix_tasks(rows)
        elif sections:
            for part in sections:
                tasked = any(w in key(part.text) for w in _TASK_SECTIONS)
                if tasked or kind in ("cong_van", "thong_bao"):
                    self.tasks(part.children, f"{part.label}.", part)
                    nodes += [n for n in part.subs() if n.read and n.read["lead"]]
        else:
            self.tasks(roots, "", None)
            nodes = roots
        if sections and kind in ("ke_hoach", "bao_cao"):
            self.spec["sections"] = [_section_spec(s) for s in sections]
        self.spec["items"] = self.items_spec(nodes)

    def basis(self, blocks: list[Line]) -> None:
        references: list[dict[str, str]] = []
        for block in blocks:
            for c in citations(block.text):
                if c.date is None:
                    self.note(block, f"ngày của văn bản căn cứ không tồn tại ({c.number})", "basis")
                    continue
                issuer = c.issuer or self.issuer_of_symbol(c.number)
                if issuer is None:
                    self.note(
                        block, f"không rõ cơ quan ban hành văn bản căn cứ {c.number}", "basis"
                    )
                    continue
                reference = {
                    "kind": c.kind,
                    "number": c.number,
                    "date": c.date.isoformat(),
                    "issuer": issuer.strip(),
                }
                if c.subject:
                    reference["subject"] = _subject_of(c.subject)
                if reference["number"] not in [r["number"] for r in references]:
                    references.append(reference)
        if references:
            self.spec["basis"] = references

    def issuer_of_symbol(self, number: str) -> str | None:
        """'84/BC-SNV' was issued by the unit abbreviated SNV, when the tree has one such."""
        abbreviation = number.rsplit("-", 1)[-1]
        if abbreviation == "UBND" and self.issuer is not None:
            committee = (
                self.issuer
                if self.issuer.kind is UnitKind.COMMITTEE
                else self.org.units.get(self.issuer.parent or "")
            )
            return committee.text_name if committee else None
        found = [u for u in self.org.walk() if u.abbreviation == abbreviation]
        if self.issuer is not None:
            own = [u for u in found if u.parent in (self.issuer.code, self.issuer.parent)]
            found = own or found
        return found[0].text_name if len(found) == 1 else None


def _style(item: re.Match[str]) -> str:
    if item[1]:
        return "1."
    if item[2]:
        return "a)"
    if item[3]:
        return "(1)"
    return "1.1."


def _label(item: re.Match[str]) -> str:
    if item[1]:
        return f"{item[1]}."
    if item[2]:
        return f"{item[2]})"
    if item[3]:
        return f"({item[3]})"
    return f"{item[4]}."


def _subject_of(text: str) -> str:
    end = re.search(
        r" \((?![A-Z]{2,})|\. |:|\.$|, (?=(?:đến nay|hiện nay|theo đó|nay|để|nhằm|UBND|Sở) )", text
    )
    return (text[: end.start()] if end else text).strip().rstrip(",;")


def _section_spec(node: Node) -> dict[str, Any]:
    """A part of a plan or report: its heading, its paragraphs, its numbered parts."""
    spec: dict[str, Any] = {"heading": node.text}
    paragraphs = [
        c.text if c.label == "" else f"{c.label} {c.text}"
        for c in node.children
        if c.label in ("", "-")
    ]
    if paragraphs:
        spec["paragraphs"] = paragraphs
    parts = [_section_spec(c) for c in node.subs()]
    if parts:
        spec["sections"] = parts
    return spec
