"""The loaded plans as `plan_data` objects, built once per plan revision and shared.

A plan changes only when a plan file is loaded, so the model is cached per database and
rebuilt when the fiscal years' revision stamp moves (one small query per request checks it;
a second instance that reloads the plan is noticed the same way).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plan_data.fiscal import current_fiscal_year
from plan_data.model import (
    Division,
    Indicator,
    Plan,
    Project,
    Strategy,
    Tactic,
    division_by_alias,
    planning_division,
)
from storage.db.models import (
    Division as DivisionRow,
)
from storage.db.models import (
    FiscalYear,
    ProjectDivision,
)
from storage.db.models import (
    Indicator as IndicatorRow,
)
from storage.db.models import (
    Project as ProjectRow,
)
from storage.db.models import (
    Strategy as StrategyRow,
)
from storage.db.models import (
    Tactic as TacticRow,
)

_REVISION = select(func.count(FiscalYear.id), func.coalesce(func.sum(FiscalYear.revision), 0))


@dataclass(frozen=True)
class PlanLibrary:
    """Every loaded fiscal year's plan; which one is current depends on the day asked."""

    plans: dict[int, Plan]
    divisions: tuple[Division, ...]

    @property
    def years(self) -> list[int]:
        return sorted(self.plans)

    def current(self, today: date) -> Plan | None:
        year = current_fiscal_year(self.plans, today)
        return None if year is None else self.plans[year]

    def find(self, code: str) -> tuple[Plan, Project] | None:
        """A project by its exact code, in whichever year holds it (newest first)."""
        for year in sorted(self.plans, reverse=True):
            project = self.plans[year].project(code)
            if project is not None:
                return self.plans[year], project
        return None

    def codes(self) -> frozenset[str]:
        """Every live project code of every loaded year (built once per library)."""
        cached: frozenset[str] | None = self.__dict__.get("_codes")
        if cached is None:
            cached = frozenset(code for plan in self.plans.values() for code in plan.codes())
            object.__setattr__(self, "_codes", cached)
        return cached

    def division(self, key: str) -> Division | None:
        return next((d for d in self.divisions if d.key == key), None)

    def division_by_alias(self, name: str) -> Division | None:
        """A division by a short name people type for it (`ไอที`), in any loaded year."""
        return division_by_alias(self.divisions, name)

    def planning_division(self) -> Division | None:
        """The division that plans: it hears the institute-wide late summary. None when no
        loaded plan names one."""
        return planning_division(self.divisions)


_CACHE: dict[str, tuple[tuple[int, int], PlanLibrary]] = {}
_LOCK = threading.Lock()


def plan_library(session: Session) -> PlanLibrary:
    """The plans, from the cache while the revision stamp is unchanged."""
    count, revision = session.connection().execute(_REVISION).one()
    stamp = (int(count), int(revision))
    key = str(session.get_bind().engine.url)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    library = _build(session)
    with _LOCK:
        _CACHE[key] = (stamp, library)
    return library


def _build(session: Session) -> PlanLibrary:
    divisions_by_id = {
        row.id: Division(row.key, row.name_th, row.name_en, tuple(row.aliases), row.plans)
        for row in session.scalars(select(DivisionRow).order_by(DivisionRow.id))
    }
    links: dict[int, list[str]] = defaultdict(list)
    for project_id, division_id in session.execute(
        select(ProjectDivision.project_id, ProjectDivision.division_id).order_by(
            ProjectDivision.project_id, ProjectDivision.position
        )
    ):
        links[project_id].append(divisions_by_id[division_id].key)
    indicators: dict[int, list[IndicatorRow]] = defaultdict(list)
    for indicator in session.scalars(
        select(IndicatorRow)
        .where(IndicatorRow.retired.is_(False))
        .order_by(IndicatorRow.project_id, IndicatorRow.seq)
    ):
        indicators[indicator.project_id].append(indicator)
    strategies = {row.id: row for row in session.scalars(select(StrategyRow))}
    tactics = {row.id: row for row in session.scalars(select(TacticRow))}
    plans: dict[int, Plan] = {}
    for year in session.scalars(select(FiscalYear).order_by(FiscalYear.year)):
        rows = list(
            session.scalars(
                select(ProjectRow)
                .where(ProjectRow.fiscal_year_id == year.id, ProjectRow.retired.is_(False))
                .order_by(ProjectRow.position, ProjectRow.id)
            )
        )
        code_of = {row.id: row.code for row in rows}
        projects = []
        for row in rows:
            strategy = strategies.get(row.strategy_id) if row.strategy_id else None
            tactic = tactics.get(row.tactic_id) if row.tactic_id else None
            projects.append(
                Project(
                    row.id,
                    row.code,
                    row.name_th,
                    row.name_en,
                    year.year,
                    strategy.number if strategy else None,
                    tactic.number if tactic else None,
                    code_of.get(row.parent_id) if row.parent_id else None,
                    row.budget_gov,
                    row.budget_own,
                    tuple(links.get(row.id, ())),
                    tuple(
                        Indicator(
                            i.id,
                            row.code,
                            i.seq,
                            i.kind,
                            i.number,
                            i.text,
                            i.target,
                            i.unit,
                            i.direction,
                            tuple(i.tags),
                        )
                        for i in indicators.get(row.id, ())
                    ),
                    tuple(row.notes),
                )
            )
        year_strategies = sorted(
            (s for s in strategies.values() if s.fiscal_year_id == year.id),
            key=lambda s: s.number,
        )
        strategy_ids = {s.id: s.number for s in year_strategies}
        used = {key for keys in (links.get(r.id, ()) for r in rows) for key in keys}
        plans[year.year] = Plan(
            year.year,
            tuple(projects),
            strategies=tuple(Strategy(s.number, s.name_th, s.name_en) for s in year_strategies),
            tactics=tuple(
                Tactic(t.number, strategy_ids[t.strategy_id], t.name_th, t.name_en)
                for t in sorted(tactics.values(), key=lambda t: (t.strategy_id, t.id))
                if t.strategy_id in strategy_ids
            ),
            divisions=tuple(d for d in divisions_by_id.values() if d.key in used),
            recurring_name_th=year.recurring_name_th,
            recurring_name_en=year.recurring_name_en,
        )
    return PlanLibrary(plans, tuple(divisions_by_id.values()))
