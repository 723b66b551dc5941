"""The on-track judgement, progress and the fiscal calendar, without a database."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from plan_data.calendar import PeriodState, default_calendar, parse_period_key
from plan_data.fiscal import BANGKOK, current_fiscal_year, fiscal_year_of, year_share
from plan_data.progress import Verdict, expected_percent, judge, progress_percent
from storage.plan_io.calendar_file import load_calendar
from tests.unit.plan_builder import indicator

HALF = Decimal("0.5")


@pytest.mark.parametrize(
    ("target", "unit", "direction", "value", "verdict"),
    [
        ("100", "คน", "at_least", None, Verdict.NOT_REPORTED),
        ("100", "คน", "at_least", "49", Verdict.BEHIND),
        ("100", "คน", "at_least", "50", Verdict.ON_TRACK),  # pro-rated: half the year
        ("100", "คน", "at_least", "100", Verdict.DONE),
        ("80", "percent", "at_least", "79", Verdict.BEHIND),  # a rate is not pro-rated
        ("80", "percent", "at_least", "80", Verdict.DONE),
        ("5", "วัน", "at_most", "5", Verdict.ON_TRACK),
        ("5", "วัน", "at_most", "6", Verdict.BEHIND),
        (None, "คน", "at_least", "1", Verdict.ON_TRACK),
        ("4", "เรื่อง", "milestone", "2", Verdict.ON_TRACK),
    ],
)
def test_judge(
    target: str | None, unit: str, direction: str, value: str | None, verdict: Verdict
) -> None:
    item = indicator(1, "X/64", target=target, unit=unit, direction=direction)
    assert judge(item, Decimal(value) if value else None, HALF) is verdict


def test_progress_and_expected() -> None:
    count = indicator(1, "X/64", target="120")
    assert progress_percent(count, Decimal(30)) == Decimal("25.0")
    assert expected_percent(count, Decimal("0.25")) == Decimal("25.0")
    rate = indicator(2, "X/64", target="80", unit="percent")
    assert expected_percent(rate, Decimal("0.25")) == Decimal(100)
    cap = indicator(3, "X/64", target="5", direction="at_most")
    assert progress_percent(cap, Decimal(6)) == Decimal(0)
    assert expected_percent(cap, HALF) is None


def test_year_share_and_fiscal_year() -> None:
    assert year_share(2564, date(2021, 9, 30)) == 1
    assert year_share(2564, date(2020, 9, 30)) == 0
    assert fiscal_year_of(date(2020, 10, 1)) == 2564
    assert fiscal_year_of(date(2021, 9, 30)) == 2564


def test_current_fiscal_year() -> None:
    assert current_fiscal_year([], date(2021, 1, 1)) is None
    assert current_fiscal_year([2564, 2565], date(2021, 1, 1)) == 2564
    assert current_fiscal_year([2564], date(2026, 11, 30)) == 2564  # read after its year
    assert current_fiscal_year([2564, 2565], date(2026, 11, 30)) == 2565
    assert current_fiscal_year([2570], date(2021, 1, 1)) == 2570


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T09:00").replace(tzinfo=BANGKOK)


def test_period_states_and_the_closed_year() -> None:
    calendar = load_calendar(2564)
    q1 = calendar.periods[0]
    assert calendar.state(q1, at("2020-12-01")) is PeriodState.UPCOMING
    assert calendar.state(q1, at("2021-01-05")) is PeriodState.COLLECTING
    assert calendar.state(q1, at("2021-01-07")) is PeriodState.DUE_TODAY
    assert calendar.state(q1, at("2021-01-12")) is PeriodState.OVERDUE
    assert calendar.state(q1, at("2021-01-16")) is PeriodState.CLOSED
    assert calendar.accepting(at("2021-01-12")) == q1  # Q1 still accepted until 15 Jan
    assert calendar.accepting(at("2021-10-15")) == calendar.periods[-1]
    assert calendar.accepting(at("2021-10-20")) is None
    assert calendar.closed_on == date(2021, 10, 15)


def test_monthly_period_keys() -> None:
    months = default_calendar(2564, months=True)
    assert [p.key for p in months.periods][:2] == ["2564-M01", "2564-M02"]
    name = parse_period_key("2564-M04")
    assert name is not None and name.month == 1 and name.quarter == 2
    quarter = parse_period_key("2564-Q3")
    assert quarter is not None and quarter.quarter == 3 and quarter.month is None
    assert parse_period_key("2564-X1") is None
