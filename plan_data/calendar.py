"""The reporting calendar of a fiscal year: its periods, their due dates, the cabinet's
cumulative disbursement targets, and where a period stands on a given day.

Default rules: quarters of the fiscal year; the internal due date (for the planning division) 7
days after a period ends; the external one (Budget Bureau, Budget Procedures Act) 15 days after.
A report made after a period ended counts for that period until its report deadline (the
external due date unless the calendar says internal). Once the last period's deadline has
passed, the fiscal year is closed: its figures are read-only.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from plan_data.fiscal import local_day, quarters

INTERNAL_DUE_DAYS = 7
EXTERNAL_DUE_DAYS = 15
REMINDER_WINDOW_DAYS = 14  # weekly reminders start this long before the internal due date
DEFAULT_TARGETS = (Decimal(32), Decimal(54), Decimal(77), Decimal(100))


class PeriodState(enum.Enum):
    """Where a period stands on a day."""

    UPCOMING = "upcoming"  # it has not ended yet
    COLLECTING = "collecting"  # it has ended; the internal due date is still ahead
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"  # past the internal due date, reports still accepted
    CLOSED = "closed"  # past the report deadline: nothing more is accepted for it


@dataclass(frozen=True)
class ReportingPeriod:
    key: str  # 2564-Q1, or 2564-M01 for October
    fiscal_year: int
    quarter: int
    start: date
    end: date  # last day, inclusive
    internal_due: date
    external_due: date
    disbursement_target: Decimal  # cumulative percent of the budget spent by `end`
    month: int | None = None  # the calendar month of a monthly period

    def days_left(self, today: date) -> int:
        """Days until the internal due date: 0 on the day, negative once it has passed."""
        return (self.internal_due - today).days


@dataclass(frozen=True)
class Deadline:
    period: ReportingPeriod
    due: date
    overdue_until: date | None  # set when `due` has passed and reports are still accepted


@dataclass(frozen=True)
class ReportingCalendar:
    fiscal_year: int
    periods: tuple[ReportingPeriod, ...]  # in order
    reports_until: str = "external"  # internal | external
    source: str = ""  # the file it came from, or "default rules"
    reminder_window_days: int = REMINDER_WINDOW_DAYS

    def current_period(self, at: datetime) -> ReportingPeriod:
        """The period holding `at` (Bangkok day), clamped to the year's first or last one."""
        return self.periods[self._index(local_day(at))]

    def period_for_report(self, at: datetime) -> ReportingPeriod:
        """The period an update made at `at` counts for: after a period ends and until its
        deadline (inclusive) that is the period that ended; otherwise the current one."""
        day = local_day(at)
        index = self._index(day)
        current = self.periods[index]
        if index > 0 and current.start <= day <= self.report_deadline(self.periods[index - 1]):
            return self.periods[index - 1]
        return current

    def accepting(self, at: datetime) -> ReportingPeriod | None:
        """The period a report made at `at` is written for, or None once the year is closed."""
        return None if self.closed(at) else self.period_for_report(at)

    def open_for_reports(self, at: datetime) -> tuple[ReportingPeriod, ...]:
        """The periods a report made at `at` may be written for on time: the one that ended and
        is still before its deadline (the grace window), then the current one; one period
        outside a grace window, none once the year is closed."""
        if self.closed(at):
            return ()
        first, current = self.period_for_report(at), self.current_period(at)
        return (first,) if first == current else (first, current)

    def recorded_late(self, period: ReportingPeriod, at: datetime) -> bool:
        """A report for `period` made at `at` comes after its deadline, in a year still open:
        only the planning division records those, and they stay marked late."""
        return self.state(period, at) is PeriodState.CLOSED and not self.closed(at)

    def missed_periods(self, at: datetime) -> tuple[ReportingPeriod, ...]:
        """The periods whose deadline has passed in a year still open: what was not reported
        for them is shown as missed (and only the planning division may still record it)."""
        if self.closed(at) or local_day(at) < self.periods[0].start:
            return ()
        return tuple(p for p in self.periods if self.state(p, at) is PeriodState.CLOSED)

    def closed(self, at: datetime) -> bool:
        """Past the last period's report deadline: the year's figures are read-only."""
        return local_day(at) > self.closed_on

    @property
    def closed_on(self) -> date:
        return self.report_deadline(self.periods[-1])

    def open_period(self, at: datetime) -> ReportingPeriod | None:
        """The period reports are being collected for, or None before the year starts and after
        its last period's deadline (nothing is due then)."""
        day = local_day(at)
        period = self.period_for_report(at)
        if day < self.periods[0].start or day > self.report_deadline(period):
            return None
        return period

    def state(self, period: ReportingPeriod, at: datetime) -> PeriodState:
        day = local_day(at)
        if day <= period.end:
            return PeriodState.UPCOMING
        if day > self.report_deadline(period):
            return PeriodState.CLOSED
        left = period.days_left(day)
        if left > 0:
            return PeriodState.COLLECTING
        return PeriodState.DUE_TODAY if left == 0 else PeriodState.OVERDUE

    def next_deadline(self, at: datetime) -> Deadline | None:
        """What a project card says about deadlines: the period being collected and its due
        date, or — once that date has passed but reports are still accepted — until when."""
        day = local_day(at)
        collecting = self.open_period(at)
        if collecting is not None and collecting.internal_due < day:
            return Deadline(collecting, collecting.internal_due, self.report_deadline(collecting))
        upcoming = [p for p in self.periods if p.internal_due >= day]
        if not upcoming:
            return None
        period = min(upcoming, key=lambda p: p.internal_due)
        return Deadline(period, period.internal_due, None)

    def report_deadline(self, period: ReportingPeriod) -> date:
        return period.external_due if self.reports_until == "external" else period.internal_due

    def next_due(self, at: datetime) -> date | None:
        """The next internal due date on or after the day of `at`; None once the year is over."""
        day = local_day(at)
        upcoming = [p.internal_due for p in self.periods if p.internal_due >= day]
        return min(upcoming) if upcoming else None

    def disbursement_target(self, at: datetime) -> Decimal:
        """The cumulative percent expected by now: the previous period's target, rising in a
        straight line to the current period's by its last day (0 before the year starts)."""
        day = local_day(at)
        if day < self.periods[0].start:
            return Decimal(0)
        index = self._index(day)
        period = self.periods[index]
        if day > period.end:
            return period.disbursement_target
        before = self.periods[index - 1].disbursement_target if index else Decimal(0)
        length = (period.end - period.start).days + 1
        elapsed = (day - period.start).days + 1
        share = before + (period.disbursement_target - before) * elapsed / length
        return share.quantize(Decimal("0.1"))

    def quarter_targets(self) -> dict[int, Decimal]:
        """Each quarter's cumulative disbursement target, percent (the last period of each)."""
        result: dict[int, Decimal] = {}
        for period in self.periods:
            result[period.quarter] = period.disbursement_target
        return result

    def period(self, key: str) -> ReportingPeriod | None:
        return next((p for p in self.periods if p.key == key), None)

    def _index(self, day: date) -> int:
        for index, period in enumerate(self.periods):
            if day <= period.end:
                return index
        return len(self.periods) - 1


