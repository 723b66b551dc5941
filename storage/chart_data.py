"""What /chart draws, for the whole plan, a strategy, a division or one project: cumulative
spending per quarter against the cumulative disbursement target, and indicator progress."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db.models import SpendingEntry
from storage.periods import BANGKOK, quarters
from storage.status import Budget
from storage.summary import (
    BEHIND,
    ON_TRACK,
    IndicatorCounts,
    IndicatorVerdict,
    PlanRows,
    TimeFrame,
    indicator_verdicts,
    load_plan,
    strategy_key,
    sum_budgets,
)

ZERO = Decimal(0)
MAX_BARS = 14  # what stays readable on a phone


@dataclass(frozen=True)
class Scope:
    kind: str  # all | strategy | division | project
    key: str  # "", "S3", a division key, or a project code


@dataclass(frozen=True)
class QuarterPoint:
    period_key: str
    quarter: int
    spent: Decimal  # cumulative baht at the quarter's end (None-free: 0 when nothing)
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
    scope: Scope
    name_th: str
    name_en: str
    frame: TimeFrame
    budget: Budget
    quarters: tuple[QuarterPoint, ...]
    bars: tuple[ProgressBar, ...]
    per_indicator: bool  # bars are single indicators (a project) rather than groups


def quarter_targets(fiscal_year: int) -> dict[str, Decimal]:
    """Each quarter's cumulative disbursement target (percent), from the reporting calendar."""
    from storage.calendar import load_calendar

    calendar = load_calendar(fiscal_year)
    result = {}
    for period in quarters(fiscal_year):
        moment = datetime.combine(period.end, time(12, 0), tzinfo=BANGKOK)
        result[period.key] = Decimal(calendar.disbursement_target(moment))
    return result


def chart_data(
    session: Session, scope: Scope, frame: TimeFrame, targets: dict[str, Decimal]
) -> ChartData | None:
    """The figures for one scope; None when the scope names nothing in the plan."""
    plan = load_plan(session)
    project_ids, top_ids, names = _members(plan, scope)
    if names is None:
        return None
    money_ids = {p.id for p in plan.projects if plan.top_of[p.id].id in top_ids} | (
        project_ids if scope.kind == "project" else set()
    )
    verdicts = indicator_verdicts(session, frame, plan)
    mine = [
        (ind, v)
        for ind, v in zip(plan.indicators, verdicts, strict=True)
        if ind.project_id in project_ids
    ]
    budget = sum_budgets(plan.money[t] for t in top_ids if t in plan.money)
    if scope.kind == "project":
        budget = _project_budget(session, plan, scope.key, budget)
    points = _quarter_points(session, plan, money_ids, budget, frame, targets)
    if scope.kind == "project":
        bars = tuple(_indicator_bar(v, frame, scope.key) for _, v in mine)
    else:
        bars = _group_bars(plan, scope, mine)
    return ChartData(
        scope, names[0], names[1], frame, budget, points, bars[:MAX_BARS], scope.kind == "project"
    )


def _members(plan: PlanRows, scope: Scope) -> tuple[set[int], set[int], tuple[str, str] | None]:
    """The projects whose indicators count, the top-level projects whose money counts (with
    their sub-activities), and the scope's names — by the rules of storage.summary."""
    projects = plan.projects
    names: tuple[str, str] | None = None
    if scope.kind == "all":
        chosen = list(projects)
        names = ("", "")
    elif scope.kind == "strategy":
        chosen = [p for p in projects if strategy_key(plan, plan.top_of[p.id]) == scope.key]
        found = [s for s in plan.strategies.values() if f"S{s.number}" == scope.key]
        names = (found[0].name_th, found[0].name_en) if found and chosen else None
    elif scope.kind == "division":
        chosen = [p for p in projects if any(d.key == scope.key for d in plan.divisions_of[p.id])]
        division = next(
            (d for p in chosen for d in plan.divisions_of[p.id] if d.key == scope.key), None
        )
        names = (division.name_th, division.name_en) if division else None
    else:
        root = next((p for p in projects if p.code == scope.key), None)
        chosen = [p for p in projects if root and (p is root or p.parent_id == root.id)]
        names = (root.name_th, root.name_en) if root else None
    tops = {p.id for p in chosen if plan.top_of[p.id] is p}
    if scope.kind == "project" and chosen and not tops:
        tops = {chosen[0].id}  # a sub-activity on its own
    return {p.id for p in chosen}, tops, names


