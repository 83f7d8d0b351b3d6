"""Directives (văn bản chỉ đạo): a spec checked against its organisation tree, its tasks, and
what documents need to say it. The spec itself is models/spec.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from models.errors import InputError, Problem, field_path
from models.org import OrgTree, Unit
from models.spec import Deadline, DirectiveSpec, DocumentKind, Item
from models.validation import validate
from models.vntext import long_date
from models.yamlfile import load_yaml


@dataclass(frozen=True)
class Task:
    """An item that is assigned on its own: it names its lead units or its own deadline.
    `*_refs` are the codes and groups as written; `lead`/`cooperating` the units they name."""

    label: str
    item: Item
    lead_refs: tuple[str, ...]
    cooperating_refs: tuple[str, ...]
    lead: tuple[Unit, ...]
    cooperating: tuple[Unit, ...]
    deadline: Deadline | None
    report_to: Unit
    follow_up: bool  # the coordinator's own task: following up, synthesising, reporting

    @property
    def cooperating_report_to(self) -> Unit:
        """Cooperating units report to the (first) lead unit."""
        return self.lead[0]


@dataclass(frozen=True)
class _Inherited:
    """What a sub-item takes from its item unless it says otherwise."""

    lead: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    deadline: Deadline | None = None
    report_to: str | None = None


_PLACEHOLDER = re.compile(r"\{(\w*)\}")


class Directive:
    """A spec checked against its organisation tree, with what documents need to say it."""

    def __init__(self, spec: DirectiveSpec, org: OrgTree, source: str):
        problems = _check(spec, org, source)
        if problems:
            raise InputError(problems)
        self.spec = spec
        self.org = org
        self.source = source
        self.issuer = org.units[spec.issuer]

    @classmethod
    def load(cls, path: Path, org_path: Path | None = None) -> Directive:
        spec = validate(DirectiveSpec, load_yaml(path), path)
        tree = org_path or (path.parent / spec.org)
        if not tree.is_file():
            raise InputError.one(path, "org", spec.org, f"không tìm thấy tệp cây tổ chức {tree}")
        return cls(spec, OrgTree.load(tree), str(path))

    # Header ---------------------------------------------------------------------------------

    @property
    def is_draft(self) -> bool:
        return self.spec.number is None

    @property
    def symbol(self) -> str:
        """'UBND-TTHC' for a công văn, 'KH-UBND' for a plan (ND 30, Phụ lục III)."""
        kind = self.spec.kind.abbreviation
        issuer = self.issuer.abbreviation
        if kind:
            return f"{kind}-{issuer}"
        return f"{issuer}-{self.spec.drafting_unit}" if self.spec.drafting_unit else issuer

    @property
    def reference(self) -> str:
        """'2268/UBND-TTHC', '05/SNV-CCHC' (numbers below 10 take a zero), '/UBND-TTHC' for a
        draft."""
        number = f"{self.spec.number:02d}" if self.spec.number else ""
        return f"{number}/{self.symbol}"

    def date_text(self) -> str:
        return long_date(self.spec.issued_on, blank_day=self.is_draft)

    def place_and_date(self) -> str:
        return f"{self.org.place_of(self.issuer)}, {self.date_text()}"

    # Body -----------------------------------------------------------------------------------

    def recipient_lines(self) -> list[str]:
        return [entry.label or self.names(tuple(entry.units)) for entry in self.spec.recipients]

    def preamble(self) -> list[str]:
        return list(self.spec.preamble)

    def item_text(self, item: Item, inherited: Deadline | None = None) -> str:
        """The item's sentence with its deadline (bold, or italic where the letter has it so)
        and period phrases."""
        return self._filled(item.text, item, inherited)

    def item_paragraphs(self, item: Item, inherited: Deadline | None = None) -> list[str]:
        """The item's further paragraphs and bullets, filled the same way."""
        return [self._filled(text, item, inherited) for text in item.paragraphs]

    def task_text(self, task: Task) -> str:
        """Everything TASK asks of its units, a line each: the item's sentence, its further
        paragraphs, and its sub-items ("a) …"), which belong to it when none names its own
        lead or deadline."""
        return "\n".join(self._item_lines(task.item, task.deadline, ""))

    def _item_lines(self, item: Item, inherited: Deadline | None, label: str) -> Iterator[str]:
        sentence = self.item_text(item, inherited)
        yield f"{label} {sentence}" if label else sentence
        yield from self.item_paragraphs(item, inherited)
        for n, sub in enumerate(item.items, start=1):
            yield from self._item_lines(
                sub, sub.deadline or inherited, item_label(item.sublabels, n)
            )

    def _filled(self, text: str, item: Item, inherited: Deadline | None) -> str:
        deadline = item.deadline or inherited
        if deadline:
            mark = "*" if item.deadline_emphasis == "italic" else "**"
            text = text.replace("{deadline}", f"{mark}{deadline.phrase()}{mark}")
        if item.period:
            text = text.replace("{period}", f"**{item.period.phrase()}**")
        return text

    def archive(self) -> list[str]:
        drafting = [self.spec.drafting_unit] if self.spec.drafting_unit else []
        return self.spec.archive or ["VT", *drafting]

    def as_kept(self) -> DirectiveSpec:
        """The spec with every 'Kính gửi' line labelled as printed, so a register can show it
        without the organisation tree."""
        lines = [
            line if line.label else line.model_copy(update={"label": text})
            for line, text in zip(self.spec.recipients, self.recipient_lines(), strict=True)
        ]
        return self.spec.model_copy(update={"recipients": lines})

    # Work -----------------------------------------------------------------------------------

    def tasks(self) -> list[Task]:
        return self._task_list

    @cached_property
    def _task_list(self) -> list[Task]:
        return list(self._tasks(self.spec.items, "", _Inherited(), "1."))

    def _tasks(
        self, items: list[Item], prefix: str, inherited: _Inherited, style: str
    ) -> Iterator[Task]:
        for n, item in enumerate(items, start=1):
            label = prefix + item_label(style, n)
            own = _Inherited(
                lead=tuple(item.lead) or inherited.lead,
                cooperating=tuple(item.cooperating) or inherited.cooperating,
                deadline=item.deadline or inherited.deadline,
                report_to=item.report_to or inherited.report_to,
            )
            # Sub-items are tasks of their own once one of them names its own lead or deadline.
            if _names_own_work(item.items):
                yield from self._tasks(item.items, label, own, item.sublabels)
            elif own.lead:
                lead = self.units_of(own.lead)
                coordinator = self.issuer.coordinator
                yield Task(
                    label=label,
                    item=item,
                    lead_refs=own.lead,
                    cooperating_refs=own.cooperating,
                    lead=lead,
                    cooperating=tuple(u for u in self.units_of(own.cooperating) if u not in lead),
                    deadline=own.deadline,
                    report_to=self._report_to(own.report_to),
                    # Given to the issuer's coordinator alone: its follow-up and synthesis,
                    # which it never urges itself about nor counts as a report owed.
                    follow_up=item.follow_up
                    if item.follow_up is not None
                    else coordinator is not None and [u.code for u in lead] == [coordinator],
                )

    def units_of(self, refs: tuple[str, ...]) -> tuple[Unit, ...]:
        """Units named by codes and groups, each once, in order; a group the issuer belongs
        to stands for the others."""
        return tuple(
            dict.fromkeys(
                u
                for ref in refs
                for u in self.org.expand(ref)
                if ref in self.org.units or u.code != self.spec.issuer
            )
        )

    def names(self, refs: tuple[str, ...]) -> str:
        """How a document writes a list of units and groups: '; '-separated names/labels."""
        return "; ".join(self.org.label(ref) for ref in refs)

    def _report_to(self, code: str | None) -> Unit:
        if code is not None:
            return self.org.units[code]
        return self.org.units[self.issuer.coordinator] if self.issuer.coordinator else self.issuer


