"""The rows of the planning division's spreadsheet, one function per sheet. The figures come
from the one model (plan_data); the two logs stream from the database as plain columns (no ORM
object, no column-type conversion per row), so a plan with a million reports never has to fit
in memory. Every word comes from the caller's `ReportLabels`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache

from sqlalchemy import BigInteger, DateTime, String, func, select, type_coerce
from sqlalchemy.orm import Session

from plan_data.figures import Figures
from plan_data.fiscal import BANGKOK, quarters
from plan_data.model import Plan
from plan_data.money import Budget
from plan_data.rollup import RECURRING, plan_total, project_budget, responsible, strategy_key
from plan_data.summary import IndicatorVerdict
from storage.db.models import Indicator, IndicatorReport, Person, Project, SpendingEntry
from storage.db.types import SATANG_PER_BAHT
from storage.reports.labels import ReportLabels
from storage.repositories.figures import counting_reports

Row = tuple[object, ...]
STREAM_CHUNK = 10_000
EXCEL_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (from March 1900)
DAY = timedelta(days=1)
BANGKOK_OFFSET = timedelta(hours=7)  # unchanged since 1920: every stored time is after it

# The logs read the stored columns as they are: the time as a plain DateTime (naive UTC on
# SQLite, aware on PostgreSQL), a value as its exact text, an amount as whole satang.
_REPORT_LOG = (
    select(
        type_coerce(IndicatorReport.created_at, DateTime()),
        IndicatorReport.id,
        IndicatorReport.indicator_id,
        IndicatorReport.period,
        type_coerce(IndicatorReport.value, String()),
        IndicatorReport.note,
        IndicatorReport.person_id,
        IndicatorReport.channel,
        IndicatorReport.reverses_id,
    )
    .order_by(IndicatorReport.created_at, IndicatorReport.id)
    .execution_options(yield_per=STREAM_CHUNK)
)
_SPENDING_LOG = (
    select(
        type_coerce(SpendingEntry.created_at, DateTime()),
        SpendingEntry.id,
        SpendingEntry.project_id,
        SpendingEntry.period,
        type_coerce(SpendingEntry.amount, BigInteger()),
        SpendingEntry.note,
        SpendingEntry.person_id,
        SpendingEntry.channel,
        SpendingEntry.reverses_id,
    )
    .order_by(SpendingEntry.created_at, SpendingEntry.id)
    .execution_options(yield_per=STREAM_CHUNK)
)


def local(at: datetime) -> datetime:
    """Bangkok wall-clock time without a zone: spreadsheets have no time zones. A naive time is
    UTC, as the database keeps it."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(BANGKOK).replace(tzinfo=None)


def excel_days(at: datetime) -> float:
    """A wall-clock time as Excel's serial day number."""
    return (at - EXCEL_EPOCH) / DAY


def _percent(budget: Budget) -> Decimal | None:
    return budget.spent / budget.allocated if budget.allocated else None


def project_rows(plan: Plan, figures: Figures, labels: ReportLabels) -> tuple[list[Row], Row]:
    """Every project and sub-activity in plan order, and the whole plan's total row.

    Each row shows the project rolled up over its sub-activities (plan_data.rollup), as
    /status does; the total adds the top-level projects only, so nothing is counted twice."""
    rows: list[Row] = []
    for project in plan.projects:
        budget = project_budget(plan, project, figures)
        strategy = strategy_key(plan, project)
        rows.append(
            (
                project.code,
                project.name_th,
                plan.recurring_name_th if strategy == RECURRING else int(strategy[1:]),
                plan.top(project).tactic_number or "",
                project.parent_code or "",
                ", ".join(
                    d.name_th
                    for d in (plan.division(k) for k in responsible(plan, project))
                    if d is not None
                ),
                budget.allocated_gov,
                budget.allocated_own,
                budget.allocated,
                budget.spent,
                budget.remaining,
                _percent(budget),
            )
        )
    total = plan_total(plan, figures)
    total_row: Row = (
        labels.plan_total,
        "",
        "",
        "",
        "",
        "",
        total.allocated_gov,
        total.allocated_own,
        total.allocated,
        total.spent,
        total.remaining,
        _percent(total),
    )
    return rows, total_row


def report_periods(session: Session, fiscal_year: int) -> list[str]:
    """The year's quarters, plus any other period keys reported for it (e.g. months)."""
    keys = {q.key for q in quarters(fiscal_year)}
    prefix = f"{fiscal_year}-"
    for (key,) in session.execute(
        select(IndicatorReport.period).where(IndicatorReport.period.like(prefix + "%")).distinct()
    ):
        keys.add(key)
    return sorted(keys, key=lambda k: (k.partition("-")[2][1:].zfill(3), k))


def period_values(session: Session) -> dict[tuple[int, str], Decimal | None]:
    """(indicator id, period) -> the newest value that counts for it."""
    active = counting_reports().subquery()
    newest = select(func.max(active.c.id)).group_by(active.c.indicator_id, active.c.period)
    return {
        (ind_id, period): value
        for ind_id, period, value in session.execute(
            select(
                IndicatorReport.indicator_id, IndicatorReport.period, IndicatorReport.value
            ).where(IndicatorReport.id.in_(newest))
        )
    }


