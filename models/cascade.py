"""How a directive cascades: the implementing letter a governing unit sends to its own units
(the seed-002 pattern) and the earlier internal deadline it sets them.

The letter carries the substance of each item given to the unit (its own subject and its report
clause replaced by the unit's), the reporting period, and the unit's coordinator's follow-up.
What the letter says around that substance is worded in templates/trien_khai.txt.j2."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Protocol

from models.addressing import locality, recipient_lines
from models.calendar import WorkingCalendar
from models.directive import Directive, Task
from models.errors import InputError
from models.org import Unit, UnitKind
from models.signing import signer_for
from models.spec import Deadline, DirectiveSpec, DocumentKind, Item, Reference
from models.states import LetterKind


class Wording(Protocol):
    """A letter's wording: the text of one slot of a template of templates/, filled in."""

    def __call__(self, slot: str, /, **context: object) -> str: ...


def root_key(directive: Directive) -> str:
    """A directive's identity: issuer, number and symbol, date; a draft adds its subject."""
    spec = directive.spec
    number = str(spec.number) if spec.number else "du-thao-" + _short_hash(spec.subject)
    return f"{directive.issuer.code}:{number}/{directive.symbol}:{spec.issued_on.isoformat()}"


def issuable(directive: Directive, today: dt.date) -> Directive:
    """A letter read by the importer is issued only once a person has checked it; a letter that
    carries its number has been signed: it cannot be dated after TODAY."""
    spec = directive.spec
    if spec.unchecked:
        raise InputError.one(
            directive.source,
            "unchecked",
            "true",
            "văn bản được đọc tự động và chưa kiểm tra: hãy đọc các lưu ý trong tệp, sửa nếu cần, "
            "rồi chạy «chidao import --check TỆP» (hoặc xóa dòng «unchecked: true»)",
        )
    if spec.number is not None and spec.issued_on > today:
        raise InputError.one(
            directive.source,
            "issued_on",
            spec.issued_on.isoformat(),
            f"văn bản đã có số nhưng ngày ban hành sau ngày hôm nay ({today.isoformat()})",
        )
    return directive


def child_key(parent_key: str, unit: Unit) -> str:
    """One implementing letter per governing unit per parent directive."""
    return f"{parent_key}>{unit.code}"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


SHORTEST = 2  # working days a unit's own units get when its own deadline leaves no time


def internal_deadline(
    deadline: Deadline, issued_on: dt.date, calendar: WorkingCalendar, lead_days: int
) -> Deadline:
    """LEAD_DAYS working days ahead of the unit's own deadline, so it can synthesise before it
    reports up (seed 002: offices by 17/5 for the district's report due 20/5) — or, when the
    letter passing it down goes out too late for that, SHORTEST working days from its date."""
    due = deadline.due_on(issued_on, calendar)
    if due is None:
        return deadline  # a recurring duty stays one down the tree
    if deadline.before:
        internal = Deadline(before=calendar.add(deadline.before, -lead_days))
    else:
        internal = Deadline(latest=calendar.add(calendar.on_or_before(due), -lead_days))
    if (internal.due_on(issued_on, calendar) or due) < calendar.add(issued_on, 1):
        return Deadline(working_days=SHORTEST)
    return internal


def reference_to(directive: Directive) -> Reference:
    spec = directive.spec
    return Reference(
        kind=spec.kind.label,
        number=directive.reference,
        date=spec.issued_on,
        issuer=directive.issuer.text_name,
        subject=spec.subject,
    )


# Rewording a parent item for the unit's own units --------------------------------------------

_OPENERS = ("Giao ", "Đề nghị ", "Yêu cầu ")
# Words that name who is addressed at the start of an item ("Các cơ quan, đơn vị và UBND các
# huyện, thị xã, thành phố …", "Thủ trưởng các sở, ban, ngành tỉnh …"); each ends at a word
# boundary. Not "ban" alone ("ban hành").
_SUBJECT_WORDS = sorted(
    (
        "ủy ban nhân dân", "uỷ ban nhân dân", "ubnd", "thủ trưởng", "người đứng đầu",
        "giám đốc", "chủ tịch", "các", "cơ quan", "đơn vị", "sở, ban, ngành", "sở", "ngành",
        "địa phương", "tỉnh", "huyện", "quận", "thị xã", "thành phố", "xã", "phường",
        "thị trấn", "đặc khu", "cấp tỉnh", "cấp huyện", "cấp xã", "trung ương", "liên quan",
        "trực thuộc", "nêu trên", "trên địa bàn tỉnh", "trên địa bàn",
    ),
    key=len,
    reverse=True,
)  # fmt: skip
_JOINERS = re.compile(r"^(?:,|;|:|và\b|cùng\b)\s*")
_BOUNDARY = re.compile(r"^(?:$|[\s,;:.])")
# A clause telling where to report or when: the parent's, replaced by the unit's own.
_REPORT_CLAUSE = re.compile(r"\{deadline\}|\b(?:gửi|báo cáo)\b[^;.]*\bvề\b", re.IGNORECASE)
_CLAUSES = re.compile(r"(?<=[;.])\s+")
# What only a People's Committee has: its territory, its locality as a whole.
_TERRITORY = re.compile(
    r"\s+(?:trên địa bàn|của địa phương)\b"
    r"(?!\s+(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu)\b)"
)


def _subjects(task: Task, directive: Directive) -> list[str]:
    org = directive.org
    names = [org.label(ref) for ref in task.lead_refs]
    names += [n for u in task.lead for n in (u.name, u.text_name, u.name.partition(" ")[2])]
    words = {n.lower() for n in names if n} | set(_SUBJECT_WORDS)
    return sorted(words, key=len, reverse=True)


