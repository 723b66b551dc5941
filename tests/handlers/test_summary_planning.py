"""/summary on a real SQLite file filled with known reports and spending (tests/support/planning_scenario)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from handlers.context import Services
from plan_data.fiscal import local_day, year_share
from plan_data.model import Indicator
from plan_data.progress import Verdict, frame_at, judge
from plan_data.summary import plan_summary
from storage.plan_io.calendar_file import load_calendar
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.support.catalog import contains, en, render, th
from tests.support.handler_helpers import ask
from tests.support.planning_scenario import MEMBER, PLANNER

BEHIND, NOT_REPORTED, ON_TRACK, DONE = (
    Verdict.BEHIND,
    Verdict.NOT_REPORTED,
    Verdict.ON_TRACK,
    Verdict.DONE,
)


def period_q1(language: str = "th") -> str:
    return render("period_quarter", language, quarter=1, year=2564)


def summary_line(
    label: str, counts: tuple[int, int, int, int, int], spent: str, language: str = "th"
) -> str:
    """A strategy's or division's line of /summary: its label, its indicators (reported, total,
    on track, behind, missing) and its spending against the cumulative target of 32%."""
    reported, total, on_track, behind, missing = counts
    indicators = render(
        "summary_line_indicators",
        language,
        reported=reported,
        total=total,
        on_track=on_track,
        behind=behind,
        missing=missing,
    )
    money = render("summary_line_money", language, percent=spent, target="32%")
    return f"<b>{label}</b> {indicators} · {money}"


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def index_of(lines: list[str], label: str) -> int:
    return next(i for i, line in enumerate(lines) if f"<b>{label}</b>" in line)


def test_summary_counts_and_money_for_the_whole_plan(filled: Services) -> None:
    [reply] = ask(filled, MEMBER, "/summary")
    text = reply.text
    assert lines_of(text)[0] == th("summary_title", period=period_q1())
    indicators = th("summary_indicators", reported=6, total=147, on_track=4, behind=2, missing=141)
    assert indicators in text
    money = th(
        "summary_money",
        spent="4 ล้านบาท",
        allocated="159.41 ล้านบาท",
        percent="2.5%",
        target="32%",
    )
    assert money in text


def test_summary_lines_per_strategy_and_division(filled: Services) -> None:
    [reply] = ask(filled, PLANNER, "/summary")
    text = reply.text
    s1, s2, s3 = (th("summary_strategy", number=n) for n in (1, 2, 3))
    assert summary_line(s1, (4, 19, 2, 2, 15), "21.8%") in text
    assert summary_line(s2, (2, 9, 2, 0, 7), "24.4%") in text
    assert summary_line(s3, (0, 45, 0, 0, 45), "0%") in text
    assert summary_line("ฝ่ายตรวจสอบอัญมณี", (4, 7, 2, 2, 3), "8.1%") in text
    assert summary_line("ฝ่ายวิจัยและพัฒนา", (2, 26, 2, 0, 24), "18.3%") in text


def test_summary_puts_the_worst_first(filled: Services) -> None:
    [reply] = ask(filled, PLANNER, "/summary")
    lines = lines_of(reply.text)
    # nothing on track (S3) before 2 of 19 (S1) before 2 of 9 (S2)
    s1, s2, s3 = (th("summary_strategy", number=n) for n in (1, 2, 3))
    assert index_of(lines, s3) < index_of(lines, s1) < index_of(lines, s2)
    assert index_of(lines, "ฝ่ายวิจัยและพัฒนา") < index_of(lines, "ฝ่ายตรวจสอบอัญมณี")
    assert lines[index_of(lines, s3)].startswith("• ")


def test_summary_fits_one_phone_screen_in_english_too(filled: Services) -> None:
    replies = ask(filled, PLANNER, "/summary", language="en")
    assert len(replies) == 1 and len(replies[0].text) < 3000
    text = replies[0].text
    assert text.startswith(en("summary_title", period=period_q1("en")))
    indicators = en("summary_indicators", reported=6, total=147, on_track=4, behind=2, missing=141)
    assert indicators in text
    s1 = en("summary_strategy", number=1)
    assert summary_line(s1, (4, 19, 2, 2, 15), "21.8%", "en") in text
    assert "<b>Gem Testing Division</b>" in text and "ฝ่าย" not in text


def test_summary_refused_to_strangers(filled: Services) -> None:
    [reply] = ask(filled, "99999", "/summary")
    assert reply.text == th("not_registered")
    assert not contains(reply.text, "summary_strategy")


def test_plan_summary_figures_from_storage(filled: Services) -> None:
    with UnitOfWork(filled.db) as uow:
        plan = uow.plans().current(local_day(JAN_11_2021))
        assert plan is not None
        frame = frame_at(load_calendar(plan.fiscal_year), JAN_11_2021)
        assert (frame.period_key, frame.period_end) == ("2564-Q1", date(2020, 12, 31))
        assert frame.target_percent == Decimal("32")
        result = plan_summary(plan, uow.figures.for_summary(frame.period_key), frame)
    s1 = next(line for line in result.strategies if line.key == "S1")
    assert (s1.indicators.total, s1.indicators.on_track, s1.indicators.behind) == (19, 2, 2)
    assert s1.budget.allocated == Decimal("9160600") and s1.budget.spent == Decimal("2000000")
    assert s1.gap_points == Decimal("21.8") - Decimal("32")
    assert result.total.budget.spent == Decimal("4000000")


@pytest.mark.parametrize(
    ("value", "target", "unit", "direction", "verdict"),
    [
        (None, "95", "percent", "at_least", NOT_REPORTED),
        ("95", "95", "percent", "at_least", DONE),
        ("94.9", "95", "percent", "at_least", BEHIND),  # a rate: the whole target every time
        ("3", "4", "level", "at_least", BEHIND),
        ("5344", "21200", "ตัวอย่าง", "at_least", ON_TRACK),  # a count: 92/365 of it by Q1
        ("5343", "21200", "ตัวอย่าง", "at_least", BEHIND),
        ("26", "100", "percent", "milestone", ON_TRACK),
        ("25", "100", "percent", "milestone", BEHIND),
        ("10", "10", "percent", "at_most", ON_TRACK),
        ("11", "10", "percent", "at_most", BEHIND),
        ("1", None, "", "milestone", ON_TRACK),  # no target: reported is all one can ask
    ],
)
def test_judge_on_track_rules(
    value: str | None, target: str | None, unit: str, direction: str, verdict: Verdict
) -> None:
    share = year_share(2564, date(2020, 12, 31))
    assert share == Decimal(92) / Decimal(365)
    indicator = Indicator(
        1, "X/64", 1, "output", 1, "x", Decimal(target) if target else None, unit, direction
    )
    found = judge(indicator, Decimal(value) if value else None, share)
    assert found == verdict
