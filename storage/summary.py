"""The whole plan at a glance for one reporting period: per strategy and per division, how many
indicators are reported, on track, behind or not reported, and money against the cumulative
disbursement target. Used by /summary, /chart and the spreadsheet export.

"On track" (see `judge`), for the newest active report of the period:
- at_most: value ≤ target;
- at_least with a rate (unit percent) or a score (unit level): value ≥ target — a rate is
  measured whole each time, not accumulated, so it is not pro-rated;
- at_least with a count (people, reports, times …) and milestone: value ≥ target × the share of
  the fiscal year elapsed by the period's end (Q2 of a 365-day year: 182/365 of the target);
- no target in the plan: reported counts as on track (there is nothing to fall behind).
"Not reported" = no active report (not reversed by an undo) for the period.

Money follows /budget: a top-level project carries its sub-activities' money, a division counts
the top-level projects it is linked to. Indicators count for the divisions of their own project
(a sub-activity names its own divisions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db.models import (
    Division,
    FiscalYear,
    Indicator,
    IndicatorReport,
    Project,
    ProjectDivision,
    SpendingEntry,
    Strategy,
)
from storage.periods import period_by_key
from storage.plan_io.records import add_optional, rolled_up
from storage.status import Budget, active_reports

ZERO = Decimal(0)
RATE_UNITS = ("percent", "level")
ON_TRACK, BEHIND, NOT_REPORTED = "on_track", "behind", "not_reported"


@dataclass(frozen=True)
class TimeFrame:
    """Where in the year a summary stands: the period reported on and the targets for it."""

    fiscal_year: int
    period_key: str  # e.g. 2564-Q2
    period_end: date
    year_share: Decimal  # share of the fiscal year elapsed by the period's end, 0..1
    target_percent: Decimal  # cumulative disbursement target, percent of the allocation


@dataclass(frozen=True)
class IndicatorCounts:
    total: int = 0
    on_track: int = 0
    behind: int = 0

    @property
    def reported(self) -> int:
        return self.on_track + self.behind

    @property
    def not_reported(self) -> int:
        return self.total - self.reported

    @property
    def reported_percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.reported) / self.total * 100).quantize(Decimal("0.1"))

    def add(self, verdict: str) -> IndicatorCounts:
        return IndicatorCounts(
            self.total + 1,
            self.on_track + (verdict == ON_TRACK),
            self.behind + (verdict == BEHIND),
        )


@dataclass(frozen=True)
class SummaryLine:
    key: str  # "S1".."S6", "recurring", a division key, or "total"
    name_th: str
    name_en: str
    indicators: IndicatorCounts
    budget: Budget
    target_percent: Decimal

    @property
    def gap_points(self) -> Decimal | None:
        """Percent spent minus the cumulative target; negative is behind."""
        spent = self.budget.percent_spent
        return None if spent is None else spent - self.target_percent

    def badness(self) -> tuple[Decimal, Decimal]:
        """Sort key, worst first: the smaller share on track, then the larger spending lag."""
        counts = self.indicators
        share = Decimal(counts.on_track) / counts.total if counts.total else Decimal(1)
        gap = self.gap_points
        return share, gap if gap is not None else Decimal(0)


@dataclass(frozen=True)
class IndicatorVerdict:
    code: str
    seq: int
    text: str
    target: Decimal | None
    unit: str
    direction: str
    value: Decimal | None  # the newest active value for the period
    verdict: str  # on_track | behind | not_reported
    progress_percent: Decimal | None  # value against the full-year target


@dataclass(frozen=True)
class PlanSummary:
    frame: TimeFrame
    strategies: tuple[SummaryLine, ...]  # worst first; "recurring" among them
    divisions: tuple[SummaryLine, ...]  # worst first
    total: SummaryLine


@dataclass
class PlanRows:
    """The rows of the newest plan, loaded once per summary."""

    projects: list[Project]
    top_of: dict[int, Project]
    money: dict[int, Budget]  # top-level project id -> its folded budget
    divisions_of: dict[int, list[Division]]  # project id -> linked divisions
    indicators: list[Indicator]
    strategies: dict[int, Strategy] = field(default_factory=dict)


def judge(
    value: Decimal | None,
    target: Decimal | None,
    unit: str,
    direction: str,
    year_share: Decimal,
) -> str:
    """On track, behind or not reported; the rules are in this module's docstring."""
    if value is None:
        return NOT_REPORTED
    if target is None:
        return ON_TRACK
    if direction == "at_most":
        return ON_TRACK if value <= target else BEHIND
    needed = target if direction == "at_least" and unit in RATE_UNITS else target * year_share
    return ON_TRACK if value >= needed else BEHIND


