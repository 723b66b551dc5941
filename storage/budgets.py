"""Allocated, spent and remaining, rolled up by strategy, tactic, division or for the whole plan."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db.models import (
    Division,
    FiscalYear,
    Project,
    ProjectDivision,
    SpendingEntry,
    Strategy,
    Tactic,
)
from storage.plan_io.records import add_optional, rolled_up
from storage.status import Budget


@dataclass(frozen=True)
class BudgetLine:
    key: str  # a code, "S3", "3.1", a division key, "recurring" or "total"
    name_th: str
    name_en: str
    budget: Budget


@dataclass(frozen=True)
class _Rolled:
    """A project with its children's money folded in (its own figure wins where it has one)."""

    row: Project
    gov: Decimal | None
    own: Decimal | None
    spent: Decimal


def _rolled_projects(session: Session) -> list[_Rolled]:
    """Every active project of the newest plan, in plan order, each rolled up over its
    sub-activities (at any depth)."""
    year_id = session.scalar(select(FiscalYear.id).order_by(FiscalYear.year.desc()).limit(1))
    if year_id is None:
        return []
    rows = list(
        session.scalars(
            select(Project)
            .where(Project.fiscal_year_id == year_id, Project.retired.is_(False))
            .order_by(Project.position)
        )
    )
    spent_by_id: dict[int, Decimal] = dict(
        session.execute(
            select(SpendingEntry.project_id, func.sum(SpendingEntry.amount)).group_by(
                SpendingEntry.project_id
            )
        ).all()
    )
    children: dict[int, list[Project]] = defaultdict(list)
    for row in rows:
        if row.parent_id is not None:
            children[row.parent_id].append(row)
    done: dict[int, _Rolled] = {}

    def roll(row: Project) -> _Rolled:
        if row.id not in done:
            parts = [roll(child) for child in children[row.id]]
            gov, own = rolled_up(row.budget_gov, row.budget_own, ((p.gov, p.own) for p in parts))
            spent = (spent_by_id.get(row.id) or Decimal(0)) + sum(
                (part.spent for part in parts), Decimal(0)
            )
            done[row.id] = _Rolled(row, gov, own, spent)
        return done[row.id]

    return [roll(row) for row in rows]


def _top_projects(session: Session) -> list[_Rolled]:
    """Each top-level project of the newest plan with its children's money folded in."""
    return [p for p in _rolled_projects(session) if p.row.parent_id is None]


def _sum(projects: list[_Rolled]) -> Budget:
    gov: Decimal | None = None
    own: Decimal | None = None
    for p in projects:
        gov, own = add_optional(gov, p.gov), add_optional(own, p.own)
    return Budget(gov, own, sum((p.spent for p in projects), Decimal(0)))


def plan_budget(session: Session) -> list[BudgetLine]:
    """One line per strategy, one for recurring expenses, and the total last."""
    projects = _top_projects(session)
    lines = []
    strategies = session.scalars(select(Strategy).order_by(Strategy.number))
    for strategy in strategies:
        mine = [p for p in projects if p.row.strategy_id == strategy.id]
        if mine:
            lines.append(
                BudgetLine(f"S{strategy.number}", strategy.name_th, strategy.name_en, _sum(mine))
            )
    recurring = [p for p in projects if p.row.strategy_id is None]
    if recurring:
        year = session.scalar(select(FiscalYear).order_by(FiscalYear.year.desc()).limit(1))
        name_th = year.recurring_name_th if year else ""
        name_en = year.recurring_name_en if year else ""
        lines.append(BudgetLine("recurring", name_th, name_en, _sum(recurring)))
    lines.append(BudgetLine("total", "", "", _sum(projects)))
    return lines


def strategy_budget(session: Session, number: int) -> list[BudgetLine] | None:
    """One line per tactic, then the strategy's total; None if there is no such strategy."""
    strategy = session.scalar(
        select(Strategy).where(Strategy.number == number).order_by(Strategy.id.desc()).limit(1)
    )
    if strategy is None:
        return None
    projects = [p for p in _top_projects(session) if p.row.strategy_id == strategy.id]
    lines = []
    for tactic in session.scalars(select(Tactic).where(Tactic.strategy_id == strategy.id)):
        mine = [p for p in projects if p.row.tactic_id == tactic.id]
        lines.append(BudgetLine(tactic.number, tactic.name_th, tactic.name_en, _sum(mine)))
    lines.append(BudgetLine(f"S{number}", strategy.name_th, strategy.name_en, _sum(projects)))
    return lines


def division_budget(session: Session, key: str) -> list[BudgetLine] | None:
    """One line per project or sub-activity the division is responsible for, then its total.

    A division named only on a sub-activity (e.g. SME111_2/64) sees that sub-activity's money;
    one named on a parent sees the parent rolled up, and its children are not counted twice.
    """
    division = session.scalar(select(Division).where(Division.key == key))
    if division is None:
        return None
    linked = set(
        session.scalars(
            select(ProjectDivision.project_id).where(ProjectDivision.division_id == division.id)
        )
    )
    projects = _rolled_projects(session)
    parent_of = {p.row.id: p.row.parent_id for p in projects}

    def under_linked_parent(project_id: int) -> bool:
        parent = parent_of.get(project_id)
        while parent is not None:
            if parent in linked:
                return True
            parent = parent_of.get(parent)
        return False

    mine = [p for p in projects if p.row.id in linked and not under_linked_parent(p.row.id)]
    lines = [BudgetLine(p.row.code, p.row.name_th, p.row.name_en, _sum([p])) for p in mine]
    lines.append(BudgetLine(key, division.name_th, division.name_en, _sum(mine)))
    return lines
