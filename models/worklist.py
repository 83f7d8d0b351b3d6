"""The portal's reads: a unit's inbox, one assignment with its history, and the coordinator's
board (counts and rates per band, per directive, unit and item). Rules of who may see what are
in models/access.py; bands in models/bands.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pendulum
from sqlalchemy import ColumnElement, Select, bindparam, exists, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from models import clock
from models.access import followed_up_by
from models.bands import Standing, Tally, band_of
from models.calendar import WorkingCalendar
from models.records import (
    AssignmentRecord,
    DirectiveRecord,
    EvidenceRecord,
    ExtensionRecord,
    ExtensionRequestRecord,
    ItemRecord,
    LetterRecord,
    ReportRecord,
    ReviewRecord,
    UnitRecord,
)
from models.states import Band, RequestState, Role
from models.store import Store
from models.vntext import in_vietnamese_order


class WorkRow(NamedTuple):
    """One assignment as the inbox and the board show it (a tuple: a board builds thousands)."""

    id: int
    directive_id: int
    reference: str
    subject: str
    label: str
    text: str
    deadline: str | None
    unit_code: str
    unit_name: str
    role: Role
    state: str
    due_on: dt.date | None
    band: Band
    pending_request: bool


_report = aliased(ReportRecord)


def _last_report_late() -> Any:
    return (
        select(col(_report.late))
        .where(col(_report.assignment_id) == col(AssignmentRecord.id))
        .order_by(col(_report.id).desc())
        .limit(1)
        .scalar_subquery()
    )


def _statement(where: Sequence[ColumnElement[bool]]) -> Select[Any]:
    extended = exists().where(col(ExtensionRecord.assignment_id) == col(AssignmentRecord.id))
    pending = exists().where(
        col(ExtensionRequestRecord.assignment_id) == col(AssignmentRecord.id),
        col(ExtensionRequestRecord.state) == RequestState.PENDING,
    )
    return (
        select(
            col(AssignmentRecord.id),
            col(AssignmentRecord.directive_id),
            col(DirectiveRecord.reference),
            col(DirectiveRecord.subject),
            col(ItemRecord.label),
            col(ItemRecord.text),
            col(ItemRecord.deadline),
            col(AssignmentRecord.unit_code),
            col(AssignmentRecord.role),
            col(AssignmentRecord.state),
            col(AssignmentRecord.due_on),
            col(DirectiveRecord.ladder),
            _last_report_late(),
            extended,
            pending,
        )
        .join(DirectiveRecord, col(DirectiveRecord.id) == col(AssignmentRecord.directive_id))
        .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
        .where(*where)
        .order_by(col(AssignmentRecord.due_on).nulls_last(), col(AssignmentRecord.id))
    )


# Built once: a page fills in its unit or assignment (SQLAlchemy would otherwise rebuild the
# statement and its cache key on every inbox).
_OF_UNIT = _statement([col(AssignmentRecord.unit_code) == bindparam("unit")])
_OF_ID = _statement([col(AssignmentRecord.id) == bindparam("id")])


def _rows(
    session: Session,
    statement: Select[Any],
    calendar: WorkingCalendar,
    parameters: dict[str, Any] | None = None,
    names: dict[str, str] | None = None,
) -> list[WorkRow]:
    """The rows of STATEMENT, with their units' NAMES (read here when not given)."""
    now = clock.now()
    today = dt.date(now.year, now.month, now.day)
    # Core rows, not ORM ones: a board reads thousands and needs no entities.
    found = session.connection().execute(statement, parameters).all()
    if names is None:
        # Apart, not joined: PostgreSQL would hash the whole national tree for a province.
        codes = {r[7] for r in found}
        names = {
            code: name
            for code, name in session.connection().execute(
                select(col(UnitRecord.code), col(UnitRecord.name)).where(
                    col(UnitRecord.code).in_(codes)
                )
            )
        }
    rows = []
    for r in found:
        standing = Standing(r[9], r[10], r[11], r[12], bool(r[13]))
        rows.append(
            WorkRow(
                id=r[0],
                directive_id=r[1],
                reference=r[2],
                subject=r[3],
                label=r[4],
                text=r[5],
                deadline=r[6],
                unit_code=r[7],
                unit_name=names[r[7]],
                role=Role(r[8]),
                state=r[9],
                due_on=r[10],
                band=band_of(standing, now, calendar, today),
                pending_request=bool(r[14]),
            )
        )
    return rows


