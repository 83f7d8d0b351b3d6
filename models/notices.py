"""Notices: what the people of a unit are told in the portal, one per (event, person).

Events are collected from the records themselves — new assignments, reminder rungs (nhắc hạn;
đôn đốc once its letter is released), returned reports, decided extension requests — so no
writer has to remember to notify. Each notice has a unique (event, account) key: collecting
again, or again after a crash half-way, adds nothing. A notice is new until its person has seen
the list of their notices; the emails are sent from the outbox (models/outbox.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, exists, literal, select, update
from sqlmodel import Session, col

from models import clock
from models.accounts import members
from models.records import (
    AssignmentRecord,
    DirectiveRecord,
    ExtensionRequestRecord,
    ItemRecord,
    LetterRecord,
    NoticeRecord,
    OutboxCursorRecord,
    ReminderRecord,
    ReviewRecord,
    insert_ignoring,
)
from models.states import AccountRole, LetterState, MailState, RequestState
from models.store import Store
from models.vntext import short_date

RECIPIENTS = (AccountRole.CLERK, AccountRole.HEAD, AccountRole.COORDINATOR)
BATCH = 20_000  # events collected per statement, so a national cascade is taken in slices
URGING_DAYS = 30  # how long after its release an urging letter is announced to new accounts
_RUNGS = {"remind": ("nhac_han", "Nhắc hạn"), "urge": ("don_doc", "Đôn đốc")}


@dataclass(frozen=True)
class Event:
    key: str
    kind: str
    unit: str
    subject: str
    body: str
    link: str


def _cursor(session: Session, source: str) -> int:
    row = session.get(OutboxCursorRecord, source)
    return row.last_id if row else 0


def _advance(session: Session, source: str, last: int) -> None:
    row = session.get(OutboxCursorRecord, source)
    if row is None:
        session.add(OutboxCursorRecord(source=source, last_id=last))
    else:
        row.last_id = max(row.last_id, last)


def _work(statement: Any) -> Any:
    return statement.join(
        DirectiveRecord, col(DirectiveRecord.id) == col(AssignmentRecord.directive_id)
    ).join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))


def _due(day: dt.date | None) -> str:
    return f"hạn cuối {short_date(day)}" if day else "không ghi hạn"


def _assignments(session: Session, after: int) -> tuple[list[Event], int]:
    rows = session.execute(
        _work(
            select(
                col(AssignmentRecord.id),
                col(AssignmentRecord.unit_code),
                col(DirectiveRecord.reference),
                col(DirectiveRecord.subject),
                col(ItemRecord.label),
                col(AssignmentRecord.due_on),
            ).where(col(AssignmentRecord.id) > after)
        )
        .order_by(col(AssignmentRecord.id))
        .limit(BATCH)
    ).all()
    events = [
        Event(
            f"giao:{a}",
            "giao_viec",
            unit,
            f"Việc mới: {ref}, mục {label}",
            f"Đơn vị được giao mục {label} của văn bản {ref} ({subject}); {_due(due)}.",
            f"/viec/{a}",
        )
        for a, unit, ref, subject, label, due in rows
    ]
    return events, rows[-1][0] if rows else after


def _rungs(session: Session, after: int) -> tuple[list[Event], int]:
    rows = session.execute(
        _work(
            select(
                col(ReminderRecord.id),
                col(ReminderRecord.step),
                col(AssignmentRecord.id),
                col(AssignmentRecord.unit_code),
                col(DirectiveRecord.reference),
                col(ItemRecord.label),
                col(AssignmentRecord.due_on),
            )
            .join(AssignmentRecord, col(AssignmentRecord.id) == col(ReminderRecord.assignment_id))
            .where(col(ReminderRecord.id) > after)
            # An urging carried by a letter is told when the letter is released (_urgings).
            .where((col(ReminderRecord.step) != "urge") | col(ReminderRecord.letter_id).is_(None))
        )
        .order_by(col(ReminderRecord.id))
        .limit(BATCH)
    ).all()
    events = []
    for rung, step, a, unit, ref, label, due in rows:
        if step not in _RUNGS:
            continue  # the report to the issuer goes upward, not to the unit
        kind, title = _RUNGS[step]
        body = (
            f"Mục {label} của văn bản {ref}: {_due(due)}; đơn vị chưa báo cáo."
            if step == "remind"
            else f"Mục {label} của văn bản {ref} đã quá hạn ({_due(due)}); cơ quan thường trực "
            "đôn đốc đơn vị báo cáo ngay."
        )
        events.append(
            Event(f"{kind}:{rung}", kind, unit, f"{title}: {ref}, mục {label}", body, f"/viec/{a}")
        )
    return events, rows[-1][0] if rows else after


def _returns(session: Session, after: int) -> tuple[list[Event], int]:
    rows = session.execute(
        _work(
            select(
                col(ReviewRecord.id),
                col(ReviewRecord.decision),
                col(ReviewRecord.reason),
                col(AssignmentRecord.id),
                col(AssignmentRecord.unit_code),
                col(DirectiveRecord.reference),
                col(ItemRecord.label),
            )
            .join(AssignmentRecord, col(AssignmentRecord.id) == col(ReviewRecord.assignment_id))
            .where(col(ReviewRecord.id) > after)
        )
        .order_by(col(ReviewRecord.id))
        .limit(BATCH)
    ).all()
    events = [
        Event(
            f"tra_lai:{review}",
            "tra_lai",
            unit,
            f"Báo cáo bị trả lại: {ref}, mục {label}",
            f"Báo cáo mục {label} của văn bản {ref} bị trả lại. Lý do: {reason}",
            f"/viec/{a}",
        )
        for review, decision, reason, a, unit, ref, label in rows
        if decision == "returned"
    ]
    return events, rows[-1][0] if rows else after


def _announced(prefix: str, of: Any) -> Any:
    """No notice yet has the event key PREFIX + OF (found by what is missing)."""
    return ~exists().where(col(NoticeRecord.event_key) == literal(prefix) + cast(of, String))


def _urgings(session: Session) -> list[Event]:
    """Urgings whose công văn đôn đốc has been released and not yet announced: the unit hears
    of the đôn đốc with the letter's number, not while it is a draft. Only letters released in
    the last URGING_DAYS are looked at, so units without accounts are not searched forever."""
    since = clock.today() - dt.timedelta(days=URGING_DAYS)
    rows = session.execute(
        _work(
            select(
                col(ReminderRecord.id),
                col(AssignmentRecord.id),
                col(AssignmentRecord.unit_code),
                col(DirectiveRecord.reference),
                col(ItemRecord.label),
                col(AssignmentRecord.due_on),
                col(LetterRecord.reference),
                col(LetterRecord.issued_on),
            )
            .join(AssignmentRecord, col(AssignmentRecord.id) == col(ReminderRecord.assignment_id))
            .join(LetterRecord, col(LetterRecord.id) == col(ReminderRecord.letter_id))
            .where(
                col(ReminderRecord.step) == "urge",
                col(LetterRecord.state) == LetterState.RELEASED,
                col(LetterRecord.issued_on) >= since,
                _announced("don_doc:", col(ReminderRecord.id)),
            )
        ).limit(BATCH)
    ).all()
    return [
        Event(
            f"don_doc:{rung}",
            "don_doc",
            unit,
            f"Đôn đốc: {ref}, mục {label}",
            f"Mục {label} của văn bản {ref} đã quá hạn ({_due(due)}). Công văn số {letter} ngày "
            f"{short_date(day)} đôn đốc đơn vị báo cáo ngay.",
            f"/viec/{a}",
        )
        for rung, a, unit, ref, label, due, letter, day in rows
    ]


def _decisions(session: Session) -> list[Event]:
    """Decided extension requests not yet announced (few: found by what is missing)."""
    rows = session.execute(
        _work(
            select(
                col(ExtensionRequestRecord.id),
                col(ExtensionRequestRecord.state),
                col(ExtensionRequestRecord.until),
                col(ExtensionRequestRecord.note),
                col(AssignmentRecord.id),
                col(AssignmentRecord.unit_code),
                col(DirectiveRecord.reference),
                col(ItemRecord.label),
            )
            .join(
                AssignmentRecord,
                col(AssignmentRecord.id) == col(ExtensionRequestRecord.assignment_id),
            )
            .where(
                col(ExtensionRequestRecord.state) != RequestState.PENDING,
                _announced("gia_han:", col(ExtensionRequestRecord.id)),
            )
        ).limit(BATCH)
    ).all()
    events = []
    for request, state, until, note, a, unit, ref, label in rows:
        granted = state == RequestState.GRANTED
        body = (
            f"Mục {label} của văn bản {ref} được gia hạn đến hết ngày {short_date(until)}."
            if granted
            else f"Đề nghị gia hạn mục {label} của văn bản {ref} không được đồng ý. Lý do: {note}"
        )
        title = "Được gia hạn" if granted else "Không được gia hạn"
        events.append(
            Event(
                f"gia_han:{request}",
                "gia_han",
                unit,
                f"{title}: {ref}, mục {label}",
                body,
                f"/viec/{a}",
            )
        )
    return events


def collect(store: Store) -> int:
    """Turn every new event into notices for the people of its unit; returns how many notices
    were added. Safe to run again at any point, and concurrently: keys are unique."""
    added = 0
    sources = (("giao", _assignments), ("nhac", _rungs), ("tra_lai", _returns))
    for source, read in sources:
        while True:
            with store.session() as session:
                after = _cursor(session, source)
                events, last = read(session, after)
                added += _add(session, events)
                _advance(session, source, last)
            if last == after:
                break
    for found in (_urgings, _decisions):
        with store.session() as session:
            added += _add(session, found(session))
    return added


def _add(session: Session, events: Sequence[Event]) -> int:
    if not events:
        return 0
    people: dict[str, list[int]] = {}
    rows = []
    for event in events:
        if event.unit not in people:
            people[event.unit] = members(session, [event.unit], RECIPIENTS)
        for account in people[event.unit]:
            rows.append(
                {
                    "event_key": event.key,
                    "account_id": account,
                    "kind": event.kind,
                    "subject": event.subject[:300],
                    "body": event.body,
                    "link": event.link,
                    "created_at": dt.datetime.now(dt.UTC),
                    "mail_state": MailState.PENDING.value,
                    "attempts": 0,
                }
            )
    keys = list({r["event_key"] for r in rows})
    known = {
        (key, account)
        for start in range(0, len(keys), 1000)
        for key, account in session.execute(
            select(col(NoticeRecord.event_key), col(NoticeRecord.account_id)).where(
                col(NoticeRecord.event_key).in_(keys[start : start + 1000])
            )
        )
    }
    rows = [r for r in rows if (r["event_key"], r["account_id"]) not in known]
    if rows:  # the unique key still settles a race with a concurrent collection
        session.execute(insert_ignoring(session, NoticeRecord), rows)
    return len(rows)


def notices_for(store: Store, account_id: int, limit: int = 50) -> list[NoticeRecord]:
    with Session(store.engine) as session:
        return list(
            session.execute(
                select(NoticeRecord)
                .where(col(NoticeRecord.account_id) == account_id)
                .order_by(col(NoticeRecord.id).desc())
                .limit(limit)
            ).scalars()
        )


def mark_seen(store: Store, *, account_id: int, ids: Sequence[int]) -> None:
    """The person has seen these notices of theirs (another person's ids change nothing)."""
    if not ids:
        return
    with store.session() as session:
        session.execute(
            update(NoticeRecord)
            .where(
                col(NoticeRecord.account_id) == account_id,
                col(NoticeRecord.id).in_(ids),
                col(NoticeRecord.read_at).is_(None),
            )
            .values(read_at=dt.datetime.now(dt.UTC))
        )
