"""What people do from the portal, each a direct transactional write after the access check:
a unit reports or asks for more time; the coordinator accepts, returns, grants or refuses.
The audit log names the person and the unit (Person.actor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from models import access, assignments, clock
from models.access import Right
from models.accounts import Person
from models.assignments import AssignmentRef
from models.errors import InputError, StateError
from models.evidence import Evidence
from models.limits import FIRST_YEAR, LAST_YEAR
from models.records import AssignmentRecord, DirectiveRecord, ExtensionRequestRecord, ItemRecord
from models.states import AssignmentState, RequestState
from models.store import Store
from models.vntext import short_date

FORM = "(biểu mẫu)"


_KEY_AND_LABEL = (
    select(col(DirectiveRecord.key), col(ItemRecord.label))
    .join(ItemRecord, col(ItemRecord.directive_id) == col(DirectiveRecord.id))
    .where(col(ItemRecord.id) == bindparam("item"))
)


def ref_of(session: Session, record: AssignmentRecord) -> AssignmentRef:
    key, label = session.connection().execute(_KEY_AND_LABEL, {"item": record.item_id}).one()
    assert record.id is not None
    return AssignmentRef(
        record.id,
        key,
        label,
        record.unit_code,
        AssignmentState(record.state),
        record.due_on,
        record.created_at,
    )


def report(
    store: Store, person: Person, assignment_id: int, text: str, evidence: Sequence[Evidence]
) -> bool:
    """PERSON's unit reports on its own assignment; returns whether it came late."""
    access.require(person, Right.REPORT)
    with store.reading() as session:
        record = access.assignment_for(session, person, assignment_id)
        if record.unit_code != person.unit_code:  # a coordinator does not report for a unit
            raise access.Forbidden.one(
                "(quyền truy cập)", "việc", assignment_id, "chỉ đơn vị được giao mới báo cáo"
            )
        target = ref_of(session, record)
    return assignments.submit_report(store, target, text, evidence, person.actor)


def review(
    store: Store, person: Person, assignment_id: int, accept: bool, reason: str | None
) -> None:
    with store.reading() as session:
        target = ref_of(session, access.reviewable(session, person, assignment_id))
    if not accept and not (reason and reason.strip()):
        raise InputError.one(FORM, "lý do", reason, "trả lại phải ghi rõ lý do")
    assignments.review(store, target, accept, reason, person.actor)


def request_extension(
    store: Store, person: Person, assignment_id: int, until: dt.date, reason: str
) -> int:
    """A unit asks for more time on its own work still owed; one request waits at a time."""
    access.require(person, Right.REQUEST_EXTENSION)
    with store.reading() as session:
        record = access.assignment_for(session, person, assignment_id)
        if record.unit_code != person.unit_code:
            raise access.Forbidden.one(
                "(quyền truy cập)", "việc", assignment_id, "chỉ đơn vị được giao mới đề nghị"
            )
        target = ref_of(session, record)
    _check_extension(target, until, reason)
    if not target.state.owed:
        message = "chỉ đề nghị gia hạn được việc chưa báo cáo"
        raise StateError.one("(cơ sở dữ liệu)", "trạng thái", target.state.label, message)
    try:
        with store.session() as session:
            row = ExtensionRequestRecord(
                assignment_id=assignment_id,
                until=until,
                reason=reason.strip(),
                requested_by=person.actor,
                requested_at=clock.now(),
            )
            session.add(row)
            session.flush()
            store.audit(session, person.actor, "extension.requested", "assignment", [_key(target)])
    except IntegrityError:
        message = "việc này đã có một đề nghị gia hạn đang chờ quyết định"
        raise StateError.one("(cơ sở dữ liệu)", "đề nghị", assignment_id, message) from None
    assert row.id is not None
    return row.id


def _check_extension(target: AssignmentRef, until: dt.date, reason: str) -> None:
    if not reason.strip():
        raise InputError.one(FORM, "lý do", reason, "đề nghị gia hạn phải ghi rõ lý do")
    if not FIRST_YEAR <= until.year <= LAST_YEAR:
        message = f"năm phải từ {FIRST_YEAR} đến {LAST_YEAR}"
        raise InputError.one(FORM, "hạn mới", short_date(until), message)
    if target.due_on is None:
        message = "việc này không ghi hạn nên không cần gia hạn"
        raise InputError.one(FORM, "hạn mới", short_date(until), message)
    if until <= target.due_on:
        message = f"hạn mới phải sau hạn hiện tại ({short_date(target.due_on)})"
        raise InputError.one(FORM, "hạn mới", short_date(until), message)


def decide_extension(
    store: Store, person: Person, request_id: int, grant: bool, note: str | None
) -> None:
    """The coordinator grants (the due day moves, with an extension record) or refuses a
    waiting request, in one transaction: of two decisions on one request, one wins."""
    access.require(person, Right.DECIDE_EXTENSION)
    with store.reading() as session:
        request = session.get(ExtensionRequestRecord, request_id)
        if request is None:
            raise access.Forbidden.one(
                "(quyền truy cập)", "đề nghị", request_id, "không có hoặc không thuộc phạm vi"
            )
        target = ref_of(session, access.reviewable(session, person, request.assignment_id))
    if not grant and not (note and note.strip()):
        raise InputError.one(FORM, "lý do", note, "không đồng ý gia hạn phải ghi rõ lý do")
    state = RequestState.GRANTED if grant else RequestState.REFUSED
    with store.session() as session:
        result = session.execute(
            update(ExtensionRequestRecord)
            .where(
                col(ExtensionRequestRecord.id) == request_id,
                col(ExtensionRequestRecord.state) == RequestState.PENDING,
            )
            .values(state=state, decided_by=person.actor, decided_at=clock.now(), note=note)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            message = "đề nghị này đã được quyết định"
            raise StateError.one("(cơ sở dữ liệu)", "đề nghị", request_id, message)
        if grant:
            _check_extension(target, request.until, request.reason)
            reason = f"Theo đề nghị của đơn vị: {request.reason}"
            assignments.extend_in(session, store, target, request.until, reason, person.actor)
        action = "extension.granted" if grant else "extension.refused"
        store.audit(session, person.actor, action, "assignment", [_key(target)])


def _key(target: AssignmentRef) -> str:
    return f"{target.directive}#{target.label}#{target.unit}"