def _check_deadline(
    deadline: Deadline, loc: tuple[str | int, ...], spec: DirectiveSpec, file: str
) -> list[Problem]:
    closes = deadline.closes_on()
    if closes is None or closes >= spec.issued_on:
        return []
    form, value = next((k, v) for k, v in deadline.model_dump().items() if v not in (None, False))
    message = f"thời hạn trước ngày ban hành ({spec.issued_on.isoformat()})"
    return [Problem(file, field_path((*loc, form)), str(value), message)]


def _names_own_work(items: list[Item]) -> bool:
    return any(i.lead or i.deadline or _names_own_work(i.items) for i in items)


def item_label(style: str, n: int) -> str:
    """The n-th label in a numbering style: '1.', 'a)' or '(1)'."""
    letters = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese legal alphabet: no f, j, w, z
    if style == "a)" and n <= len(letters):
        return f"{letters[n - 1]})"
    if style == "(1)":
        return f"({n})"
    return f"{n}."


def _check(spec: DirectiveSpec, org: OrgTree, file: str) -> list[Problem]:
    """What the schema alone cannot see: references into the tree, dates, placeholders."""
    problems: list[Problem] = []

    def need(loc: tuple[str | int, ...], ref: str, groups: bool = True) -> None:
        known = ref in org if groups else ref in org.units
        if not known:
            what = "đơn vị hoặc nhóm" if groups else "đơn vị"
            problems.append(
                Problem(file, field_path(loc), ref, f"{what} không có trong cây tổ chức {org.name}")
            )

    need(("issuer",), spec.issuer, groups=False)

    def not_issuer(loc: tuple[str | int, ...], ref: str, what: str) -> None:
        # A group the issuer belongs to means the others: Sở Tư pháp writing to "các sở, ban,
        # ngành" does not write to itself.
        if ref == spec.issuer or (
            ref in org and {u.code for u in org.expand(ref)} == {spec.issuer}
        ):
            problems.append(
                Problem(file, field_path(loc), ref, f"{what} không được là chính cơ quan ban hành")
            )

    if spec.kind is DocumentKind.CONG_VAN and not spec.recipients:
        problems.append(Problem(file, "recipients", [], "công văn phải có nơi nhận (Kính gửi)"))
    for i, entry in enumerate(spec.recipients):
        for j, ref in enumerate(entry.units):
            need(("recipients", i, "units", j), ref)
            not_issuer(("recipients", i, "units", j), ref, "nơi nhận (Kính gửi)")
    for i, ref_doc in enumerate(spec.basis):
        if ref_doc.date > spec.issued_on:
            problems.append(
                Problem(
                    file,
                    field_path(("basis", i, "date")),
                    ref_doc.date.isoformat(),
                    f"văn bản căn cứ ban hành sau ngày ký ({spec.issued_on.isoformat()})",
                )
            )
    if spec.kind is DocumentKind.KE_HOACH and not spec.items:
        problems.append(Problem(file, "items", [], "kế hoạch phải có nhiệm vụ cho phụ lục"))

    def walk(items: list[Item], loc: tuple[str | int, ...], deadline: Deadline | None) -> None:
        for i, item in enumerate(items):
            here = (*loc, i)
            for field in ("lead", "cooperating"):
                for j, ref in enumerate(getattr(item, field)):
                    need((*here, field, j), ref)
            for j, ref in enumerate(item.lead):
                not_issuer((*here, "lead", j), ref, "đơn vị chủ trì")
            if item.report_to is not None:
                need((*here, "report_to"), item.report_to, groups=False)
            own = item.deadline or deadline
            if item.deadline is not None:
                problems.extend(_check_deadline(item.deadline, (*here, "deadline"), spec, file))
            for name in _PLACEHOLDER.findall(item.text):
                missing = {"deadline": own is None, "period": item.period is None}.get(name, True)
                if missing:
                    problems.append(
                        Problem(
                            file,
                            field_path((*here, "text")),
                            f"{{{name}}}",
                            "chỗ điền không dùng được: chỉ có {deadline} (khi có thời hạn) "
                            "và {period} (khi có kỳ báo cáo)",
                        )
                    )
            walk(item.items, (*here, "items"), own)

    walk(spec.items, ("items",), None)
    return problems
