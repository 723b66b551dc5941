"""The reporting calendar across fiscal year 2564: quarter boundaries, due dates, the period an
update counts for (also through /update's reply), targets, and the file's validation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Request
from plan_data.calendar import default_calendar
from plan_data.fiscal import quarters
from storage.plan_io.calendar_file import CalendarError, load_calendar
from tests.support.catalog import contains, th
from tests.support.remind_setup import at, member


@pytest.fixture
def fy2564():
    return load_calendar(2564)


def test_shipped_file_follows_the_default_rules(fy2564) -> None:
    assert fy2564.source.endswith("calendar_fy2564.yaml")
    assert fy2564.periods == default_calendar(2564).periods
    assert [p.key for p in fy2564.periods] == [q.key for q in quarters(2564)]
    rows = [
        (p.key, p.start, p.end, p.internal_due, p.external_due, p.disbursement_target)
        for p in fy2564.periods
    ]
    assert rows == [
        (
            "2564-Q1",
            date(2020, 10, 1),
            date(2020, 12, 31),
            date(2021, 1, 7),
            date(2021, 1, 15),
            Decimal(32),
        ),
        (
            "2564-Q2",
            date(2021, 1, 1),
            date(2021, 3, 31),
            date(2021, 4, 7),
            date(2021, 4, 15),
            Decimal(54),
        ),
        (
            "2564-Q3",
            date(2021, 4, 1),
            date(2021, 6, 30),
            date(2021, 7, 7),
            date(2021, 7, 15),
            Decimal(77),
        ),
        (
            "2564-Q4",
            date(2021, 7, 1),
            date(2021, 9, 30),
            date(2021, 10, 7),
            date(2021, 10, 15),
            Decimal(100),
        ),
    ]


@pytest.mark.parametrize(
    ("moment", "counts_for", "current"),
    [
        ("2020-10-01 00:00", "2564-Q1", "2564-Q1"),
        ("2020-12-31 23:59", "2564-Q1", "2564-Q1"),
        ("2021-01-01 00:00", "2564-Q1", "2564-Q2"),  # Q1 ended, its due date not passed
        ("2021-01-07 12:00", "2564-Q1", "2564-Q2"),  # internal due day
        ("2021-01-15 23:59", "2564-Q1", "2564-Q2"),  # Budget Bureau due day, still Q1
        ("2021-01-16 00:00", "2564-Q2", "2564-Q2"),
        ("2021-03-31 23:59", "2564-Q2", "2564-Q2"),
        ("2021-04-15 09:00", "2564-Q2", "2564-Q3"),
        ("2021-04-16 09:00", "2564-Q3", "2564-Q3"),
        ("2021-07-15 09:00", "2564-Q3", "2564-Q4"),
        ("2021-07-16 09:00", "2564-Q4", "2564-Q4"),
        ("2021-09-30 23:59", "2564-Q4", "2564-Q4"),
        ("2021-10-15 09:00", "2564-Q4", "2564-Q4"),  # after the year, Q4 still open
    ],
)
def test_period_an_update_counts_for(fy2564, moment: str, counts_for: str, current: str) -> None:
    assert fy2564.period_for_report(at(moment)).key == counts_for
    assert fy2564.current_period(at(moment)).key == current


def test_the_day_is_the_bangkok_day(fy2564) -> None:
    # 15 Jan 17:30 UTC is already 16 Jan 00:30 in Bangkok: Q1's window has closed.
    utc = datetime.fromisoformat("2021-01-15T17:30+00:00")
    assert fy2564.period_for_report(utc).key == "2564-Q2"
    assert (
        fy2564.period_for_report(datetime.fromisoformat("2021-01-15T16:59+00:00")).key == "2564-Q1"
    )


@pytest.mark.parametrize(
    ("moment", "next_due", "open_key"),
    [
        ("2020-09-30 09:00", date(2021, 1, 7), None),  # before the year: nothing open
        ("2021-01-06 09:00", date(2021, 1, 7), "2564-Q1"),
        ("2021-01-07 23:59", date(2021, 1, 7), "2564-Q1"),  # the due day itself
        ("2021-01-08 00:00", date(2021, 4, 7), "2564-Q1"),  # overdue, still collected
        ("2021-01-16 09:00", date(2021, 4, 7), "2564-Q2"),
        ("2021-10-07 09:00", date(2021, 10, 7), "2564-Q4"),
        ("2021-10-08 09:00", None, "2564-Q4"),
        ("2021-10-16 09:00", None, None),  # the year is closed
    ],
)
def test_next_due_and_open_period(
    fy2564, moment: str, next_due: date | None, open_key: str | None
) -> None:
    assert fy2564.next_due(at(moment)) == next_due
    period = fy2564.open_period(at(moment))
    assert (period.key if period else None) == open_key


@pytest.mark.parametrize(
    ("moment", "target"),
    [
        ("2020-09-30 09:00", "0"),
        ("2020-10-01 09:00", "0.3"),  # 32 % over 92 days: one day's share
        ("2020-11-15 09:00", "16.0"),  # 46 of 92 days: half of 32
        ("2020-12-31 09:00", "32.0"),
        ("2021-01-01 09:00", "32.2"),  # Q2 rises from 32 to 54 over 90 days
        ("2021-03-31 09:00", "54.0"),
        ("2021-09-30 09:00", "100.0"),
        ("2021-11-01 09:00", "100"),
    ],
)
def test_disbursement_target_expected_by_now(fy2564, moment: str, target: str) -> None:
    assert fy2564.disbursement_target(at(moment)) == Decimal(target)


def test_days_left_counts_to_the_internal_due_date(fy2564) -> None:
    q1 = fy2564.periods[0]
    assert [q1.days_left(date(2021, 1, d)) for d in (4, 7, 11)] == [3, 0, -4]


def _write(tmp_path: Path, text: str, year: int = 2564) -> Path:
    path = tmp_path / f"calendar_fy{year}.yaml"
    path.write_text(text, encoding="utf-8")
    return tmp_path


def test_file_changes_days_dates_targets_and_the_window(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        "fiscal_year: 2564\ninternal_due_days: 10\nexternal_due_days: 20\n"
        "reports_count_for_ended_period_until: internal\n"
        "quarters:\n  - quarter: 1\n    internal_due: 2021-01-05\n"
        "  - quarter: 2\n    disbursement_target: '50.5'\n",
    )
    calendar = load_calendar(2564, folder)
    q1, q2, q3, _q4 = calendar.periods
    assert (q1.internal_due, q1.external_due) == (date(2021, 1, 5), date(2021, 1, 20))
    assert (q2.internal_due, q2.external_due) == (date(2021, 4, 10), date(2021, 4, 20))
    assert (q2.disbursement_target, q3.disbursement_target) == (Decimal("50.5"), Decimal(77))
    # The window now closes at the internal due date.
    assert calendar.period_for_report(at("2021-01-05 09:00")).key == "2564-Q1"
    assert calendar.period_for_report(at("2021-01-06 09:00")).key == "2564-Q2"


def test_no_file_means_the_default_rules(tmp_path: Path) -> None:
    calendar = load_calendar(2565, tmp_path)
    assert calendar.source == "default rules"
    assert calendar.periods[0].key == "2565-Q1"
    assert calendar.periods[0].external_due == date(2022, 1, 15)


def test_monthly_periods(tmp_path: Path) -> None:
    calendar = load_calendar(2564, _write(tmp_path, "fiscal_year: 2564\nmonths: true\n"))
    assert len(calendar.periods) == 12
    october, november, december = calendar.periods[:3]
    assert (october.key, october.start, october.end) == (
        "2564-M01",
        date(2020, 10, 1),
        date(2020, 10, 31),
    )
    assert october.internal_due == date(2020, 11, 7)
    assert (december.internal_due, december.disbursement_target) == (date(2021, 1, 7), Decimal(32))
    assert november.disbursement_target == Decimal("21.3")
    assert calendar.period_for_report(at("2020-11-03 09:00")).key == "2564-M01"


@pytest.mark.parametrize(
    ("text", "record", "field", "words"),
    [
        ("fiscal_year: 2564\nquarterz: []\n", "the calendar", "quarterz", "unknown field"),
        ("fiscal_year: 2563\n", "the calendar", "fiscal_year", "is 2563"),
        (
            "fiscal_year: 2564\ninternal_due_days: -1\n",
            "the calendar",
            "internal_due_days",
            "0–120",
        ),
        (
            "fiscal_year: 2564\nquarters:\n  - quarter: 5\n",
            "quarters item 1",
            "quarter",
            "1, 2, 3 or 4",
        ),
        (
            "fiscal_year: 2564\nquarters:\n  - {quarter: 2, disbursement_target: '120'}\n",
            "quarter 2",
            "disbursement_target",
            "at most 100",
        ),
        (
            "fiscal_year: 2564\nquarters:\n  - {quarter: 2, disbursement_target: abc}\n",
            "quarter 2",
            "disbursement_target",
            "must be a number",
        ),
        (
            "fiscal_year: 2564\nquarters:\n  - {quarter: 3, disbursement_target: '40'}\n",
            "quarter 3",
            "disbursement_target",
            "below the previous",
        ),
        (
            "fiscal_year: 2564\nquarters:\n  - {quarter: 1, internal_due: 2020-12-20}\n",
            "quarter 1",
            "internal_due",
            "not after the quarter ends",
        ),
        (
            "fiscal_year: 2564\nquarters:\n  - {quarter: 1, external_due: 2564-01-15}\n",
            "quarter 1",
            "external_due",
            "Gregorian",
        ),
        (
            "fiscal_year: 2564\nquarters:\n  - {quarter: 1, wrong: 1}\n",
            "quarters item 1",
            "wrong",
            "unknown field",
        ),
        (
            "fiscal_year: 2564\nquarters:\n  - {quarter: 1}\n  - {quarter: 1}\n",
            "quarter 1",
            "quarter",
            "listed twice",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_file_record_and_field(
    tmp_path: Path, text: str, record: str, field: str, words: str
) -> None:
    folder = _write(tmp_path, text)
    with pytest.raises(CalendarError) as caught:
        load_calendar(2564, folder)
    problems = caught.value.validation.errors
    assert any(p.record == record and p.field == field and words in p.message for p in problems), (
        problems
    )
    assert str(folder / "calendar_fy2564.yaml") in str(caught.value)


def _update(services: Services, moment: str, text: str = "/update STR114/64 2 80") -> str:
    request = Request("telegram", "7", "7", text=text, language="th", at=at(moment))
    return "\n".join(reply.text for reply in dispatch(request, services))


@pytest.mark.parametrize(
    ("moment", "quarter"),
    [
        ("2020-12-31 16:00", 1),
        ("2021-01-11 09:00", 1),  # after Q1 ended, before its due date
        ("2021-01-15 23:00", 1),
        ("2021-01-16 08:00", 2),
        ("2021-04-15 09:00", 2),
        ("2021-07-16 09:00", 4),
    ],
)
def test_update_reply_names_the_period_the_calendar_gives(
    services: Services, moment: str, quarter: int
) -> None:
    member(services.db, 7, "research")
    reply = _update(services, moment)
    period = th("period_quarter", quarter=quarter, year=2564)
    assert contains(reply, "update_recorded", number=2, code="STR114/64", period=period), reply


def test_update_after_the_quarter_counts_in_status_for_that_quarter(services: Services) -> None:
    member(services.db, 7, "research")
    _update(services, "2021-01-11 09:00")
    card = _update(services, "2021-01-11 09:05", "/status STR114/64")
    q1 = th("period_quarter", quarter=1, year=2564)
    assert contains(card, "latest_value", progress=" (53.3%)", period=q1), card
