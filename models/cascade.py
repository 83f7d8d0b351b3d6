"""How a directive cascades: the implementing letter a governing unit sends to its own units
(the seed-002 pattern) and the earlier internal deadline it sets them."""

from __future__ import annotations

import datetime as dt
import hashlib

from models.calendar import WorkingCalendar
from models.directive import (
    Deadline,
    Directive,
    DirectiveSpec,
    DocumentKind,
    Item,
    RecipientLine,
    Reference,
    Signer,
)
from models.org import Level, Unit, UnitKind


def root_key(directive: Directive) -> str:
    """A directive's identity: issuer, number and symbol, date; a draft adds its subject."""
    spec = directive.spec
    number = str(spec.number) if spec.number else "du-thao-" + _short_hash(spec.subject)
    return f"{directive.issuer.code}:{number}/{directive.symbol}:{spec.issued_on.isoformat()}"


def child_key(parent_key: str, unit: Unit) -> str:
    """One implementing letter per governing unit per parent directive."""
    return f"{parent_key}>{unit.code}"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def internal_deadline(
    deadline: Deadline, issued_on: dt.date, calendar: WorkingCalendar, lead_days: int
) -> Deadline:
    """LEAD_DAYS working days ahead of the unit's own deadline, so it can synthesise before it
    reports up (seed 002: offices by 17/5 for the district's report due 20/5)."""
    if deadline.before:
        return Deadline(before=calendar.add(deadline.before, -lead_days))
    last = calendar.on_or_before(deadline.due_on(issued_on, calendar))
    return Deadline(latest=calendar.add(last, -lead_days))


_COMMITTEES = {
    Level.PROVINCE: "UBND các tỉnh, thành phố",
    Level.DISTRICT: "UBND các huyện, thị xã, thành phố",
    Level.COMMUNE: "UBND các xã, phường, thị trấn",
}
_DEPARTMENTS = {
    Level.CENTRAL: "Các bộ, ngành",
    Level.PROVINCE: "Các sở, ban, ngành tỉnh",
}
_OFFICE = "Phòng "


def _recipients(units: list[Unit]) -> list[RecipientLine]:
    """Kính gửi lines as a clerk writes them: 'Thủ trưởng các Phòng: Nội vụ, Tư pháp, …',
    a few other units by name, the rest by their group's usual name."""
    offices = [u for u in units if u.kind is not UnitKind.COMMITTEE and u.name.startswith(_OFFICE)]
    others = [u for u in units if u.kind is not UnitKind.COMMITTEE and u not in offices]
    committees = [u for u in units if u.kind is UnitKind.COMMITTEE]
    lines = []
    if offices:
        names = ", ".join(u.name.removeprefix(_OFFICE) for u in offices)
        lines.append(
            RecipientLine(units=[u.code for u in offices], label=f"Thủ trưởng các Phòng: {names}")
        )
    if len(others) <= 3:
        lines += [RecipientLine(units=[u.code]) for u in others]
    else:
        label = _DEPARTMENTS.get(others[0].level, "Các cơ quan, đơn vị trực thuộc")
        lines.append(RecipientLine(units=[u.code for u in others], label=label))
    if committees:
        label = _COMMITTEES.get(committees[0].level, "UBND các đơn vị hành chính trực thuộc")
        lines.append(RecipientLine(units=[u.code for u in committees], label=label))
    return lines


def implementing_spec(
    parent: Directive, unit: Unit, calendar: WorkingCalendar, lead_days: int
) -> DirectiveSpec:
    """UNIT's letter passing PARENT down to its own units: cites PARENT as basis, gives them
    UNIT's tasks with earlier deadlines, and has UNIT's coordinator synthesise and report up."""
    org = parent.org
    assert unit.coordinator is not None
    coordinator = org.units[unit.coordinator]
    subordinates = org.children(unit.code)
    tasks = [t for t in parent.tasks() if unit in t.lead]
    issued_on = calendar.add(parent.spec.issued_on, 1)
    cited = f"{parent.spec.kind.label} số {parent.reference} của {parent.issuer.text_name}"
    via = f"gửi về {unit.text_name} (*qua {coordinator.name}*)"
    items: list[Item] = []
    for task in tasks:
        own = (
            internal_deadline(task.deadline, issued_on, calendar, lead_days)
            if task.deadline
            else None
        )
        items.append(
            Item(
                text=(
                    "Thủ trưởng các cơ quan, đơn vị nêu trên tổ chức triển khai thực hiện nội dung "
                    f"tại mục {task.label.rstrip('.')} {cited}; báo cáo kết quả {via}"
                    + (" {deadline}." if own else " để tổng hợp.")
                ),
                lead=[u.code for u in subordinates],
                product=task.item.product,
                deadline=own,
                report_to=coordinator.code,
            )
        )
    deadlines = [t.deadline for t in tasks if t.deadline]
    items.append(
        Item(
            text=(
                f"Giao {coordinator.name} chủ trì, theo dõi, đôn đốc, tổng hợp kết quả thực hiện "
                f"của các cơ quan, đơn vị; tham mưu {unit.text_name} báo cáo "
                f"{parent.issuer.text_name}" + (" {deadline}." if deadlines else ".")
            ),
            lead=[coordinator.code],
            deadline=deadlines[0] if deadlines else None,
            report_to=unit.code,
        )
    )
    report_to = tasks[0].report_to if tasks else parent.issuer
    distribution = ["Như trên", f"{parent.issuer.text_name} (b/c)"]
    if report_to != parent.issuer:
        distribution.append(f"{report_to.name} (b/c)")
    return DirectiveSpec(
        org=parent.spec.org,
        kind=DocumentKind.CONG_VAN,
        issuer=unit.code,
        drafting_unit=coordinator.abbreviation,
        issued_on=issued_on,
        subject=f"triển khai thực hiện {cited}",
        basis=[
            Reference(
                kind=parent.spec.kind.label,
                number=parent.reference,
                date=parent.spec.issued_on,
                issuer=parent.issuer.text_name,
                subject=parent.spec.subject,
            )
        ],
        recipients=_recipients(subordinates),
        items=items,
        closing="Yêu cầu Thủ trưởng các cơ quan, đơn vị khẩn trương triển khai thực hiện./.",
        signer=Signer(position=unit.head_title),
        distribution=distribution,
        archive=["VT", coordinator.abbreviation],
    )