def default_calendar(
    fiscal_year: int,
    *,
    internal_days: int = INTERNAL_DUE_DAYS,
    external_days: int = EXTERNAL_DUE_DAYS,
    months: bool = False,
) -> ReportingCalendar:
    periods = tuple(
        ReportingPeriod(
            q.key,
            fiscal_year,
            q.quarter,
            q.start,
            q.end,
            q.end + timedelta(days=internal_days),
            q.end + timedelta(days=external_days),
            DEFAULT_TARGETS[q.quarter - 1],
        )
        for q in quarters(fiscal_year)
    )
    if months:
        periods = monthly(periods, internal_days, external_days)
    return ReportingCalendar(fiscal_year, periods, "external", "default rules")


def monthly(
    quarter_periods: tuple[ReportingPeriod, ...], internal_days: int, external_days: int
) -> tuple[ReportingPeriod, ...]:
    """Three months per quarter; the last month of a quarter takes the quarter's dates and
    target, the others' targets rise evenly from the previous quarter's."""
    result = []
    before = Decimal(0)
    for q in quarter_periods:
        start = q.start
        for n in range(3):
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            index = (q.quarter - 1) * 3 + n + 1
            last = n == 2
            target = (
                q.disbursement_target
                if last
                else before + (q.disbursement_target - before) * (n + 1) / 3
            )
            result.append(
                ReportingPeriod(
                    f"{q.fiscal_year}-M{index:02d}",
                    q.fiscal_year,
                    q.quarter,
                    start,
                    end,
                    q.internal_due if last else end + timedelta(days=internal_days),
                    q.external_due if last else end + timedelta(days=external_days),
                    target.quantize(Decimal("0.1")),
                    start.month,
                )
            )
            start = end + timedelta(days=1)
        before = q.disbursement_target
    return tuple(result)


@dataclass(frozen=True)
class PeriodName:
    """What a period key names, for labels: a quarter or a month of a fiscal year."""

    fiscal_year: int
    quarter: int | None
    month: int | None  # the calendar month (10 = October)


def parse_period_key(key: str) -> PeriodName | None:
    """2564-Q2 -> quarter 2; 2564-M04 -> January (the 4th month of the fiscal year)."""
    year, _, rest = key.partition("-")
    if not year.isdigit() or len(rest) < 2 or not rest[1:].isdigit():
        return None
    number = int(rest[1:])
    if rest[0] == "Q" and 1 <= number <= 4:
        return PeriodName(int(year), number, None)
    if rest[0] == "M" and 1 <= number <= 12:
        return PeriodName(int(year), (number - 1) // 3 + 1, (number + 8) % 12 + 1)
    return None
