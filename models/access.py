"""Who may see and do what in the portal: each role's rights (the README's table, row by row)
and each person's reach — a unit sees only its own work; a coordinator also sees the work of
the directives it follows up. Every refusal is a Vietnamese sentence."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from models.accounts import Person
from models.errors import InputError
from models.records import (
    AssignmentRecord,
    DirectiveRecord,
    EvidenceRecord,
    LetterRecord,
    ReportRecord,
    UnitRecord,
)
from models.states import AccountRole


class Right(StrEnum):
    """What a role may do, each with the sentence a refusal says."""

    INBOX = "inbox"
    REPORT = "report"
    REQUEST_EXTENSION = "request_extension"
    BOARD = "board"
    REVIEW = "review"
    DECIDE_EXTENSION = "decide_extension"
    RUN_WORKFLOWS = "run_workflows"
    ACCOUNTS = "accounts"
    OUTBOX = "outbox"


RIGHTS: dict[AccountRole, frozenset[Right]] = {
    AccountRole.CLERK: frozenset({Right.INBOX, Right.REPORT}),
    AccountRole.HEAD: frozenset({Right.INBOX, Right.REPORT, Right.REQUEST_EXTENSION}),
    AccountRole.COORDINATOR: frozenset(
        {
            Right.INBOX,
            Right.REPORT,
            Right.REQUEST_EXTENSION,
            Right.BOARD,
            Right.REVIEW,
            Right.DECIDE_EXTENSION,
            Right.RUN_WORKFLOWS,
        }
    ),
    AccountRole.ADMIN: frozenset({Right.ACCOUNTS, Right.OUTBOX}),
}

REFUSALS = {
    Right.INBOX: "tài khoản này không có hộp việc của đơn vị",
    Right.REPORT: "tài khoản này không được nộp báo cáo",
    Right.REQUEST_EXTENSION: "chỉ lãnh đạo đơn vị mới được đề nghị gia hạn",
    Right.BOARD: "chỉ cơ quan thường trực (Nội vụ) mới xem được bảng theo dõi",
    Right.REVIEW: "chỉ cơ quan thường trực mới được chấp nhận hoặc trả lại báo cáo",
    Right.DECIDE_EXTENSION: "chỉ cơ quan thường trực mới được quyết định gia hạn",
    Right.RUN_WORKFLOWS: "chỉ cơ quan thường trực mới được phát hành và quét hạn",
    Right.ACCOUNTS: "chỉ người quản trị mới quản lý được tài khoản",
    Right.OUTBOX: "chỉ người quản trị mới xem được hộp thư đi",
}


class Forbidden(InputError):
    """Not this person's to see or do (the portal answers 403)."""


def may(person: Person, right: Right) -> bool:
    return right in RIGHTS[person.role]


def require(person: Person, right: Right) -> None:
    if not may(person, right):
        raise Forbidden.one("(quyền truy cập)", "vai trò", person.role.label, REFUSALS[right])


_issuer = aliased(UnitRecord)


def followed_up_by(unit: str) -> Select[tuple[int | None]]:
    """The ids of the directives UNIT follows up: those whose issuer has UNIT as coordinator,
    or that UNIT issued itself without one."""
    return (
        select(col(DirectiveRecord.id))
        .join(_issuer, col(_issuer.code) == col(DirectiveRecord.issuer_code))
        .where(
            func.coalesce(col(_issuer.coordinator_code), col(DirectiveRecord.issuer_code)) == unit
        )
    )


def _refuse(what: str) -> Forbidden:
    return Forbidden.one(
        "(quyền truy cập)", "đường dẫn", what, "không thuộc đơn vị của bạn; không được xem"
    )


def assignment_for(session: Session, person: Person, assignment_id: int) -> AssignmentRecord:
    """The assignment, if PERSON may see it: their unit's own, or (coordinator) one of a
    directive their unit follows up. Anything else — unknown ids included — is refused the
    same way, so a crafted address learns nothing."""
    record = session.get(AssignmentRecord, assignment_id)
    if record is None or not may(person, Right.INBOX):
        raise _refuse(f"việc {assignment_id}")
    if record.unit_code == person.unit_code:
        return record
    if may(person, Right.BOARD) and _follows(session, person, record.directive_id):
        return record
    raise _refuse(f"việc {assignment_id}")


def reviewable(session: Session, person: Person, assignment_id: int) -> AssignmentRecord:
    """An assignment PERSON's unit follows up (accept, return, decide an extension)."""
    require(person, Right.REVIEW)
    record = session.get(AssignmentRecord, assignment_id)
    if record is None or not _follows(session, person, record.directive_id):
        raise _refuse(f"việc {assignment_id}")
    return record


def _follows(session: Session, person: Person, directive_id: int) -> bool:
    statement = followed_up_by(person.unit_code).where(col(DirectiveRecord.id) == directive_id)
    return session.execute(statement).first() is not None


def directive_for(session: Session, person: Person, directive_id: int) -> DirectiveRecord:
    """A directive PERSON's unit is assigned work in, or follows up, or issued."""
    record = session.get(DirectiveRecord, directive_id)
    if record is None:
        raise _refuse(f"chỉ đạo {directive_id}")
    if may(person, Right.BOARD) and (
        record.issuer_code == person.unit_code or _follows(session, person, directive_id)
    ):
        return record
    if may(person, Right.INBOX):
        assigned = session.execute(
            select(col(AssignmentRecord.id)).where(
                col(AssignmentRecord.directive_id) == directive_id,
                col(AssignmentRecord.unit_code) == person.unit_code,
            )
        ).first()
        if assigned is not None:
            return record
    raise _refuse(f"chỉ đạo {directive_id}")


def letter_for(session: Session, person: Person, letter_id: int) -> LetterRecord:
    """A letter PERSON may download: a directive's own letter when they may see the directive;
    for a coordinator also every letter of directives it follows up and every letter its
    unit issued (đôn đốc, reports, the synthesis)."""
    letter = session.get(LetterRecord, letter_id)
    if letter is None:
        raise _refuse(f"văn bản {letter_id}")
    if may(person, Right.BOARD) and letter.issuer_code == person.unit_code:
        return letter
    if letter.directive_id is not None:
        directive_for(session, person, letter.directive_id)
        own_letter = letter.kind in ("chi_dao", "trien_khai")
        if own_letter or (
            may(person, Right.BOARD) and _follows(session, person, letter.directive_id)
        ):
            return letter
    raise _refuse(f"văn bản {letter_id}")


def evidence_for(session: Session, person: Person, evidence_id: int) -> EvidenceRecord:
    """An evidence file, if PERSON may see the assignment it was reported on."""
    evidence = session.get(EvidenceRecord, evidence_id)
    report = session.get(ReportRecord, evidence.report_id) if evidence else None
    if evidence is None or report is None:
        raise _refuse(f"tệp {evidence_id}")
    assignment_for(session, person, report.assignment_id)
    return evidence