def _without_subject(text: str, subjects: list[str]) -> str | None:
    """TEXT with its leading subject (who is addressed, as written) taken off; None when the
    text does not start with one, so it cannot be reworded safely."""
    rest = text
    for opener in _OPENERS:
        rest = rest.removeprefix(opener)
    consumed = False
    while True:
        lowered = rest.lower()
        match = next(
            (s for s in subjects if lowered.startswith(s) and _BOUNDARY.match(rest[len(s) :])),
            None,
        )
        if match is None:
            break
        rest = _JOINERS.sub("", rest[len(match) :].lstrip())
        consumed = True
    return rest.strip() if consumed else None


def _without_report_clause(text: str) -> str:
    """TEXT less its trailing clauses saying where to report and by when."""
    clauses = [c for c in _CLAUSES.split(text.strip()) if c]
    while clauses and _REPORT_CLAUSE.search(clauses[-1]):
        clauses.pop()
    kept = " ".join(clauses)
    if not clauses:  # one clause holding both the work and where to send it
        kept = _REPORT_CLAUSE.split(text, maxsplit=1)[0]
    return kept.strip().rstrip(";,.:").strip()


def substance(task: Task, directive: Directive, *, for_offices: bool = False) -> str | None:
    """What the item asks, without who (the parent's lead units) or where and when to report;
    None when it cannot be told apart safely. FOR_OFFICES: told to a unit's offices, whose
    share is their own field ("thuộc lĩnh vực phụ trách"), not the territory."""
    rest = _without_subject(task.item.text, _subjects(task, directive))
    if rest is None:
        return None
    rest = _without_report_clause(rest)
    if for_offices:
        rest = _TERRITORY.sub(" thuộc lĩnh vực phụ trách", rest)
    return rest[:1].lower() + rest[1:] if rest else None


def _purpose(parent: Directive, unit: Unit) -> str | None:
    """The parent's stated purpose ('Để chuẩn bị nội dung …'), which the unit repeats, as its
    own: 'của tỉnh' becomes 'của xã' in a commune's letter."""
    for paragraph in parent.spec.preamble:
        found = re.search(r"\bĐể\s[^.;:]+", paragraph)
        if found:
            text = found.group(0)
            who = f", {parent.issuer.text_name}"
            text = text.split(who)[0].strip().rstrip(",") if who in text else text.strip()
            return re.sub(r"\bcủa tỉnh\b", f"của {locality(unit)}", text)
    return None


def implementing_spec(
    parent: Directive,
    unit: Unit,
    calendar: WorkingCalendar,
    lead_days: int,
    say: Wording,
    today: dt.date,
) -> DirectiveSpec:
    """UNIT's letter passing PARENT down to its own units: cites PARENT in full, gives them the
    substance of UNIT's tasks with earlier deadlines, and has UNIT's coordinator follow up,
    synthesise and report up. Dated TODAY (or the parent's date, if later); releasing it the
    same day numbers it as it is."""
    org = parent.org
    assert unit.coordinator is not None
    coordinator = org.units[unit.coordinator]
    subordinates = org.children(unit.code)
    for_offices = all(u.kind is not UnitKind.COMMITTEE for u in subordinates)
    tasks = [t for t in parent.tasks() if unit in t.lead]
    issued_on = max(today, parent.spec.issued_on)
    cited = reference_to(parent)
    signer = signer_for(org, unit, LetterKind.IMPLEMENTING)
    items: list[Item] = []
    for task in tasks:
        own = (
            internal_deadline(task.deadline, issued_on, calendar, lead_days)
            if task.deadline
            else None
        )
        subs = [text for i in task.item.items if (text := _without_report_clause(i.text))]
        if subs:
            report = say("report", unit=unit, coordinator=coordinator, has_deadline=bool(own))
            subs.append(report[:1].upper() + report[1:])
        items.append(
            Item(
                text=say(
                    "task",
                    label=task.label.rstrip("."),
                    cited=cited,
                    substance=substance(task, parent, for_offices=for_offices),
                    has_period=task.item.period is not None,
                    has_sub_items=any(subs),
                    unit=unit,
                    coordinator=coordinator,
                    has_deadline=own is not None,
                ),
                lead=[u.code for u in subordinates],
                product=task.item.product,
                deadline=own,
                period=task.item.period,
                report_to=coordinator.code,
                sublabels=task.item.sublabels,
                items=[Item(text=text) for text in subs],
            )
        )
    deadlines = [t.deadline for t in tasks if t.deadline]
    report_to = tasks[0].report_to if tasks else parent.issuer
    items.append(
        Item(
            text=say(
                "follow_up",
                coordinator=coordinator,
                unit=unit,
                parent_issuer=parent.issuer,
                report_to=report_to,
                has_deadline=bool(deadlines),
            ),
            lead=[coordinator.code],
            deadline=deadlines[0] if deadlines else None,
            report_to=unit.code,
            follow_up=True,
        )
    )
    distribution = ["Như trên", f"{parent.issuer.text_name} (b/c)"]
    if report_to != parent.issuer:
        distribution.append(f"{report_to.text_name} (b/c)")
    return DirectiveSpec(
        org=parent.spec.org,
        kind=DocumentKind.CONG_VAN,
        issuer=unit.code,
        drafting_unit=coordinator.abbreviation,
        issued_on=issued_on,
        subject=say("subject", cited=cited),
        basis=[cited],
        recipients=recipient_lines(subordinates),
        preamble=[
            say("preamble", cited=cited, purpose=_purpose(parent, unit), unit=unit, signer=signer)
        ],
        items=items,
        closing=say("closing", unit=unit),
        signer=signer,
        distribution=distribution,
        archive=["VT", coordinator.abbreviation],
    )
