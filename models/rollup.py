"""A governing unit's own report upward (báo cáo lên cấp trên) on a directive it passed down,
drafted from its own units' reports — when they are all in, or at their internal deadline with
the gaps named — as data for templates/bao_cao_len.xml.j2. Released, it is the unit's report on
its own assignment, so the synthesis above shows what the report says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.addressing import leaders_of, seen_from
from models.letters import LetterDraft, letter_reference, reference_of
from models.org import OrgTree
from models.records import AssignmentRecord, DirectiveRecord, ItemRecord, LetterRecord
from models.results import Row, Tally
from models.signing import signer_for
from models.spec import DirectiveSpec, DocumentKind, RecipientLine
from models.states import ANSWERED, OWED, LetterKind, LetterState, Role
from models.store import Store


def upward_due(session: Session, letter: DirectiveRecord) -> dt.date | None:
    """The last day on time of the unit's own report upward on the directive it passed down."""
    days = session.exec(
        select(col(AssignmentRecord.due_on)).where(
            AssignmentRecord.directive_id == letter.parent_id,
            AssignmentRecord.unit_code == letter.issuer_code,
            AssignmentRecord.role == Role.LEAD,
        )
    ).all()
    return min((d for d in days if d), default=None)


def reporting_limit(store: Store, letters: Sequence[DirectiveRecord]) -> dt.date | None:
    """The earliest day by which the units that passed LETTERS down must report upward."""
    with Session(store.engine) as session:
        days = [upward_due(session, x) for x in letters if x.parent_id is not None]
    return min((d for d in days if d), default=None)


def due(store: Store, as_of: dt.date) -> list[DirectiveRecord]:
    """Released implementing letters whose unit still owes its report upward and whose own
    units' work is all in, or past its internal deadline by AS_OF, or whose own report is due
    by the end of AS_OF's working day (it goes up on time, with the gaps named)."""
    with Session(store.engine) as session:
        letters = session.exec(
            select(DirectiveRecord)
            .where(col(DirectiveRecord.parent_id).is_not(None))
            .where(DirectiveRecord.state == LetterState.RELEASED)
            .order_by(col(DirectiveRecord.id))
        ).all()
        ready = []
        for letter in letters:
            upward = session.exec(
                select(AssignmentRecord.state).where(
                    AssignmentRecord.directive_id == letter.parent_id,
                    AssignmentRecord.unit_code == letter.issuer_code,
                    AssignmentRecord.role == Role.LEAD,
                )
            ).all()
            if not any(state in OWED for state in upward):
                continue
            owed = session.exec(
                select(col(AssignmentRecord.state), col(AssignmentRecord.due_on))
                .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
                .where(AssignmentRecord.directive_id == letter.id)
                .where(AssignmentRecord.role == Role.LEAD, ~col(ItemRecord.follow_up))
                .where(col(AssignmentRecord.report_to_code) != col(AssignmentRecord.unit_code))
            ).all()
            if not owed:
                continue
            all_in = all(state in ANSWERED for state, _ in owed)
            deadlines = [due for _, due in owed if due]
            own = upward_due(session, letter)
            if (
                all_in
                or (deadlines and as_of > min(deadlines))
                or (own is not None and as_of >= store.calendar.on_or_before(own))
            ):
                ready.append(letter)
    return ready


def addressee(store: Store, letter: DirectiveRecord) -> str:
    """Whom the unit reports to on its parent directive (its assignment's report-to)."""
    with Session(store.engine) as session:
        found = session.exec(
            select(AssignmentRecord.report_to_code).where(
                AssignmentRecord.directive_id == letter.parent_id,
                AssignmentRecord.unit_code == letter.issuer_code,
                AssignmentRecord.role == Role.LEAD,
            )
        ).first()
    assert found is not None
    return found


def owed_labels(store: Store, letter: DirectiveRecord) -> list[str]:
    """The items of the parent directive on which the unit still owes its report."""
    return _owed_by(store, letter.parent_id, letter.issuer_code, own_only=False)


def own_work_labels(store: Store, directive_id: int | None, unit: str) -> list[str]:
    """UNIT's own work on the directive that its own report or synthesis answers: its follow-up
    task, and its part of work it collects itself (reported to itself)."""
    return _owed_by(store, directive_id, unit, own_only=True)


def _owed_by(store: Store, directive_id: int | None, unit: str, *, own_only: bool) -> list[str]:
    statement = (
        select(ItemRecord.label)
        .join(AssignmentRecord, col(AssignmentRecord.item_id) == col(ItemRecord.id))
        .where(
            AssignmentRecord.directive_id == directive_id,
            AssignmentRecord.unit_code == unit,
            AssignmentRecord.role == Role.LEAD,
            col(AssignmentRecord.state).in_(OWED),
        )
        .order_by(col(ItemRecord.label))
    )
    if own_only:
        statement = statement.where(
            col(ItemRecord.follow_up) | (col(AssignmentRecord.report_to_code) == unit)
        )
    with Session(store.engine) as session:
        return list(session.exec(statement))


def parent_of(store: Store, letter: DirectiveRecord) -> DirectiveRecord:
    with Session(store.engine) as session:
        parent = session.get(DirectiveRecord, letter.parent_id)
    assert parent is not None
    return parent


def own_letter(store: Store, letter: DirectiveRecord) -> LetterRecord:
    """The unit's implementing letter as released (its number and date)."""
    with Session(store.engine) as session:
        found = session.exec(
            select(LetterRecord).where(
                LetterRecord.directive_id == letter.id,
                LetterRecord.kind == LetterKind.IMPLEMENTING,
            )
        ).one()
    return found


def rollup_letter(
    org: OrgTree,
    people: OrgTree,
    letter: DirectiveRecord,
    passed_down: LetterRecord,
    parent: DirectiveRecord,
    to: str,
    table: list[Row],
    day: dt.date,
) -> LetterDraft:
    """The unit's báo cáo on PARENT to TO, dated DAY: the letter it passed it down with, how
    many of its units reported (on time, late), what they reported, and who did not."""
    unit = org.units[letter.issuer_code]
    coordinator = org.units[unit.coordinator or unit.code]
    owed = [r for r in table if r.owed]
    recipient = org.units[to]
    addressed = seen_from(recipient, unit, org.parent_of(recipient))
    spec = DirectiveSpec(
        org=org.source,
        kind=DocumentKind.BAO_CAO,
        issuer=unit.code,
        drafting_unit=coordinator.abbreviation,
        issued_on=day,
        subject=LetterKind.ROLLUP.label,
        basis=[reference_of(parent, org)],
        recipients=[RecipientLine(units=[to], label=addressed)],
        signer=signer_for(people, people.units.get(unit.code, unit), LetterKind.ROLLUP),
        distribution=["Như trên", *leaders_of(unit)],
        archive=["VT", coordinator.abbreviation],
    )
    context: dict[str, object] = {
        "unit": unit,
        "coordinator": coordinator,
        "to": recipient,
        "addressed": addressed,
        "labelled": len({r.label for r in owed}) > 1,
        "parent": reference_of(parent, org),
        "passed_down": letter_reference(passed_down, unit.text_name),
        "day": day,
        "tally": Tally.of(table),
        "answered": [r for r in owed if r.latest_report],
        "gaps": [r for r in owed if not r.answered],
    }
    return LetterDraft(spec, "bao_cao_len.xml.j2", context)
