"""at most one reversal per entry; a plan revision stamp

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("indicator_reports", "spending_entries")


def upgrade() -> None:
    with op.batch_alter_table("fiscal_years") as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("people") as batch_op:
        batch_op.add_column(
            sa.Column("entries_recorded", sa.Integer(), nullable=False, server_default="0")
        )
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f"ix_{table}_reverses_id")
            batch_op.create_index(f"ix_{table}_reverses_id", ["reverses_id"], unique=True)
            batch_op.add_column(sa.Column("person_seq", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("person_seq")
            batch_op.drop_index(f"ix_{table}_reverses_id")
            batch_op.create_index(f"ix_{table}_reverses_id", ["reverses_id"], unique=False)
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_column("entries_recorded")
    with op.batch_alter_table("fiscal_years") as batch_op:
        batch_op.drop_column("revision")
