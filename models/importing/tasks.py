"""Reading the tasks of a letter: who leads and cooperates, to whom they report, what they
produce and by when — from numbered items (a lead stated once for its sub-items) or from a
plan's appendix rows — and writing them as the spec's items."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from models.importing import structure as st
from models.importing.facts import Node, Unread
from models.importing.names import Names, key
from models.importing.phrases import PRODUCT, day_of, deadline_in
from models.letterlines import Line
from models.org import OrgTree, Unit
from models.spec import Deadline, Period

_ALL_RECIPIENTS = re.compile(
    r"^(?:thủ trưởng )?các (?:cơ quan, đơn vị|cơ quan, địa phương|đơn vị|cơ quan)"
    r"(?: nêu trên| có tên (?:trên|tại)[^,:]*| liên quan)?\b"
)
# "Đề nghị giao X …", "Phê bình và yêu cầu X …": the words before the units a task names.
_OPENERS = re.compile(
    r"^(?:(?:phê bình|nhắc nhở|chấn chỉnh|biểu dương)(?:\s*,\s*|\s+và\s+))?"
    r"(?:(?:đề nghị|yêu cầu|kiến nghị|đề xuất)\s+)?(?:giao(?: cho)?\s+|chỉ đạo\s+|đối với\s+)?",
    re.IGNORECASE,
)
_BLAMED = re.compile(
    r"^(?:phê bình|nhắc nhở|chấn chỉnh|kiểm điểm)\s([^;]{3,300}?)(?:[;,]\s*|\s+(?=và\s))"
    r"(?:và\s+)?(?:đồng thời\s+)?(?:yêu cầu|đề nghị|giao)\s+",
    re.IGNORECASE,
)
_THESE = re.compile(r"(?:chủ tịch |thủ trưởng )?\S+ các \S+ (?:này|nêu trên)\b", re.IGNORECASE)
_GIVE = re.compile(r"\b(?:giao(?: cho)?|chỉ đạo)\s+", re.IGNORECASE)


# A verb by which work goes to someone, and the word that leads past what is sent to whom.
# "báo cáo, đề xuất UBND tỉnh": whom a report with proposals goes to is the same
_REPORTING = re.compile(r"\b(gửi|báo cáo(?:,? (?:đề xuất|kiến nghị))?|nộp|trình)\s+", re.IGNORECASE)
_TOWARDS = re.compile(r"(?:^|\s)(?:về|đến|tới|lên|cho)\s+", re.IGNORECASE)
_VIA = re.compile(
    r"[^;.()]{0,160}?\(\s*[*_]*\s*(?:thông )?qua ([^)]+)\)"
)  # "UBND tỉnh (qua Sở Nội vụ)"
_SAME_TIME = re.compile(r"(?:thời hạn|thời gian) (?:như|theo) (?:tại )?(?:mục|điểm) (\d+)", re.I)
_HEAD_TITLE = re.compile(r"^\s*(?:chủ tịch|giám đốc|thủ trưởng|chánh văn phòng)\s+", re.IGNORECASE)


class TaskReading:
    """The part of the reader that reads tasks; the letter's header has been read first."""

    org: OrgTree
    spec: dict[str, Any]
    facts: dict[str, Any]
    unread: list[Unread]
    issuer: Unit | None
    names: Names
    recipient_codes: list[str]
    pending_note: str | None
    opening_leads: list[str]  # "Sở Tài chính đề nghị Thủ trưởng các sở …, Chủ tịch UBND …:"

    def note(self, line: Line | None, what: str, where: str = "") -> None:
        self.unread.append(Unread(line.no if line else 0, line.text if line else "", what, where))

    def tasks(self, nodes: list[Node], prefix: str, section: Node | None) -> None:
        """The tasks of NODES as the letter labels them ("2.a)", "III.1"): an item with
        sub-items is its sub-items, each with the lead, deadline and report-to it does not
        state itself taken from the item."""
        out: list[dict[str, Any]] = self.facts.setdefault("tasks", [])
        for node in [n for n in nodes if n.label and n.label != "-"]:
            node.read = self.task_of(node.whole(), node.line, None)
            same = _SAME_TIME.search(node.whole())  # "…; thời hạn như mục 1."
            if node.read["deadline"] is None and same:
                earlier = [n.read for n in nodes if n.label.rstrip(".)") == same[1] and n.read]
                if earlier:
                    node.read["deadline"] = earlier[0]["deadline"]
            if not node.read["lead"] and section is None and self.opening_leads:
                node.read["lead"] = self.opening_leads  # the units the opening asks
            subs = node.subs()
            for sub in subs:
                sub.read = self.task_of(sub.whole(), sub.line, None)
                inherited = self.task_of(sub.whole(), sub.line, node.read)
                label = f"{prefix}{node.label}{sub.label}"
                if inherited["lead"]:
                    out.append({**inherited, "label": label})
                elif section is None:
                    self.note(sub.line, "mục không ghi rõ đơn vị chủ trì", f"items ({label})")
            if subs:
                continue
            if node.read["lead"]:
                label = f"{prefix}{node.label}".rstrip(".") if prefix else node.label
                out.append({**node.read, "label": label})
            elif section is None:
                what = self.pending_note or "mục không ghi rõ đơn vị chủ trì"
                self.note(node.line, what, f"items ({node.label})")
            self.pending_note = None

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

    def opening(self, paragraph: str) -> list[str]:
        """The units a body's opening asks to carry out the items that follow, when it ends
        by naming them: "…, Sở Tài chính đề nghị Thủ trưởng các sở, …; Chủ tịch UBND các
        huyện, … thực hiện một số nội dung sau:"."""
        text = st.plain(paragraph).rstrip()
        asks = list(re.finditer(r"\b(?:đề nghị|yêu cầu|giao)\s+", text, re.IGNORECASE))
        if not text.endswith(":") or not asks:
            return []
        codes = self.names.listed(text[asks[-1].end() :]).codes
        return [c for c in codes if not self.issuer or c != self.issuer.code]

    def _acts_itself(self, before: str) -> bool:
        """Whether the units named before "chỉ đạo" do the work themselves: departments and
        offices do, and direct others only as part of it; a committee asked to direct (UBND
        tỉnh in a report's proposals) hands the work to the units it directs."""
        opener = _OPENERS.match(before)
        codes = self.names.listed(before[opener.end() :] if opener else before).codes
        return bool(codes) and not any(
            self.org.units[c].governs for c in codes if c in self.org.units
        )

    def leads(self, text: str, *, past_topic: bool = True) -> list[str]:
        k = key(text)
        if _ALL_RECIPIENTS.match(k) and self.recipient_codes:
            return list(dict.fromkeys(self.recipient_codes))
        first = re.split(r"(?<=[.:])\s", text, maxsplit=1)[0]
        given = _GIVE.search(first)
        if given and (given.start() >= 80 or self._acts_itself(text[: given.start()])):
            given = None  # far in, or "Đề nghị Sở TT&TT phối hợp … chỉ đạo Đài PT-TH": the Sở acts
        if given:
            found = self.names.listed(text[given.end() :])  # "… chỉ đạo UBND các phường: A, B"
            if found.codes:
                return found.codes
            self.pending_note = "đơn vị được giao không có trong cây tổ chức"
        # "Phê bình A, B do …; yêu cầu Chủ tịch A, Chủ tịch B kiểm điểm …": who is blamed is
        # not who acts; the ones asked are.
        asked = _BLAMED.match(first)
        if asked:
            after = text[asked.end() :]
            again = _THESE.match(after)  # "… yêu cầu Chủ tịch UBND các huyện này": the same
            if codes := self.names.listed(asked[1] if again else after).codes:
                return codes
        opener = _OPENERS.match(text)
        found = self.names.listed(text[opener.end() :] if opener else text)
        if found.codes:
            return found.codes
        chaired = re.search(r"(?:giao|do)\s+(.{3,120}?)\s+chủ trì", first, re.IGNORECASE)
        if chaired:
            return self.names.listed(chaired[1]).codes
        # "Rà soát hồ sơ (Sở Tư pháp chủ trì; …)": the names just before "chủ trì".
        for chair in re.finditer(r"[(;:,]\s*([^(;:,]{3,120}?)\s+chủ trì\b", text):
            if codes := self.names.listed(chair[1]).codes:
                return codes
        # "Về rà soát hồ sơ: Sở Tư pháp …", "Rà soát hồ sơ: giao Sở Tư pháp …": a topic, then
        # the lead.
        topic, colon, rest = text.partition(": ")
        if colon and past_topic and len(topic) < 160:
            return self.leads(rest, past_topic=False)
        return []

    def cooperating(self, text: str) -> list[str]:
        found = re.search(r"phối hợp(?: chặt chẽ)?(?: với)?\s+", text, re.IGNORECASE)
        if not found:
            return []
        return self.names.listed(text[found.end() :]).codes

    def report_to(self, text: str) -> str | None:
        """Whom the letter tells the assignee to report to: the first unit a reporting verb
        reaches, directly ("báo cáo UBND tỉnh") or past what is sent ("gửi danh sách về Sở
        Nội vụ"), or the office it goes through ("… UBND tỉnh (qua Sở Nội vụ)")."""
        for verb in _REPORTING.finditer(text):
            after = text[verb.end() :]
            reach = re.split(r"[;.]|\bđể\b", after, maxsplit=1)[0][:200]
            advising = re.search(r"(tham mưu|giúp)[^,;.]{0,40}$", text[: verb.start()].lower())
            if advising and verb[1].lower() != "gửi" and not _VIA.match(after):
                continue  # "tham mưu UBND tỉnh báo cáo Bộ": the issuer's own report
            starts = [0]
            if verb[1].lower() != "trình":  # "trình X ban hành" names no object before X
                starts += [m.end() for m in _TOWARDS.finditer(reach)]
            for start in starts:
                found = self.names.listed(_HEAD_TITLE.sub("", after[start:], count=1))
                if found.codes and found.codes[0] in self.org.units:
                    via = _VIA.match(after[start:])
                    through = self.names.listed(via[1]).codes if via else []
                    return through[0] if through else found.codes[0]
        return None

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
            (i for i, r in enumerate(rows) if any(_LEAD_HEAD.search(key(c)) for c in r.cells)), None
        )
        if head_at is None:
            self.note(rows[0], "phụ lục không có cột «chủ trì»", "items")
            return
        head = [key(c) for c in rows[head_at].cells]
        lead_at = next(i for i, h in enumerate(head) if _LEAD_HEAD.search(h))
        columns = {
            "text": _column(head, "nội dung", "nhiệm vụ", "tên nhiệm vụ"),
            "lead": lead_at,
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
            # One column for both: "Chủ trì: Công an tỉnh Phối hợp: UBND các xã, phường".
            joint = re.search(r"(?i)phối hợp\s*:", cell["lead"])
            lead = cell["lead"][: joint.start()] if joint else cell["lead"]
            lead = re.sub(r"(?i)^\s*chủ trì\s*:", "", lead)
            task["lead"] = self._cell_units(row, lead, "chủ trì")
            cooperating = cell["lead"][joint.end() :] if joint else cell["cooperating"]
            task["cooperating"] = self._cell_units(row, cooperating, "phối hợp")
            product = cell["product"].strip()
            task["product"] = product if product.strip("-–—_. x") else None  # "—": none
            report_to = self.report_to(st.plain(cell["text"]))
            if report_to:
                task["report_to"] = report_to
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

    def items_spec(self, nodes: list[Node]) -> list[dict[str, Any]]:
        """The spec's items: the letter's numbered items with their paragraphs, bullets and
        sub-items, or a plan's appendix rows."""
        if not nodes:
            tasks = self.facts.get("tasks", [])
            return [self.item_spec(task, task["text"] or task["label"]) for task in tasks]
        return [self.node_spec(node) for node in nodes if node.read is not None]

    def node_spec(self, node: Node) -> dict[str, Any]:
        assert node.read is not None
        rest = [
            c.text if c.label == "" else f"- {c.text}"
            for c in node.children
            if c.label in ("", "-")
        ]
        raw = " ".join([node.line.text, *(c.line.text for c in node.children)])
        item = self.item_spec(node.read, node.text, rest, raw)
        subs = [s for s in node.subs() if s.read is not None]
        if subs:
            item["items"] = [self.node_spec(s) for s in subs]
            if subs[0].label.startswith("("):
                item["sublabels"] = "(1)"
            _hoist_closing_deadline(item)
        return item

    def item_spec(
        self, read: dict[str, Any], text: str, rest: list[str] | None = None, raw: str = ""
    ) -> dict[str, Any]:
        item: dict[str, Any] = {"text": text}
        if rest:
            item["paragraphs"] = rest
        for name in ("lead", "cooperating"):
            if read.get(name):
                item[name] = read[name]
        for name in ("product", "report_to"):
            if read.get(name) and not (
                name == "report_to" and read[name] == self.spec.get("issuer")
            ):
                item[name] = read[name]
        if read.get("deadline"):
            deadline = dict(read["deadline"])
            if deadline.pop("from", "issue") == "receipt":
                deadline["from_receipt"] = True
            item["deadline"] = deadline
            phrase = _phrase(deadline)
            if phrase:
                _placehold(item, phrase, "{deadline}")
                if re.search(r"(?<!\*)\*[^*]*" + re.escape(phrase) + r"[^*]*\*(?!\*)", raw):
                    item["deadline_emphasis"] = "italic"
        period = _PERIOD.search(" ".join([item["text"], *item.get("paragraphs", [])]))
        if period:
            start, end = (day_of(*re.split(r"/", d)) for d in period.groups())
            if start and end and start <= end:
                item["period"] = {"start": start.isoformat(), "end": end.isoformat()}
                _placehold(item, Period(start=start, end=end).phrase(), "{period}")
        return item


_PERIOD = re.compile(r"ngày (\d{1,2}/\d{1,2}/\d{4}) đến ngày (\d{1,2}/\d{1,2}/\d{4})")


def _placehold(item: dict[str, Any], phrase: str, placeholder: str) -> None:
    """PHRASE, where the item's text or one of its paragraphs has it, as PLACEHOLDER."""
    if phrase in item["text"]:
        item["text"] = item["text"].replace(phrase, placeholder, 1)
        return
    paragraphs = item.get("paragraphs", [])
    at = next((i for i, p in enumerate(paragraphs) if phrase in p), None)
    if at is not None:
        paragraphs[at] = paragraphs[at].replace(phrase, placeholder, 1)


def _phrase(deadline: dict[str, Any]) -> str | None:
    """How chidao writes DEADLINE, when that is how the letter wrote it."""
    try:
        return Deadline.model_validate(deadline).phrase()
    except ValueError:
        return None


def _hoist_closing_deadline(item: dict[str, Any]) -> None:
    """'Thời hạn hoàn thành …' in the last sub-item alone closes the whole item (seed 000,
    item 2): the deadline is the item's, and its sub-items are not tasks of their own."""
    subs = item.get("items", [])
    closing_only = "deadline" in subs[-1] and not any("deadline" in s for s in subs[:-1])
    if len(subs) > 1 and closing_only and "deadline" not in item:
        item["deadline"] = subs[-1].pop("deadline")


# The column of who leads: "Cơ quan chủ trì", or one for all who act ("Cơ quan thực hiện").
_LEAD_HEAD = re.compile(r"chủ trì|(?:cơ quan|đơn vị) (?:thực hiện|thực hiện chính|phụ trách)")


def _column(head: list[str], *words: str) -> int | None:
    return next((i for i, h in enumerate(head) if any(w in h for w in words)), None)
