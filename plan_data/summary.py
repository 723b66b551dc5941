"""The whole plan at a glance for one period: per strategy and per division, how many
indicators are reported, on track, behind or not reported, and money against the cumulative
disbursement target. /summary, /chart, the spreadsheet and the quarterly report use it.

Money comes from `rollup` (a strategy: its top-level projects rolled up; a division: the
projects it is accountable for); indicators count for every division responsible for their
project and for the strategy their top-level project is under.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from plan_data.figures import Figures
from plan_data.model import Indicator, Plan, Project
from plan_data.money import Budget
from plan_data.progress import (
    IndicatorCounts,
    TimeFrame,
    Verdict,
    expected_percent,
    judge,
    progress_percent,
)
from plan_data.review import NO_MARK, ReviewCounts, ReviewMark
from plan_data.rollup import (
    RECURRING,
    TOTAL,
    division_total,
    plan_total,
    responsible,
    strategy_key,
    strategy_total,
)


@dataclass(frozen=True)
class IndicatorVerdict:
    project: Project
    indicator: Indicator
    value: Decimal | None  # the newest value that counts for the period
    verdict: Verdict
    progress_percent: Decimal | None  # value against the full-year target
    expected_percent: Decimal | None  # where it should be by the period's end
    mark: ReviewMark = NO_MARK  # the review of the period's value (submitted when none)
    late: bool = False  # the period's value was recorded after its deadline


@dataclass(frozen=True)
class SummaryLine:
    key: str  # "S1".."S6", "recurring", a division key, or "total"
    name_th: str
    name_en: str
    indicators: IndicatorCounts
    budget: Budget
    target_percent: Decimal
    reviews: ReviewCounts = field(default_factory=ReviewCounts)  # the period's values

    @property
    def gap_points(self) -> Decimal | None:
        """Percent spent minus the cumulative target; negative is behind."""
        spent = self.budget.percent_spent
        return None if spent is None else spent - self.target_percent

    def badness(self) -> tuple[Decimal, Decimal]:
        """Sort key, worst first: the smaller share on track, then the larger spending lag."""
        gap = self.gap_points
        return self.indicators.share_on_track, gap if gap is not None else Decimal(0)


@dataclass(frozen=True)
class PlanSummary:
    frame: TimeFrame
    strategies: tuple[SummaryLine, ...]  # worst first; "recurring" among them
    divisions: tuple[SummaryLine, ...]  # worst first
    total: SummaryLine


Marks = Mapping[int, ReviewMark]  # indicator id -> the review of its value for the period


def verdicts(
    plan: Plan, figures: Figures, frame: TimeFrame, marks: Marks | None = None
) -> list[IndicatorVerdict]:
    """Every indicator of the plan judged for the frame's period, in plan order, with the
    review of the period's value where one was reported."""
    marks = marks or {}
    result = []
    for project in plan.projects:
        for indicator in project.indicators:
            value = figures.in_period.get(indicator.id)
            result.append(
                IndicatorVerdict(
                    project,
                    indicator,
                    value,
                    judge(indicator, value, frame.year_share),
                    progress_percent(indicator, value),
                    expected_percent(indicator, frame.year_share),
                    NO_MARK if value is None else marks.get(indicator.id, NO_MARK),
                    value is not None and indicator.id in figures.late,
                )
            )
    return result


def plan_summary(
    plan: Plan, figures: Figures, frame: TimeFrame, marks: Marks | None = None
) -> PlanSummary:
    """Per strategy and per division, worst first, and the whole plan; with `marks`, how many
    of the period's values are verified, returned or waiting for review."""
    by_strategy: dict[str, IndicatorCounts] = defaultdict(IndicatorCounts)
    by_division: dict[str, IndicatorCounts] = defaultdict(IndicatorCounts)
    reviews: dict[str, ReviewCounts] = defaultdict(ReviewCounts)  # by strategy or division key
    total = IndicatorCounts()
    for item in verdicts(plan, figures, frame, marks):
        key = strategy_key(plan, item.project)
        by_strategy[key] = by_strategy[key].add(item.verdict)
        total = total.add(item.verdict)
        keys = [key, *responsible(plan, item.project)]
        if item.value is not None:
            for group in [TOTAL, *keys]:
                reviews[group] = reviews[group].add(item.mark.state)
        for division in keys[1:]:
            by_division[division] = by_division[division].add(item.verdict)
    target = frame.target_percent
    strategy_keys = {strategy_key(plan, p) for p in plan.tops()} | set(by_strategy)
    strategies = [
        SummaryLine(
            key,
            *_strategy_names(plan, key),
            by_strategy[key],
            strategy_total(plan, key, figures),
            target,
            reviews[key],
        )
        for key in sorted(strategy_keys, key=_strategy_order)
    ]
    division_keys = {key for p in plan.projects for key in responsible(plan, p)}
    divisions = [
        SummaryLine(
            d.key,
            d.name_th,
            d.name_en,
            by_division[d.key],
            division_total(plan, d.key, figures),
            target,
            reviews[d.key],
        )
        for d in plan.divisions
        if d.key in division_keys
    ]
    return PlanSummary(
        frame,
        tuple(sorted(strategies, key=SummaryLine.badness)),
        tuple(sorted(divisions, key=SummaryLine.badness)),
        SummaryLine(TOTAL, "", "", total, plan_total(plan, figures), target, reviews[TOTAL]),
    )


def _strategy_order(key: str) -> tuple[int, str]:
    return (1, key) if key == RECURRING else (0, key.zfill(4))


def _strategy_names(plan: Plan, key: str) -> tuple[str, str]:
    if key == RECURRING:
        return plan.recurring_name_th, plan.recurring_name_en
    strategy = plan.strategy(int(key[1:]))
    return (strategy.name_th, strategy.name_en) if strategy else ("", "")