def inbox(session: Session, unit: str, unit_name: str, calendar: WorkingCalendar) -> list[WorkRow]:
    """UNIT's assignments across every directive (lead and cooperating), most urgent first."""
    return _rows(session, _OF_UNIT, calendar, {"unit": unit}, {unit: unit_name})


def work_row(session: Session, assignment_id: int, calendar: WorkingCalendar) -> WorkRow:
    return _rows(session, _OF_ID, calendar, {"id": assignment_id})[0]


def task_text(store: Store, session: Session, row: WorkRow) -> str:
    """ROW's item as its units must read it, sub-items included (Directive.task_text); the
    recorded sentence when the directive's spec no longer holds that item."""
    record = session.get(DirectiveRecord, row.directive_id)
    if record is None:
        return row.text
    directive = store.directive(record)
    task = next((t for t in directive.tasks() if t.label == row.label), None)
    return directive.task_text(task) if task else row.text


@dataclass(frozen=True)
class History:
    """An assignment's reports (with their evidence), reviews, extensions and requests."""

    reports: list[tuple[ReportRecord, list[EvidenceRecord]]]
    reviews: list[ReviewRecord]
    extensions: list[ExtensionRecord]
    requests: list[ExtensionRequestRecord]
    letters: list[LetterRecord]


def history(session: Session, assignment: AssignmentRecord) -> History:
    reports = list(
        session.execute(
            select(ReportRecord)
            .where(col(ReportRecord.assignment_id) == assignment.id)
            .order_by(col(ReportRecord.id))
        ).scalars()
    )
    evidence: dict[int, list[EvidenceRecord]] = defaultdict(list)
    if reports:
        for e in session.execute(
            select(EvidenceRecord).where(col(EvidenceRecord.report_id).in_([r.id for r in reports]))
        ).scalars():
            evidence[e.report_id].append(e)

    def of(table: Any, order: Any) -> list[Any]:
        statement = select(table).where(table.assignment_id == assignment.id).order_by(order)
        return list(session.execute(statement).scalars())

    letters = session.execute(
        select(LetterRecord)
        .where(col(LetterRecord.directive_id) == assignment.directive_id)
        .where(col(LetterRecord.kind).in_(["chi_dao", "trien_khai"]))
    ).scalars()
    return History(
        [(r, evidence[r.id or 0]) for r in reports],
        of(ReviewRecord, col(ReviewRecord.id)),
        of(ExtensionRecord, col(ExtensionRecord.id)),
        of(ExtensionRequestRecord, col(ExtensionRequestRecord.id)),
        list(letters),
    )


UNITS_LISTED = 1000  # units offered in the board's filter list


@dataclass
class Board:
    """The coordinator's board: every assignment of the directives it follows up (filtered),
    with counts per band overall, per directive, per unit and per item."""

    rows: list[WorkRow]
    overall: Tally
    per_directive: dict[int, tuple[str, str, Tally]] = field(default_factory=dict)
    per_unit: dict[str, tuple[str, Tally]] = field(default_factory=dict)
    per_item: dict[tuple[int, str], tuple[str, Tally]] = field(default_factory=dict)
    late_units: list[tuple[str, str, int]] = field(default_factory=list)
    directives: list[tuple[int, str, str]] = field(default_factory=list)
    units: list[tuple[str, str]] = field(default_factory=list)  # to filter by, in name order


