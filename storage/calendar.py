"""The reporting calendar of a fiscal year: its periods, their due dates and the cabinet's
cumulative disbursement targets, read from plan_data/calendar_fy<year>.yaml (or the default
rules when there is no file) and validated like the plan, naming the file, record and field.

Default rules: quarters of the fiscal year (Oct–Sep); the internal due date (for the planning
division) 7 days after a period ends; the external one (Budget Bureau, Budget Procedures Act)
15 days after; an update made after a period ended counts for that period until its external
due date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from plan_data import PLAN_DATA_DIR
from storage.periods import local_day, quarters
from storage.plan_io.document import Validation, read_decimal

INTERNAL_DUE_DAYS = 7
EXTERNAL_DUE_DAYS = 15
DEFAULT_TARGETS = (Decimal(32), Decimal(54), Decimal(77), Decimal(100))
REPORT_UNTIL = ("internal", "external")
TOP_FIELDS = {
    "fiscal_year",
    "internal_due_days",
    "external_due_days",
    "reports_count_for_ended_period_until",
    "months",
    "quarters",
    "notes",
    "source",
}
QUARTER_FIELDS = {"quarter", "disbursement_target", "internal_due", "external_due", "notes"}


@dataclass(frozen=True)
class ReportingPeriod:
    key: str  # 2564-Q1 (the same keys as storage/periods.py), or 2564-M01 for October
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
class ReportingCalendar:
    fiscal_year: int
    periods: tuple[ReportingPeriod, ...]  # in order
    reports_until: str = "external"  # internal | external
    source: str = ""  # the file it came from, or "default rules"

    def current_period(self, at: datetime) -> ReportingPeriod:
        """The period holding `at` (Bangkok day), clamped to the year's first or last one."""
        return self.periods[self._index(local_day(at))]

    def period_for_report(self, at: datetime) -> ReportingPeriod:
        """The period an update made at `at` counts for: after a period ends and until its due
        date (inclusive) that is the period that ended; otherwise the current one."""
        day = local_day(at)
        index = self._index(day)
        current = self.periods[index]
        if index > 0 and current.start <= day <= self.report_deadline(self.periods[index - 1]):
            return self.periods[index - 1]
        return current

    def open_period(self, at: datetime) -> ReportingPeriod | None:
        """The period reports are being collected for, or None before the year starts and after
        its last period's deadline (nothing is due then)."""
        day = local_day(at)
        period = self.period_for_report(at)
        if day < self.periods[0].start or day > self.report_deadline(period):
            return None
        return period

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

    def period(self, key: str) -> ReportingPeriod | None:
        return next((p for p in self.periods if p.key == key), None)

    def _index(self, day: date) -> int:
        for index, period in enumerate(self.periods):
            if day <= period.end:
                return index
        return len(self.periods) - 1


class CalendarError(Exception):
    """A calendar file that cannot be used; `problems` names the file, record and field."""

    def __init__(self, validation: Validation) -> None:
        self.validation = validation
        super().__init__("\n".join(str(p) for p in validation.errors))


def calendar_path(fiscal_year: int, directory: Path | None = None) -> Path:
    return (directory or PLAN_DATA_DIR) / f"calendar_fy{fiscal_year}.yaml"


_CACHE: dict[tuple[str, int, int], ReportingCalendar] = {}


def load_calendar(fiscal_year: int, directory: Path | None = None) -> ReportingCalendar:
    """The calendar of `fiscal_year` from its file when there is one, else the default rules.
    Raises CalendarError when the file is invalid."""
    path = calendar_path(fiscal_year, directory)
    if not path.exists():
        return default_calendar(fiscal_year)
    key = (str(path), path.stat().st_mtime_ns, fiscal_year)
    if key not in _CACHE:
        calendar, check = read_calendar_file(path, fiscal_year)
        if calendar is None:
            raise CalendarError(check)
        _CACHE[key] = calendar
    return _CACHE[key]


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
        periods = _months(periods, internal_days, external_days)
    return ReportingCalendar(fiscal_year, periods, "external", "default rules")


