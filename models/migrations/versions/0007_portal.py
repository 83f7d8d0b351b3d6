"""the web portal: accounts, logins, login attempts, extension requests, notices (the outbox)
and workflow runs started from the portal

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", _str(length=80), nullable=False),
        sa.Column("full_name", _str(length=120), nullable=False),
        sa.Column("email", _str(length=200), nullable=True),
        sa.Column("unit_code", _str(length=80), nullable=False),
        sa.Column("role", _str(length=16), nullable=False),
        sa.Column("password_hash", _str(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_index("ix_account_unit_code", "account", ["unit_code"])
    op.create_table(
        "web_session",
        sa.Column("token_sha256", _str(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf", _str(length=64), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("expires_at", _time(), nullable=False),
        sa.Column("address", _str(length=64), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("token_sha256"),
    )
    op.create_index("ix_web_session_account_id", "web_session", ["account_id"])
    op.create_index("ix_web_session_expires_at", "web_session", ["expires_at"])
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", _str(length=80), nullable=False),
        sa.Column("address", _str(length=64), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_attempt_who", "login_attempt", ["username", "address", "at"])
    op.create_table(
        "extension_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", _str(length=16), nullable=False),
        sa.Column("requested_by", _str(length=200), nullable=False),
        sa.Column("requested_at", _time(), nullable=False),
        sa.Column("decided_by", _str(length=200), nullable=True),
        sa.Column("decided_at", _time(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["assignment_id"], ["assignment.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_extension_request_assignment_id", "extension_request", ["assignment_id"])
    op.create_index(
        "uq_extension_request_pending",
        "extension_request",
        ["assignment_id"],
        unique=True,
        sqlite_where=sa.text("state = 'pending'"),
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_table(
        "portal_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", _str(length=120), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", _str(length=24), nullable=False),
        sa.Column("subject", _str(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", _str(length=300), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("read_at", _time(), nullable=True),
        sa.Column("mail_state", _str(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", _time(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_key", "account_id"),
    )
    op.create_index("ix_portal_notice_account_id", "portal_notice", ["account_id"])
    op.create_index("ix_portal_notice_mail", "portal_notice", ["mail_state", "id"])
    op.create_table(
        "outbox_cursor",
        sa.Column("source", _str(length=24), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source"),
    )
    op.create_table(
        "portal_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _str(length=24), nullable=False),
        sa.Column("title", _str(length=300), nullable=False),
        sa.Column("unit_code", _str(length=80), nullable=False),
        sa.Column("started_by", _str(length=200), nullable=False),
        sa.Column("flow_run_id", _str(length=64), nullable=True),
        sa.Column("state", _str(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("started_at", _time(), nullable=False),
        sa.Column("ended_at", _time(), nullable=True),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    for table in (
        "portal_run",
        "outbox_cursor",
        "portal_notice",
        "extension_request",
        "login_attempt",
        "web_session",
        "account",
    ):
        op.drop_table(table)
