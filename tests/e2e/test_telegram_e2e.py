"""The real python-telegram-bot Application against the local fake Bot API server: what a person
in Telegram sees, message by message, and what ends up in the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

import bot.telegram_bot
from handlers.context import Services
from handlers.text_fit import graphemes
from storage.unit_of_work import UnitOfWork
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram
from tests.support.catalog import contains, en, fields, starts_with, th
from tests.support.entries import spent
from tests.support.project_status import project_status

RESEARCH, TRAINING, STRANGER = 101, 202, 303
Q1 = th("period_quarter", quarter=1, year=2564)  # the services' clock: 11 January 2021
FIVE_MILLION = "5 ล้านบาท"


@pytest.fixture
async def fake(services: Services) -> AsyncIterator[FakeTelegram]:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", str(RESEARCH), "member", "research", "Somchai")
        uow.people.add("telegram", str(TRAINING), "member", "training", "Malee")
    async with FakeTelegram() as server, running_telegram_bot(server, services):
        yield server


def latest(services: Services, seq: int, code: str = "STR114/64") -> Decimal | None:
    with services.db.session() as session:
        card = project_status(session, code)
    assert card is not None
    found = card.indicators[seq - 1].latest
    return found.value if found else None


async def say(fake: FakeTelegram, user: int, text: str, **options: object) -> str:
    fake.user_message(user, text, **options)
    [reply] = await fake.wait_for(chat_id=user)
    return reply.text


async def test_status_shows_budget_and_numbered_indicators(fake: FakeTelegram) -> None:
    fake.user_message(RESEARCH, "/status str114/64")
    [card] = await fake.wait_for(chat_id=RESEARCH)
    assert card.text.startswith("<b>STR114/64</b> งานประชุมวิชาการนานาชาติ (GIT 2021)")
    sources = th("source_gov", amount=FIVE_MILLION)
    assert th("status_budget", amount=FIVE_MILLION, sources=sources) in card.text
    assert th("status_spent", spent="0 บาท", percent="0%", remaining="5,000,000 บาท") in card.text
    assert f"1. ({th('kind_outcome')})" in card.text
    assert f"\n3. ({th('kind_output')})" in card.text
    assert [label for label, _ in card.buttons] == [th("button_update"), th("button_history")]


async def test_update_by_command(fake: FakeTelegram, services: Services) -> None:
    text = await say(fake, RESEARCH, "/update STR114/64 2 150 ผู้เข้าร่วมครบ")
    recorded = th("update_recorded", value="150 คน", number=2, code="STR114/64", period=Q1)
    assert text.startswith(recorded)
    assert th("update_progress", percent="100%", target="150 คน") in text
    assert latest(services, 2) == Decimal(150)
    card = await say(fake, RESEARCH, "/status STR114/64")
    assert contains(
        card, "latest_value", value="150 คน", progress=" (100%)", period=Q1, by="Somchai"
    )


async def test_guided_update_by_buttons(fake: FakeTelegram, services: Services) -> None:
    fake.user_message(RESEARCH, "/update")
    [pick] = await fake.wait_for(chat_id=RESEARCH)
    assert pick.text == th("update_pick_project")
    code_button = next(data for label, data in pick.buttons if label.startswith("STR114/64 "))
    fake.press(RESEARCH, pick, code_button)
    [indicators] = await fake.wait_for(method="editMessageText")
    assert indicators.message_id == pick.message_id
    assert indicators.text.split("\n")[-1] == th("update_pick_indicator")
    assert all(graphemes(label) <= 48 for label, _ in indicators.buttons)
    fake.press(RESEARCH, indicators, indicators.buttons[1][1])
    [ask] = await fake.wait_for(method="editMessageText")
    shown = fields(ask.text, "update_ask_value", code="STR114/64", number=2)
    assert shown["text"].startswith("ผู้เข้าร่วมงาน GIT 2021")
    fake.user_message(RESEARCH, "120 ลงทะเบียนล่วงหน้า")
    [confirm] = await fake.wait_for(chat_id=RESEARCH)
    assert contains(confirm.text, "update_confirm", value="120 คน", number=2, code="STR114/64")
    assert latest(services, 2) is None  # nothing until the button is pressed
    fake.press(RESEARCH, confirm, confirm.buttons[0][1])
    [done] = await fake.wait_for(method="editMessageText")
    assert done.message_id == confirm.message_id
    assert starts_with(done.text, "update_recorded", value="120 คน")
    assert latest(services, 2) == Decimal(120)
    assert len(fake.callback_answers) == 3  # every press is answered (no spinning button)


async def test_spend_then_status_shows_new_remaining(
    fake: FakeTelegram, services: Services
) -> None:
    text = await say(fake, RESEARCH, "/spend STR 114/64 250,000 Q1 มัดจำสถานที่")
    assert th("spend_recorded", amount="250,000 บาท", code="STR114/64", period=Q1) in text
    card = await say(fake, RESEARCH, "/status STR114/64")
    assert th("status_spent", spent="250,000 บาท", percent="5%", remaining="4,750,000 บาท") in card
    assert spent(services) == Decimal(250_000)


async def test_write_from_another_division_is_refused(
    fake: FakeTelegram, services: Services
) -> None:
    refusal = th("not_your_project", division="ฝ่ายฝึกอบรม", code="STR114/64")
    assert await say(fake, TRAINING, "/spend STR114/64 1000 Q1") == refusal
    assert await say(fake, TRAINING, "/update STR114/64 2 150") == refusal
    assert spent(services) == 0 and latest(services, 2) is None


async def test_unregistered_user_gets_join_instructions(fake: FakeTelegram) -> None:
    text = await say(fake, STRANGER, "/status STR114/64")
    assert text == th("not_registered")
    assert await say(fake, STRANGER, "/start") == th("welcome_unregistered")


async def test_join_by_invite_deep_link_then_status(fake: FakeTelegram, services: Services) -> None:
    with UnitOfWork(services.db) as uow:
        invite = uow.people.create_invite("research", "head", None, services.clock())
    text = await say(fake, STRANGER, f"/start {invite.code}", first_name="Prasert")
    assert th("joined", role=th("role_head"), division="ฝ่ายวิจัยและพัฒนา") in text
    card = await say(fake, STRANGER, "/status STR114/64")
    assert contains(card, "status_budget", amount=FIVE_MILLION)
    again = await say(fake, STRANGER + 1, f"/start {invite.code}")
    assert again == th("invite_used", code=invite.code)


async def test_old_button_gets_expired_message(fake: FakeTelegram) -> None:
    fake.press(RESEARCH, 5, "upd:ok:deadbeef")
    [reply] = await fake.wait_for(chat_id=RESEARCH)
    assert reply.text == th("button_used")  # used already, or from an older message
    assert len(fake.callback_answers) == 1


async def test_a_polled_update_with_fields_of_the_wrong_type_is_skipped(
    fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    bad = {
        "message_id": 9,
        "date": 1,
        "chat": {"id": RESEARCH, "type": "private"},
        "from": {"id": RESEARCH, "is_bot": False, "first_name": "S"},
        "text": 12345,
    }
    fake._push({"message": bad})
    reply = await say(fake, RESEARCH, "/status STR114/64")  # the next update is answered
    assert "STR114/64" in reply and len(fake.sent) == 1  # nothing for the skipped one
    assert any("skipped: text is not a string" in m for m in caplog.messages)


async def test_command_menu_in_thai_and_english(fake: FakeTelegram) -> None:
    # Groups list every command; private chats get a menu per role (tests/e2e/test_telegram_menus.py)
    thai = {c["command"]: c["description"] for c in fake.scoped_commands[("all_group_chats", "")]}
    english = {
        c["command"]: c["description"] for c in fake.scoped_commands[("all_group_chats", "en")]
    }
    assert list(thai)[:3] == ["status", "update", "spend"]
    assert thai["status"] == th("cmd_status")
    assert english["spend"] == en("cmd_spend")
    assert set(thai) == set(english) >= {"status", "update", "spend", "budget", "history", "lang"}


async def test_english_user_gets_english(fake: FakeTelegram) -> None:
    card = await say(fake, RESEARCH, "/status STR114/64", language_code="en")
    five = "5 million baht"
    assert en("status_budget", amount=five, sources=en("source_gov", amount=five)) in card


async def test_markup_in_a_note_is_escaped(fake: FakeTelegram) -> None:
    text = await say(fake, RESEARCH, "/spend STR114/64 1000 Q1 <b>deposit</b> & co <i")
    assert starts_with(text, "spend_recorded", amount="1,000 บาท", code="STR114/64"), text
    history = await say(fake, RESEARCH, "/history STR114/64")
    assert "&lt;b&gt;deposit&lt;/b&gt; &amp; co &lt;i" in history
    # the fake refuses HTML Telegram would refuse, so getting here means it was valid


async def test_error_in_a_handler_is_answered_and_the_bot_keeps_serving(
    fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = bot.telegram_bot.answer
    calls = []

    def failing_once(*args: object) -> object:
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return real(*args)

    monkeypatch.setattr(bot.telegram_bot, "answer", failing_once)
    text = await say(fake, RESEARCH, "/status STR114/64")
    assert text == th("error_generic")
    assert "database" not in text  # no internals shown
    card = await say(fake, RESEARCH, "/status STR114/64")
    assert contains(card, "status_budget", amount=FIVE_MILLION)


async def test_group_chatter_is_ignored_but_commands_answered(fake: FakeTelegram) -> None:
    fake.user_message(RESEARCH, "ประชุมกี่โมงครับ", group=True)
    fake.user_message(RESEARCH, "/status@planbot_test_bot STR114/64", group=True)
    [reply] = await fake.wait_for(chat_id=-RESEARCH)
    assert reply.text == th("group_not_linked")  # answered: no figures until /link
