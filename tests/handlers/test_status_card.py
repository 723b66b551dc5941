"""What /status shows: a verdict per indicator as /summary judges it, the overdue line only
while something of that period is missing, money past the budget as "เกินงบ", no doubled
percentage, and the report button only for those who may report."""

from __future__ import annotations

from decimal import Decimal

from handlers.context import Services
from tests.support.catalog import contains, th
from tests.support.entries import add_spending, add_value
from tests.support.handler_helpers import ask, register

Q1 = th("period_quarter", quarter=1, year=2564)


def card(services: Services, user: str, code: str) -> tuple[str, list[str]]:
    [reply] = ask(services, user, f"/status {code}")
    return reply.text, [b.label for row in reply.buttons for b in row]


def test_verdicts_overdue_line_and_buttons(services: Services) -> None:
    register(services, "1", "member", "research")
    register(services, "2", "member", "training")
    text, buttons = card(services, "1", "STR114/64")
    assert text.count(th("verdict_not_reported", period=Q1)) == 3
    assert contains(text, "status_overdue", period=Q1)
    assert buttons == [th("button_update"), th("button_history")]
    assert card(services, "2", "STR114/64")[1] == [th("button_history")]  # not theirs
    with services.db.session() as session:
        for seq, value in ((1, "100"), (2, "10"), (3, "40")):
            add_value(session, code="STR114/64", seq=seq, value=Decimal(value), period="2564-Q1")
    text, _ = card(services, "1", "STR114/64")
    assert th("verdict_done", period=Q1) in text  # 100% of a 100% target
    assert th("verdict_behind", period=Q1) in text  # 10 of 150 people by Q1: behind 25%
    assert th("verdict_on_track", period=Q1) in text  # 40 of 150: ahead of 37.8
    assert not contains(text, "status_overdue")  # everything of Q1 is reported
    assert "100% (100%)" not in text and "(6.7%)" in text  # a rate shows no second percent


def test_over_budget_and_a_project_without_indicators(services: Services) -> None:
    register(services, "1", "planner", "planning")
    with services.db.session() as session:
        add_spending(session, code="STR114/64", amount=Decimal("5250126.50"), period="2564-Q1")
    text, _ = card(services, "1", "STR114/64")
    assert contains(text, "status_spent_over", over="250,126.50 บาท")
    assert not contains(text, "status_spent")  # no "remaining -250,126.50"
    text, buttons = card(services, "1", "HRD111/63")
    assert not contains(text, "status_overdue")
    assert not contains(text, "status_next_due", period=Q1)
    assert buttons == [th("button_history")]
