"""What the quarterly report to the board holds, for one period: the plan summary (the figures
/summary shows), each project's indicators judged for the period with its money rolled up, the
reporters' notes of the period, and per division the indicators not reported and those whose
value a reviewer returned. Each value carries its review mark (state, reason, files). The
executive summary's choices are rules here too: which projects most need attention and why
(`needs_attention`), and which returned values are still open.

Figures come from the rules of `summary`, `rollup` and `progress`; nothing is counted here that
/summary, /status or /due would count differently. Storage fills `Figures` with spending
recorded for the periods up to and including the one reported on (so a report on a past
quarter shows its money as it stood then), the period's values and its notes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

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
class ProjectGap:
    """One project's indicators not reported for the period, by their numbers (1..n)."""

    project: Project
    seqs: tuple[int, ...]


@dataclass(frozen=True)
class DivisionMissing:
    division: Division
    missing: tuple[IndicatorVerdict, ...]  # not reported for the period, in plan order
    returned: tuple[IndicatorVerdict, ...] = ()  # reported, and returned by a reviewer

    @property
    def projects(self) -> tuple[ProjectGap, ...]:
        """The missing indicators one line per project, in plan order."""
        seqs: dict[str, list[int]] = {}
        projects: dict[str, Project] = {}
        for item in self.missing:
            projects.setdefault(item.project.code, item.project)
            seqs.setdefault(item.project.code, []).append(item.indicator.seq)
        return tuple(ProjectGap(projects[code], tuple(found)) for code, found in seqs.items())


class Concern(enum.Enum):
    """Why a project is named in the executive summary, most telling first."""

    BEHIND = "behind"  # indicators judged behind their target for the period
    NOTHING_REPORTED = "nothing_reported"  # it has indicators and reported none of them
    SPENDING_LAG = "spending_lag"  # spent less than half of what the cumulative target asks


@dataclass(frozen=True)
class Attention:
    """A top-level project (its sub-activities counted in) that needs the board's attention."""

    project: Project
    concerns: tuple[Concern, ...]
    behind: int  # indicators behind target
    indicators: int  # indicators in all
    budget: Budget  # rolled up
    target_percent: Decimal


@dataclass(frozen=True)
class Signer:
    """A name and position on the report's closing block; empty ones are dotted lines."""

    name: str = ""
    position: str = ""


@dataclass(frozen=True)
class ReportOptions:
    """How the planning division wants its report set (PLANBOT_REPORT_* settings)."""

    preparer: Signer = Signer()
    reviewer: Signer = Signer()
    approver: Signer = Signer()
    thai_digits: bool = False  # ๐–๙ in the whole document instead of 0–9


DEFAULT_OPTIONS = ReportOptions()  # dotted lines to sign on, Arabic digits


ATTENTION_LIMIT = 5  # the executive summary names at most this many projects
FAR_BEHIND = Decimal("0.5")  # spending lags when below this share of the cumulative target


@dataclass(frozen=True)
class QuarterlyReport:
    plan: Plan
    frame: TimeFrame
    summary: PlanSummary
    strategies: tuple[SummaryLine, ...]  # plan order (S1.., then the recurring expenses)
    divisions: tuple[SummaryLine, ...]  # plan order
    projects: tuple[ProjectSection, ...]  # plan order: a parent before its sub-activities
    missing: tuple[DivisionMissing, ...]  # divisions with something missing or returned
    attention: tuple[Attention, ...] = ()  # the projects that most need attention, worst first
    returned: tuple[IndicatorVerdict, ...] = ()  # values returned and not reported again

    def strategy_sections(self, key: str) -> tuple[ProjectSection, ...]:
        """The projects of one strategy (or of the recurring expenses), in plan order."""
        return tuple(s for s in self.projects if s.strategy == key)


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
    returned = tuple(
        item
        for item in judged
        if item.value is not None and item.mark.state is ReviewState.RETURNED
    )
    return QuarterlyReport(
        plan,
        frame,
        summary,
        tuple(sorted(summary.strategies, key=lambda line: _strategy_order(line.key))),
        tuple(sorted(summary.divisions, key=lambda line: division_order.get(line.key, 0))),
        sections,
        tuple(missing),
        needs_attention(plan, judged, sections, frame),
        returned,
    )


def needs_attention(
    plan: Plan,
    judged: Sequence[IndicatorVerdict],
    sections: Sequence[ProjectSection],
    frame: TimeFrame,
    limit: int = ATTENTION_LIMIT,
) -> tuple[Attention, ...]:
    """The top-level projects with a concern, worst first: the most concerns, then the most
    indicators behind, then the largest budget (what is at stake); at most `limit`."""
    budgets = {s.project.code: s.budget for s in sections}
    found = []
    for project in plan.tops():
        codes = {p.code for p in plan.subtree(project)}
        theirs = [item for item in judged if item.project.code in codes]
        behind = sum(1 for item in theirs if item.verdict is Verdict.BEHIND)
        budget = budgets[project.code]
        concerns = []
        if behind:
            concerns.append(Concern.BEHIND)
        if theirs and not any(item.verdict.reported for item in theirs):
            concerns.append(Concern.NOTHING_REPORTED)
        if spending_lags(budget, frame.target_percent):
            concerns.append(Concern.SPENDING_LAG)
        if concerns:
            found.append(
                Attention(
                    project, tuple(concerns), behind, len(theirs), budget, frame.target_percent
                )
            )
    found.sort(key=lambda a: (-len(a.concerns), -a.behind, -a.budget.allocated))
    return tuple(found[:limit])


def spending_lags(budget: Budget, target_percent: Decimal) -> bool:
    """Spending far behind: a budget, a target above zero, and less than half of it spent."""
    spent = budget.percent_spent
    return spent is not None and target_percent > 0 and spent < target_percent * FAR_BEHIND


def seq_ranges(seqs: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """Runs of consecutive numbers: 1, 2, 3, 5, 7, 8 -> (1, 3), (5, 5), (7, 8)."""
    runs: list[tuple[int, int]] = []
    for seq in sorted(set(seqs)):
        if runs and seq == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], seq)
        else:
            runs.append((seq, seq))
    return tuple(runs)


def _divisions(plan: Plan, keys: Iterable[str]) -> tuple[Division, ...]:
    found = (plan.division(key) for key in keys)
    return tuple(d for d in found if d is not None)


def _strategy_order(key: str) -> tuple[int, int]:
    return (1, 0) if key == RECURRING else (0, int(key[1:]))
