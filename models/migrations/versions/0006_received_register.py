"""the received-letters register (sổ văn bản đến)

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receiver_code", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number_in", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("issuer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("kind_and_subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("receiver_code", "sha256"),
        sa.UniqueConstraint("receiver_code", "year", "number_in"),
    )
    with op.batch_alter_table("received_letter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_received_letter_receiver_code"), ["receiver_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("received_letter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_letter_receiver_code"))
    op.drop_table("received_letter")
