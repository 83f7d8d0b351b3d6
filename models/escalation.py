"""The escalation ladder (đôn đốc): remind before the due day, urge late units with a công văn
đôn đốc after it, and report the units still late to the issuer once the đôn đốc's new deadline
has passed too.

A pass claims each rung for each assignment with one set-based INSERT … SELECT per ladder and
rung; the unique (assignment, rung) key makes each rung happen once, however passes overlap.
In the same transaction each new urge or escalate rung is given the draft letter that will
carry it, so a rung is never spent without its letter: whatever pass comes next writes the
letters still owed, whichever day they were claimed.

Who follows up a directive is its issuer's coordinator (Sở/Phòng Nội vụ), or the issuer when
it has none. It never urges itself: its own late work on an item it owes the issuer goes into
its report to the issuer instead; its follow-up and synthesis tasks, and its own part of work
it collects, are answered by its synthesis and never chased."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, String, and_, cast, func, literal, or_, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from models.calendar import WorkingCalendar
from models.letters import claimed, letter_key, letter_path
from models.records import (
    AssignmentRecord,
    AuditRecord,
    DirectiveRecord,
    ItemRecord,
    LetterRecord,
    ReminderRecord,
    UnitRecord,
    insert_ignoring,
)
from models.spec import Ladder
from models.states import OWED, LetterKind, LetterState, Role
from models.store import Store

REMIND, URGE, ESCALATE = "remind", "urge", "escalate"
LETTERS = {URGE: LetterKind.URGING, ESCALATE: LetterKind.ESCALATION}
FAR_AHEAD = dt.timedelta(days=1)  # a pass may run for tomorrow at most (time zones, late night)

_issuer = aliased(UnitRecord)


def _follow_up_unit() -> ColumnElement[str]:
    """Who follows the directive up: its issuer's coordinator, else the issuer."""
    return func.coalesce(col(_issuer.coordinator_code), col(DirectiveRecord.issuer_code))


def _windows(
    ladder: Ladder, as_of: dt.date, calendar: WorkingCalendar
) -> dict[str, ColumnElement[bool]]:
    """Which assignments each rung takes on AS_OF (due_on is the last day on time)."""
    own = col(AssignmentRecord.unit_code) == _follow_up_unit()
    urged_and_past = (
        select(literal(1))
        .select_from(ReminderRecord)
        .join(LetterRecord, col(LetterRecord.id) == col(ReminderRecord.letter_id))
        .where(col(ReminderRecord.assignment_id) == col(AssignmentRecord.id))
        .where(col(ReminderRecord.step) == URGE, col(LetterRecord.state) == LetterState.RELEASED)
        .where(col(LetterRecord.due_on) < as_of)
        .exists()
    )
    # An escalation report needs someone to send it to: the issuer, or the issuer's superior
    # when the issuer follows its own directive up.
    reportable = or_(
        col(DirectiveRecord.issuer_code) != _follow_up_unit(),
        col(_issuer.parent_code).is_not(None),
    )
    return {
        REMIND: (col(AssignmentRecord.due_on) >= as_of)
        & (col(AssignmentRecord.due_on) <= calendar.add(as_of, ladder.remind_before)),
        URGE: (col(AssignmentRecord.due_on) <= calendar.add(as_of, -ladder.urge_after)) & ~own,
        ESCALATE: (col(AssignmentRecord.due_on) <= calendar.add(as_of, -ladder.escalate_after))
        & reportable
        & or_(own, urged_and_past),
    }


def _chased() -> ColumnElement[bool]:
    """Work the coordinator chases: the lead units', and the cooperating units' where the item
    says so; never a follow-up task, nor work a unit reports to itself."""
    return and_(
        ~col(ItemRecord.follow_up),
        col(AssignmentRecord.report_to_code) != col(AssignmentRecord.unit_code),
        or_(
            col(AssignmentRecord.role) == Role.LEAD,
            and_(col(AssignmentRecord.role) == Role.COOPERATING, col(ItemRecord.chase_cooperating)),
        ),
    )


