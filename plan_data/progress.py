"""Progress and the on-track judgement of an indicator against its pro-rated target.

On track, for the newest value that counts in the period judged:
- at_most: value ≤ target;
- at_least with a rate (unit percent) or a score (unit level): value ≥ target — a rate is
  measured whole each time, not accumulated, so it is not pro-rated;
- at_least with a count (people, reports, times …) and milestone: value ≥ target × the share of
  the fiscal year elapsed by the period's end (Q2 of a 365-day year: 182/365 of the target);
- no target in the plan: reported counts as on track (there is nothing to fall behind).
Done: an at_least or milestone indicator whose value has reached the full-year target.
Not reported: no value that counts for the period.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from plan_data.calendar import ReportingCalendar, ReportingPeriod
from plan_data.fiscal import year_share
from plan_data.model import Indicator

RATE_UNITS = ("percent", "level")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


class Verdict(enum.Enum):
    DONE = "done"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_REPORTED = "not_reported"

    @property
    def reported(self) -> bool:
        return self is not Verdict.NOT_REPORTED

    @property
    def fine(self) -> bool:
        return self in (Verdict.DONE, Verdict.ON_TRACK)


@dataclass(frozen=True)
class TimeFrame:
    """Where in the year a judgement stands: the period reported on and the targets for it."""

    fiscal_year: int
    period_key: str  # e.g. 2564-Q2
    period_end: date
    year_share: Decimal  # share of the fiscal year elapsed by the period's end, 0..1
    target_percent: Decimal  # cumulative disbursement target for the period, percent


def frame_at(calendar: ReportingCalendar, at: datetime) -> TimeFrame:
    """The period a report made at `at` counts for, and its targets."""
    return frame_of(calendar, calendar.period_for_report(at))


def frame_of(calendar: ReportingCalendar, period: ReportingPeriod) -> TimeFrame:
    """The frame of one period of the calendar (a report on a period chosen by name)."""
    return TimeFrame(
        calendar.fiscal_year,
        period.key,
        period.end,
        year_share(calendar.fiscal_year, period.end),
        period.disbursement_target,
    )


def is_rate(indicator: Indicator) -> bool:
    return indicator.direction == "at_least" and indicator.unit in RATE_UNITS


def expected(indicator: Indicator, share: Decimal) -> Decimal | None:
    """The value an indicator should have reached by a point in the year (None: no target)."""
    if indicator.target is None:
        return None
    if indicator.direction == "at_most" or is_rate(indicator):
        return indicator.target
    return indicator.target * share


def judge(indicator: Indicator, value: Decimal | None, share: Decimal) -> Verdict:
    """The verdict for a value, by the rules in this module's docstring."""
    if value is None:
        return Verdict.NOT_REPORTED
    target = indicator.target
    if target is None:
        return Verdict.ON_TRACK
    if indicator.direction == "at_most":
        return Verdict.ON_TRACK if value <= target else Verdict.BEHIND
    if value >= target:
        return Verdict.DONE
    needed = expected(indicator, share)
    return Verdict.ON_TRACK if needed is not None and value >= needed else Verdict.BEHIND


def progress_percent(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    """How far a value has come towards the full-year target (at_most: 100 while within)."""
    if value is None or not indicator.target:
        return None
    if indicator.direction == "at_most":
        return HUNDRED if value <= indicator.target else ZERO
    return (value / indicator.target * 100).quantize(Decimal("0.1"))


def expected_percent(indicator: Indicator, share: Decimal) -> Decimal | None:
    """Where the progress bar should be by a point in the year, percent of the target."""
    if not indicator.target or indicator.direction == "at_most":
        return None
    return HUNDRED if is_rate(indicator) else (share * 100).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class IndicatorCounts:
    total: int = 0
    on_track: int = 0  # done included
    behind: int = 0

    @property
    def reported(self) -> int:
        return self.on_track + self.behind

    @property
    def not_reported(self) -> int:
        return self.total - self.reported

    @property
    def reported_percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.reported) / self.total * 100).quantize(Decimal("0.1"))

    @property
    def share_on_track(self) -> Decimal:
        return Decimal(self.on_track) / self.total if self.total else Decimal(1)

    def add(self, verdict: Verdict) -> IndicatorCounts:
        return IndicatorCounts(
            self.total + 1,
            self.on_track + verdict.fine,
            self.behind + (verdict is Verdict.BEHIND),
        )
