"""The cards /status and /budget lay out beside their text (LINE draws them): the same figures,
plain text, verdicts judged for the period being reported on."""

from __future__ import annotations

from handlers.context import Services
from handlers.request import Card
from tests.support.catalog import contains, en, matches, starts_with, th
from tests.support.handler_helpers import ask, register

Q1 = th("period_quarter", quarter=1, year=2564)


def _card(services: Services, text: str, user: str = "1") -> Card:
    [reply] = ask(services, user, text)
    assert reply.card is not None, reply.text
    return reply.card


def test_status_card_has_the_budget_indicators_and_the_same_buttons(services: Services) -> None:
    register(services, "1", "head", "research")
    ask(services, "1", "/update STR114/64 1 85")
    ask(services, "1", "/spend STR114/64 250000 Q1")
    [reply] = ask(services, "1", "/status STR114/64")
    card = reply.card
    assert card is not None
    assert card.title == "STR114/64" and card.subtitle.startswith("งานประชุมวิชาการนานาชาติ")
    assert card.buttons == reply.buttons[0]
    assert [b.data for b in card.buttons] == ["upd:s:STR114/64", "his:STR114/64:0"]
    assert card.budget is not None
    assert card.budget.allocated == th("card_allocated", amount="5 ล้านบาท")
    assert card.budget.spent == th("card_spent", spent="250,000 บาท", percent="5%")
    assert card.budget.remaining == th("card_remaining", remaining="4,750,000 บาท")
    assert card.budget.spent_fraction == 0.05 and not card.budget.overspent
    first, second, _third = card.rows
    assert first.label.startswith("1. (" + th("kind_outcome") + ")") and first.progress == 0.85
    assert first.verdict == "on_track" and first.verdict_label == th("card_verdict_on_track")
    assert starts_with(first.value, "card_latest", value="85%", period=Q1, by="Somchai")
    assert second.verdict == "not_reported"
    assert second.verdict_label == th("card_verdict_not_reported")
    assert second.progress == 0.0 and second.value == th("target_at_least", target="150 คน")
    assert card.rows_title == th("card_indicators", period=Q1)
    assert card.alt_text == th(
        "card_alt_status",
        code="STR114/64",
        percent="5%",
        remaining="4,750,000 บาท",
        fine=1,
        total=3,
    )
    assert "<" not in repr(card) and "&amp;" not in repr(card)


def test_status_card_in_english_and_a_reached_target(services: Services) -> None:
    register(services, "1", "head", "research")
    ask(services, "1", "/lang en")
    ask(services, "1", "/update STR114/64 1 100")
    card = _card(services, "/status STR114/64")
    assert card.rows[0].verdict == "done" and card.rows[0].verdict_label == en("card_verdict_done")
    assert card.budget is not None
    assert card.budget.allocated == en("card_allocated", amount="5 million baht")


def test_an_overspent_project_shows_over_budget_and_a_full_bar(services: Services) -> None:
    register(services, "1", "head", "research")
    [asked] = ask(services, "1", "/spend STR114/64 5100000 Q1")
    confirm = next(b.data for row in asked.buttons for b in row if b.data.startswith("spd:ok"))
    ask(services, "1", button=confirm)
    card = _card(services, "/status STR114/64")
    assert card.budget is not None and card.budget.overspent
    assert card.budget.spent_fraction == 1.0
    assert card.budget.overspent_label == th("card_verdict_overspent")
    assert card.budget.remaining == th("card_overspent_by", amount="100,000 บาท")
    assert starts_with(
        card.alt_text, "card_alt_status_overspent", code="STR114/64", amount="100,000 บาท"
    )
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
    assert len(division.rows) == 6
    assert all(matches(r.value, "card_spent_of", spent="0 บาท") for r in division.rows)
    whole = _card(services, "/budget all")
    assert whole.title == th("budget_whole_plan")
    assert [r.label[:2] for r in whole.rows][:6] == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert whole.alt_text == th(
        "card_alt_budget",
        title=th("budget_whole_plan"),
        spent="0 บาท",
        allocated="159.41 ล้านบาท",
        percent="0%",
    )


def test_status_and_spend_alone_offer_my_division_s_projects(services: Services) -> None:
    register(services, "1", "member", "research")
    [status] = ask(services, "1", "สถานะ")
    assert status.text == th("status_pick_project")
    codes = [b.data for row in status.buttons for b in row]
    assert "sta:STR114/64" in codes and len(codes) == 6
    [spend] = ask(services, "1", "ใช้จ่าย")
    assert spend.text.startswith(th("spend_usage"))
    assert contains(spend.text, "spend_project_left", code="STR114/64", remaining="5 ล้านบาท")
    register(services, "2", "admin", None)
    [usage] = ask(services, "2", "/status")
    assert usage.text == th("status_usage") and usage.buttons == ()


def test_a_card_kept_in_the_outbox_keeps_its_link_buttons() -> None:
    from handlers.cards import card_from_dict, card_to_dict
    from handlers.request import Button

    card = Card(
        "STR114/64",
        "",
        "alt",
        buttons=(Button("แดชบอร์ด", "https://x.test/d", "url"), Button("รายงาน", "r:1")),
    )
    assert card_from_dict(card_to_dict(card)) == card
