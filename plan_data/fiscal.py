"""The fiscal year: 1 Oct – 30 Sep, named by its Buddhist-era year (FY2564 is 1 Oct 2020 –
30 Sep 2021), its quarters, Bangkok days, and which loaded plan is the current one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BUDDHIST_ERA_OFFSET = 543


@dataclass(frozen=True)
class Quarter:
    key: str  # e.g. 2564-Q1
    fiscal_year: int
    quarter: int
    start: date
    end: date  # last day, inclusive


def local_day(at: datetime) -> date:
    """The day in Bangkok: due dates and periods are Thai office days."""
    return at.astimezone(BANGKOK).date()


def fiscal_year_of(day: date) -> int:
    return day.year + BUDDHIST_ERA_OFFSET + (1 if day.month >= 10 else 0)


def first_day(fiscal_year: int) -> date:
    return date(fiscal_year - BUDDHIST_ERA_OFFSET - 1, 10, 1)


def last_day(fiscal_year: int) -> date:
    return date(fiscal_year - BUDDHIST_ERA_OFFSET, 9, 30)


def quarter(fiscal_year: int, number: int) -> Quarter:
    start_month = 10 + 3 * (number - 1)
    first_year = fiscal_year - BUDDHIST_ERA_OFFSET - 1
    start = date(first_year + (start_month - 1) // 12, (start_month - 1) % 12 + 1, 1)
    after = start_month + 3
    end = date(first_year + (after - 1) // 12, (after - 1) % 12 + 1, 1) - timedelta(days=1)
    return Quarter(f"{fiscal_year}-Q{number}", fiscal_year, number, start, end)


def quarters(fiscal_year: int) -> list[Quarter]:
    return [quarter(fiscal_year, n) for n in (1, 2, 3, 4)]


def year_share(fiscal_year: int, until: date) -> Decimal:
    """How much of the fiscal year has passed by the end of `until` (0..1): what a count target
    is pro-rated by."""
    first, last = first_day(fiscal_year), last_day(fiscal_year)
    length = (last - first).days + 1
    elapsed = min(max((until - first).days + 1, 0), length)
    return Decimal(elapsed) / Decimal(length)


def current_fiscal_year(loaded: Iterable[int], today: date) -> int | None:
    """The plan people mean when they name no year: the loaded year that holds today; else the
    newest loaded year that has begun (a plan is read and reported on after its year, too);
    else the oldest loaded one. None when no plan is loaded."""
    years = sorted(set(loaded))
    if not years:
        return None
    now = fiscal_year_of(today)
    if now in years:
        return now
    begun = [y for y in years if y <= now]
    return begun[-1] if begun else years[0]
