"""The review rules that are pure: which marks show, how the period's values are counted, and
that a returned value is owed again (plan_data, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from plan_data.due import division_dues
from plan_data.figures import Figures
from plan_data.progress import TimeFrame
from plan_data.quarterly import quarterly_report
from plan_data.review import NO_MARK, ReviewCounts, ReviewMark, ReviewState
from plan_data.summary import plan_summary
from storage.plan_io.calendar_file import load_calendar
from tests.unit.plan_builder import nested_plan

FRAME = TimeFrame(2564, "2564-Q1", date(2020, 12, 31), Decimal("0.25"), Decimal(32))
# indicators 1 (alpha), 2 (beta) and 3 (gamma) of strategy 1; 1 and 2 reported for Q1
REPORTED = Figures(in_period={1: Decimal(30), 2: Decimal(40)})
MARKS = {
    1: ReviewMark(ReviewState.VERIFIED, "", 2),
    2: ReviewMark(ReviewState.RETURNED, "ขอหลักฐาน"),
    3: ReviewMark(ReviewState.VERIFIED),  # not reported for the period: not counted
}


def test_which_marks_show() -> None:
    assert not NO_MARK.shown
    assert ReviewMark(ReviewState.VERIFIED).shown
    assert ReviewMark(ReviewState.RETURNED, "why").shown
    assert ReviewMark(evidence=1).shown


def test_counts_add_up() -> None:
    counts = ReviewCounts()
    for state in (
        ReviewState.VERIFIED,
        ReviewState.RETURNED,
        ReviewState.SUBMITTED,
        ReviewState.SUBMITTED,
    ):
        counts = counts.add(state)
    assert (counts.verified, counts.returned, counts.waiting, counts.total) == (1, 1, 2, 4)


def test_the_summary_counts_the_review_of_each_value_of_the_period() -> None:
    summary = plan_summary(nested_plan(), REPORTED, FRAME, MARKS)
    assert summary.total.reviews == ReviewCounts(verified=1, returned=1, waiting=0)
    [s1] = [line for line in summary.strategies if line.key == "S1"]
    assert s1.reviews == ReviewCounts(1, 1, 0)
    divisions = {line.key: line.reviews for line in summary.divisions}
    assert divisions["alpha"] == ReviewCounts(1, 0, 0)
    assert divisions["beta"] == ReviewCounts(0, 1, 0)
    assert divisions["gamma"] == ReviewCounts()
    unreviewed = plan_summary(nested_plan(), REPORTED, FRAME)  # no marks: all waiting
    assert unreviewed.total.reviews == ReviewCounts(0, 0, 2)


def test_the_quarterly_report_lists_returned_values_beside_missing_ones() -> None:
    report = quarterly_report(nested_plan(), REPORTED, FRAME, MARKS)
    owed = {d.division.key: d for d in report.missing}
    assert [i.indicator.id for i in owed["beta"].returned] == [2]
    assert owed["beta"].returned[0].mark.reason == "ขอหลักฐาน"
    assert [i.indicator.id for i in owed["gamma"].missing] == [3]
    assert owed["gamma"].missing[0].mark == NO_MARK  # nothing reported, nothing reviewed
    assert "alpha" not in owed  # reported and verified


def test_a_returned_value_is_owed_again() -> None:
    period = load_calendar(2564).periods[0]
    plan = nested_plan()
    dues = division_dues(
        plan, period, date(2021, 1, 4), {1, 2, 3}, Figures(), returned={2: "ขอหลักฐาน"}
    )
    owed = {d.division.key: [(m.seq, m.code, m.returned) for m in d.missing] for d in dues}
    assert owed["beta"] == [(1, "AAA111_1/64", "ขอหลักฐาน")]
    assert owed["alpha"] == [] and owed["gamma"] == []
    again = division_dues(plan, period, date(2021, 1, 4), {1, 2, 3}, Figures())
    assert all(not d.missing for d in again)  # reported again: submitted, nothing owed
