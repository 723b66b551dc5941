"""What is due: for each division and a moment, the period being collected, its due dates, each
indicator not yet reported for it, and the projects whose spending lags the cabinet's target.
Also who should hear about it (the chats linked to a division, members' private chats, and the
planning division and admins for the late summary)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from storage.calendar import ReportingCalendar, ReportingPeriod, load_calendar
from storage.db.models import (
    Chat,
    Division,
    FiscalYear,
    IndicatorReport,
    Person,
    Project,
    ProjectDivision,
    SpendingEntry,
)
from storage.periods import local_day
from storage.plan_io.records import rolled_up
from storage.status import DivisionRef, active_reports

PLANNING_DIVISION = "planning"
CalendarSource = Callable[[int], ReportingCalendar]


@dataclass(frozen=True)
class MissingIndicator:
    code: str
    project_name_th: str
    project_name_en: str
    seq: int  # the number /update takes
    text: str
    unit: str
    tags: tuple[str, ...]


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
    division: DivisionRef
    period: ReportingPeriod
    today: date  # Bangkok day of the moment asked about
    missing: tuple[MissingIndicator, ...]
    lagging: tuple[LaggingProject, ...]
    indicators: int  # how many indicators the division answers for in this period

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


@dataclass(frozen=True)
class ChatTarget:
    channel: str
    chat_id: str
    is_group: bool
    language: str | None  # the person's /lang for a private chat; None for a group
    label: str  # who it is, for previews and logs


def open_periods(
    session: Session, at: datetime, calendars: CalendarSource = load_calendar
) -> list[tuple[int, ReportingPeriod]]:
    """(fiscal year id, period) for every loaded plan whose calendar is collecting reports."""
    result = []
    for year_id, year in session.execute(select(FiscalYear.id, FiscalYear.year)).all():
        period = calendars(year).open_period(at)
        if period is not None:
            result.append((year_id, period))
    return result


def dues_at(
    session: Session,
    at: datetime,
    division_key: str | None = None,
    calendars: CalendarSource = load_calendar,
) -> list[DivisionDue]:
    """One DivisionDue per division with projects (or only `division_key`'s), per open plan
    year — including divisions with nothing due, so callers can say so."""
    today = local_day(at)
    result: list[DivisionDue] = []
    for year_id, period in open_periods(session, at, calendars):
        result.extend(_year_dues(session, year_id, period, today, division_key))
    return result


def _year_dues(
    session: Session, year_id: int, period: ReportingPeriod, today: date, only: str | None
) -> list[DivisionDue]:
    projects = list(
        session.scalars(
            select(Project)
            .where(Project.fiscal_year_id == year_id, Project.retired.is_(False))
            .order_by(Project.position, Project.id)
            .options(
                selectinload(Project.indicators),
                selectinload(Project.division_links).selectinload(ProjectDivision.division),
            )
        )
    )
    reported = set(
        session.scalars(
            active_reports()
            .with_only_columns(IndicatorReport.indicator_id)
            .where(IndicatorReport.period == period.key)
        )
    )
    spent = _spent_by_project(session)
    children: dict[int, list[Project]] = defaultdict(list)
    for project in projects:
        if project.parent_id is not None:
            children[project.parent_id].append(project)
    divisions: dict[str, DivisionRef] = {}
    owned: dict[str, list[Project]] = defaultdict(list)
    for project in projects:
        for link in project.division_links:
            division = link.division
            if only is not None and division.key != only:
                continue
            divisions.setdefault(
                division.key, DivisionRef(division.key, division.name_th, division.name_en)
            )
            owned[division.key].append(project)
    return [
        _division_due(ref, owned[key], period, today, reported, spent, children)
        for key, ref in divisions.items()
    ]


def _division_due(
    division: DivisionRef,
    projects: list[Project],
    period: ReportingPeriod,
    today: date,
    reported: set[int],
    spent: dict[int, Decimal],
    children: dict[int, list[Project]],
) -> DivisionDue:
    missing = []
    count = 0
    for project in projects:
        for indicator in project.indicators:
            if indicator.retired:
                continue
            count += 1
            if indicator.id not in reported:
                missing.append(
                    MissingIndicator(
                        project.code,
                        project.name_th,
                        project.name_en,
                        indicator.seq,
                        indicator.text,
                        indicator.unit,
                        tuple(indicator.tags),
                    )
                )
    ids = {p.id for p in projects}
    lagging = []
    for project in projects:
        if project.parent_id in ids:
            continue  # its parent's line already counts it
        lag = _lag(project, children.get(project.id, []), spent, period.disbursement_target)
        if lag is not None:
            lagging.append(lag)
    return DivisionDue(division, period, today, tuple(missing), tuple(lagging), count)


def _lag(
    project: Project, kids: list[Project], spent: dict[int, Decimal], target: Decimal
) -> LaggingProject | None:
    gov, own = rolled_up(
        project.budget_gov, project.budget_own, ((k.budget_gov, k.budget_own) for k in kids)
    )
    allocated = (gov or Decimal(0)) + (own or Decimal(0))
    if allocated <= 0 or target <= 0:
        return None
    used = spent.get(project.id, Decimal(0)) + sum(
        (spent.get(k.id, Decimal(0)) for k in kids), Decimal(0)
    )
    share = (used / allocated * 100).quantize(Decimal("0.1"))
    if share >= target:
        return None
    return LaggingProject(
        project.code, project.name_th, project.name_en, allocated, used, share, target
    )


def _spent_by_project(session: Session) -> dict[int, Decimal]:
    rows = session.execute(
        select(SpendingEntry.project_id, func.sum(SpendingEntry.amount)).group_by(
            SpendingEntry.project_id
        )
    ).all()
    return {project_id: total or Decimal(0) for project_id, total in rows}


@dataclass(frozen=True)
class ProjectDue:
    """What /status says about deadlines: the period being collected and its due date, or —
    when that date has passed but reports are still accepted — how long they are."""

    period: ReportingPeriod
    due: date
    overdue_until: date | None  # set when `due` has passed and reports are still accepted


def project_due(
    session: Session, code: str, at: datetime, calendars: CalendarSource = load_calendar
) -> ProjectDue | None:
    year = session.scalar(
        select(FiscalYear.year)
        .join(Project, Project.fiscal_year_id == FiscalYear.id)
        .where(Project.code == code)
    )
    if year is None:
        return None
    calendar = calendars(year)
    day = local_day(at)
    collecting = calendar.open_period(at)
    if collecting is not None and collecting.internal_due < day:
        return ProjectDue(collecting, collecting.internal_due, calendar.report_deadline(collecting))
    upcoming = [p for p in calendar.periods if p.internal_due >= day]
    if not upcoming:
        return None
    period = min(upcoming, key=lambda p: p.internal_due)
    return ProjectDue(period, period.internal_due, None)


def division_chats(session: Session, division_key: str) -> list[ChatTarget]:
    """Where a division's reminders go: groups linked to it, and its members' private chats."""
    division = session.scalar(select(Division).where(Division.key == division_key))
    if division is None:
        return []
    linked = session.scalars(
        select(Chat)
        .where(Chat.division_id == division.id, Chat.blocked_at.is_(None))
        .order_by(Chat.id)
    )
    targets = [
        ChatTarget(c.channel, c.external_id, c.is_group, None, f"group of {division_key}")
        for c in linked
    ]
    members = select(Person.id).where(Person.division_id == division.id)
    return _dedupe(targets + _private_chats(session, Person.id.in_(members)))


def late_summary_chats(session: Session) -> list[ChatTarget]:
    """The planning division's chats, and the private chats of planners and admins."""
    targets = division_chats(session, PLANNING_DIVISION)
    targets += _private_chats(session, or_(Person.role == "admin", Person.role == "planner"))
    return _dedupe(targets)


def _private_chats(session: Session, who) -> list[ChatTarget]:  # type: ignore[no-untyped-def]
    rows = session.execute(
        select(Chat, Person)
        .join(Person, Person.id == Chat.person_id)
        .where(who, Chat.is_group.is_(False), Chat.blocked_at.is_(None))
        .order_by(Chat.id)
    ).all()
    return [
        ChatTarget(
            chat.channel,
            chat.external_id,
            False,
            person.language,
            f"{person.role} {person.display_name or person.external_id}".strip(),
        )
        for chat, person in rows
    ]


def _dedupe(targets: list[ChatTarget]) -> list[ChatTarget]:
    seen: set[tuple[str, str]] = set()
    result = []
    for target in targets:
        if (target.channel, target.chat_id) not in seen:
            seen.add((target.channel, target.chat_id))
            result.append(target)
    return result
