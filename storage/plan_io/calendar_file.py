"""Reading a reporting calendar from plan_data/calendar_fy<year>.yaml (or the default rules when
there is no file), validated like the plan: each problem names the file, record and field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from plan_data import PLAN_DATA_DIR
from plan_data.calendar import (
    EXTERNAL_DUE_DAYS,
    INTERNAL_DUE_DAYS,
    REMINDER_WINDOW_DAYS,
    ReportingCalendar,
    ReportingPeriod,
    default_calendar,
    monthly,
)
from plan_data.validation import Validation, read_decimal

REPORT_UNTIL = ("internal", "external")
TOP_FIELDS = {
    "fiscal_year",
    "internal_due_days",
    "external_due_days",
    "reports_count_for_ended_period_until",
    "reminder_window_days",
    "months",
    "quarters",
    "notes",
    "source",
}
QUARTER_FIELDS = {"quarter", "disbursement_target", "internal_due", "external_due", "notes"}


class CalendarError(Exception):
    """A calendar file that cannot be used; `validation` names the file, record and field."""

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
    window = _days(check, data, "reminder_window_days", REMINDER_WINDOW_DAYS)
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
        result = monthly(result, internal, external)
    return ReportingCalendar(year, result, str(until), check.file, window)


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
