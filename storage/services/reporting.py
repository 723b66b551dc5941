"""The write services: recording a value, recording spending and undo. Each checks permission,
bounds, period and fiscal-year state in the same transaction as the write, so no caller can
write around the rules; a refusal raises plan_data.errors.Refusal and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import literal, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from plan_data.calendar import ReportingCalendar, ReportingPeriod
from plan_data.errors import Refusal
from plan_data.model import Indicator, Plan, Project
from plan_data.roles import Role, may_record_late, may_report
from plan_data.values import check_amount, check_value
from storage.db.models import Indicator as IndicatorRow
from storage.db.models import IndicatorReport, Person, SpendingEntry
from storage.db.models import Project as ProjectRow
from storage.plan_io.calendar_file import load_calendar
from storage.repositories.evidence import EntryRef
from storage.repositories.people import PersonView
from storage.unit_of_work import UnitOfWork

UNDO_ATTEMPTS = 5


@dataclass(frozen=True)
class RecordedValue:
    report_id: int
    code: str
    indicator: Indicator
    value: Decimal
    period: str
    previous: Decimal | None  # the value it replaces for the same period, if any
    late: bool = False  # recorded after the period's deadline (by the planning division)


@dataclass(frozen=True)
class RecordedSpending:
    entry_id: int
    code: str
    amount: Decimal
    period: str


@dataclass(frozen=True)
class Undone:
    kind: str  # indicator | spending
    code: str
    seq: int | None
    value: Decimal
    period: str


def writable(
    uow: UnitOfWork,
    person: PersonView,
    code: str,
    at: datetime,
    period_key: str | None = None,
    *,
    money: bool = False,
) -> tuple[Plan, Project, str]:
    """The project and the period a write made now counts for, or a Refusal: unknown code,
    not this person's project, a closed fiscal year, or a named period (`period_key`) that
    cannot be written now — not begun, or closed and the person is not a planner."""
    found = uow.plans().find(code)
    if found is None:
        raise Refusal("unknown_code", code=code)
    plan, project = found
    if not may_report(Role(person.role), person.division_key, plan, project):
        raise Refusal("not_your_project", code=code, division=person.division_name_th or "-")
    calendar = load_calendar(plan.fiscal_year)
    period = calendar.accepting(at)
    if period is None:
        raise Refusal("year_closed", year=plan.fiscal_year, date=calendar.closed_on)
    if period_key is None or period_key == period.key:
        return plan, project, period.key
    return plan, project, _named_period(calendar, person, period_key, at, money).key


def _named_period(
    calendar: ReportingCalendar, person: PersonView, key: str, at: datetime, money: bool
) -> ReportingPeriod:
    """A period a person named: open now, or closed earlier in the year (planners only, and
    values only: `money` is recorded for the open periods)."""
    named = calendar.period(key)
    if named is None:
        raise Refusal("period_unknown", period=key, year=calendar.fiscal_year)
    if named in calendar.open_for_reports(at):
        return named
    if not calendar.recorded_late(named, at):
        raise Refusal("period_not_begun", quarter=named.quarter, year=named.fiscal_year)
    if money:
        raise Refusal("spend_period_closed", quarter=named.quarter, year=named.fiscal_year)
    if not may_record_late(Role(person.role)):
        raise Refusal(
            "late_planners_only",
            quarter=named.quarter,
            year=named.fiscal_year,
            date=calendar.report_deadline(named),
        )
    return named


def recorded_late(uow: UnitOfWork, code: str, period_key: str, at: datetime) -> bool:
    """Whether a write for `period_key` made at `at` is past that period's deadline."""
    found = uow.plans().find(code)
    if found is None:
        return False
    calendar = load_calendar(found[0].fiscal_year)
    period = calendar.period(period_key)
    return period is not None and calendar.recorded_late(period, at)


def _next_seq(uow: UnitOfWork, person_id: int) -> int:
    """Take the person's next entry number (and, on SQLite, the write lock first)."""
    seq = uow._session.execute(
        update(Person)
        .where(Person.id == person_id)
        .values(entries_recorded=Person.entries_recorded + 1)
        .returning(Person.entries_recorded)
    ).scalar_one()
    return int(seq)


