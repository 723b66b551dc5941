"""/spend inside a grace window (issue 20): on 11 January 2021 Q1 has ended but takes reports
until 15 January, and Q2 is the current quarter; spending is not silently filed to Q1 — two
buttons ask which quarter, one press writes once. Outside a grace window nothing is asked.
On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from handlers.buttons import CancelSpend, SpendQuarter, decode
from handlers.context import Services
from storage.db.database import Database
from storage.db.models import SpendingEntry
from tests.support.catalog import starts_with, th
from tests.support.handler_helpers import ask, writes
from tests.support.remind_setup import JAN_11, at, member

HEAD = "9001"
Q1, Q2 = (th("period_quarter", quarter=q, year=2564) for q in (1, 2))


@pytest.fixture
def january(loaded: Database) -> Iterator[Services]:
    member(loaded, int(HEAD), "research", role="head", name="Head")
    yield Services(db=loaded, clock=lambda: JAN_11, bot_username="planbot_test_bot")


def _periods(services: Services) -> list[str]:
    with services.db.session() as session:
        return list(session.scalars(select(SpendingEntry.period).order_by(SpendingEntry.id)))


def test_inside_the_grace_window_spending_asks_which_quarter(january: Services) -> None:
    [which] = ask(january, HEAD, "/spend STR114/64 50000 ค่าจ้าง")
    assert which.text == th(
        "spend_which_quarter",
        amount="50,000 บาท",
        code="STR114/64",
        first=Q1,
        until="15 ม.ค. 2564",
        second=Q2,
    )
    assert writes(january) == (0, 0)
    [q1, q2], [cancel] = which.buttons
    assert (q1.label, q2.label) == (Q1, Q2)
    assert isinstance(decode(q1.data), SpendQuarter) and isinstance(
        decode(cancel.data), CancelSpend
    )
    [done] = ask(january, HEAD, button=q2.data)
    assert done.edit and starts_with(done.text, "spend_recorded", amount="50,000 บาท", period=Q2)
    assert ask(january, HEAD, button=q1.data)[0].text == th("button_used")  # one press writes
    assert _periods(january) == ["2564-Q2"]
    [again] = ask(january, HEAD, "/spend STR114/64 1000")
    [done] = ask(january, HEAD, button=again.buttons[0][0].data)
    assert starts_with(done.text, "spend_recorded", period=Q1)
    assert _periods(january) == ["2564-Q2", "2564-Q1"]


def test_cancel_writes_nothing(january: Services) -> None:
    [which] = ask(january, HEAD, "/spend STR114/64 50000")
    [cancelled] = ask(january, HEAD, button=which.buttons[1][0].data)
    assert cancelled.text == th("update_cancelled") and writes(january) == (0, 0)
    assert ask(january, HEAD, button=which.buttons[0][0].data)[0].text == th("button_used")


def test_a_quarter_typed_with_the_amount_is_not_asked(january: Services) -> None:
    [done] = ask(january, HEAD, "/spend STR114/64 1000 Q2 ค่าจ้าง")
    assert starts_with(done.text, "spend_recorded", period=Q2)
    assert _periods(january) == ["2564-Q2"]


def test_past_the_budget_is_still_asked_after_the_quarter(january: Services) -> None:
    [which] = ask(january, HEAD, "/spend STR114/64 6 ล้าน")
    [asked] = ask(january, HEAD, button=which.buttons[0][1].data)
    assert starts_with(asked.text, "spend_confirm_over") and writes(january) == (0, 0)
    [done] = ask(january, HEAD, button=asked.buttons[0][0].data)
    assert starts_with(done.text, "spend_recorded", period=Q2)
    assert _periods(january) == ["2564-Q2"]


def test_outside_a_grace_window_nothing_is_asked(january: Services) -> None:
    later = replace(january, clock=lambda: at("2021-02-01 09:00"))
    [done] = ask(later, HEAD, "/spend STR114/64 1000")
    assert starts_with(done.text, "spend_recorded", period=Q2)


def test_a_closed_quarter_takes_no_spending(january: Services) -> None:
    april = replace(january, clock=lambda: at("2021-04-20 09:00"))
    [refused] = ask(april, HEAD, "/spend STR114/64 1000 Q1")
    assert refused.text == th("spend_period_closed", quarter=1, year=2564)
    assert writes(april) == (0, 0)
