"""What /chart draws, for the whole plan, a strategy, a division or one project: cumulative
spending per quarter against the cumulative disbursement target, and indicator progress.
Money and indicators are chosen by the rules of `rollup` and `summary`, so the picture shows
the figures /budget and /summary show."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from plan_data.calendar import ReportingCalendar, parse_period_key
from plan_data.figures import Figures
from plan_data.fiscal import quarters
from plan_data.model import Plan, Project
from plan_data.money import ZERO, Budget, sum_budgets
from plan_data.progress import IndicatorCounts, TimeFrame, Verdict
from plan_data.review import ReviewState
from plan_data.rollup import (
    accountable_projects,
    project_budget,
    responsible,
    strategy_key,
)
from plan_data.summary import IndicatorVerdict, Marks, verdicts

MAX_BARS = 14  # what stays readable on a phone


@dataclass(frozen=True)
class ChartScope:
    kind: str  # all | strategy | division | project
    key: str  # "", "S3", a division key, or a project code


@dataclass(frozen=True)
class QuarterPoint:
    period_key: str
    quarter: int
    spent: Decimal  # cumulative baht at the quarter's end
    target: Decimal  # cumulative target baht: allocation × the quarter's cumulative target %
    target_percent: Decimal
    reached: bool  # False for quarters after the frame's period (nothing to show yet)


@dataclass(frozen=True)
class ProgressBar:
    """One row of the progress panel: an indicator (progress %) or a group (counts)."""

    label: str
    counts: IndicatorCounts
    progress_percent: Decimal | None = None  # set for a single indicator
    expected_percent: Decimal | None = None  # where it should be by the period's end


@dataclass(frozen=True)
class ChartData:
    scope: ChartScope
    name_th: str
    name_en: str
    frame: TimeFrame
    budget: Budget
    quarters: tuple[QuarterPoint, ...]
    bars: tuple[ProgressBar, ...]
    per_indicator: bool  # bars are single indicators (a project) rather than groups


def chart_data(
    plan: Plan,
    figures: Figures,
    scope: ChartScope,
    frame: TimeFrame,
    calendar: ReportingCalendar,
    marks: Marks | None = None,
) -> ChartData | None:
    """The figures for one scope; None when the scope names nothing in the plan.
    `figures` needs `spent`, `spent_by_period` and `in_period`; with `marks`, a value a
    reviewer returned is drawn as behind, never green."""
    chosen = _members(plan, scope)
    if chosen is None:
        return None
    money_projects, indicator_projects, names = chosen
    budget = sum_budgets(project_budget(plan, p, figures) for p in money_projects)
    money_ids = {q.id for p in money_projects for q in plan.subtree(p)}
    points = _quarter_points(figures, money_ids, budget, frame, calendar)
    codes = {p.code for p in indicator_projects}
    mine = [v for v in verdicts(plan, figures, frame, marks) if v.project.code in codes]
    # A project's own indicators one by one; a project whose sub-activities have indicators too,
    # one bar per code (its own, then each sub-activity's, in plan order), so that every
    # sub-activity shows under its own code and none is cut off.
    per_indicator = scope.kind == "project" and all(v.project.code == scope.key for v in mine)
    if per_indicator:
        bars = tuple(_indicator_bar(v) for v in mine)
    else:
        order = [p.code for p in indicator_projects]
        bars = _group_bars(plan, scope, mine, order)
    return ChartData(
        scope, names[0], names[1], frame, budget, points, bars[:MAX_BARS], per_indicator
    )


def _members(
    plan: Plan, scope: ChartScope
) -> tuple[list[Project], list[Project], tuple[str, str]] | None:
    """The projects whose money counts (each rolled up), those whose indicators count, and the
    scope's names."""
    if scope.kind == "all":
        return list(plan.tops()), list(plan.projects), ("", "")
    if scope.kind == "strategy":
        tops = [p for p in plan.tops() if strategy_key(plan, p) == scope.key]
        strategy = plan.strategy(int(scope.key[1:])) if scope.key[1:].isdigit() else None
        if not tops or strategy is None:
            return None
        under = [p for p in plan.projects if strategy_key(plan, p) == scope.key]
        return tops, under, (strategy.name_th, strategy.name_en)
    if scope.kind == "division":
        division = plan.division(scope.key)
        if division is None:
            return None
        reporting = [p for p in plan.projects if scope.key in responsible(plan, p)]
        return (
            accountable_projects(plan, scope.key),
            reporting,
            (division.name_th, division.name_en),
        )
    root = plan.project(scope.key)
    if root is None:
        return None
    return [root], list(plan.subtree(root)), (root.name_th, root.name_en)


def _quarter_points(
    figures: Figures,
    project_ids: set[int],
    budget: Budget,
    frame: TimeFrame,
    calendar: ReportingCalendar,
) -> tuple[QuarterPoint, ...]:
    by_quarter: dict[int, Decimal] = defaultdict(Decimal)
    for (project_id, period_key), amount in figures.spent_by_period.items():
        name = parse_period_key(period_key)
        if project_id in project_ids and name is not None and name.fiscal_year == frame.fiscal_year:
            by_quarter[name.quarter or 0] += amount
    targets = calendar.quarter_targets()
    points = []
    running = ZERO
    for period in quarters(frame.fiscal_year):
        running += by_quarter.get(period.quarter, ZERO)
        percent = targets.get(period.quarter, ZERO)
        points.append(
            QuarterPoint(
                period.key,
                period.quarter,
                running,
                (budget.allocated * percent / 100).quantize(Decimal("0.01")),
                percent,
                period.end <= frame.period_end or period.key == frame.period_key,
            )
        )
    return tuple(points)


def _drawn(verdict: IndicatorVerdict) -> Verdict:
    """A returned value is drawn as behind: it is owed again, whatever it said."""
    if verdict.mark.state is ReviewState.RETURNED and verdict.value is not None:
        return Verdict.BEHIND
    return verdict.verdict


def _indicator_bar(verdict: IndicatorVerdict) -> ProgressBar:
    return ProgressBar(
        f"{verdict.indicator.seq}",
        IndicatorCounts().add(_drawn(verdict)),
        verdict.progress_percent,
        verdict.expected_percent,
    )


def _group_bars(
    plan: Plan, scope: ChartScope, mine: list[IndicatorVerdict], order: list[str]
) -> tuple[ProgressBar, ...]:
    """The whole plan by strategy; a strategy or division by project (sub-activities under
    their own codes), worst first; a project and its sub-activities by code in plan order
    (`order`)."""
    counts: dict[str, IndicatorCounts] = defaultdict(IndicatorCounts)
    for verdict in mine:
        label = strategy_key(plan, verdict.project) if scope.kind == "all" else verdict.project.code
        counts[label] = counts[label].add(_drawn(verdict))
    bars = [ProgressBar(label, c) for label, c in counts.items()]
    if scope.kind == "all":
        return tuple(sorted(bars, key=lambda b: b.label))
    if scope.kind == "project":
        rank = {code: i for i, code in enumerate(order)}
        return tuple(sorted(bars, key=lambda b: rank.get(b.label, len(rank))))
    return tuple(sorted(bars, key=lambda b: (b.counts.share_on_track, b.label)))