def record_value(
    uow: UnitOfWork,
    person: PersonView,
    *,
    code: str,
    seq: int,
    value: Decimal,
    channel: str,
    at: datetime,
    note: str = "",
    typed: str = "",
    period_key: str | None = None,
) -> RecordedValue:
    _plan, project, period = writable(uow, person, code, at, period_key)
    indicator = next((i for i in project.indicators if i.seq == seq), None)
    if indicator is None:
        if not project.indicators:
            raise Refusal("project_has_no_indicators", code=code)
        raise Refusal(
            "indicator_out_of_range", number=seq, code=code, count=len(project.indicators)
        )
    value = check_value(indicator, value, typed=typed)
    late = recorded_late(uow, code, period, at)
    before = uow.figures.in_period(period).get(indicator.id)
    report = IndicatorReport(
        indicator_id=indicator.id,
        period=period,
        value=value,
        note=note,
        person_id=person.id,
        channel=channel,
        created_at=at,
        person_seq=_next_seq(uow, person.id),
        late=late,
    )
    uow._session.add(report)
    uow._session.flush()
    uow.recorded.append(EntryRef("value", report.id))
    return RecordedValue(report.id, code, indicator, value, period, before, late)


def record_spending(
    uow: UnitOfWork,
    person: PersonView,
    *,
    code: str,
    amount: Decimal,
    channel: str,
    at: datetime,
    note: str = "",
    period_key: str | None = None,
) -> RecordedSpending:
    _plan, project, period = writable(uow, person, code, at, period_key, money=True)
    check_amount(amount)
    entry = SpendingEntry(
        project_id=project.id,
        amount=amount,
        period=period,
        note=note,
        person_id=person.id,
        channel=channel,
        created_at=at,
        person_seq=_next_seq(uow, person.id),
    )
    uow._session.add(entry)
    uow._session.flush()
    uow.recorded.append(EntryRef("spending", entry.id))
    return RecordedSpending(entry.id, code, amount, period)


def undo_last(uow: UnitOfWork, person: PersonView, *, channel: str, at: datetime) -> Undone | None:
    """Reverse the person's latest entry in recording order that is neither a reversal nor
    already reversed. The unique reversal constraint makes a racing undo move to the next one."""
    seq = _next_seq(uow, person.id)
    for _attempt in range(UNDO_ATTEMPTS):
        newest = latest_entry(uow, person.id)
        if newest is None:
            return None
        try:
            with uow._session.begin_nested():
                return _reverse(uow, person, newest, channel, at, seq)
        except IntegrityError:
            continue  # someone reversed it a moment ago: take the next one
    return None


def latest_entry(uow: UnitOfWork, person_id: int) -> tuple[int, str] | None:
    """The person's newest entry that counts, in recording order: (id, indicator|spending)."""
    report_reversal = aliased(IndicatorReport)
    spend_reversal = aliased(SpendingEntry)
    reports = select(
        IndicatorReport.id,
        IndicatorReport.person_seq,
        IndicatorReport.created_at,
        literal("indicator").label("kind"),
    ).where(
        IndicatorReport.person_id == person_id,
        IndicatorReport.reverses_id.is_(None),
        ~select(report_reversal.id)
        .where(report_reversal.reverses_id == IndicatorReport.id)
        .exists(),
    )
    spending = select(
        SpendingEntry.id,
        SpendingEntry.person_seq,
        SpendingEntry.created_at,
        literal("spending").label("kind"),
    ).where(
        SpendingEntry.person_id == person_id,
        SpendingEntry.reverses_id.is_(None),
        ~select(spend_reversal.id).where(spend_reversal.reverses_id == SpendingEntry.id).exists(),
    )
    both = union_all(reports, spending).subquery()
    row = uow._session.execute(
        select(both.c.id, both.c.kind)
        .order_by(both.c.person_seq.desc().nulls_last(), both.c.created_at.desc(), both.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def _reverse(
    uow: UnitOfWork,
    person: PersonView,
    entry: tuple[int, str],
    channel: str,
    at: datetime,
    seq: int,
) -> Undone:
    session = uow._session
    row_id, kind = entry
    if kind == "indicator":
        report = session.get(IndicatorReport, row_id)
        assert report is not None
        indicator = session.get(IndicatorRow, report.indicator_id)
        assert indicator is not None
        project = session.get(ProjectRow, indicator.project_id)
        session.add(
            IndicatorReport(
                indicator_id=report.indicator_id,
                period=report.period,
                value=None,
                note="undo",
                person_id=person.id,
                channel=channel,
                reverses_id=report.id,
                created_at=at,
                person_seq=seq,
            )
        )
        session.flush()
        return Undone(
            "indicator",
            project.code if project else "",
            indicator.seq,
            report.value or Decimal(0),
            report.period,
        )
    spent = session.get(SpendingEntry, row_id)
    assert spent is not None
    project = session.get(ProjectRow, spent.project_id)
    session.add(
        SpendingEntry(
            project_id=spent.project_id,
            amount=-spent.amount,
            period=spent.period,
            note="undo",
            person_id=person.id,
            channel=channel,
            reverses_id=spent.id,
            created_at=at,
            person_seq=seq,
        )
    )
    session.flush()
    return Undone("spending", project.code if project else "", None, spent.amount, spent.period)
