"""The cards /status and /budget lay out beside their text (LINE draws them): the same figures,
plain text, verdicts judged for the period being reported on."""

from __future__ import annotations

from handlers.cards import Card
from handlers.context import Services
from tests.support.handler_helpers import ask, register


def _card(services: Services, text: str, user: str = "1") -> Card:
    [reply] = ask(services, user, text)
    assert reply.card is not None, reply.text
    return reply.card


def test_status_card_has_the_budget_indicators_and_the_same_buttons(services: Services) -> None:
    register(services, "1", "head", "research")
    ask(services, "1", "/update STR114/64 1 85")
    ask(services, "1", "/spend STR114/64 250000")
    [reply] = ask(services, "1", "/status STR114/64")
    card = reply.card
    assert card is not None
    assert card.title == "STR114/64" and card.subtitle.startswith("งานประชุมวิชาการนานาชาติ")
    assert card.buttons == reply.buttons[0]
    assert [b.data for b in card.buttons] == ["upd:s:STR114/64", "his:STR114/64:0"]
    assert card.budget is not None
    assert card.budget.allocated == "งบประมาณ 5 ล้านบาท"
    assert card.budget.spent == "ใช้ไป 250,000 บาท (5%)"
    assert card.budget.remaining == "คงเหลือ 4.75 ล้านบาท"
    assert card.budget.spent_fraction == 0.05 and not card.budget.overspent
    first, second, _third = card.rows
    assert first.label.startswith("1. (ผลลัพธ์)") and first.progress == 0.85
    assert first.verdict == "on_track" and first.verdict_label == "ตามเป้า"
    assert "85%" in first.value and "ไตรมาส 1/2564" in first.value
    assert second.verdict == "not_reported" and second.verdict_label == "ยังไม่รายงาน"
    assert second.progress == 0.0 and second.value == "เป้าหมาย ไม่น้อยกว่า 150 คน"
    assert card.rows_title == "ตัวชี้วัด · ไตรมาส 1/2564"
    assert card.alt_text == "STR114/64 ใช้ไป 5% คงเหลือ 4.75 ล้านบาท · ตัวชี้วัดตามเป้า 1/3"
    assert "<" not in repr(card) and "&amp;" not in repr(card)


def test_status_card_in_english_and_a_reached_target(services: Services) -> None:
    register(services, "1", "head", "research")
    ask(services, "1", "/lang en")
    ask(services, "1", "/update STR114/64 1 100")
    card = _card(services, "/status STR114/64")
    assert card.rows[0].verdict == "done" and card.rows[0].verdict_label == "Target reached"
    assert card.budget is not None and card.budget.allocated == "Budget 5 million baht"


def test_an_overspent_project_shows_over_budget_and_a_full_bar(services: Services) -> None:
    register(services, "1", "head", "research")
    [asked] = ask(services, "1", "/spend STR114/64 5100000")
    confirm = next(b.data for row in asked.buttons for b in row if b.data.startswith("spd:ok"))
    ask(services, "1", button=confirm)
    card = _card(services, "/status STR114/64")
    assert card.budget is not None and card.budget.overspent
    assert card.budget.spent_fraction == 1.0 and card.budget.overspent_label == "เกินงบ"
    assert card.budget.remaining == "เกินงบ 100,000 บาท"
    assert card.alt_text.startswith("STR114/64 ใช้จ่ายเกินงบ 100,000 บาท")
    budget = _card(services, "/budget research")
    over = next(row for row in budget.rows if row.label.startswith("STR114/64"))
    assert over.verdict == "overspent" and over.progress == 1.0


def test_budget_cards_for_a_project_a_division_and_the_plan(services: Services) -> None:
    register(services, "1", "planner", "planning")
    project = _card(services, "/budget STR114/64")
    assert project.title == "STR114/64" and project.rows == ()
    assert [b.data for b in project.buttons] == ["sta:STR114/64", "his:STR114/64:0"]
    division = _card(services, "/budget research")
    assert (division.title, division.subtitle) == ("ฝ่ายวิจัยและพัฒนา", "research")
    assert len(division.rows) == 6 and all(
        r.value.startswith("ใช้ไป 0 บาท จาก") for r in division.rows
    )
    whole = _card(services, "/budget all")
    assert whole.title == "ทั้งแผน" and [r.label[:2] for r in whole.rows][:6] == [
        "S1", "S2", "S3", "S4", "S5", "S6",
    ]  # fmt: skip
    assert whole.alt_text == "ทั้งแผน: ใช้ไป 0 บาท จาก 159.4141 ล้านบาท (0%)"


def test_status_and_spend_alone_offer_my_division_s_projects(services: Services) -> None:
    register(services, "1", "member", "research")
    [status] = ask(services, "1", "สถานะ")
    assert status.text.startswith("ต้องการดูโครงการไหน?")
    codes = [b.data for row in status.buttons for b in row]
    assert "sta:STR114/64" in codes and len(codes) == 6
    [spend] = ask(services, "1", "ใช้จ่าย")
    assert spend.text.startswith("พิมพ์ /spend รหัสโครงการ จำนวนเงิน")
    assert "• <code>STR114/64</code> คงเหลือ 5 ล้านบาท" in spend.text
    register(services, "2", "admin", None)
    [usage] = ask(services, "2", "/status")
    assert usage.text.startswith("ต้องการดูโครงการไหน? พิมพ์ /status") and usage.buttons == ()
