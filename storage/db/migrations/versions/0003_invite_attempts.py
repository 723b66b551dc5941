"""wrong invite codes, to limit guessing

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.db.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invite_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("at", storage.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_attempts")),
    )
    op.create_index("ix_invite_attempts_who", "invite_attempts", ["channel", "external_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_invite_attempts_who", table_name="invite_attempts")
    op.drop_table("invite_attempts")
