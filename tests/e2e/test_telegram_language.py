"""One rule for the language a person reads, in replies and in reminders alike: their /lang
choice, else the language their Telegram is set to (kept with the person when it changes), else
Thai. Through the real python-telegram-bot Application against the fake Bot API, and the weekly
reminders through the outbox and the Telegram sender, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.delivery import Delivery, RateLimits
from bot.telegram_sender import TelegramSender
from handlers.context import Services
from handlers.reminders import write_round
from storage.db.database import Database
from storage.unit_of_work import UnitOfWork
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram, Sent
from tests.support.catalog import en, th
from tests.support.remind_setup import JAN_11, member

FAST = RateLimits(overall=1000, per_chat_interval=0.0, group_count=1000, margin=0.0)
ENGLISH_APP, CHOSE_THAI = 611, 612  # both have Telegram in English; the second typed /lang th


@pytest.fixture
def lang_services(loaded: Database) -> Iterator[Services]:
    """The shipped plan on SQLite and on PostgreSQL, two research members with known chats."""
    member(loaded, ENGLISH_APP, "research", name="Ann")
    member(loaded, CHOSE_THAI, "research", name="Somchai")
    yield Services(db=loaded, clock=lambda: JAN_11, bot_username="planbot_test_bot")


async def _say(fake: FakeTelegram, user: int, text: str) -> Sent:
    fake.user_message(user, text, language_code="en")
    [reply] = await fake.wait_for(chat_id=user, timeout=15)
    return reply


async def _reminders(services: Services, fake: FakeTelegram) -> dict[int, Sent]:
    assert write_round(services.db, JAN_11, weekly=True, channels=["telegram"]).written == 2
    sender = TelegramSender(fake.token, fake.base_url, timeout=5)
    delivery = Delivery(services.db, lease=10)
    delivery.register(sender, FAST)
    assert await delivery.run_until_idle(timeout=20)
    await sender.close()
    return {s.chat_id: s for s in fake.sent if s.method == "sendMessage" and s.buttons}


async def test_replies_and_reminders_follow_the_same_language(
    lang_services: Services,
) -> None:
    async with FakeTelegram() as fake, running_telegram_bot(fake, lang_services):
        english = await _say(fake, ENGLISH_APP, "/lang")
        assert english.text == en("lang_usage")  # a reply: Telegram's language
        chose = await _say(fake, CHOSE_THAI, "/lang th")
        assert chose.text == th("lang_set")
        thai = await _say(fake, CHOSE_THAI, "/lang")
        assert thai.text == th("lang_usage")  # /lang wins over Telegram's English
        fake.sent.clear()

        reminders = await _reminders(lang_services, fake)
    labels = {
        chat: [label for label, _data in sent.buttons][:2] for chat, sent in reminders.items()
    }
    assert labels[ENGLISH_APP] == [en("button_report_now"), en("button_see_all")]
    assert labels[CHOSE_THAI] == [th("button_report_now"), th("button_see_all")]


def test_the_platform_language_is_written_only_when_it_changed(loaded: Database) -> None:
    member(loaded, ENGLISH_APP, "research")

    def recognise(language: str | None) -> tuple[str | None, bool]:
        with UnitOfWork(loaded) as uow:
            caller = uow.people.recognise(
                "telegram",
                str(ENGLISH_APP),
                str(ENGLISH_APP),
                is_group=False,
                display_name="",
                platform_language=language,
            )
            assert caller.person is not None
            return caller.person.platform_language, uow.wrote

    assert recognise("en-US") == ("en-US", True)  # new: written in the request's transaction
    assert recognise("en-US") == ("en-US", False)  # the same again: nothing written
    assert recognise(None) == ("en-US", False)  # none sent (e.g. a LINE group): kept
    assert recognise("th") == ("th", True)
    with UnitOfWork(loaded) as uow:
        found = uow.people.find("telegram", str(ENGLISH_APP))
    assert found is not None and found.platform_language == "th"
