"""Fiscal years and quarters. The fiscal year runs 1 Oct – 30 Sep and is named by its
Buddhist-era year: FY2564 is 1 Oct 2020 – 30 Sep 2021."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BUDDHIST_ERA_OFFSET = 543


@dataclass(frozen=True)
class Period:
    key: str  # e.g. 2564-Q1
    fiscal_year: int
    quarter: int
    start: date
    end: date  # last day, inclusive


def fiscal_year_of(day: date) -> int:
    return day.year + BUDDHIST_ERA_OFFSET + (1 if day.month >= 10 else 0)


def quarter(fiscal_year: int, number: int) -> Period:
    first_year = fiscal_year - BUDDHIST_ERA_OFFSET - 1
    start_month = 10 + 3 * (number - 1)
    start = date(first_year + (start_month - 1) // 12, (start_month - 1) % 12 + 1, 1)
    next_month = start_month + 3
    end = date(first_year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1) - timedelta(
        days=1
    )
    return Period(f"{fiscal_year}-Q{number}", fiscal_year, number, start, end)


def quarters(fiscal_year: int) -> list[Period]:
    return [quarter(fiscal_year, n) for n in (1, 2, 3, 4)]


def period_by_key(key: str) -> Period | None:
    try:
        year, q = key.split("-Q")
        return quarter(int(year), int(q))
    except ValueError:
        return None


def local_day(at: datetime) -> date:
    return at.astimezone(BANGKOK).date()


def quarter_containing(at: datetime, fiscal_year: int) -> Period:
    """The quarter of `fiscal_year` that holds `at`, clamped to the year's first or last quarter
    when `at` falls outside it (a plan is read and reported on after its year, too)."""
    day = local_day(at)
    periods = quarters(fiscal_year)
    if day < periods[0].start:
        return periods[0]
    for period in periods:
        if period.start <= day <= period.end:
            return period
    return periods[-1]
