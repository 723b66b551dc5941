"""A project's figures as data, for tests and benchmarks to check what a command showed against
(the same plan model and figures repository /status reads; kept out of storage/, which serves
the bot)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from plan_data.figures import Report
from plan_data.model import Division, Indicator, Project
from plan_data.money import Budget
from plan_data.progress import progress_percent
from plan_data.rollup import project_budget
from storage.repositories.figures import FiguresRepository
from storage.repositories.plans import plan_library


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    latest: Report | None

    @property
    def progress_percent(self) -> Decimal | None:
        return progress_percent(self.indicator, self.latest.value if self.latest else None)

    def __getattr__(self, name: str) -> object:
        return getattr(self.indicator, name)  # seq, kind, text, target, unit, direction, tags


@dataclass(frozen=True)
class ProjectStatus:
    project: Project
    budget: Budget  # rolled up over its sub-activities, at any depth
    divisions: tuple[Division, ...]
    child_codes: tuple[str, ...]
    indicators: tuple[IndicatorStatus, ...]

    def __getattr__(self, name: str) -> object:
        return getattr(self.project, name)  # code, name_th, parent_code, strategy_number …


def project_status(session: Session, code: str) -> ProjectStatus | None:
    found = plan_library(session).find(code)
    if found is None:
        return None
    plan, project = found
    figures = FiguresRepository(session).for_projects(
        [p.id for p in plan.subtree(project)], [i.id for i in project.indicators]
    )
    return ProjectStatus(
        project,
        project_budget(plan, project, figures),
        tuple(d for d in (plan.division(k) for k in project.division_keys) if d is not None),
        tuple(c.code for c in plan.children(project)),
        tuple(IndicatorStatus(i, figures.latest.get(i.id)) for i in project.indicators),
    )
