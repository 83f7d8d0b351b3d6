"""Database tables (SQLModel). Unique keys — not care in the code — are what keep re-runs and
concurrent runs from duplicating directives, items, assignments or documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, Index, LargeBinary, Text, UniqueConstraint, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UnitRecord(SQLModel, table=True):
    """A unit (đơn vị) as last synchronised from an organisation tree."""

    __tablename__ = "unit"

    code: str = Field(primary_key=True, max_length=80)
    name: str
    abbreviation: str = Field(max_length=12)
    level: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    parent_code: str | None = Field(default=None, index=True, max_length=80)
    governs: bool = False
    coordinator_code: str | None = Field(default=None, max_length=80)


class OrgSnapshotRecord(SQLModel, table=True):
    """An organisation tree as a directive was issued under it, stored by the hash of its
    content: any process on any machine finds a directive's tree here, wherever the file went."""

    __tablename__ = "org_snapshot"

    sha256: str = Field(primary_key=True, max_length=64)
    name: str = Field(index=True)
    content: str = Field(sa_column=Column(Text, nullable=False))
    synced_at: dt.datetime = Field(
        default_factory=_now, description="last issued or synced: the newest is the office's own"
    )


class DirectiveRecord(SQLModel, table=True):
    """An issued directive (văn bản chỉ đạo): a root, or a unit's implementing letter."""

    __tablename__ = "directive"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=1000)
    parent_id: int | None = Field(default=None, foreign_key="directive.id", index=True)
    depth: int = 0
    issuer_code: str = Field(foreign_key="unit.code", index=True, max_length=80)
    kind: str = Field(max_length=16)
    reference: str = Field(index=True, max_length=120)
    subject: str
    issued_on: dt.date
    state: str = Field(max_length=16, description="draft (held) or released")
    spec_json: str = Field(sa_column=Column(Text, nullable=False))
    spec_sha256: str = Field(max_length=64)
    ladder: str | None = Field(default=None, description="escalation ladder (JSON); None: default")
    org_path: str = Field(description="the tree file it was issued from, as given (for people)")
    org_sha256: str | None = Field(default=None, foreign_key="org_snapshot.sha256", max_length=64)
    created_at: dt.datetime = Field(default_factory=_now)
    released_at: dt.datetime | None = None


class ItemRecord(SQLModel, table=True):
    """A task of a directive (nhiệm vụ): an item that is assigned on its own."""

    __tablename__ = "item"
    __table_args__ = (UniqueConstraint("directive_id", "label"),)

    id: int | None = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directive.id", index=True)
    label: str = Field(max_length=40)
    text: str = Field(sa_column=Column(Text, nullable=False))
    deadline: str | None = Field(default=None, description="as the document words it")
    due_on: dt.date | None = Field(default=None, description="last day on time")
    follow_up: bool = Field(
        default=False, description="the coordinator's own follow-up or synthesis task"
    )
    chase_cooperating: bool = Field(
        default=False, description="the coordinator also chases the cooperating units"
    )


class AssignmentRecord(SQLModel, table=True):
    """One unit's duty on one task (giao nhiệm vụ), with its due date."""

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("item_id", "unit_code"),
        # The escalation pass reads open work by due day.
        Index("ix_assignment_state_due_on", "state", "due_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directive.id", index=True)
    item_id: int = Field(foreign_key="item.id")
    unit_code: str = Field(foreign_key="unit.code", index=True, max_length=80)
    report_to_code: str = Field(foreign_key="unit.code", max_length=80)
    role: str = Field(default="lead", max_length=16, description="lead or cooperating (Role)")
    due_on: dt.date | None = None
    state: str = Field(default="assigned", max_length=16)
    created_at: dt.datetime = Field(default_factory=_now)


