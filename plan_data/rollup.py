"""Roll-up and attribution: the one place that says which money and which indicators count for
a project, a strategy, a division and the whole plan. /status, /budget, /projects, /summary,
/due, /chart, the spreadsheet and the reminders all read their figures through here.

Roll-up (any depth): a project's allocation is its own figure for each budget source where the
plan states one, else the sum of its sub-activities' (rolled up in turn); what it has spent is
its own spending plus that of every sub-activity under it.

Attribution: see `responsible` and `accountable_projects`.
"""

from __future__ import annotations

from dataclasses import dataclass

from plan_data.figures import Figures
from plan_data.model import Plan, Project
from plan_data.money import ZERO, Budget, rolled_up, sum_budgets

RECURRING = "recurring"
TOTAL = "total"


def project_budget(plan: Plan, project: Project, figures: Figures) -> Budget:
    """The project with all its sub-activities rolled up, at any depth."""
    parts = [project_budget(plan, child, figures) for child in plan.children(project)]
    gov, own = rolled_up(
        project.budget_gov,
        project.budget_own,
        ((p.allocated_gov, p.allocated_own) for p in parts),
    )
    spent = figures.spent.get(project.id, ZERO) + sum((p.spent for p in parts), ZERO)
    return Budget(gov, own, spent)


def responsible(plan: Plan, project: Project) -> tuple[str, ...]:
    """The divisions (or units) responsible for a project: those the plan names on it; a
    sub-activity that names none is its parent's (nearest ancestor that names some)."""
    if project.division_keys:
        return project.division_keys
    for ancestor in plan.ancestors(project):
        if ancestor.division_keys:
            return ancestor.division_keys
    return ()


def answerable(plan: Plan, project: Project, division_key: str) -> bool:
    """Whether a division answers for a project: responsible for it, or for a project above it
    (a parent's division may report for its sub-activities)."""
    return division_key in responsible(plan, project) or any(
        division_key in responsible(plan, a) for a in plan.ancestors(project)
    )


def accountable_projects(plan: Plan, division_key: str) -> list[Project]:
    """The projects whose money counts for a division, each once: every project the division
    is responsible for, except one that lies under another such project (that project's
    rolled-up figure already holds it). A project with several divisions counts in full for
    each of them (joint responsibility is not split), so division totals may add up to more
    than the plan's total; the plan's total counts every project once."""
    mine = [p for p in plan.projects if division_key in responsible(plan, p)]
    codes = {p.code for p in mine}
    return [p for p in mine if not any(a.code in codes for a in plan.ancestors(p))]


def strategy_key(plan: Plan, project: Project) -> str:
    """S1..S6 for a project under a strategy, `recurring` for the recurring expenses."""
    number = plan.top(project).strategy_number
    return f"S{number}" if number is not None else RECURRING


@dataclass(frozen=True)
class BudgetLine:
    key: str  # a code, "S3", "3.1", a division key, "recurring" or "total"
    name_th: str
    name_en: str
    budget: Budget


def _line(plan: Plan, project: Project, figures: Figures) -> BudgetLine:
    return BudgetLine(
        project.code, project.name_th, project.name_en, project_budget(plan, project, figures)
    )


def strategy_total(plan: Plan, key: str, figures: Figures) -> Budget:
    """A strategy's (or the recurring block's) money: its top-level projects rolled up."""
    tops = [p for p in plan.tops() if strategy_key(plan, p) == key]
    return sum_budgets(project_budget(plan, p, figures) for p in tops)


def plan_lines(plan: Plan, figures: Figures) -> list[BudgetLine]:
    """One line per strategy, one for the recurring expenses, and the whole plan last."""
    lines = []
    for strategy in plan.strategies:
        key = f"S{strategy.number}"
        if any(strategy_key(plan, p) == key for p in plan.tops()):
            lines.append(
                BudgetLine(
                    key, strategy.name_th, strategy.name_en, strategy_total(plan, key, figures)
                )
            )
    if any(strategy_key(plan, p) == RECURRING for p in plan.tops()):
        lines.append(
            BudgetLine(
                RECURRING,
                plan.recurring_name_th,
                plan.recurring_name_en,
                strategy_total(plan, RECURRING, figures),
            )
        )
    lines.append(BudgetLine(TOTAL, "", "", plan_total(plan, figures)))
    return lines


def plan_total(plan: Plan, figures: Figures) -> Budget:
    return sum_budgets(project_budget(plan, p, figures) for p in plan.tops())


def strategy_lines(plan: Plan, number: int, figures: Figures) -> list[BudgetLine] | None:
    """One line per tactic, then the strategy's total; None if there is no such strategy."""
    strategy = plan.strategy(number)
    if strategy is None:
        return None
    key = f"S{number}"
    tops = [p for p in plan.tops() if strategy_key(plan, p) == key]
    lines = [
        BudgetLine(
            tactic.number,
            tactic.name_th,
            tactic.name_en,
            sum_budgets(
                project_budget(plan, p, figures) for p in tops if p.tactic_number == tactic.number
            ),
        )
        for tactic in plan.tactics_of(number)
    ]
    lines.append(
        BudgetLine(key, strategy.name_th, strategy.name_en, strategy_total(plan, key, figures))
    )
    return lines


def strategy_project_lines(plan: Plan, number: int, figures: Figures) -> list[BudgetLine] | None:
    """One line per top-level project under a strategy, then the strategy's total; None if
    there is no such strategy (/projects S2)."""
    strategy = plan.strategy(number)
    if strategy is None:
        return None
    key = f"S{number}"
    lines = [_line(plan, p, figures) for p in plan.tops() if strategy_key(plan, p) == key]
    lines.append(
        BudgetLine(key, strategy.name_th, strategy.name_en, strategy_total(plan, key, figures))
    )
    return lines


def division_lines(plan: Plan, division_key: str, figures: Figures) -> list[BudgetLine] | None:
    """One line per project the division is accountable for, then its total; None if the plan
    has no such division."""
    division = plan.division(division_key)
    if division is None:
        return None
    lines = [_line(plan, p, figures) for p in accountable_projects(plan, division_key)]
    total = sum_budgets(line.budget for line in lines)
    lines.append(BudgetLine(division.key, division.name_th, division.name_en, total))
    return lines


def division_total(plan: Plan, division_key: str, figures: Figures) -> Budget:
    return sum_budgets(
        project_budget(plan, p, figures) for p in accountable_projects(plan, division_key)
    )
