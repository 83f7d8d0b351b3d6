"""What people read about directives: the status board (units × tasks × state), a cascade's
summary per level, and row counts. Lateness is derived here, at read time, never stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum
from sqlalchemy import func
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from models import clock
from models.calendar import end_of_day
from models.records import (
    AssignmentRecord,
    AuditRecord,
    DirectiveRecord,
    ItemRecord,
    LetterRecord,
    UnitRecord,
)
from models.states import AssignmentState, LetterState, Role
from models.store import Store


@dataclass(frozen=True)
class BoardRow:
    unit: str
    states: dict[str, str]


def is_overdue(state: str, due_on: dt.date | None, as_of: pendulum.DateTime) -> bool:
    """Owed, and its due day has ended."""
    return AssignmentState(state).owed and due_on is not None and as_of >= end_of_day(due_on)


def board(
    store: Store, directive_id: int, as_of: pendulum.DateTime | None = None
) -> tuple[list[str], list[BoardRow]]:
    """One row per assigned unit, one column per task label; work still owed after its due day
    (extensions counted) is marked late as of AS_OF (default: now)."""
    moment = as_of or clock.now()
    with Session(store.engine) as session:
        statement = (
            columns(  # six columns: beyond SQLModel's typed select
                col(UnitRecord.name),
                col(ItemRecord.label),
                col(AssignmentRecord.state),
                col(AssignmentRecord.role),
                col(ItemRecord.deadline),
                col(AssignmentRecord.due_on),
            )
            .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
            .join(UnitRecord, col(UnitRecord.code) == col(AssignmentRecord.unit_code))
            .where(col(AssignmentRecord.directive_id) == directive_id)
            .order_by(col(AssignmentRecord.id))
        )
        rows: dict[str, dict[str, str]] = {}
        labels: dict[str, None] = {}
        for unit, label, state, role, deadline, due in session.execute(statement):
            labels[label] = None
            parts = [AssignmentState(state).label, deadline]
            if role == Role.COOPERATING:
                parts.insert(0, Role.COOPERATING.label)
            text = ", ".join(x for x in parts if x)
            if is_overdue(state, due, moment):
                text += ", quá hạn"
            rows.setdefault(unit, {})[label] = text
    return list(labels), [BoardRow(unit, states) for unit, states in rows.items()]


def cascade_summary(store: Store, root_id: int) -> list[tuple[int, int, int, int]]:
    """Per level of the cascade: (depth, directives, of which released, assignments)."""
    records = store.cascade(root_id)
    ids = [r.id for r in records]
    with Session(store.engine) as session:
        per_directive = dict(
            session.exec(
                select(AssignmentRecord.directive_id, func.count())
                .where(col(AssignmentRecord.directive_id).in_(ids))
                .group_by(col(AssignmentRecord.directive_id))
            ).all()
        )
    levels: dict[int, list[int]] = {}
    for r in records:
        row = levels.setdefault(r.depth, [0, 0, 0])
        row[0] += 1
        row[1] += r.state == LetterState.RELEASED
        row[2] += per_directive.get(r.id or 0, 0)
    return [(depth, row[0], row[1], row[2]) for depth, row in sorted(levels.items())]


def counts(store: Store) -> dict[str, int]:
    tables = {
        "directive": DirectiveRecord,
        "item": ItemRecord,
        "assignment": AssignmentRecord,
        "letter": LetterRecord,
        "audit_log": AuditRecord,
    }
    with Session(store.engine) as session:
        return {
            name: session.exec(select(func.count()).select_from(table)).one()
            for name, table in tables.items()
        }
