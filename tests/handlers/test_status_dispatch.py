"""/status and /spend through the dispatcher, on a real SQLite file with the shipped plan."""

from __future__ import annotations

from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Request
from storage.repositories import people


def _register(services: Services, user_id: str, role: str, division: str | None) -> None:
    with services.db.session() as session:
        people.add_person(session, "telegram", user_id, role, division, "Somchai")


def _say(services: Services, user_id: str, text: str, language: str = "th") -> str:
    replies = dispatch(
        Request("telegram", user_id, user_id, text=text, language=language), services
    )
    return "\n".join(r.text for r in replies)


def test_status_shows_budget_and_numbered_indicators(services: Services) -> None:
    _register(services, "1", "member", "research")
    text = _say(services, "1", "/status str114/64")
    assert "<b>STR114/64</b>" in text
    assert "งบประมาณ 5 ล้านบาท" in text
    assert "1. (ผลลัพธ์)" in text and "3. (ผลผลิต)" in text
    assert "เป้าหมาย ไม่น้อยกว่า 150 คน" in text


def test_spend_then_status_shows_new_remaining(services: Services) -> None:
    _register(services, "1", "member", "research")
    reply = _say(services, "1", "/spend STR 114/64 250,000 มัดจำสถานที่")
    assert "250,000 บาท" in reply and "คงเหลือ 4.75 ล้านบาท" in reply
    assert "คงเหลือ 4.75 ล้านบาท" in _say(services, "1", "/status STR114/64")


def test_unregistered_user_cannot_read(services: Services) -> None:
    text = _say(services, "99", "/status STR114/64")
    assert "ยังไม่ได้ลงทะเบียน" in text
    assert "STR114/64" not in text
