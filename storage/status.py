"""What a project stands at: budget by source, spending, and each indicator's latest value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from storage.models import (
    Division,
    FiscalYear,
    IndicatorReport,
    Project,
    ProjectDivision,
    SpendingEntry,
)
from storage.plan_records import rolled_up

ZERO = Decimal(0)


@dataclass(frozen=True)
class DivisionRef:
    key: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class LatestReport:
    value: Decimal
    period: str
    by: str
    at: datetime
    channel: str
    note: str


@dataclass(frozen=True)
class IndicatorStatus:
    seq: int  # the number /status shows and /update takes
    kind: str
    number: int
    text: str
    target: Decimal | None
    unit: str
    direction: str
    tags: tuple[str, ...]
    latest: LatestReport | None

    @property
    def progress_percent(self) -> Decimal | None:
        """How far the latest value has come towards the target (at_most: 100 while within)."""
        if self.latest is None or not self.target:
            return None
        if self.direction == "at_most":
            return Decimal(100) if self.latest.value <= self.target else ZERO
        return (self.latest.value / self.target * 100).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Budget:
    """Baht. `allocated_*` is None where the plan states no figure for that source."""

    allocated_gov: Decimal | None
    allocated_own: Decimal | None
    spent: Decimal

    @property
    def allocated(self) -> Decimal:
        return (self.allocated_gov or ZERO) + (self.allocated_own or ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def percent_spent(self) -> Decimal | None:
        if not self.allocated:
            return None
        return (self.spent / self.allocated * 100).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ProjectStatus:
    code: str
    name_th: str
    name_en: str
    fiscal_year: int
    strategy_number: int | None
    strategy_name_th: str
    strategy_name_en: str
    tactic_number: str | None
    tactic_name_th: str
    tactic_name_en: str
    parent_code: str | None
    child_codes: tuple[str, ...]
    divisions: tuple[DivisionRef, ...]  # lead first
    budget: Budget  # a parent includes its children
    indicators: tuple[IndicatorStatus, ...]
    notes: tuple[str, ...]


def _allocation(project: Project, children: list[Project]) -> tuple[Decimal | None, Decimal | None]:
    return rolled_up(
        project.budget_gov, project.budget_own, ((c.budget_gov, c.budget_own) for c in children)
    )


def active_reports():  # type: ignore[no-untyped-def]
    """Reports that count: not a reversal, and not taken back by one."""
    reversal = aliased(IndicatorReport)
    return select(IndicatorReport).where(
        IndicatorReport.reverses_id.is_(None),
        ~exists().where(reversal.reverses_id == IndicatorReport.id),
    )


def latest_report(
    session: Session, indicator_id: int, period: str | None = None
) -> IndicatorReport | None:
    query = active_reports().where(IndicatorReport.indicator_id == indicator_id)
    if period is not None:
        query = query.where(IndicatorReport.period == period)
    return session.scalar(
        query.order_by(IndicatorReport.id.desc())
        .limit(1)
        .options(selectinload(IndicatorReport.person))
    )


def latest_reports(session: Session, indicator_ids: list[int]) -> dict[int, IndicatorReport]:
    """The latest report that counts for each indicator, in two queries however many there are."""
    if not indicator_ids:
        return {}
    reversal = aliased(IndicatorReport)
    newest = (
        select(func.max(IndicatorReport.id))
        .where(
            IndicatorReport.indicator_id.in_(indicator_ids),
            IndicatorReport.reverses_id.is_(None),
            ~exists().where(reversal.reverses_id == IndicatorReport.id),
        )
        .group_by(IndicatorReport.indicator_id)
    )
    rows = session.scalars(
        select(IndicatorReport)
        .where(IndicatorReport.id.in_(newest))
        .options(selectinload(IndicatorReport.person))
    )
    return {row.indicator_id: row for row in rows}


def spent_on(session: Session, project_ids: list[int]) -> Decimal:
    total = session.scalar(
        select(func.sum(SpendingEntry.amount)).where(SpendingEntry.project_id.in_(project_ids))
    )
    return total or ZERO


def find_project(session: Session, code: str) -> Project | None:
    return session.scalar(select(Project).where(Project.code == code, Project.retired.is_(False)))


def project_status(session: Session, code: str) -> ProjectStatus | None:
    project = session.scalar(
        select(Project)
        .where(Project.code == code, Project.retired.is_(False))
        .options(
            selectinload(Project.division_links).selectinload(ProjectDivision.division),
            selectinload(Project.indicators),
            selectinload(Project.strategy),
            selectinload(Project.tactic),
            selectinload(Project.parent),
        )
    )
    if project is None:
        return None
    children = list(
        session.scalars(
            select(Project)
            .where(Project.parent_id == project.id, Project.retired.is_(False))
            .order_by(Project.position)
        )
    )
    gov, own = _allocation(project, children)
    spent = spent_on(session, [project.id, *(c.id for c in children)])
    indicators = []
    live = [i for i in project.indicators if not i.retired]
    reports = latest_reports(session, [i.id for i in live])
    for indicator in live:
        report = reports.get(indicator.id)
        latest = None
        if report is not None and report.value is not None:
            who = report.person.display_name if report.person else ""
            latest = LatestReport(
                report.value, report.period, who, report.created_at, report.channel, report.note
            )
        indicators.append(
            IndicatorStatus(
                indicator.seq,
                indicator.kind,
                indicator.number,
                indicator.text,
                indicator.target,
                indicator.unit,
                indicator.direction,
                tuple(indicator.tags),
                latest,
            )
        )
    year = session.get(FiscalYear, project.fiscal_year_id)
    strategy, tactic = project.strategy, project.tactic
    return ProjectStatus(
        code=project.code,
        name_th=project.name_th,
        name_en=project.name_en,
        fiscal_year=year.year if year else 0,
        strategy_number=strategy.number if strategy else None,
        strategy_name_th=strategy.name_th if strategy else "",
        strategy_name_en=strategy.name_en if strategy else "",
        tactic_number=tactic.number if tactic else None,
        tactic_name_th=tactic.name_th if tactic else "",
        tactic_name_en=tactic.name_en if tactic else "",
        parent_code=project.parent.code if project.parent else None,
        child_codes=tuple(c.code for c in children),
        divisions=tuple(
            DivisionRef(link.division.key, link.division.name_th, link.division.name_en)
            for link in project.division_links
        ),
        budget=Budget(gov, own, spent),
        indicators=tuple(indicators),
        notes=tuple(project.notes),
    )


def project_division_keys(session: Session, code: str) -> list[str]:
    """The divisions responsible for a project (and, for a sub-activity, for its parent)."""
    project = find_project(session, code)
    if project is None:
        return []
    ids = [project.id] + ([project.parent_id] if project.parent_id else [])
    return list(
        session.scalars(
            select(Division.key)
            .join(ProjectDivision, ProjectDivision.division_id == Division.id)
            .where(ProjectDivision.project_id.in_(ids))
        )
    )
