"""Groups and edits through the real python-telegram-bot Application and the fake Bot API:
chatter in a group runs nothing, a command for another bot runs nothing, a guided flow belongs
to one person in one chat, and an edited message never runs a command again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from handlers.context import Services
from storage.unit_of_work import UnitOfWork
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram
from tests.support.catalog import th
from tests.support.entries import spent
from tests.support.project_status import project_status

HEAD, MEMBER = 111, 222
GROUP = -5000


@pytest.fixture
async def fake(services: Services) -> AsyncIterator[FakeTelegram]:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", str(HEAD), "head", "research", "Somchai")
        uow.people.add("telegram", str(MEMBER), "member", "research", "Malee")
    async with FakeTelegram() as server, running_telegram_bot(server, services):
        yield server


async def test_chatter_in_a_group_runs_nothing(fake: FakeTelegram, services: Services) -> None:
    fake.user_message(HEAD, "/link research", chat_id=GROUP, group=True)
    await fake.wait_for(chat_id=GROUP)
    fake.user_message(HEAD, "/spend STR114/64 1000 Q1")
    await fake.wait_for(chat_id=HEAD)
    assert spent(services) == Decimal(1000)
    before = len(fake.sent)
    for text in ("undo", "ย้อนกลับ", "งบ", "42 people came", "/undo@someotherbot", "สรุป"):
        fake.user_message(HEAD, text, chat_id=GROUP, group=True)
    fake.user_message(MEMBER, "/status@planbot_test_bot STR114/64", chat_id=GROUP, group=True)
    [card] = await fake.wait_for(chat_id=GROUP, contains="STR114/64")
    assert [s.chat_id for s in fake.sent[before:]] == [GROUP]  # only the /status answer
    assert card.text.startswith("<b>STR114/64</b>")
    assert spent(services) == Decimal(1000)  # "undo" in the group took nothing back


async def test_a_guided_flow_is_not_fed_by_the_group(
    fake: FakeTelegram, services: Services
) -> None:
    fake.user_message(HEAD, "/link research", chat_id=GROUP, group=True)
    await fake.wait_for(chat_id=GROUP)
    fake.user_message(HEAD, "/update STR114/64 1")
    [question] = await fake.wait_for(chat_id=HEAD)
    assert "STR114/64" in question.text
    before = len(fake.sent)
    fake.user_message(HEAD, "42", chat_id=GROUP, group=True)  # chatter that looks like a value
    fake.user_message(HEAD, "/status STR114/64", chat_id=GROUP, group=True)
    await fake.wait_for(chat_id=GROUP, contains="STR114/64")
    assert [s.chat_id for s in fake.sent[before:]] == [GROUP]
    with services.db.session() as session:
        card = project_status(session, "STR114/64")
    assert card is not None and card.indicators[0].latest is None


async def test_an_edited_command_runs_nothing(fake: FakeTelegram, services: Services) -> None:
    update = fake.user_message(HEAD, "/spend STR114/64 1000 Q1")
    await fake.wait_for(chat_id=HEAD)
    before = len(fake.sent)
    fake.user_edits(update, "/spend STR114/64 2000 Q1")
    fake.user_message(HEAD, "/status STR114/64")
    [card] = await fake.wait_for(chat_id=HEAD, contains="STR114/64")
    assert len(fake.sent) == before + 1 and card.text.startswith("<b>STR114/64</b>")
    assert spent(services) == Decimal(1000)


async def test_a_saved_entry_whose_confirmation_is_lost_is_not_called_unsaved(
    fake: FakeTelegram, services: Services
) -> None:
    fake.fail_next("sendMessage", count=2, status=502)  # the confirmation and its retry
    fake.user_message(HEAD, "/spend STR114/64 1500 Q1")
    [note] = await fake.wait_for(chat_id=HEAD)
    assert note.text == th("reply_lost_after_save")
    assert spent(services) == Decimal(1500)
