"""evidence files attached to entries, and the review of reported values

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.db.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", storage.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_files")),
        sa.UniqueConstraint("sha256", name=op.f("uq_evidence_files_sha256")),
    )
    op.create_table(
        "evidence_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("spending_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("created_at", storage.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["evidence_files.id"],
            name=op.f("fk_evidence_links_file_id_evidence_files"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["indicator_reports.id"],
            name=op.f("fk_evidence_links_report_id_indicator_reports"),
        ),
        sa.ForeignKeyConstraint(
            ["spending_id"],
            ["spending_entries.id"],
            name=op.f("fk_evidence_links_spending_id_spending_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_evidence_links_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_links")),
        sa.UniqueConstraint("file_id", "report_id", name="uq_evidence_links_report_file"),
        sa.UniqueConstraint("file_id", "spending_id", name="uq_evidence_links_spending_file"),
    )
    op.create_index(op.f("ix_evidence_links_file_id"), "evidence_links", ["file_id"])
    op.create_index(op.f("ix_evidence_links_report_id"), "evidence_links", ["report_id"])
    op.create_index(op.f("ix_evidence_links_spending_id"), "evidence_links", ["spending_id"])
    op.create_table(
        "report_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["indicator_reports.id"],
            name=op.f("fk_report_reviews_report_id_indicator_reports"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["people.id"], name=op.f("fk_report_reviews_reviewer_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_reviews")),
    )
    op.create_index("ix_report_reviews_report", "report_reviews", ["report_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_report_reviews_report", table_name="report_reviews")
    op.drop_table("report_reviews")
    for column in ("spending_id", "report_id", "file_id"):
        op.drop_index(op.f(f"ix_evidence_links_{column}"), table_name="evidence_links")
    op.drop_table("evidence_links")
    op.drop_table("evidence_files")
