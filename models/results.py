"""What units have reported on a directive, as of a day: the one reading that the reports
upward, the synthesis and the board share, so their counts agree.

A unit has answered when its first report came in by the end of the day; it is on time when
that first report did (the assessment of a unit counts the first report). Follow-up tasks (the
coordinator's own) and cooperating units (who report to the lead unit) are not owed to the
coordinator and are left out of the counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from models.calendar import end_of_day
from models.records import (
    AssignmentRecord,
    DirectiveRecord,
    ItemRecord,
    ReportRecord,
    UnitRecord,
)
from models.states import AssignmentState, LetterState, Role
from models.store import Store

_GROUPS = {
    ("department", "province"): "Sở, ban, ngành",
    ("agency", "province"): "Cơ quan Trung ương trên địa bàn",
    ("committee", "district"): "UBND cấp huyện",
    ("committee", "commune"): "UBND cấp xã",
    ("department", "district"): "Phòng, ban cấp huyện",
    ("department", "commune"): "Bộ phận cấp xã",
}


@dataclass(frozen=True)
class Row:
    """One unit's assignment on one task, with its reports up to the day."""

    assignment_id: int
    code: str
    unit: str
    group: str
    governs: bool
    label: str
    item_text: str
    deadline: str | None
    role: Role
    follow_up: bool
    state: AssignmentState
    report_to: str
    first_report: ReportRecord | None
    latest_report: ReportRecord | None

    @property
    def owed(self) -> bool:
        """Owed to the coordinator: counted in reports and the synthesis."""
        return self.role is Role.LEAD and not self.follow_up and self.report_to != self.code

    @property
    def answered(self) -> bool:
        return self.first_report is not None

    @property
    def on_time(self) -> bool:
        return self.first_report is not None and not self.first_report.late


@dataclass(frozen=True)
class Tally:
    """Counts over owed rows: how many, on time, late, never reported."""

    total: int
    on_time: int
    late: int
    never: int

    @property
    def answered(self) -> int:
        return self.on_time + self.late

    @property
    def percent(self) -> float:
        return 100 * self.on_time / self.total if self.total else 0.0

    @classmethod
    def of(cls, rows: list[Row]) -> Tally:
        owed = [r for r in rows if r.owed]
        on_time = sum(1 for r in owed if r.on_time)
        late = sum(1 for r in owed if r.answered and not r.on_time)
        return cls(len(owed), on_time, late, len(owed) - on_time - late)


def rows(store: Store, directive_id: int, day: dt.date) -> list[Row]:
    """Every assignment of the directive, with the reports sent by the end of DAY."""
    until = end_of_day(day)
    with Session(store.engine) as session:
        found = session.execute(
            select(  # type: ignore[call-overload]  # SQLModel columns confuse the overloads
                AssignmentRecord, ItemRecord, UnitRecord
            )
            .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
            .join(UnitRecord, col(UnitRecord.code) == col(AssignmentRecord.unit_code))
            .where(col(AssignmentRecord.directive_id) == directive_id)
            .order_by(col(AssignmentRecord.id))
        ).all()
        reports: dict[int, list[ReportRecord]] = defaultdict(list)
        for report in session.execute(
            select(ReportRecord)
            .where(col(ReportRecord.assignment_id).in_([a.id for a, _, _ in found]))
            .where(col(ReportRecord.submitted_at) < until)
            .order_by(col(ReportRecord.submitted_at))
        ).scalars():
            reports[report.assignment_id].append(report)
    out = []
    for assignment, item, unit in found:
        sent = reports[assignment.id]
        out.append(
            Row(
                assignment_id=assignment.id,
                code=unit.code,
                unit=unit.name,
                group=_GROUPS.get((unit.kind, unit.level), "Đơn vị khác"),
                governs=unit.governs,
                label=item.label,
                item_text=item.text,
                deadline=item.deadline,
                role=Role(assignment.role),
                follow_up=item.follow_up,
                state=AssignmentState(assignment.state),
                report_to=assignment.report_to_code,
                first_report=sent[0] if sent else None,
                latest_report=sent[-1] if sent else None,
            )
        )
    return out


def by(table: list[Row], key: str) -> dict[str, Tally]:
    """Tallies by a row attribute ('group', 'label', 'code'), in first-seen order."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in table:
        if row.owed:
            groups[str(getattr(row, key))].append(row)
    return {name: Tally.of(members) for name, members in groups.items()}


def implementing_letters(store: Store, directive_id: int) -> dict[str, DirectiveRecord]:
    """The governing units' own letters passing the directive down, by unit."""
    with Session(store.engine) as session:
        children = session.execute(
            select(DirectiveRecord).where(col(DirectiveRecord.parent_id) == directive_id)
        ).scalars()
        return {child.issuer_code: child for child in children}


def below(store: Store, directive_id: int, day: dt.date) -> dict[str, Tally]:
    """For each governing unit assigned work: how its own units have reported to it, by DAY."""
    return {
        unit: Tally.of(rows(store, child.id, day))
        for unit, child in implementing_letters(store, directive_id).items()
        if child.id is not None and child.state == LetterState.RELEASED
    }