def board(
    session: Session,
    coordinator: str,
    calendar: WorkingCalendar,
    directive_id: int | None = None,
    unit: str | None = None,
    band: Band | None = None,
    item: str | None = None,
) -> Board:
    scope = col(AssignmentRecord.directive_id).in_(followed_up_by(coordinator))
    where: list[ColumnElement[bool]] = [scope]
    if directive_id is not None:
        where.append(col(AssignmentRecord.directive_id) == directive_id)
    if unit:
        where.append(col(AssignmentRecord.unit_code) == unit)
    if item:  # "1" finds item "1." and "a" finds "a)", as a coordinator types them
        bare = item.strip().rstrip(".)")
        where.append(col(ItemRecord.label).in_([bare, f"{bare}.", f"{bare})"]))
    rows = _rows(session, _statement(where), calendar)
    if band is not None:
        rows = [r for r in rows if r.band == band]
    result = Board(rows, Tally.of(r.band for r in rows))
    by_directive: dict[int, list[WorkRow]] = defaultdict(list)
    by_unit: dict[str, list[WorkRow]] = defaultdict(list)
    by_item: dict[tuple[int, str], list[WorkRow]] = defaultdict(list)
    for r in rows:
        by_directive[r.directive_id].append(r)
        by_unit[r.unit_code].append(r)
        by_item[(r.directive_id, r.label)].append(r)
    for key, group in by_directive.items():
        result.per_directive[key] = (
            group[0].reference,
            group[0].subject,
            Tally.of(r.band for r in group),
        )
    for code, group in sorted(
        by_unit.items(), key=lambda e: in_vietnamese_order(e[1][0].unit_name)
    ):
        result.per_unit[code] = (group[0].unit_name, Tally.of(r.band for r in group))
    for pair, group in sorted(by_item.items()):
        result.per_item[pair] = (group[0].reference, Tally.of(r.band for r in group))
    result.late_units = sorted(
        (
            (code, name, tally.counts[Band.OVERDUE])
            for code, (name, tally) in result.per_unit.items()
            if tally.counts[Band.OVERDUE]
        ),
        key=lambda x: (-x[2], x[0]),
    )
    result.directives = [
        (i, ref, subject)
        for i, ref, subject in session.execute(
            select(
                col(DirectiveRecord.id),
                col(DirectiveRecord.reference),
                col(DirectiveRecord.subject),
            )
            .where(col(DirectiveRecord.id).in_(followed_up_by(coordinator)))
            .order_by(col(DirectiveRecord.id))
        )
    ]
    assigned = (
        select(col(UnitRecord.code), col(UnitRecord.name))
        .where(
            col(UnitRecord.code).in_(
                select(col(AssignmentRecord.unit_code)).where(scope).distinct()
            )
        )
        .limit(UNITS_LISTED + 1)
    )
    listed = [(code, name) for code, name in session.execute(assigned)]
    if len(listed) <= UNITS_LISTED:  # beyond that, the filter takes a typed code
        result.units = sorted(listed, key=lambda unit: in_vietnamese_order(unit[1]))
    return result


def pending_requests(
    session: Session, coordinator: str
) -> list[tuple[ExtensionRequestRecord, WorkRow]]:
    """Extension requests waiting on the coordinator's decision."""
    ids = list(
        session.execute(
            select(ExtensionRequestRecord)
            .join(
                AssignmentRecord,
                col(AssignmentRecord.id) == col(ExtensionRequestRecord.assignment_id),
            )
            .where(col(ExtensionRequestRecord.state) == RequestState.PENDING)
            .where(col(AssignmentRecord.directive_id).in_(followed_up_by(coordinator)))
            .order_by(col(ExtensionRequestRecord.id))
        ).scalars()
    )
    calendar = WorkingCalendar.load()
    return [(r, work_row(session, r.assignment_id, calendar)) for r in ids]


def letters_of(session: Session, coordinator: str) -> list[LetterRecord]:
    """Every letter of the directives the coordinator follows up, and every letter it issued."""
    statement = (
        select(LetterRecord)
        .where(
            col(LetterRecord.directive_id).in_(followed_up_by(coordinator))
            | (col(LetterRecord.issuer_code) == coordinator)
        )
        .order_by(col(LetterRecord.id).desc())
    )
    return list(session.execute(statement).scalars())


def moment() -> pendulum.DateTime:
    return clock.now()