def indicator_rows(
    plan: Plan,
    judged: list[IndicatorVerdict],
    values: dict[tuple[int, str], Decimal | None],
    periods: list[str],
    labels: ReportLabels,
) -> list[Row]:
    """Each indicator with its target, the newest value of each period, its verdict for the
    frame's period, the review of that period's value (empty when none was reported) and the
    files behind its values. A return reason is someone's words: the row holds it as text."""
    rows: list[Row] = []
    for item in judged:
        ind = item.indicator
        rows.append(
            (
                item.project.code,
                ind.seq,
                labels.kinds.get(ind.kind, ind.kind),
                ind.text,
                labels.units.get(ind.unit, ind.unit),
                labels.directions.get(ind.direction, ind.direction),
                ind.target,
                *(values.get((ind.id, key)) for key in periods),
                labels.verdicts[item.verdict.value],
                "" if item.value is None else _review(item, labels),
                item.mark.evidence,
            )
        )
    return rows


def _review(item: IndicatorVerdict, labels: ReportLabels) -> str:
    state = item.mark.state.value
    return labels.review_states[state].format(reason=item.mark.reason)


class _Names:
    """What the logs show for an id or a stored word, each looked up once."""

    def __init__(self, session: Session, labels: ReportLabels) -> None:
        connection = session.connection()
        self.people: dict[int | None, str] = {None: ""}
        self.people.update(
            (person_id, name or "")
            for person_id, name in connection.execute(select(Person.id, Person.display_name))
        )
        self.projects: dict[int, str] = {
            project_id: code
            for project_id, code in connection.execute(select(Project.id, Project.code))
        }
        units = labels.units
        self.indicators = {
            ind_id: (code, seq, units.get(unit, unit))
            for ind_id, seq, unit, code in connection.execute(
                select(Indicator.id, Indicator.seq, Indicator.unit, Project.code).join(
                    Project, Project.id == Indicator.project_id
                )
            )
        }
        self.period = cache(labels.period)
        self.channel = cache(lambda channel: labels.channels.get(channel, channel))


def _days(at: datetime) -> float:
    """A stored time (naive is UTC) as Bangkok wall-clock time in Excel's serial days."""
    if at.tzinfo is not None:  # PostgreSQL hands back aware times
        at = at.astimezone(UTC).replace(tzinfo=None)
    return (at + BANGKOK_OFFSET - EXCEL_EPOCH) / DAY


def spending_rows(session: Session, labels: ReportLabels) -> Iterator[Row]:
    """The spending log, oldest first; an undo is its own (negative) line naming what it
    undoes. The time is in Excel's serial days (Bangkok)."""
    names = _Names(session, labels)
    people, projects, period, channel = names.people, names.projects, names.period, names.channel
    for entry in session.connection().execute(_SPENDING_LOG):
        at, entry_id, project_id, key, satang, note, person_id, via, reverses = entry
        yield (
            entry_id,
            _days(at),
            projects[project_id],
            period(key),
            satang / SATANG_PER_BAHT,
            note,
            people.get(person_id, ""),
            channel(via),
            reverses,
        )


def history_rows(session: Session, labels: ReportLabels) -> Iterator[Row]:
    """Every entry of either kind, oldest first (an indicator report before a spending entry
    recorded at the same moment), with who, when (Excel's serial days, Bangkok) and through
    which channel."""
    names = _Names(session, labels)
    people, projects, indicators = names.people, names.projects, names.indicators
    period, channel = names.period, names.channel
    connection = session.connection()
    reported, undone = labels.indicator_reported, labels.indicator_undone
    recorded, taken_back = labels.spending_recorded, labels.spending_undone

    def spending() -> Iterator[tuple[datetime, Row]]:
        for at, _id, project_id, key, satang, note, person_id, via, reverses in connection.execute(
            _SPENDING_LOG
        ):
            undo = reverses is not None
            yield (
                at,
                (
                    _days(at),
                    taken_back if undo else recorded,
                    projects[project_id],
                    None,
                    period(key),
                    None,
                    "",
                    satang / SATANG_PER_BAHT,
                    "" if undo else note,
                    people.get(person_id, ""),
                    channel(via),
                ),
            )

    # Both logs come sorted by (time, id): merge them, a report first when the times tie
    others = spending()
    waiting = next(others, None)
    for at, _id, ind_id, key, value, note, person_id, via, reverses in connection.execute(
        _REPORT_LOG
    ):
        while waiting is not None and waiting[0] < at:
            yield waiting[1]
            waiting = next(others, None)
        code, seq, unit = indicators[ind_id]
        undo = reverses is not None
        yield (
            _days(at),
            undone if undo else reported,
            code,
            seq,
            period(key),
            None if value is None else float(value),
            "" if value is None else unit,
            None,
            "" if undo else note,
            people.get(person_id, ""),
            channel(via),
        )
    while waiting is not None:
        yield waiting[1]
        waiting = next(others, None)
