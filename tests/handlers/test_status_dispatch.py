"""/status and /spend through the dispatcher, on a real SQLite file with the shipped plan."""

from __future__ import annotations

from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Request
from storage.unit_of_work import UnitOfWork
from tests.support.catalog import contains, th


def _register(services: Services, user_id: str, role: str, division: str | None) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", user_id, role, division, "Somchai")


def _say(services: Services, user_id: str, text: str, language: str = "th") -> str:
    replies = dispatch(
        Request("telegram", user_id, user_id, text=text, language=language), services
    )
    return "\n".join(r.text for r in replies)


def test_status_shows_budget_and_numbered_indicators(services: Services) -> None:
    _register(services, "1", "member", "research")
    text = _say(services, "1", "/status str114/64")
    assert "<b>STR114/64</b>" in text
    assert contains(text, "status_budget", amount="5 ล้านบาท")
    assert f"1. ({th('kind_outcome')})" in text and f"3. ({th('kind_output')})" in text
    assert contains(text, "target_at_least", target="150 คน")


def test_spend_then_status_shows_new_remaining(services: Services) -> None:
    _register(services, "1", "member", "research")
    reply = _say(services, "1", "/spend STR 114/64 250,000 Q1 มัดจำสถานที่")
    assert contains(reply, "spend_recorded", amount="250,000 บาท")
    assert contains(reply, "status_spent", spent="250,000 บาท", remaining="4,750,000 บาท")
    card = _say(services, "1", "/status STR114/64")
    assert contains(card, "status_spent", spent="250,000 บาท", remaining="4,750,000 บาท")


def test_unregistered_user_cannot_read(services: Services) -> None:
    text = _say(services, "99", "/status STR114/64")
    assert text == th("not_registered")
    assert "STR114/64" not in text