def claim(store: Store, as_of: dt.date, actor: str) -> dict[str, int]:
    """Take every rung that is due on AS_OF and not taken yet, and give each new urge and
    escalate rung its draft letter; returns how many rungs per step were taken."""
    with store.session() as session:
        first_new = session.execute(
            select(func.coalesce(func.max(ReminderRecord.id), 0))
        ).scalar_one()
        ladders = session.execute(select(col(DirectiveRecord.ladder)).distinct()).scalars().all()
        for raw in ladders:
            ladder = Ladder.model_validate_json(raw) if raw else Ladder()
            same_ladder = (
                col(DirectiveRecord.ladder) == raw if raw else col(DirectiveRecord.ladder).is_(None)
            )
            for step, window in _windows(ladder, as_of, store.calendar).items():
                taken_already = (
                    select(literal(1))
                    .where(col(ReminderRecord.assignment_id) == col(AssignmentRecord.id))
                    .where(col(ReminderRecord.step) == step)
                    .exists()
                )
                chosen = (
                    select(col(AssignmentRecord.id), literal(step), literal(as_of), literal(actor))
                    .join(
                        DirectiveRecord,
                        col(DirectiveRecord.id) == col(AssignmentRecord.directive_id),
                    )
                    .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
                    .join(_issuer, col(_issuer.code) == col(DirectiveRecord.issuer_code))
                    .where(col(AssignmentRecord.state).in_(OWED), same_ladder, _chased(), window)
                    # Skip rungs already taken; the unique key still guards concurrent passes.
                    .where(~taken_already)
                )
                statement = insert_ignoring(session, ReminderRecord).from_select(
                    ["assignment_id", "step", "day", "actor"], chosen
                )
                session.execute(statement)
        # This pass's own new rungs: an overlapping pass may commit rows in between, but it has
        # its own actor (its flow run).
        mine = (col(ReminderRecord.id) > first_new) & (col(ReminderRecord.actor) == actor)
        _give_letters(session, mine, as_of)
        _audit_rungs(session, mine, actor)
        # Counted, not taken from rowcount: drivers disagree on it for INSERT … SELECT.
        counts = session.execute(
            select(col(ReminderRecord.step), func.count())
            .where(mine)
            .group_by(col(ReminderRecord.step))
        ).all()
    return {REMIND: 0, URGE: 0, ESCALATE: 0, **{step: n for step, n in counts}}


def _audit_rungs(session: Session, mine: ColumnElement[bool], actor: str) -> None:
    """Audit the new rungs in the claiming transaction, set-based like the claims."""
    audit = select(
        literal(dt.datetime.now(dt.UTC)),
        literal(actor),
        literal("reminder.") + col(ReminderRecord.step),
        literal("assignment"),
        cast(col(ReminderRecord.assignment_id), String),
    ).where(mine)
    session.execute(
        AuditRecord.__table__.insert().from_select(  # type: ignore[attr-defined]
            ["at", "actor", "action", "entity", "entity_key"], audit
        )
    )


def _give_letters(session: Session, mine: ColumnElement[bool], day: dt.date) -> None:
    """Link each new urge rung to its follow-up unit's công văn đôn đốc of the day, and each new
    escalate rung to that unit's report of the day to the directive's issuer (or, for its own
    directive, to its superior). A letter already released takes no more rungs: the next one
    (':2', ':3' …) does."""
    rows = session.execute(
        select(
            col(ReminderRecord.id),
            col(ReminderRecord.step),
            _follow_up_unit(),
            col(DirectiveRecord.issuer_code),
            col(_issuer.parent_code),
        )
        .join(AssignmentRecord, col(AssignmentRecord.id) == col(ReminderRecord.assignment_id))
        .join(DirectiveRecord, col(DirectiveRecord.id) == col(AssignmentRecord.directive_id))
        .join(_issuer, col(_issuer.code) == col(DirectiveRecord.issuer_code))
        .where(mine, col(ReminderRecord.step).in_(list(LETTERS)))
    ).all()
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for rung, step, sender, issuer, superior in rows:
        if step == URGE:
            groups[(step, sender)].append(rung)
        else:
            groups[(step, sender, issuer if issuer != sender else superior)].append(rung)
    for (step, sender, *to), rungs in groups.items():
        letter = _draft_for(session, LETTERS[step], sender, to, day)
        session.execute(
            update(ReminderRecord).where(col(ReminderRecord.id).in_(rungs)).values(letter_id=letter)
        )
        session.execute(  # a draft that takes more rungs is drafted again
            update(LetterRecord).where(col(LetterRecord.id) == letter).values(redraft=True)
        )


