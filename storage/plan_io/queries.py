"""What plan the database holds: whether there is one, its latest year, and a year's plan read
back in the shape a plan file gives (the loader writes it: storage/plan_io/loader.py)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from storage.db.models import (
    Division,
    FiscalYear,
    Project,
    ProjectDivision,
    Strategy,
    Tactic,
)
from storage.plan_io.document import (
    IndicatorDoc,
    PlanDoc,
    ProjectDoc,
    RecurringDoc,
    StrategyDoc,
    TacticDoc,
    Total,
)
from storage.plan_io.loader import division_doc, to_million
from storage.repositories.base import Repository


class PlanStore(Repository):
    """The plan files as the database holds them, as the unit of work's `uow.plan_store`."""

    def has_plan(self) -> bool:
        return bool(self._session.scalar(select(func.count()).select_from(Project)))

    def latest_year(self) -> int | None:
        return self._session.scalar(select(func.max(FiscalYear.year)))

    def read(self, fiscal_year: int) -> PlanDoc | None:
        """The plan as the database holds it, in the same shape a file gives."""
        session = self._session
        year = session.scalar(select(FiscalYear).where(FiscalYear.year == fiscal_year))
        if year is None:
            return None
        projects = list(
            session.scalars(
                select(Project)
                .where(Project.fiscal_year_id == year.id, Project.retired.is_(False))
                .order_by(Project.position)
                .options(
                    selectinload(Project.division_links).selectinload(ProjectDivision.division),
                    selectinload(Project.indicators),
                )
            )
        )
        children: dict[int | None, list[Project]] = {}
        for row in projects:
            children.setdefault(row.parent_id, []).append(row)

        def doc(row: Project) -> ProjectDoc:
            return ProjectDoc(
                code=row.code,
                name_th=row.name_th,
                name_en=row.name_en,
                activities=tuple(row.activities),
                budget_gov=to_million(row.budget_gov),
                budget_own=to_million(row.budget_own),
                divisions=tuple(link.division.key for link in row.division_links),
                indicators=tuple(
                    IndicatorDoc(
                        i.kind,
                        i.number,
                        i.text,
                        i.target,
                        i.unit,
                        i.direction,
                        tuple(i.tags),
                        tuple(i.notes),
                    )
                    for i in row.indicators
                    if not i.retired
                ),
                notes=tuple(row.notes),
                children=tuple(doc(c) for c in children.get(row.id, [])),
            )

        def total(gov: Decimal | None, own: Decimal | None) -> Total | None:
            return None if gov is None and own is None else Total(to_million(gov), to_million(own))

        top = children.get(None, [])
        strategies = []
        for s in session.scalars(
            select(Strategy).where(Strategy.fiscal_year_id == year.id).order_by(Strategy.number)
        ):
            tactic_rows = session.scalars(
                select(Tactic).where(Tactic.strategy_id == s.id).order_by(Tactic.id)
            )
            tactics = tuple(
                TacticDoc(
                    t.number,
                    t.name_th,
                    t.name_en,
                    total(t.declared_gov, t.declared_own),
                    tuple(doc(p) for p in top if p.tactic_id == t.id),
                    tuple(t.notes),
                )
                for t in tactic_rows
            )
            strategies.append(
                StrategyDoc(
                    s.number,
                    s.name_th,
                    s.name_en,
                    total(s.declared_gov, s.declared_own),
                    tactics,
                    tuple(s.notes),
                )
            )
        recurring_projects = tuple(doc(p) for p in top if p.strategy_id is None)
        recurring = None
        if recurring_projects or year.recurring_name_th:
            recurring = RecurringDoc(
                year.recurring_name_th,
                year.recurring_name_en,
                total(year.recurring_declared_gov, year.recurring_declared_own),
                recurring_projects,
                tuple(year.notes),
            )
        divisions = tuple(
            division_doc(d) for d in session.scalars(select(Division).order_by(Division.id))
        )
        return PlanDoc(year.year, year.source, divisions, tuple(strategies), recurring)
