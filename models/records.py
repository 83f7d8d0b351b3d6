"""Database tables (SQLModel). Unique keys — not care in the code — are what keep re-runs and
concurrent runs from duplicating directives, items, assignments or documents."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


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
    org_path: str
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
    due_on: dt.date | None = None
    state: str = Field(default="assigned", max_length=16)
    created_at: dt.datetime = Field(default_factory=_now)


class DocumentRecord(SQLModel, table=True):
    """A .docx written for a directive: where it is and what its bytes hash to."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("directive_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directive.id", index=True)
    kind: str = Field(max_length=32)
    path: str
    sha256: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=_now)


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


class NoticeRecord(SQLModel, table=True):
    """A document an escalation pass wrote: one per kind, coordinator and day."""

    __tablename__ = "notice"
    __table_args__ = (UniqueConstraint("kind", "coordinator_code", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    coordinator_code: str = Field(foreign_key="unit.code", max_length=80)
    day: dt.date
    path: str
    sha256: str = Field(max_length=64)
