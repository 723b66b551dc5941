"""a guided flow's button is consumed once (its nonce a column); one verdict per report

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_states") as batch_op:
        batch_op.add_column(
            sa.Column("nonce", sa.String(length=32), nullable=False, server_default="")
        )
    # Before the unique key: a report judged twice by the old race keeps its first verdict.
    op.execute(
        "DELETE FROM report_reviews WHERE id NOT IN "
        "(SELECT MIN(id) FROM report_reviews GROUP BY report_id)"
    )
    op.create_index("uq_report_reviews_report", "report_reviews", ["report_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_report_reviews_report", table_name="report_reviews")
    with op.batch_alter_table("conversation_states") as batch_op:
        batch_op.drop_column("nonce")
