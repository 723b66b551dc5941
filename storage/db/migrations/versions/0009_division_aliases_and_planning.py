"""divisions.aliases (the short names people type for a division) and divisions.plans (the
division that gets the institute-wide late summary): plan data now, no longer constants in
code. An existing database gets the values the code held, so it behaves as before.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the code held before this revision: the nicknames in handlers/intents.py and the
# planning division in storage/repositories/dues.py.
ALIASES = {"it": ["ไอที"], "legal": ["กฎหมาย"], "pr": ["พีอาร์"], "internal_audit": ["ตรวจสอบภายใน"]}
PLANNING = "planning"

divisions = sa.table(
    "divisions",
    sa.column("key", sa.String()),
    sa.column("aliases", sa.JSON()),
    sa.column("plans", sa.Boolean()),
)


def upgrade() -> None:
    with op.batch_alter_table("divisions") as batch_op:
        batch_op.add_column(sa.Column("aliases", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("plans", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    for key, aliases in ALIASES.items():
        op.execute(divisions.update().where(divisions.c.key == key).values(aliases=aliases))
    op.execute(divisions.update().where(divisions.c.key == PLANNING).values(plans=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("divisions") as batch_op:
        batch_op.drop_column("plans")
        batch_op.drop_column("aliases")
