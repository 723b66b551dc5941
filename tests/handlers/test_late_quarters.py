"""Quarters that closed unreported (issue 20), at 20 April 2021: Q1 and Q2 closed with nothing
reported, Q3 being collected. /status, /due and /summary say so on one screen; a planner (not a
head) records a closed quarter's value, stored as late and shown late in /history and in the
quarterly report. Writes run on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import select

from handlers.context import Services
from storage.db.database import Database
from storage.db.models import IndicatorReport
from tests.support.catalog import contains, plain, th
from tests.support.handler_helpers import ask, writes
from tests.support.remind_setup import at, member

SCREEN = 25
HEAD, PLANNER = "9001", "9002"
APRIL_20 = at("2021-04-20 09:00")
Q1, Q2, Q3 = (th("period_quarter", quarter=q, year=2564) for q in (1, 2, 3))


@pytest.fixture
def april(loaded: Database) -> Iterator[Services]:
    """The plan on SQLite and on PostgreSQL, the clock at 20 April 2021, a research head and
    a planner."""
    member(loaded, int(HEAD), "research", role="head", name="Head")
    member(loaded, int(PLANNER), "planning", role="planner", name="Planner")
    yield Services(db=loaded, clock=lambda: APRIL_20, bot_username="planbot_test_bot")


def _one(services: Services, who: str, text: str) -> str:
    replies = ask(services, who, text)
    assert len(replies) == 1, [r.text for r in replies]
    return replies[0].text


def _lines(text: str) -> int:
    return len(plain(text).splitlines())


def test_status_due_and_summary_show_the_closed_quarters_on_one_screen(april: Services) -> None:
    for who in (HEAD, PLANNER):
        status = _one(april, who, "/status STR114/64")
        items = " · ".join(th("status_missed_item", period=p, numbers="1–3") for p in (Q1, Q2))
        assert th("status_missed", periods=items) in status
        summary = _one(april, who, "/summary")
        items = " · ".join(th("missed_compact_item", period=p, count=147) for p in (Q1, Q2))
        assert th("missed_compact", periods=items) in summary
        due = _one(april, who, "/due")
        for text in (status, summary, due):
            assert _lines(text) <= SCREEN, text
    due = _one(april, HEAD, "/due")
    assert th("missed_line", period=Q2, count=26, total=26) in due
    assert th("missed_who_may") in due and not contains(due, "missed_planner_how")
    assert th("missed_planner_how") in _one(april, PLANNER, "/due")


def test_a_head_cannot_record_a_closed_quarter(april: Services) -> None:
    text = _one(april, HEAD, "/update STR114/64 2 130 Q2")
    assert text == th("late_planners_only", quarter=2, year=2564, date="15 เม.ย. 2564")
    assert writes(april) == (0, 0)


def test_a_planner_records_a_closed_quarter_marked_late_in_history_and_report(
    april: Services,
) -> None:
    text = _one(april, PLANNER, "/update STR114/64 2 130 Q2")
    assert text.startswith(
        th("update_recorded", code="STR114/64", number=2, value="130 คน", period=Q2)
    )
    assert th("update_recorded_late") in text
    with april.db.session() as session:
        [row] = session.scalars(select(IndicatorReport)).all()
        assert (row.period, row.late, row.value) == ("2564-Q2", True, 130)
    history = _one(april, PLANNER, "/history STR114/64")
    assert f"({Q2}) {th('history_late')}" in history
    # Q2's missed line now counts one indicator fewer for the project
    status = _one(april, HEAD, "/status STR114/64")
    items = " · ".join(
        th("status_missed_item", period=p, numbers=n) for p, n in ((Q1, "1–3"), (Q2, "1, 3"))
    )
    assert th("status_missed", periods=items) in status
    [reply] = ask(april, PLANNER, "/report Q2")
    assert reply.document is not None, reply.text
    cells = [
        c.text
        for t in Document(BytesIO(reply.document.content)).tables
        for r in t.rows
        for c in r.cells
    ]
    assert th("qr_value_late", value="130 คน") in cells


def test_an_on_time_value_is_not_marked_late(april: Services) -> None:
    text = _one(april, PLANNER, "/update STR114/64 2 40")  # Q3, the period open now
    assert th("update_recorded", code="STR114/64", number=2, value="40 คน", period=Q3) in text
    assert not contains(text, "update_recorded_late")
    assert th("history_late") not in _one(april, PLANNER, "/history STR114/64")


def test_a_quarter_not_begun_is_refused(april: Services) -> None:
    assert _one(april, PLANNER, "/update STR114/64 2 130 Q4") == th(
        "period_not_begun", quarter=4, year=2564
    )
    assert writes(april) == (0, 0)


def test_the_quarter_may_be_written_in_thai(april: Services) -> None:
    text = _one(april, PLANNER, "/update STR114/64 2 ๑๓๐ ไตรมาส ๒ ตามหนังสือแจ้ง")
    assert th("update_recorded_late") in text
    with april.db.session() as session:
        [row] = session.scalars(select(IndicatorReport)).all()
        assert (row.period, row.late, row.note) == ("2564-Q2", True, "ตามหนังสือแจ้ง")
