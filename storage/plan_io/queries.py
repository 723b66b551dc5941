"""Small questions about what plan the database holds."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db.models import FiscalYear, Project


def has_plan(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Project)))


def latest_fiscal_year(session: Session) -> int | None:
    return session.scalar(select(func.max(FiscalYear.year)))
