"""Reading a received letter into a directive spec. The reader takes only what the letter
states; whatever it doubts (a blank date, a lead it cannot match, an item led by the issuer
itself) becomes a note beside the field, and the spec is marked "chưa kiểm tra" until a person
has checked it. It refuses only what is not a letter."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from models.directive import DocumentKind
from models.errors import InputError
from models.importing import structure as st
from models.importing.names import Names, key
from models.importing.phrases import PRODUCT, citations, day_of, deadline_in
from models.letterfile import Line
from models.org import OrgTree, Unit, UnitKind
from models.vntext import roman

_TITLES = {k.label.upper(): k.value for k in DocumentKind if k.abbreviation}
_KIND_CODES = {k.abbreviation: k.value for k in DocumentKind if k.abbreviation}
_CLOSING_STARTS = ("Yêu cầu", "Trên đây", "Nhận được", "Trong quá trình", "Ủy ban nhân dân")
_ALL_RECIPIENTS = re.compile(
    r"^(?:thủ trưởng )?các (?:cơ quan, đơn vị|cơ quan, địa phương|đơn vị|cơ quan)"
    r"(?: nêu trên| có tên (?:trên|tại)[^,:]*| liên quan)?\b"
)
_TASK_SECTIONS = (
    "đề xuất",
    "kiến nghị",
    "tổ chức thực hiện",
    "nhiệm vụ",
    "giải pháp",
    "phương hướng",
)
_OPENERS = re.compile(
    r"^(?:(?:đề nghị|yêu cầu|kiến nghị|đề xuất)\s+)?(?:giao(?: cho)?\s+|chỉ đạo\s+)?",
    re.IGNORECASE,
)
_GIVE = re.compile(r"\b(?:giao(?: cho)?|chỉ đạo)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Unread:
    """Something the letter says (or leaves blank) that the reader could not turn into data,
    with the field of the spec it concerns."""

    line: int
    text: str
    what: str
    field: str = ""

    def describe(self, file: str) -> str:
        shown = self.text if len(self.text) <= 70 else self.text[:67] + "..."
        where = f"dòng {self.line} («{shown}»)" if self.line else "(cả văn bản)"
        return f"Tệp {file}, {where}: {self.what}"


@dataclass
class Imported:
    """The spec as read (a dict in the shape of DirectiveSpec), the tasks as the letter labels
    them, and what could not be read."""

    spec: dict[str, Any]
    unread: list[Unread] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def view(self) -> dict[str, Any]:
        """What the letter states, in the shape of the corpus labels (for people and scoring)."""
        spec = self.spec
        recipients: list[str] = []
        for line in spec.get("recipients", []):
            recipients += line.get("units") or [f"?{line.get('label', '')}"]
        signer = spec.get("signer", {})
        body = f"{signer.get('body_authority', 'TM')}. {signer.get('body')}"
        lines = [body] if signer.get("body") else []
        if signer.get("authority"):
            lines.append(f"{signer['authority']}. {signer.get('on_behalf_of', '')}".strip())
        if signer.get("position"):
            lines.append(signer["position"])
        return {
            "kind": spec.get("kind"),
            "issuer": spec.get("issuer"),
            "number": str(spec["number"]) if spec.get("number") else None,
            "symbol": self.facts.get("symbol"),
            "issued_on": spec.get("issued_on"),
            "subject": spec.get("subject"),
            "recipients": recipients,
            "basis": spec.get("basis", []),
            "tasks": self.facts.get("tasks", []),
            "signer_lines": lines,
            "signer_name": signer.get("name"),
            "distribution": spec.get("distribution", []),
            "archive": spec.get("archive", []),
        }


@dataclass
class _Node:
    line: Line
    label: str  # as printed: "1.", "a)", "(1)", "-", "" for a paragraph
    text: str
    children: list[_Node] = field(default_factory=list)


class Reader:
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
        self.names = Names(org, None)

    def note(self, line: Line | None, what: str, where: str = "") -> None:
        self.unread.append(Unread(line.no if line else 0, line.text if line else "", what, where))

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
        body = list(st.blocks(rest[:body_end]))
        body = self.recipients(body)
        if not body and "subject" not in self.spec:
            raise InputError.one(
                self.file, "(tệp)", None, "không phải văn bản hành chính: không có nội dung"
            )
        signature_end = appendix_at if appendix_at is not None else len(rest)
        self.signature(rest[closing_at:signature_end] if closing_at is not None else [], body)
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
                if subject and in_subject and self.spec.get("kind") != "cong_van":
                    in_subject = False
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
                in_subject = False
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
        else:
            self.note(line, "văn bản chưa có số (dự thảo)", "number")
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

    # -- recipients --------------------------------------------------------------------------

    def recipients(self, blocks: list[Line]) -> list[Line]:
        """Reads 'Kính gửi' and returns the blocks after it."""
        at = next(
            (i for i, b in enumerate(blocks[:4]) if st.RECIPIENTS.match(st.plain(b.text))), None
        )
        if at is None:
            return blocks
        inline = st.RECIPIENTS.match(st.plain(blocks[at].text))
        assert inline is not None
        entries = [Line(blocks[at].no, inline[1])] if inline[1] else []
        rest = blocks[at + 1 :]
        while rest and self._is_recipient(rest[0], entries):
            entries.append(rest[0])
            rest = rest[1:]
        lines: list[dict[str, Any]] = []
        for entry in entries:
            bullet = st.BULLET.match(st.plain(entry.text))
            text = (bullet[1] if bullet else st.plain(entry.text)).strip().rstrip(";,.")
            for part in [p.strip() for p in re.split(r";\s*", text) if p.strip()]:
                found = self.names.listed(part)
                if found.codes and found.end >= len(key(part)) - 1:
                    self.recipient_codes += found.codes
                    lines.append({"units": found.codes})
                else:
                    lines.append({"label": part})
        self.spec["recipients"] = lines
        return rest

    def _is_recipient(self, line: Line, entries: list[Line]) -> bool:
        text = st.plain(line.text)
        if st.BULLET.match(text):
            return True
        if entries and st.plain(entries[-1].text).endswith("."):
            return False
        return len(text) < 120 and not st.body_starts(text) and not st.ITEM.match(text)

    # -- body --------------------------------------------------------------------------------

    def body(self, blocks: list[Line], appendix: list[Line]) -> None:
        preamble: list[Line] = []
        roots: list[_Node] = []
        sections: list[_Node] = []
        closing: list[Line] = []
        stack: list[_Node] = []
        styles: list[str] = []
        for block in blocks:
            text = st.plain(block.text)
            section = st.SECTION.match(text)
            item = st.ITEM.match(text)
            bullet = st.BULLET.match(text)
            if section and (section[1] == roman(len(sections) + 1)):
                node = _Node(block, section[1], section[2])
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
                node = _Node(block, label, body_text)
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
            if stack:
                stack[-1].children.append(_Node(block, "", text))
            else:
                preamble.append(block)
        if preamble:
            self.spec["preamble"] = [b.text for b in preamble]
        if closing:
            self.spec["closing"] = " ".join(b.text for b in closing)
        basis_from = preamble or blocks
        self.basis(basis_from)
        kind = self.spec.get("kind", "cong_van")
        rows = [ln for ln in appendix if len(ln.cells) > 2]
        if rows:
            self.appendix_tasks(rows)
        elif sections:
            for part in sections:
                tasked = any(w in key(part.text) for w in _TASK_SECTIONS)
                if tasked or kind in ("cong_van", "thong_bao"):
                    self.tasks(part.children, f"{part.label}.", part)

        else:
            self.tasks(roots, "", None)
        self.spec["sections" if sections and kind in ("ke_hoach", "bao_cao") else "_"] = [
            _section_spec(s) for s in sections
        ]
        self.spec.pop("_", None)
        self.spec["items"] = self.items_spec(sections, roots)

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

    # -- tasks -------------------------------------------------------------------------------

    def tasks(self, nodes: list[_Node], prefix: str, section: _Node | None) -> None:
        out: list[dict[str, Any]] = self.facts.setdefault("tasks", [])
        numbered = [n for n in nodes if n.label and n.label != "-"]
        for node in numbered:
            head = self.task_of(node.text, node.line, None)
            subs = [c for c in node.children if c.label and c.label != "-"]
            whole = " ".join([node.text, *(c.text for c in node.children if c.label in ("", "-"))])
            if subs:
                for sub in subs:
                    own = self.task_of(
                        " ".join([sub.text, *(c.text for c in sub.children)]), sub.line, head
                    )
                    if own["lead"]:
                        own["label"] = f"{prefix}{node.label}{sub.label}"
                        out.append(own)
                continue
            task = self.task_of(whole, node.line, None)
            if task["lead"]:
                task["label"] = f"{prefix}{node.label}".rstrip(".") if prefix else node.label
                out.append(task)
            elif section is None or prefix:
                self.note(node.line, "mục không ghi rõ đơn vị chủ trì", f"items ({node.label})")

    def task_of(self, text: str, line: Line, parent: dict[str, Any] | None) -> dict[str, Any]:
        text = st.plain(text)
        lead = self.leads(text)
        task: dict[str, Any] = {"lead": lead or (parent["lead"] if parent else [])}
        task["cooperating"] = self.cooperating(text) or (
            parent["cooperating"] if parent and not lead else []
        )
        report_to = self.report_to(text)
        if report_to or (parent and parent.get("report_to")):
            task["report_to"] = report_to or (parent or {}).get("report_to")
        product = PRODUCT.search(text)
        if product:
            task["product"] = product["product"].strip(" ,")
        deadline = self.deadline(text, line)
        task["deadline"] = deadline if deadline is not None else (parent or {}).get("deadline")
        task["text"] = text
        if self.issuer is not None and self.issuer.code in task["lead"]:
            self.note(line, "mục giao cho chính cơ quan ban hành: hãy kiểm tra", "lead")
        return task

    def leads(self, text: str) -> list[str]:
        k = key(text)
        if _ALL_RECIPIENTS.match(k) and self.recipient_codes:
            return list(dict.fromkeys(self.recipient_codes))
        first = re.split(r"(?<=[.:])\s", text, maxsplit=1)[0]
        given = _GIVE.search(first)
        if given and given.start() < 80:
            found = self.names.listed(first[given.end() :])
            if found.codes:
                return found.codes
        opener = _OPENERS.match(text)
        found = self.names.listed(text[opener.end() :] if opener else text)
        if found.codes:
            return found.codes
        chaired = re.search(r"(?:giao|do)\s+(.{3,120}?)\s+chủ trì", first, re.IGNORECASE)
        if chaired:
            return self.names.listed(chaired[1]).codes
        return []

    def cooperating(self, text: str) -> list[str]:
        found = re.search(r"phối hợp(?: chặt chẽ)?(?: với)?\s+", text)
        if not found:
            return []
        return self.names.listed(text[found.end() :]).codes

    def report_to(self, text: str) -> str | None:
        patterns = (
            r"gửi(?: kết quả| báo cáo| văn bản)?(?: thực hiện)?(?: về| đến)?\s+",
            r"(?<!tham mưu )(?<!giúp )báo cáo(?: kết quả)?(?: về| lên)?\s+(?:chủ tịch\s+)?",
            r"(?<!tham mưu )trình\s+(?:chủ tịch\s+)?",
        )
        best: tuple[int, str] | None = None
        for pattern in patterns:
            for m in re.finditer(pattern, text, re.IGNORECASE):
                before = text[max(0, m.start() - 40) : m.start()].lower()
                if "tham mưu" in before and "gửi" not in m[0].lower():
                    continue
                found = self.names.listed(text[m.end() :])
                if not found.codes or found.codes[0] not in self.org.units:
                    continue
                target = found.codes[0]
                via = re.match(r"[^;.()]{0,80}\(\s*qua ([^)]+)\)", key(text[m.end() :]))
                if via:
                    through = self.names.listed(via[1]).codes
                    target = through[0] if through else target
                if best is None or m.start() < best[0]:
                    best = (m.start(), target)
                break
        return best[1] if best else None

    def deadline(self, text: str, line: Line) -> dict[str, Any] | None:
        issued = self.spec.get("issued_on")
        found = deadline_in(text, dt.date.fromisoformat(issued) if issued else None)
        if not found:
            return None
        bad = [f for f in found if f.value is None]
        if bad:
            self.note(line, f"thời hạn không tồn tại: {bad[0].words}", "deadline")
        good = [f for f in found if f.value]
        if not good:
            return None
        order = ("latest", "before", "working_days", "month", "quarter", "recurring")
        good.sort(key=lambda f: (order.index(next(iter(f.value))), -f.at))  # type: ignore[arg-type]
        return good[0].value

    # -- appendix ----------------------------------------------------------------------------

    def appendix_tasks(self, rows: list[Line]) -> None:
        head_at = next(
            (i for i, r in enumerate(rows) if any("chủ trì" in key(c) for c in r.cells)), None
        )
        if head_at is None:
            self.note(rows[0], "phụ lục không có cột «chủ trì»", "items")
            return
        head = [key(c) for c in rows[head_at].cells]
        columns = {
            "text": _column(head, "nội dung", "nhiệm vụ", "tên nhiệm vụ"),
            "lead": _column(head, "chủ trì"),
            "cooperating": _column(head, "phối hợp"),
            "product": _column(head, "sản phẩm", "kết quả"),
            "deadline": _column(head, "thời gian", "thời hạn", "tiến độ"),
        }
        out = self.facts.setdefault("tasks", [])
        for row in rows[head_at + 1 :]:
            number = re.match(r"^(\d{1,3})\.?$", row.cells[0].strip())
            if not number:
                continue
            cell = {
                name: row.cells[i] if i is not None and i < len(row.cells) else ""
                for name, i in columns.items()
            }
            task: dict[str, Any] = {"label": f"PL.{number[1]}", "text": cell["text"]}
            task["lead"] = self._cell_units(row, cell["lead"], "chủ trì")
            task["cooperating"] = self._cell_units(row, cell["cooperating"], "phối hợp")
            product = cell["product"].strip()
            task["product"] = None if product in ("", "-", "–") else product
            task["deadline"] = self.deadline(cell["deadline"], row) if cell["deadline"] else None
            if cell["deadline"] and task["deadline"] is None:
                self.note(row, f"không đọc được thời hạn: {cell['deadline']}", "deadline")
            out.append(task)

    def _cell_units(self, row: Line, text: str, role: str) -> list[str]:
        if not text.strip() or text.strip() in ("-", "–"):
            return []
        codes = self.names.anywhere(text)
        if not codes:
            self.note(row, f"đơn vị {role} không có trong cây tổ chức: {text}", "items")
        return codes

    # -- items of the spec -------------------------------------------------------------------

    def items_spec(self, sections: list[_Node], roots: list[_Node]) -> list[dict[str, Any]]:
        items = []
        for task in self.facts.get("tasks", []):
            item: dict[str, Any] = {"text": task["text"] or task["label"]}
            for name in ("lead", "cooperating"):
                if task.get(name):
                    item[name] = task[name]
            for name in ("product", "report_to"):
                if task.get(name) and not (
                    name == "report_to" and task[name] == self.spec.get("issuer")
                ):
                    item[name] = task[name]
            if task.get("deadline"):
                deadline = dict(task["deadline"])
                if "from" in deadline:
                    deadline["from_receipt"] = deadline.pop("from") == "receipt"
                    if not deadline["from_receipt"]:
                        del deadline["from_receipt"]
                item["deadline"] = deadline
            items.append(item)
        return items

    # -- closing -----------------------------------------------------------------------------

    def signature(self, lines: list[Line], body: list[Line]) -> None:
        if not lines and not any(st.is_caps(st.plain(b.text)) for b in body[-6:]):
            self.note(None, "không tìm thấy «Nơi nhận» và chữ ký", "signer")
            return
        distribution: list[str] = []
        titles: list[str] = []
        names: list[str] = []
        for line in lines[1:] if lines else []:
            text = st.plain(line.text)
            if not text or st.is_signed_mark(text):
                continue
            bullet = st.BULLET.match(text)
            if bullet:
                entry = bullet[1].strip().rstrip(";,.").strip()
                archive = re.match(r"^Lưu\s*:?\s*(.*)$", entry)
                if archive:
                    self.spec["archive"] = [
                        p.strip(" .") for p in archive[1].split(",") if p.strip(" .")
                    ]
                elif entry:
                    distribution.append(entry)
            elif st.is_caps(text):
                titles.append(text)
            elif re.match(r"^[A-ZĐÂĂÊÔƠƯ][^\s]*(?: [A-ZĐÂĂÊÔƠƯ][^\s]*){1,4}$", text):
                names.append(text)
            elif distribution and not titles:
                distribution[-1] = f"{distribution[-1]} {text}".rstrip(";,.")
        self.spec["distribution"] = distribution
        if "drafting_unit" not in self.spec and self.spec.get("archive"):
            self.spec["drafting_unit"] = self.spec["archive"][-1]
        signer: dict[str, Any] = {}
        for title in titles:
            authority = st.AUTHORITY.match(title)
            if (
                authority
                and "authority" not in signer
                and "body" not in signer
                and len(titles) >= 3
            ):
                signer["body"] = authority[2].capitalize()
                if authority[1] != "TM":
                    signer["body_authority"] = authority[1]
            elif authority:
                signer["authority"] = authority[1]
                signer["on_behalf_of"] = authority[2].capitalize()
            else:
                signer["position"] = title.capitalize()
        if names:
            signer["name"] = names[-1]
        if "position" not in signer:
            self.note(lines[-1] if lines else None, "không đọc được chức vụ người ký", "signer")
        self.spec["signer"] = signer


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


def _column(head: list[str], *words: str) -> int | None:
    return next((i for i, h in enumerate(head) if any(w in h for w in words)), None)


def _subject_of(text: str) -> str:
    end = re.search(
        r" \((?![A-Z]{2,})|\. |:|\.$|, (?=(?:đến nay|hiện nay|theo đó|nay|để|nhằm|UBND|Sở) )", text
    )
    return (text[: end.start()] if end else text).strip().rstrip(",;")


def _section_spec(node: _Node) -> dict[str, Any]:
    spec: dict[str, Any] = {"heading": node.text}
    paragraphs = [
        c.text if not c.label or c.label == "-" else f"{c.label} {c.text}" for c in node.children
    ]
    if paragraphs:
        spec["paragraphs"] = paragraphs
    return spec