def _project_budget(session: Session, plan: PlanRows, code: str, folded: Budget) -> Budget:
    """A sub-activity's own money (its parent carries the folded figure)."""
    project = next(p for p in plan.projects if p.code == code)
    if plan.top_of[project.id] is project:
        return folded
    spent = session.scalar(
        select(func.sum(SpendingEntry.amount)).where(SpendingEntry.project_id == project.id)
    )
    return Budget(project.budget_gov, project.budget_own, spent or ZERO)


def _quarter_points(
    session: Session,
    plan: PlanRows,
    project_ids: set[int],
    budget: Budget,
    frame: TimeFrame,
    targets: dict[str, Decimal],
) -> tuple[QuarterPoint, ...]:
    query = select(SpendingEntry.period, func.sum(SpendingEntry.amount)).group_by(
        SpendingEntry.period
    )
    if len(project_ids) != len(plan.projects):
        query = query.where(SpendingEntry.project_id.in_(project_ids))
    by_quarter: dict[int, Decimal] = defaultdict(Decimal)
    for period_key, amount in session.execute(query).all():
        number = quarter_of(period_key, frame.fiscal_year)
        if number is not None:
            by_quarter[number] += amount or ZERO
    points = []
    running = ZERO
    for period in quarters(frame.fiscal_year):
        running += by_quarter.get(period.quarter, ZERO)
        percent = targets.get(period.key, ZERO)
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


def quarter_of(period_key: str, fiscal_year: int) -> int | None:
    """The quarter of a period key of this fiscal year: 2564-Q2 -> 2, 2564-M04 (January) -> 2."""
    year, _, rest = period_key.partition("-")
    if year != str(fiscal_year) or not rest[1:].isdigit():
        return None
    if rest.startswith("Q"):
        return int(rest[1:]) if 1 <= int(rest[1:]) <= 4 else None
    if rest.startswith("M"):
        return (int(rest[1:]) - 1) // 3 + 1 if 1 <= int(rest[1:]) <= 12 else None
    return None


def _indicator_bar(verdict: IndicatorVerdict, frame: TimeFrame, code: str) -> ProgressBar:
    counts = IndicatorCounts().add(verdict.verdict)
    expected = None
    if verdict.target and verdict.direction != "at_most":
        rate = verdict.direction == "at_least" and verdict.unit in ("percent", "level")
        expected = Decimal(100) if rate else (frame.year_share * 100).quantize(Decimal("0.1"))
    label = f"{verdict.seq}" if verdict.code == code else f"{verdict.seq} ({verdict.code})"
    return ProgressBar(label, counts, verdict.progress_percent, expected)


def _group_bars(
    plan: PlanRows, scope: Scope, mine: list[tuple[object, IndicatorVerdict]]
) -> tuple[ProgressBar, ...]:
    """The whole plan by strategy; a strategy or division by top-level project; worst first."""
    codes = {p.code: p for p in plan.projects}
    counts: dict[str, IndicatorCounts] = defaultdict(IndicatorCounts)
    for _, verdict in mine:
        top = plan.top_of[codes[verdict.code].id]
        label = strategy_key(plan, top) if scope.kind == "all" else top.code
        counts[label] = counts[label].add(verdict.verdict)
    bars = [ProgressBar(label, c) for label, c in counts.items()]

    def badness(bar: ProgressBar) -> tuple[Decimal, str]:
        c = bar.counts
        return (Decimal(c.on_track) / c.total if c.total else Decimal(1)), bar.label

    if scope.kind == "all":
        return tuple(sorted(bars, key=lambda b: b.label))
    return tuple(sorted(bars, key=badness))


__all__ = ["BEHIND", "ON_TRACK", "ChartData", "ProgressBar", "QuarterPoint", "Scope"]
