"""What is due: for each division and a day, the period being collected, its due dates, each
indicator not yet reported for it, and the projects whose spending lags the cabinet's
cumulative disbursement target. Divisions answer for the indicators and money that
`rollup` attributes to them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from plan_data.calendar import ReportingPeriod
from plan_data.figures import Figures
from plan_data.model import Division, Plan
from plan_data.rollup import accountable_projects, project_budget, responsible


@dataclass(frozen=True)
class MissingIndicator:
    code: str
    project_name_th: str
    project_name_en: str
    seq: int  # the number /update takes
    text: str
    unit: str
    tags: tuple[str, ...]
    returned: str | None = None  # the reviewer's reason when the value was returned; else None
    shared: bool = False  # its project is another division's too (counted once in totals)


@dataclass(frozen=True)
class LaggingProject:
    code: str
    name_th: str
    name_en: str
    allocated: Decimal  # baht
    spent: Decimal
    percent_spent: Decimal
    target: Decimal  # the period's cumulative disbursement target, percent


@dataclass(frozen=True)
class DivisionDue:
    division: Division
    period: ReportingPeriod
    today: date  # Bangkok day of the moment asked about
    missing: tuple[MissingIndicator, ...]
    lagging: tuple[LaggingProject, ...]
    indicators: int  # how many indicators the division answers for in this period
    window_days: int = 14  # weekly reminders start this long before the internal due date
    keys: frozenset[tuple[str, int]] = frozenset()  # (code, seq) of every indicator it answers for
    shared: int = 0  # how many of `indicators` lie in projects shared with another division

    @property
    def reported(self) -> int:
        return self.indicators - len(self.missing)

    @property
    def spending_compared(self) -> bool:
        """Whether spending was compared with a target: only once the period has ended (its
        cumulative target applies); before that a lag count of 0 would reassure falsely."""
        return self.today > self.period.end

    @property
    def days_left(self) -> int:
        return self.period.days_left(self.today)

    @property
    def state(self) -> str:
        """open (before the internal due date), due_today, or overdue."""
        left = self.days_left
        return "open" if left > 0 else "due_today" if left == 0 else "overdue"

    @property
    def anything_due(self) -> bool:
        return bool(self.missing or self.lagging)

    @property
    def late(self) -> bool:
        """Past the internal due date with indicators still unreported."""
        return self.state == "overdue" and bool(self.missing)

    def reminder(self, weekly: bool) -> str | None:
        """The reminder a scheduler run sends this division, or None: `weekly` within the
        window before the internal due date (never months ahead), `due_today` on it,
        `overdue` after it while indicators are missing."""
        if self.state == "due_today" and self.anything_due:
            return "due_today"
        if self.late:
            return "overdue"
        in_window = self.days_left <= self.window_days
        if self.state == "open" and weekly and in_window and self.anything_due:
            return "weekly"
        return None


def division_dues(
    plan: Plan,
    period: ReportingPeriod,
    today: date,
    reported: Collection[int],
    figures: Figures,
    only: str | None = None,
    window_days: int = 14,
    returned: Mapping[int, str] | None = None,
) -> list[DivisionDue]:
    """One DivisionDue per division with projects (or only `only`'s), in the plan's division
    order — including divisions with nothing due, so callers can say so. `reported` holds the
    ids of indicators with a value that counts for the period; `returned` those whose value
    for the period a reviewer returned, with the reason: they are owed again (a new report is
    submitted, and leaves this). `figures.spent` is the spending. Spending lags only against
    the cumulative target of a period that has ended."""
    returned = returned or {}
    result = []
    for division in plan.divisions:
        if only is not None and division.key != only:
            continue
        projects = [p for p in plan.projects if division.key in responsible(plan, p)]
        if not projects:
            continue
        shared = {p.code for p in projects if len(responsible(plan, p)) > 1}
        missing = tuple(
            MissingIndicator(
                p.code,
                p.name_th,
                p.name_en,
                i.seq,
                i.text,
                i.unit,
                i.tags,
                returned.get(i.id),
                p.code in shared,
            )
            for p in projects
            for i in p.indicators
            if i.id not in reported or i.id in returned
        )
        count = sum(len(p.indicators) for p in projects)
        keys = frozenset((p.code, i.seq) for p in projects for i in p.indicators)
        shared_count = sum(len(p.indicators) for p in projects if p.code in shared)
        lagging = []
        ended = today > period.end
        for project in accountable_projects(plan, division.key) if ended else ():
            budget = project_budget(plan, project, figures)
            target = period.disbursement_target
            share = budget.percent_spent
            if budget.allocated > 0 and target > 0 and share is not None and share < target:
                lagging.append(
                    LaggingProject(
                        project.code,
                        project.name_th,
                        project.name_en,
                        budget.allocated,
                        budget.spent,
                        share,
                        target,
                    )
                )
        result.append(
            DivisionDue(
                division,
                period,
                today,
                missing,
                tuple(lagging),
                count,
                window_days,
                keys,
                shared_count,
            )
        )
    return result


@dataclass(frozen=True)
class InstituteDue:
    """The whole institute's state for a period, each indicator counted once (a project two
    divisions share is owed once, though both divisions' lines show it)."""

    period: ReportingPeriod
    indicators: int
    missing: int
    behind: tuple[DivisionDue, ...]  # divisions with something unreported, in plan order
    divisions: tuple[DivisionDue, ...]

    @property
    def reported(self) -> int:
        return self.indicators - self.missing


def institute_due(dues: Sequence[DivisionDue]) -> list[InstituteDue]:
    """One InstituteDue per period among `dues` (every division's), in the order first seen."""
    periods: dict[str, list[DivisionDue]] = {}
    for due in dues:
        periods.setdefault(due.period.key, []).append(due)
    result = []
    for group in periods.values():
        every = frozenset().union(*(d.keys for d in group))
        owed = {(m.code, m.seq) for d in group for m in d.missing}
        behind = tuple(d for d in group if d.missing)
        result.append(InstituteDue(group[0].period, len(every), len(owed), behind, tuple(group)))
    return result


@dataclass(frozen=True)
class ProjectOwed:
    """A project's owed indicators in one line of /due: their numbers, which were returned."""

    code: str
    name_th: str
    name_en: str
    seqs: tuple[int, ...]
    returned: tuple[MissingIndicator, ...]
    shared: bool


def by_project(missing: Sequence[MissingIndicator]) -> list[ProjectOwed]:
    """The owed indicators grouped by project, in plan order."""
    grouped: dict[str, list[MissingIndicator]] = {}
    for item in missing:
        grouped.setdefault(item.code, []).append(item)
    return [
        ProjectOwed(
            code,
            items[0].project_name_th,
            items[0].project_name_en,
            tuple(i.seq for i in items),
            tuple(i for i in items if i.returned is not None),
            items[0].shared,
        )
        for code, items in grouped.items()
    ]


def seq_ranges(seqs: Sequence[int]) -> str:
    """1–12, or 1, 3–5, 9: indicator numbers as a reader scans them."""
    runs: list[list[int]] = []
    for seq in sorted(set(seqs)):
        if runs and seq == runs[-1][-1] + 1:
            runs[-1].append(seq)
        else:
            runs.append([seq])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs]
    return ", ".join(parts)
