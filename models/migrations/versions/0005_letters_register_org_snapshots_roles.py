"""letters (văn bản đi) with a register, org snapshots, roles and follow-up tasks

Documents and escalation notices become letters: a directive's document is its letter (its
state follows the directive), a notice a draft urging letter or escalation report to which the
rungs it was written from are linked. Bytes on disk stay where they are; paths are kept as
they were (absolute), new letters get paths under CHIDAO_HOME/documents.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_DOCUMENT_KINDS = (
    # (old document kind, new letter kind, key suffix taken from the file name)
    ("directive", "CASE WHEN d.depth = 0 THEN 'chi_dao' ELSE 'trien_khai' END", "''"),
    ("bao-cao-len", "'bao_cao_len'", "''"),
    ("tong-hop", "'tong_hop'", "':' || substr(m.path, length(m.path) - 14, 10)"),
)
_NOTICE_KINDS = (("don-doc", "don_doc", "urge"), ("bao-cao-cham", "bao_cao_cham", "escalate"))


def upgrade() -> None:
    op.create_table(
        "org_snapshot",
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("synced_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    with op.batch_alter_table("org_snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_snapshot_name"), ["name"], unique=False)

    op.create_table(
        "register_counter",
        sa.Column("issuer_code", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("next_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["issuer_code"], ["unit.code"]),
        sa.PrimaryKeyConstraint("issuer_code", "year"),
    )
    op.create_table(
        "letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=True),
        sa.Column("issuer_code", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("carried", sa.Boolean(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("spec_json", sa.Text(), nullable=True),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("other_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("redraft", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("released_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("released_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.ForeignKeyConstraint(["directive_id"], ["directive.id"]),
        sa.ForeignKeyConstraint(["issuer_code"], ["unit.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer_code", "year", "number"),
        sa.UniqueConstraint("key"),
        sa.UniqueConstraint("path"),
    )
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.alter_column("redraft", server_default=None)
        batch_op.create_index(batch_op.f("ix_letter_directive_id"), ["directive_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_letter_reference"), ["reference"], unique=False)

    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("letter_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_reminder_letter_id"), ["letter_id"], unique=False)
        batch_op.create_foreign_key("fk_reminder_letter_id", "letter", ["letter_id"], ["id"])

    for old, new, suffix in _DOCUMENT_KINDS:
        op.execute(
            "INSERT INTO letter (key, kind, directive_id, issuer_code, state, carried, reference,"
            " subject, issued_on, spec_json, path, sha256, created_at) "
            f"SELECT {new} || ':' || d.key || {suffix}, {new}, d.id, d.issuer_code,"
            " CASE WHEN m.kind = 'directive' THEN d.state ELSE 'draft' END, false, d.reference,"
            " d.subject, d.issued_on, CASE WHEN m.kind = 'directive' THEN d.spec_json END, m.path, m.sha256, m.created_at "
            f"FROM document m JOIN directive d ON d.id = m.directive_id WHERE m.kind = '{old}'"
        )
    for old, new, step in _NOTICE_KINDS:
        op.execute(
            "INSERT INTO letter (key, kind, issuer_code, state, carried, reference, subject,"
            " issued_on, spec_json, path, sha256, created_at) "
            f"SELECT '{new}:' || n.coordinator_code || ':' || n.day, '{new}',"
            " n.coordinator_code, 'draft', false, '', '', n.day, NULL, n.path, n.sha256,"
            f" CURRENT_TIMESTAMP FROM notice n WHERE n.kind = '{old}'"
        )
        op.execute(
            "UPDATE reminder SET letter_id = (SELECT l.id FROM letter l JOIN assignment a"
            " ON a.id = reminder.assignment_id WHERE l.key = "
            f"'{new}:' || a.report_to_code || ':' || reminder.day) WHERE step = '{step}'"
        )

    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_directive_id"))
    op.drop_table("document")
    op.drop_table("notice")

    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "role",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="lead",
            )
        )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.alter_column("role", server_default=None)

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("simulated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )

    with op.batch_alter_table("directive", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("org_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.create_foreign_key(
            "fk_directive_org_sha256", "org_snapshot", ["org_sha256"], ["sha256"]
        )

    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("follow_up", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("chase_cooperating", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.alter_column("follow_up", server_default=None)
        batch_op.alter_column("chase_cooperating", server_default=None)


def downgrade() -> None:
    raise NotImplementedError("letters cannot be turned back into documents and notices")