def _months(
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


def read_calendar_file(
    path: Path, fiscal_year: int | None = None
) -> tuple[ReportingCalendar | None, Validation]:
    """Parse and validate a calendar file; the calendar is None when there is any error."""
    check = Validation(str(path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        check.error("the file", "", "does not exist")
        return None, check
    except yaml.YAMLError as error:
        check.error("the file", "", f"is not valid YAML: {error}")
        return None, check
    calendar = parse_calendar(data, check, fiscal_year)
    return (None if check.errors else calendar), check


def parse_calendar(
    data: Any, check: Validation, fiscal_year: int | None = None
) -> ReportingCalendar | None:
    if not isinstance(data, dict):
        check.error("the file", "", "expected a mapping of fields")
        return None
    for name in data:
        if name not in TOP_FIELDS:
            check.error("the calendar", str(name), "unknown field (a typo?)")
    year = data.get("fiscal_year")
    if isinstance(year, bool) or not isinstance(year, int) or not 2400 < year < 2800:
        check.error("the calendar", "fiscal_year", f"must be a Buddhist-era year, got {year!r}")
        return None
    if fiscal_year is not None and year != fiscal_year:
        check.error("the calendar", "fiscal_year", f"is {year}, but the file is for {fiscal_year}")
    internal = _days(check, data, "internal_due_days", INTERNAL_DUE_DAYS)
    external = _days(check, data, "external_due_days", EXTERNAL_DUE_DAYS)
    until = data.get("reports_count_for_ended_period_until", "external")
    if until not in REPORT_UNTIL:
        check.error(
            "the calendar",
            "reports_count_for_ended_period_until",
            f"must be internal or external, got {until!r}",
        )
    months = data.get("months", False)
    if not isinstance(months, bool):
        check.error("the calendar", "months", f"must be true or false, got {months!r}")
    base = default_calendar(year, internal_days=internal, external_days=external)
    periods = list(base.periods)
    items = data.get("quarters") or []
    if not isinstance(items, list):
        check.error("the calendar", "quarters", "must be a list")
        items = []
    seen: set[int] = set()
    for position, item in enumerate(items, 1):
        number = _quarter(check, item, position, seen)
        if number is not None:
            periods[number - 1] = _override(check, periods[number - 1], item)
    _check_order(check, periods)
    result = tuple(periods)
    if months is True:
        result = _months(result, internal, external)
    return ReportingCalendar(year, result, str(until), check.file)


def _days(check: Validation, data: dict[str, Any], name: str, default: int) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
        check.error("the calendar", name, f"must be a whole number of days 0–120, got {value!r}")
        return default
    return value


def _quarter(check: Validation, item: Any, position: int, seen: set[int]) -> int | None:
    record = f"quarters item {position}"
    if not isinstance(item, dict):
        check.error(record, "", "expected a mapping of fields")
        return None
    for name in item:
        if name not in QUARTER_FIELDS:
            check.error(record, str(name), "unknown field (a typo?)")
    number = item.get("quarter")
    if number not in (1, 2, 3, 4) or isinstance(number, bool):
        check.error(record, "quarter", f"must be 1, 2, 3 or 4, got {number!r}")
        return None
    if number in seen:
        check.error(f"quarter {number}", "quarter", "is listed twice")
        return None
    seen.add(number)
    return int(number)


def _override(check: Validation, period: ReportingPeriod, item: dict[str, Any]) -> ReportingPeriod:
    record = f"quarter {period.quarter}"
    changes: dict[str, Any] = {}
    if "disbursement_target" in item:
        target = read_decimal(check, record, "disbursement_target", item["disbursement_target"])
        if target is not None and target > 100:
            check.error(record, "disbursement_target", f"is a percent, at most 100, got {target}")
        elif target is not None:
            changes["disbursement_target"] = target
        elif item["disbursement_target"] is None:
            check.error(record, "disbursement_target", "must be a number, got null")
    for name in ("internal_due", "external_due"):
        if name in item:
            day = _date(check, record, name, item[name])
            if day is not None and day <= period.end:
                check.error(record, name, f"{day} is not after the quarter ends ({period.end})")
            elif day is not None and (day - period.end).days > 120:
                check.error(
                    record,
                    name,
                    f"{day} is more than 120 days after the quarter ends ({period.end}); "
                    "dates are Gregorian (2021-01-07, not 2564-01-07)",
                )
            elif day is not None:
                changes[name] = day
    return replace(period, **changes)


def _date(check: Validation, record: str, name: str, value: Any) -> date | None:
    if isinstance(value, datetime):
        check.error(record, name, f"must be a date (YYYY-MM-DD) without a time, got {value}")
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    check.error(record, name, f"must be a date written YYYY-MM-DD (Gregorian), got {value!r}")
    return None


def _check_order(check: Validation, periods: list[ReportingPeriod]) -> None:
    previous = Decimal(0)
    for period in periods:
        record = f"quarter {period.quarter}"
        if period.disbursement_target < previous:
            check.error(
                record,
                "disbursement_target",
                f"{period.disbursement_target} is below the previous quarter's {previous}; "
                "the targets are cumulative",
            )
        previous = max(previous, period.disbursement_target)
        if period.external_due < period.internal_due:
            check.warning(
                record, "external_due", "is before the internal due date; is that intended?"
            )
