"""What the quarterly report to the board holds, for one period: the plan summary (the figures
/summary shows), each project's indicators judged for the period with its money rolled up, the
reporters' notes of the period, and per division the indicators not reported and those whose
value a reviewer returned. Each value carries its review mark (state, reason, files).

Figures come from the rules of `summary`, `rollup` and `progress`; nothing is counted here that
/summary, /status or /due would count differently. Storage fills `Figures` with spending
recorded for the periods up to and including the one reported on (so a report on a past
quarter shows its money as it stood then), the period's values and its notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from plan_data.calendar import ReportingCalendar, ReportingPeriod
from plan_data.figures import Figures, Note
from plan_data.model import Division, Plan, Project
from plan_data.money import Budget
from plan_data.progress import TimeFrame, Verdict
from plan_data.review import ReviewState
from plan_data.rollup import RECURRING, project_budget, responsible, strategy_key
from plan_data.summary import (
    IndicatorVerdict,
    Marks,
    PlanSummary,
    SummaryLine,
    plan_summary,
    verdicts,
)


@dataclass(frozen=True)
class ProjectSection:
    project: Project
    depth: int  # 0 for a top-level project, 1 for its sub-activities, …
    strategy: str  # S1..S6 or "recurring"
    divisions: tuple[Division, ...]
    budget: Budget  # rolled up over its sub-activities
    indicators: tuple[IndicatorVerdict, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class DivisionMissing:
    division: Division
    missing: tuple[IndicatorVerdict, ...]  # not reported for the period, in plan order
    returned: tuple[IndicatorVerdict, ...] = ()  # reported, and returned by a reviewer


@dataclass(frozen=True)
class QuarterlyReport:
    plan: Plan
    frame: TimeFrame
    summary: PlanSummary
    strategies: tuple[SummaryLine, ...]  # plan order (S1.., then the recurring expenses)
    divisions: tuple[SummaryLine, ...]  # plan order
    projects: tuple[ProjectSection, ...]  # plan order: a parent before its sub-activities
    missing: tuple[DivisionMissing, ...]  # divisions with something missing or returned


def periods_through(calendar: ReportingCalendar, period: ReportingPeriod) -> list[str]:
    """The keys of the calendar's periods up to and including `period`: whose spending counts
    in a report on it."""
    keys = [p.key for p in calendar.periods]
    return keys[: keys.index(period.key) + 1] if period.key in keys else [period.key]


def quarterly_report(
    plan: Plan, figures: Figures, frame: TimeFrame, marks: Marks | None = None
) -> QuarterlyReport:
    """The report's contents. `figures` needs `spent`, `in_period` and `notes`; `marks` the
    review of each value of the period and the files behind it."""
    summary = plan_summary(plan, figures, frame, marks)
    judged = verdicts(plan, figures, frame, marks)
    by_project: dict[str, list[IndicatorVerdict]] = {}
    for item in judged:
        by_project.setdefault(item.project.code, []).append(item)
    sections = tuple(
        ProjectSection(
            project,
            sum(1 for _ in plan.ancestors(project)),
            strategy_key(plan, project),
            _divisions(plan, responsible(plan, project)),
            project_budget(plan, project, figures),
            tuple(by_project.get(project.code, ())),
            figures.notes.get(project.id, ()),
        )
        for project in plan.projects
    )
    missing = []
    for division in plan.divisions:
        theirs = [item for item in judged if division.key in responsible(plan, item.project)]
        owed = tuple(item for item in theirs if item.verdict is Verdict.NOT_REPORTED)
        returned = tuple(
            item
            for item in theirs
            if item.value is not None and item.mark.state is ReviewState.RETURNED
        )
        if owed or returned:
            missing.append(DivisionMissing(division, owed, returned))
    division_order = {d.key: i for i, d in enumerate(plan.divisions)}
    return QuarterlyReport(
        plan,
        frame,
        summary,
        tuple(sorted(summary.strategies, key=lambda line: _strategy_order(line.key))),
        tuple(sorted(summary.divisions, key=lambda line: division_order.get(line.key, 0))),
        sections,
        tuple(missing),
    )


def _divisions(plan: Plan, keys: Iterable[str]) -> tuple[Division, ...]:
    found = (plan.division(key) for key in keys)
    return tuple(d for d in found if d is not None)


def _strategy_order(key: str) -> tuple[int, int]:
    return (1, 0) if key == RECURRING else (0, int(key[1:]))
