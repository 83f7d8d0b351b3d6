"""The life of an assignment: assigned → reported → accepted, or returned for rework; deadline
extensions; lateness derived from the due day, never stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pendulum
from sqlalchemy import insert
from sqlmodel import Session, col, select, update

from models import clock
from models.calendar import ZONE, end_of_day
from models.database import home
from models.errors import InputError, StateError
from models.evidence import Evidence, evidence_path
from models.files import write_atomic
from models.limits import FIRST_YEAR, LAST_YEAR
from models.records import (
    AssignmentRecord,
    EvidenceRecord,
    ExtensionRecord,
    ItemRecord,
    ReportRecord,
    ReviewRecord,
)
from models.states import OWED, AssignmentState
from models.store import Store

ASSIGNED, REPORTED, ACCEPTED, RETURNED = (
    AssignmentState.ASSIGNED,
    AssignmentState.REPORTED,
    AssignmentState.ACCEPTED,
    AssignmentState.RETURNED,
)


@dataclass(frozen=True)
class AssignmentRef:
    id: int
    directive: str
    label: str
    unit: str
    state: AssignmentState
    due_on: dt.date | None
    created_at: dt.datetime


def find(store: Store, ref: str, unit: str, label: str | None = None) -> AssignmentRef:
    """UNIT's assignment under directive REF (key or number), on item LABEL if it has several."""
    directive = store.lookup(ref)
    with Session(store.engine) as session:
        statement = (
            select(AssignmentRecord, ItemRecord.label)
            .join(ItemRecord, col(ItemRecord.id) == col(AssignmentRecord.item_id))
            .where(
                AssignmentRecord.directive_id == directive.id, AssignmentRecord.unit_code == unit
            )
        )
        found = [
            (a, item_label)
            for a, item_label in session.exec(statement)
            if label is None or item_label == label
        ]
    if len(found) != 1:
        labels = ", ".join(sorted(x for _, x in found)) or "không có"
        message = (
            f"đơn vị không được giao việc trong chỉ đạo {directive.reference}"
            if not found
            else f"đơn vị có nhiều mục ({labels}); hãy chọn mục bằng --item"
        )
        raise InputError.one("(dòng lệnh)", "UNIT" if not found else "--item", unit, message)
    assignment, item_label = found[0]
    assert assignment.id is not None
    return AssignmentRef(
        assignment.id,
        directive.key,
        item_label,
        unit,
        AssignmentState(assignment.state),
        assignment.due_on,
        assignment.created_at,
    )


def _transition(
    session: Session,
    target: AssignmentRef,
    allowed: Sequence[AssignmentState],
    new_state: AssignmentState,
) -> None:
    """Change state only from ALLOWED, atomically: of two concurrent calls one wins."""
    result = session.exec(  # type: ignore[call-overload]
        update(AssignmentRecord)
        .where(col(AssignmentRecord.id) == target.id, col(AssignmentRecord.state).in_(allowed))
        .values(state=new_state)
    )
    if result.rowcount != 1:
        current = session.get(AssignmentRecord, target.id)
        state = AssignmentState(current.state).label if current else "?"
        raise StateError.one(
            "(cơ sở dữ liệu)",
            "trạng thái",
            state,
            f"không thể chuyển sang «{new_state.label}» từ trạng thái hiện tại",
        )


def submit_report(
    store: Store,
    target: AssignmentRef,
    text: str,
    evidence: Sequence[Evidence],
    actor: str,
    at: pendulum.DateTime | None = None,
) -> bool:
    """Record UNIT's report; returns whether it came late. The evidence files are stored (by
    content hash, so a re-sent file is one file) inside the report's transaction, once the
    report is accepted: a refused report leaves no file behind, and a failed one removes the
    files it added."""
    if not text.strip():
        raise InputError.one("(dòng lệnh)", "--text", text, "nội dung báo cáo không được để trống")
    submitted = _moment(target, at)
    late = target.due_on is not None and submitted >= end_of_day(target.due_on)
    added: list[Path] = []
    try:
        _record_report(store, target, text, evidence, actor, submitted, late, added)
    except BaseException:
        for path in added:
            path.unlink(missing_ok=True)
        raise
    return late