def _draft_for(
    session: Session, kind: LetterKind, sender: str, to: Sequence[str], day: dt.date
) -> int:
    """The id of the day's draft letter of KIND from SENDER (to TO), claimed now if missing."""
    base = letter_key(kind, sender, *[f">{t}" for t in to], day.isoformat())
    n = 1
    while True:
        key = base if n == 1 else f"{base}:{n}"
        found = session.execute(
            select(col(LetterRecord.id), col(LetterRecord.state)).where(
                col(LetterRecord.key) == key
            )
        ).first()
        if found is None:
            folder = f"{kind.value.replace('_', '-')}/{day.isoformat()}"
            name = "-".join([sender, *to])
            row = claimed(key, kind, sender, day, letter_path(folder, name, key))
            session.execute(insert_ignoring(session, LetterRecord).values(**row))
            continue  # read back the id (an overlapping pass may have made it)
        letter_id, state = found
        if state == LetterState.DRAFT:
            return int(letter_id)
        n += 1


@dataclass(frozen=True)
class Late:
    """One late assignment as the letters about it need it."""

    directive: DirectiveRecord
    label: str
    deadline: str | None
    due_on: dt.date | None
    unit: str
    role: Role
    follow_up_unit: str
    urged_by: LetterRecord | None  # the released công văn đôn đốc that urged it, if any


def lates_of(store: Store, letter_id: int) -> list[Late]:
    """The assignments LETTER was claimed for that are still owed, in directive, item and unit
    order (a unit that reported since is not named)."""
    urge = aliased(ReminderRecord)
    urging = aliased(LetterRecord)
    with Session(store.engine) as session:
        rows = session.execute(
            select(  # type: ignore[call-overload]  # SQLModel columns confuse the overloads
                DirectiveRecord,
                col(ItemRecord.label),
                col(ItemRecord.deadline),
                col(AssignmentRecord.due_on),
                col(AssignmentRecord.unit_code),
                col(AssignmentRecord.role),
                _follow_up_unit(),
                urging,
            )
            .select_from(ReminderRecord)
            .join(AssignmentRecord, col(AssignmentRecord.id) == col(ReminderRecord.assignment_id))
            .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
            .join(DirectiveRecord, col(DirectiveRecord.id) == col(AssignmentRecord.directive_id))
            .join(_issuer, col(_issuer.code) == col(DirectiveRecord.issuer_code))
            .outerjoin(
                urge,
                and_(col(urge.assignment_id) == col(AssignmentRecord.id), col(urge.step) == URGE),
            )
            .outerjoin(
                urging,
                and_(
                    col(urging.id) == col(urge.letter_id),
                    col(urging.state) == LetterState.RELEASED,
                ),
            )
            .where(col(ReminderRecord.letter_id) == letter_id)
            .where(col(AssignmentRecord.state).in_(OWED))
            .order_by(
                col(DirectiveRecord.id), col(ItemRecord.label), col(AssignmentRecord.unit_code)
            )
        ).all()
    return [
        Late(d, label, deadline, due, unit, Role(role), follow_up, urged)
        for d, label, deadline, due, unit, role, follow_up, urged in rows
    ]


def pending(store: Store, kinds: Sequence[LetterKind]) -> list[LetterRecord]:
    """Draft letters of KINDS still to be drafted (claimed, or given more rungs since)."""
    with Session(store.engine) as session:
        return list(
            session.execute(
                select(LetterRecord)
                .where(col(LetterRecord.kind).in_(kinds))
                .where(col(LetterRecord.state) == LetterState.DRAFT)
                .where(col(LetterRecord.spec_json).is_(None) | col(LetterRecord.redraft))
                .order_by(col(LetterRecord.id))
            ).scalars()
        )