def year_share(fiscal_year: int, period_end: date) -> Decimal:
    """How much of the fiscal year (1 Oct – 30 Sep) has passed by the end of `period_end`."""
    first = date(fiscal_year - 544, 10, 1)
    last = date(fiscal_year - 543, 9, 30)
    elapsed = min(max((period_end - first).days + 1, 0), (last - first).days + 1)
    return Decimal(elapsed) / Decimal((last - first).days + 1)


def frame_at(session: Session, at: datetime) -> TimeFrame | None:
    """The period a report made at `at` counts for, and its targets, from the reporting calendar
    of the newest plan's fiscal year; None when no plan is loaded."""
    from storage.calendar import load_calendar

    year = newest_year(session)
    if year is None:
        return None
    calendar = load_calendar(year)
    period = calendar.period_for_report(at)
    end = getattr(period, "end", None)
    if end is None:
        known = period_by_key(period.key)
        end = known.end if known else date(year - 543, 9, 30)
    return TimeFrame(
        year,
        period.key,
        end,
        year_share(year, end),
        Decimal(period.disbursement_target),  # the quarter's cumulative target, as /due says
    )


def newest_year(session: Session) -> int | None:
    return session.scalar(select(FiscalYear.year).order_by(FiscalYear.year.desc()).limit(1))


def load_plan(session: Session) -> PlanRows:
    year_id = session.scalar(select(FiscalYear.id).order_by(FiscalYear.year.desc()).limit(1))
    projects = list(
        session.scalars(
            select(Project)
            .where(Project.fiscal_year_id == year_id, Project.retired.is_(False))
            .order_by(Project.position, Project.id)
        )
    )
    by_id = {p.id: p for p in projects}
    top_of: dict[int, Project] = {}
    for project in projects:
        top = project
        while top.parent_id is not None and top.parent_id in by_id:
            top = by_id[top.parent_id]
        top_of[project.id] = top
    spent_by_id: dict[int, Decimal] = dict(
        session.execute(  # type: ignore[arg-type]
            select(SpendingEntry.project_id, func.sum(SpendingEntry.amount)).group_by(
                SpendingEntry.project_id
            )
        ).all()
    )
    money = _fold_money(projects, top_of, spent_by_id)
    divisions_of: dict[int, list[Division]] = defaultdict(list)
    links = session.execute(
        select(ProjectDivision.project_id, Division)
        .join(Division, Division.id == ProjectDivision.division_id)
        .order_by(ProjectDivision.project_id, ProjectDivision.position)
    ).all()
    for project_id, division in links:
        if project_id in by_id:
            divisions_of[project_id].append(division)
    indicators = list(
        session.scalars(
            select(Indicator)
            .where(Indicator.project_id.in_(by_id), Indicator.retired.is_(False))
            .order_by(Indicator.project_id, Indicator.seq)
        )
    )
    strategies = {
        s.id: s for s in session.scalars(select(Strategy).where(Strategy.fiscal_year_id == year_id))
    }
    return PlanRows(projects, top_of, money, divisions_of, indicators, strategies)


def _fold_money(
    projects: list[Project], top_of: dict[int, Project], spent_by_id: dict[int, Decimal]
) -> dict[int, Budget]:
    """A parent's own figure when it has one, else the sum of its children (as /budget)."""
    spent: dict[int, Decimal] = defaultdict(Decimal)
    parts: dict[int, list[tuple[Decimal | None, Decimal | None]]] = defaultdict(list)
    tops: dict[int, Project] = {}
    for project in projects:
        top = top_of[project.id]
        spent[top.id] += spent_by_id.get(project.id) or ZERO
        if project is top:
            tops[top.id] = top
        else:
            parts[top.id].append((project.budget_gov, project.budget_own))
    result = {}
    for top_id, top in tops.items():
        gov, own = rolled_up(top.budget_gov, top.budget_own, parts[top_id])
        result[top_id] = Budget(gov, own, spent[top_id])
    return result


def latest_values(session: Session, period_key: str) -> dict[int, Decimal]:
    """Indicator id -> the newest active value reported for the period."""
    active = active_reports().where(IndicatorReport.period == period_key).subquery()
    newest = select(func.max(active.c.id)).group_by(active.c.indicator_id)
    rows = session.execute(
        select(IndicatorReport.indicator_id, IndicatorReport.value).where(
            IndicatorReport.id.in_(newest)
        )
    ).all()
    return {indicator_id: value for indicator_id, value in rows if value is not None}


