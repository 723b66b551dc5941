"""Small questions about what plan the database holds."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db.models import FiscalYear, Project
from storage.plan_io.document import PlanDoc


def has_plan(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Project)))


def latest_fiscal_year(session: Session) -> int | None:
    return session.scalar(select(func.max(FiscalYear.year)))


class PlanStore:
    """The plan files as the database holds them, as the unit of work's `uow.plan_store`."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def has_plan(self) -> bool:
        return has_plan(self._session)

    def latest_year(self) -> int | None:
        return latest_fiscal_year(self._session)

    def read(self, fiscal_year: int) -> PlanDoc | None:
        from storage.plan_io.loader import read_plan

        return read_plan(self._session, fiscal_year)
