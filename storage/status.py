"""What a project stands at: budget by source, spending, and each indicator's latest value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from storage.db.models import (
    Division,
    FiscalYear,
    Indicator,
    IndicatorReport,
    Person,
    Project,
    ProjectDivision,
    SpendingEntry,
    Strategy,
    Tactic,
)
from storage.plan_io.records import DivisionDoc as DivisionRef  # a division's key and names
from storage.plan_io.records import rolled_up

ZERO = Decimal(0)


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


_REVERSAL = aliased(IndicatorReport)
_PARENT = aliased(Project)

# The card's queries are built once: building a statement costs as much as running it here.
_NEWEST_REPORTS = (
    select(func.max(IndicatorReport.id))
    .where(
        IndicatorReport.indicator_id.in_(bindparam("indicator_ids", expanding=True)),
        IndicatorReport.reverses_id.is_(None),
        ~exists().where(_REVERSAL.reverses_id == IndicatorReport.id),
    )
    .group_by(IndicatorReport.indicator_id)
)
_LATEST_VALUES = (
    select(
        IndicatorReport.indicator_id,
        IndicatorReport.value,
        IndicatorReport.period,
        Person.display_name,
        IndicatorReport.created_at,
        IndicatorReport.channel,
        IndicatorReport.note,
    )
    .outerjoin(Person, Person.id == IndicatorReport.person_id)
    .where(IndicatorReport.id.in_(_NEWEST_REPORTS), IndicatorReport.value.is_not(None))
)
_SPENT = select(func.sum(SpendingEntry.amount)).where(
    SpendingEntry.project_id.in_(bindparam("project_ids", expanding=True))
)
_CARD_HEAD = (
    select(
        Project.id,
        Project.code,
        Project.name_th,
        Project.name_en,
        Project.budget_gov,
        Project.budget_own,
        Project.notes,
        FiscalYear.year.label("fiscal_year"),
        Strategy.number.label("strategy_number"),
        Strategy.name_th.label("strategy_name_th"),
        Strategy.name_en.label("strategy_name_en"),
        Tactic.number.label("tactic_number"),
        Tactic.name_th.label("tactic_name_th"),
        Tactic.name_en.label("tactic_name_en"),
        _PARENT.code.label("parent_code"),
    )
    .join(FiscalYear, FiscalYear.id == Project.fiscal_year_id)
    .outerjoin(Strategy, Strategy.id == Project.strategy_id)
    .outerjoin(Tactic, Tactic.id == Project.tactic_id)
    .outerjoin(_PARENT, _PARENT.id == Project.parent_id)
    .where(Project.code == bindparam("code"), Project.retired.is_(False))
)
_CARD_CHILDREN = (
    select(Project.id, Project.code, Project.budget_gov, Project.budget_own)
    .where(Project.parent_id == bindparam("project_id"), Project.retired.is_(False))
    .order_by(Project.position)
)
_CARD_DIVISIONS = (
    select(Division.key, Division.name_th, Division.name_en)
    .join(ProjectDivision, ProjectDivision.division_id == Division.id)
    .where(ProjectDivision.project_id == bindparam("project_id"))
    .order_by(ProjectDivision.position)
)
_CARD_INDICATORS = (
    select(
        Indicator.id,
        Indicator.seq,
        Indicator.kind,
        Indicator.number,
        Indicator.text,
        Indicator.target,
        Indicator.unit,
        Indicator.direction,
        Indicator.tags,
    )
    .where(Indicator.project_id == bindparam("project_id"), Indicator.retired.is_(False))
    .order_by(Indicator.seq)
)


def latest_values(session: Session, indicator_ids: list[int]) -> dict[int, LatestReport]:
    """The latest report that counts for each indicator, with who made it, in one query."""
    if not indicator_ids:
        return {}
    rows = session.execute(_LATEST_VALUES, {"indicator_ids": indicator_ids})
    return {
        row[0]: LatestReport(row[1], row[2], row[3] or "", row[4], row[5], row[6]) for row in rows
    }


def spent_on(session: Session, project_ids: list[int]) -> Decimal:
    return session.scalar(_SPENT, {"project_ids": project_ids}) or ZERO


def find_project(session: Session, code: str) -> Project | None:
    return session.scalar(select(Project).where(Project.code == code, Project.retired.is_(False)))


def project_status(session: Session, code: str) -> ProjectStatus | None:
    """The project card, in six plain queries (it is the bot's most asked question)."""
    head = session.execute(_CARD_HEAD, {"code": code}).first()
    if head is None:
        return None
    ids = {"project_id": head.id}
    children = session.execute(_CARD_CHILDREN, ids).all()
    divisions = session.execute(_CARD_DIVISIONS, ids).all()
    indicator_rows = session.execute(_CARD_INDICATORS, ids).all()
    latest = latest_values(session, [row.id for row in indicator_rows])
    gov, own = rolled_up(head.budget_gov, head.budget_own, ((c[2], c[3]) for c in children))
    spent = spent_on(session, [head.id, *(c.id for c in children)])
    return ProjectStatus(
        code=head.code,
        name_th=head.name_th,
        name_en=head.name_en,
        fiscal_year=head.fiscal_year,
        strategy_number=head.strategy_number,
        strategy_name_th=head.strategy_name_th or "",
        strategy_name_en=head.strategy_name_en or "",
        tactic_number=head.tactic_number,
        tactic_name_th=head.tactic_name_th or "",
        tactic_name_en=head.tactic_name_en or "",
        parent_code=head.parent_code,
        child_codes=tuple(c.code for c in children),
        divisions=tuple(DivisionRef(*d) for d in divisions),
        budget=Budget(gov, own, spent),
        indicators=tuple(
            IndicatorStatus(*row[1:8], tuple(row.tags), latest.get(row.id))
            for row in indicator_rows
        ),
        notes=tuple(head.notes),
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