class LetterRecord(SQLModel, table=True):
    """A letter chidao keeps (văn bản đi): a directive's own letter, or one it writes on its own
    (đôn đốc, reports, the synthesis). A draft until released; releasing numbers it from its
    issuer's register and freezes its bytes. Its path is unique, so no two letters share a file."""

    __tablename__ = "letter"
    __table_args__ = (UniqueConstraint("issuer_code", "year", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=1000, description="its identity")
    kind: str = Field(max_length=16, description="LetterKind")
    directive_id: int | None = Field(default=None, foreign_key="directive.id", index=True)
    issuer_code: str = Field(foreign_key="unit.code", max_length=80)
    state: str = Field(default="draft", max_length=16, description="LetterState")
    number: int | None = None
    year: int | None = None
    carried: bool = Field(default=False, description="numbered outside chidao (received)")
    reference: str = Field(index=True, max_length=120, description="'15/SNV-CCHC'; '/…' a draft")
    subject: str = Field(sa_column=Column(Text, nullable=False))
    issued_on: dt.date = Field(description="planned for a draft; the release day once released")
    due_on: dt.date | None = Field(default=None, description="an urging letter's new deadline")
    as_of: dt.date | None = Field(
        default=None, description="a synthesis counts reports up to this day (else its date)"
    )
    spec_json: str | None = Field(
        default=None, sa_column=Column(Text), description="None: claimed, not drafted yet"
    )
    path: str = Field(unique=True, max_length=1000, description="under CHIDAO_HOME/documents")
    sha256: str | None = Field(default=None, max_length=64, description="of what chidao wrote")
    other_sha256: str | None = Field(
        default=None, max_length=64, description="chidao's version on disk while one replaces it"
    )
    content: bytes | None = Field(
        default=None, sa_column=Column(LargeBinary), description="the bytes chidao wrote"
    )
    redraft: bool = Field(default=False, description="a draft whose facts changed since written")
    created_at: dt.datetime = Field(default_factory=_now)
    released_at: dt.datetime | None = None
    released_by: str | None = Field(default=None, max_length=200)


class RegisterCounter(SQLModel, table=True):
    """The next number of an issuer's register of outgoing letters for a year (sổ văn bản đi):
    from 01 on 1 January, or from the number the office set for the year's start."""

    __tablename__ = "register_counter"

    issuer_code: str = Field(primary_key=True, foreign_key="unit.code", max_length=80)
    year: int = Field(primary_key=True)
    next_number: int


class AuditRecord(SQLModel, table=True):
    """Every change: what happened to which record, when, and who or which flow run did it."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=_now, index=True)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=20)
    entity_key: str = Field(max_length=1100)
    detail: str | None = Field(default=None, sa_column=Column(Text))
    simulated_at: dt.datetime | None = Field(
        default=None, description="the simulated time of the change, when the clock is simulated"
    )


class ReportRecord(SQLModel, table=True):
    """A unit's report on its assignment (báo cáo kết quả), with its evidence files."""

    __tablename__ = "report"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    submitted_at: dt.datetime
    late: bool
    actor: str = Field(max_length=200)


class EvidenceRecord(SQLModel, table=True):
    """An evidence file (tài liệu kiểm chứng), stored once by the hash of its content."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("report_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    sha256: str = Field(max_length=64)
    filename: str
    size: int
    content_type: str = Field(max_length=120)


class ReviewRecord(SQLModel, table=True):
    """The coordinator's decision on a report: accepted, or returned for rework with a reason."""

    __tablename__ = "review"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    decision: str = Field(max_length=16)
    reason: str | None = Field(default=None, sa_column=Column(Text))
    at: dt.datetime = Field(default_factory=_now)
    actor: str = Field(max_length=200)


class ExtensionRecord(SQLModel, table=True):
    """An extension of an assignment's deadline (gia hạn), with its reason."""

    __tablename__ = "extension"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    old_due_on: dt.date | None
    new_due_on: dt.date
    reason: str = Field(sa_column=Column(Text, nullable=False))
    at: dt.datetime = Field(default_factory=_now)
    actor: str = Field(max_length=200)


class ReminderRecord(SQLModel, table=True):
    """One rung of the escalation ladder taken for one assignment: remind, urge or escalate.
    The unique key makes each rung happen once, whatever runs overlap."""

    __tablename__ = "reminder"
    # Also serves lookups by assignment: no separate index on assignment_id.
    __table_args__ = (UniqueConstraint("assignment_id", "step"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id")
    step: str = Field(max_length=16)
    day: dt.date = Field(index=True, description="the escalation pass's date (as of)")
    actor: str = Field(max_length=200)
    letter_id: int | None = Field(
        default=None, foreign_key="letter.id", index=True, description="the letter carrying it"
    )


class AccountRecord(SQLModel, table=True):
    """A person who logs in to the portal: one unit, one role (AccountRole)."""

    __tablename__ = "account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=80)
    full_name: str = Field(max_length=120)
    email: str | None = Field(default=None, max_length=200)
    unit_code: str = Field(foreign_key="unit.code", index=True, max_length=80)
    role: str = Field(max_length=16)
    password_hash: str = Field(max_length=200)
    active: bool = True
    created_at: dt.datetime = Field(default_factory=_now)


class WebSessionRecord(SQLModel, table=True):
    """A login: the cookie holds a random token, the table its hash, so a copy of the table
    logs nobody in. It ends at EXPIRES_AT or at logout."""

    __tablename__ = "web_session"

    token_sha256: str = Field(primary_key=True, max_length=64)
    account_id: int = Field(foreign_key="account.id", index=True)
    csrf: str = Field(max_length=64, description="the token every form of this login carries")
    created_at: dt.datetime = Field(default_factory=_now)
    expires_at: dt.datetime = Field(index=True)
    address: str | None = Field(default=None, max_length=64)


class LoginAttemptRecord(SQLModel, table=True):
    """A login attempt, kept to limit guessing per account and address."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_who", "username", "address", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80)
    address: str = Field(max_length=64)
    at: dt.datetime = Field(default_factory=_now)
    ok: bool = False


class ExtensionRequestRecord(SQLModel, table=True):
    """A unit's request for more time on an assignment, and the coordinator's decision. At most
    one request per assignment waits at a time (a partial unique index)."""

    __tablename__ = "extension_request"
    __table_args__ = (
        Index(
            "uq_extension_request_pending",
            "assignment_id",
            unique=True,
            sqlite_where=text("state = 'pending'"),
            postgresql_where=text("state = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    until: dt.date
    reason: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(default="pending", max_length=16, description="RequestState")
    requested_by: str = Field(max_length=200)
    requested_at: dt.datetime = Field(default_factory=_now)
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: dt.datetime | None = None
    note: str | None = Field(default=None, sa_column=Column(Text))


class NoticeRecord(SQLModel, table=True):
    """A notice for one person about one event, shown in the portal and sent as an email from
    this outbox. (event, account) is unique: collecting an event again adds nothing."""

    __tablename__ = "portal_notice"
    __table_args__ = (
        UniqueConstraint("event_key", "account_id"),
        Index("ix_portal_notice_mail", "mail_state", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_key: str = Field(max_length=120)
    account_id: int = Field(foreign_key="account.id", index=True)
    kind: str = Field(max_length=24)
    subject: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    link: str = Field(max_length=300)
    created_at: dt.datetime = Field(default_factory=_now)
    read_at: dt.datetime | None = None
    mail_state: str = Field(default="pending", max_length=16, description="MailState")
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    sent_at: dt.datetime | None = None


class OutboxCursorRecord(SQLModel, table=True):
    """How far the outbox has collected each kind of event (the last id seen)."""

    __tablename__ = "outbox_cursor"

    source: str = Field(primary_key=True, max_length=24)
    last_id: int = 0


class PortalRunRecord(SQLModel, table=True):
    """A workflow started from the portal (issue, release, escalate, synthesise): a Prefect flow
    run, followed on its page."""

    __tablename__ = "portal_run"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)
    title: str = Field(max_length=300)
    unit_code: str = Field(foreign_key="unit.code", max_length=80)
    started_by: str = Field(max_length=200)
    flow_run_id: str | None = Field(default=None, max_length=64)
    state: str = Field(default="running", max_length=16)
    message: str | None = Field(default=None, sa_column=Column(Text))
    started_at: dt.datetime = Field(default_factory=_now)
    ended_at: dt.datetime | None = None


def dialect_insert(session: Session, table: type[SQLModel]) -> Any:
    """INSERT in the session's dialect (SQLite or PostgreSQL), for ON CONFLICT clauses."""
    dialect = {"sqlite": sqlite, "postgresql": postgresql}[session.get_bind().dialect.name]
    return dialect.insert(table)


def insert_ignoring(session: Session, table: type[SQLModel]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING."""
    return dialect_insert(session, table).on_conflict_do_nothing()