def sum_budgets(budgets: Iterable[Budget]) -> Budget:
    gov: Decimal | None = None
    own: Decimal | None = None
    spent = ZERO
    for b in budgets:
        gov, own = add_optional(gov, b.allocated_gov), add_optional(own, b.allocated_own)
        spent += b.spent
    return Budget(gov, own, spent)


def indicator_verdicts(
    session: Session, frame: TimeFrame, plan: PlanRows | None = None
) -> list[IndicatorVerdict]:
    """Every indicator of the plan judged for the frame's period, in plan order."""
    plan = plan or load_plan(session)
    values = latest_values(session, frame.period_key)
    codes = {p.id: p.code for p in plan.projects}
    result = []
    for ind in plan.indicators:
        value = values.get(ind.id)
        progress = None
        if value is not None and ind.target:
            if ind.direction == "at_most":
                progress = Decimal(100) if value <= ind.target else ZERO
            else:
                progress = (value / ind.target * 100).quantize(Decimal("0.1"))
        result.append(
            IndicatorVerdict(
                codes[ind.project_id],
                ind.seq,
                ind.text,
                ind.target,
                ind.unit,
                ind.direction,
                value,
                judge(value, ind.target, ind.unit, ind.direction, frame.year_share),
                progress,
            )
        )
    return result


def plan_summary(session: Session, frame: TimeFrame) -> PlanSummary:
    """Per strategy and per division, worst first, and the whole plan."""
    plan = load_plan(session)
    verdicts = indicator_verdicts(session, frame, plan)
    by_project: dict[int, list[str]] = defaultdict(list)
    for ind, verdict in zip(plan.indicators, verdicts, strict=True):
        by_project[ind.project_id].append(verdict.verdict)
    strategy_counts: dict[str, IndicatorCounts] = defaultdict(IndicatorCounts)
    division_counts: dict[str, IndicatorCounts] = defaultdict(IndicatorCounts)
    total_counts = IndicatorCounts()
    for project in plan.projects:
        group = strategy_key(plan, plan.top_of[project.id])
        for verdict in by_project.get(project.id, ()):
            strategy_counts[group] = strategy_counts[group].add(verdict)
            total_counts = total_counts.add(verdict)
            for division in plan.divisions_of.get(project.id, ()):
                division_counts[division.key] = division_counts[division.key].add(verdict)
    strategy_money: dict[str, list[Budget]] = defaultdict(list)
    division_money: dict[str, list[Budget]] = defaultdict(list)
    division_rows: dict[str, Division] = {}
    for top_id, budget in plan.money.items():
        top = plan.top_of[top_id]
        strategy_money[strategy_key(plan, top)].append(budget)
        for division in plan.divisions_of.get(top_id, ()):
            division_money[division.key].append(budget)
            division_rows[division.key] = division
    for project in plan.projects:
        for division in plan.divisions_of.get(project.id, ()):
            division_rows.setdefault(division.key, division)
    target = frame.target_percent
    strategies = [
        SummaryLine(
            key,
            *_strategy_names(session, plan, key),
            strategy_counts[key],
            sum_budgets(strategy_money[key]),
            target,
        )
        for key in sorted(set(strategy_money) | set(strategy_counts), key=_strategy_order)
    ]
    divisions = [
        SummaryLine(
            key,
            division.name_th,
            division.name_en,
            division_counts[key],
            sum_budgets(division_money[key]),
            target,
        )
        for key, division in division_rows.items()
    ]
    total = SummaryLine("total", "", "", total_counts, sum_budgets(plan.money.values()), target)
    return PlanSummary(
        frame,
        tuple(sorted(strategies, key=SummaryLine.badness)),
        tuple(sorted(divisions, key=SummaryLine.badness)),
        total,
    )


def strategy_key(plan: PlanRows, top: Project) -> str:
    strategy = plan.strategies.get(top.strategy_id) if top.strategy_id else None
    return f"S{strategy.number}" if strategy else "recurring"


def _strategy_order(key: str) -> tuple[int, str]:
    return (1, key) if key == "recurring" else (0, key.zfill(4))


def _strategy_names(session: Session, plan: PlanRows, key: str) -> tuple[str, str]:
    if key == "recurring":
        year = session.scalar(select(FiscalYear).order_by(FiscalYear.year.desc()).limit(1))
        return (year.recurring_name_th, year.recurring_name_en) if year else ("", "")
    number = int(key[1:])
    for strategy in plan.strategies.values():
        if strategy.number == number:
            return strategy.name_th, strategy.name_en
    return "", ""
