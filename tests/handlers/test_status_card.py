"""What /status shows: a verdict per indicator as /summary judges it, the overdue line only
while something of that period is missing, money past the budget as "เกินงบ", no doubled
percentage, and the report button only for those who may report."""

from __future__ import annotations

from decimal import Decimal

from handlers.context import Services
from handlers.i18n import Translator
from tests.support.entries import add_spending, add_value
from tests.support.handler_helpers import ask, register

TH = Translator("th")
Q1 = "ไตรมาส 1/2564"


def card(services: Services, user: str, code: str) -> tuple[str, list[str]]:
    [reply] = ask(services, user, f"/status {code}")
    return reply.text, [b.label for row in reply.buttons for b in row]


def test_verdicts_overdue_line_and_buttons(services: Services) -> None:
    register(services, "1", "member", "research")
    register(services, "2", "member", "training")
    text, buttons = card(services, "1", "STR114/64")
    assert text.count(TH("verdict_not_reported", period=Q1)) == 3
    assert "⏰" in text and buttons == [TH("button_update"), TH("button_history")]
    assert card(services, "2", "STR114/64")[1] == [TH("button_history")]  # not theirs
    with services.db.session() as session:
        for seq, value in ((1, "100"), (2, "10"), (3, "40")):
            add_value(session, code="STR114/64", seq=seq, value=Decimal(value), period="2564-Q1")
    text, _ = card(services, "1", "STR114/64")
    assert TH("verdict_done", period=Q1) in text  # 100% of a 100% target
    assert TH("verdict_behind", period=Q1) in text  # 10 of 150 people by Q1: behind 25%
    assert TH("verdict_on_track", period=Q1) in text  # 40 of 150: ahead of 37.8
    assert "⏰" not in text  # everything of Q1 is reported: no overdue line
    assert "100% (100%)" not in text and "(6.7%)" in text  # a rate shows no second percent


def test_over_budget_and_a_project_without_indicators(services: Services) -> None:
    register(services, "1", "planner", "planning")
    with services.db.session() as session:
        add_spending(session, code="STR114/64", amount=Decimal("5250126.50"), period="2564-Q1")
    text, _ = card(services, "1", "STR114/64")
    assert "เกินงบ 250,126.50 บาท" in text and "คงเหลือ -" not in text
    text, buttons = card(services, "1", "HRD111/63")
    assert "⏰" not in text and TH("status_next_due", period=Q1, date="") not in text
    assert buttons == [TH("button_history")]