def _record_report(
    store: Store,
    target: AssignmentRef,
    text: str,
    evidence: Sequence[Evidence],
    actor: str,
    submitted: pendulum.DateTime,
    late: bool,
    added: list[Path],
) -> None:
    folder = home() / "evidence"
    with store.session() as session:
        _transition(session, target, (ASSIGNED, RETURNED), REPORTED)
        for item in evidence:
            path = evidence_path(folder, item)
            if not path.is_file():  # stored by content: the same bytes are kept once
                write_atomic(path, item.data)
                added.append(path)
        # Core inserts: a busy portal takes in many reports a second, and needs no entities back.
        connection = session.connection()
        report_id = connection.execute(
            insert(ReportRecord)
            .values(
                assignment_id=target.id, text=text, submitted_at=submitted, late=late, actor=actor
            )
            .returning(col(ReportRecord.id))
        ).scalar_one()
        unique = {e.sha256: e for e in evidence}.values()
        if unique:
            connection.execute(
                insert(EvidenceRecord),
                [
                    {
                        "report_id": report_id,
                        "sha256": e.sha256,
                        "filename": e.filename,
                        "size": e.size,
                        "content_type": e.content_type,
                    }
                    for e in unique
                ],
            )
        store.audit(session, actor, "assignment.reported", "assignment", [_key(target)])


def _moment(target: AssignmentRef, at: pendulum.DateTime | None) -> pendulum.DateTime:
    """When a report was sent: now by the one clock, or AT (a report recorded after the fact),
    which can be neither before the work was assigned nor after now."""
    now = clock.now()
    if at is None:
        return now
    assigned = pendulum.instance(target.created_at).in_timezone(ZONE)
    if not assigned <= at <= now:
        raise InputError.one(
            "(dòng lệnh)",
            "--at",
            at.isoformat(),
            f"thời điểm nộp phải từ lúc được giao việc ({assigned.isoformat()}) đến bây giờ "
            f"({now.isoformat()})",
        )
    return at


def review(
    store: Store, target: AssignmentRef, accept: bool, reason: str | None, actor: str
) -> None:
    """Accept a report, or return it for rework with a reason."""
    if not accept and not (reason and reason.strip()):
        raise InputError.one("(dòng lệnh)", "--reason", reason, "trả lại phải ghi rõ lý do")
    decision = ACCEPTED if accept else RETURNED
    with store.session() as session:
        _transition(session, target, (REPORTED,), decision)
        session.add(
            ReviewRecord(
                assignment_id=target.id,
                decision=decision,
                reason=reason,
                actor=actor,
                at=clock.now(),
            )
        )
        store.audit(session, actor, f"assignment.{decision}", "assignment", [_key(target)])


def extend(store: Store, target: AssignmentRef, until: dt.date, reason: str, actor: str) -> None:
    """Extend the deadline (gia hạn) of work still owed; the new due day must be later."""
    if not reason.strip():
        raise InputError.one("(dòng lệnh)", "--reason", reason, "gia hạn phải ghi rõ lý do")
    if not FIRST_YEAR <= until.year <= LAST_YEAR:
        message = f"năm phải từ {FIRST_YEAR} đến {LAST_YEAR}"
        raise InputError.one("(dòng lệnh)", "--until", until.isoformat(), message)
    if target.due_on is not None and until <= target.due_on:
        message = f"hạn mới phải sau hạn hiện tại ({target.due_on.isoformat()})"
        raise InputError.one("(dòng lệnh)", "--until", until.isoformat(), message)
    with store.session() as session:
        extend_in(session, store, target, until, reason, actor)


def extend_in(
    session: Session,
    store: Store,
    target: AssignmentRef,
    until: dt.date,
    reason: str,
    actor: str,
) -> None:
    """The extension's writes, inside a caller's transaction (the portal records the decision
    on a unit's request in the same one); the checks are extend's."""
    result = session.exec(  # type: ignore[call-overload]
        update(AssignmentRecord)
        .where(
            col(AssignmentRecord.id) == target.id,
            col(AssignmentRecord.state).in_(OWED),
            col(AssignmentRecord.due_on) == target.due_on,
        )
        .values(due_on=until)
    )
    if result.rowcount != 1:
        message = "chỉ gia hạn được việc chưa báo cáo, và hạn vừa bị thay đổi bởi người khác"
        raise StateError.one("(cơ sở dữ liệu)", "trạng thái", target.state, message)
    session.add(
        ExtensionRecord(
            assignment_id=target.id,
            old_due_on=target.due_on,
            new_due_on=until,
            reason=reason,
            actor=actor,
            at=clock.now(),
        )
    )
    store.audit(session, actor, "assignment.extended", "assignment", [_key(target)])


def _key(target: AssignmentRef) -> str:
    return f"{target.directive}#{target.label}#{target.unit}"
