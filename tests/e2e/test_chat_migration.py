"""A linked Telegram group that becomes a supergroup gets a new chat id: its reminders follow it,
whether delivery meets the change first (400 with migrate_to_chat_id) or the bot hears of it."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.delivery import Delivery
from bot.telegram_sender import TelegramSender
from handlers.context import Services
from handlers.reminders import plan_round, write_round
from storage.db.models import Chat
from storage.unit_of_work import UnitOfWork
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram
from tests.support.remind_setup import JAN_11, group

OLD, NEW = -100, -1001234567890


def _linked_ids(services: Services) -> set[str]:
    with services.db.session() as session:
        return set(session.scalars(select(Chat.external_id).where(Chat.division_id.is_not(None))))


async def test_delivery_follows_a_group_that_became_a_supergroup(services: Services) -> None:
    db = services.db
    group(db, OLD, "research")
    written = write_round(db, JAN_11, weekly=True, channels=("telegram",)).written
    assert written >= 1
    async with FakeTelegram() as fake:
        fake.migrate(OLD, NEW)
        sender = TelegramSender(fake.token, fake.base_url, timeout=2)
        delivery = Delivery(db, [sender], backoff_base=0.05, lease=10)
        assert await delivery.run_until_idle(timeout=20, poll=0.05)
        await sender.close()
    delivered = [s for s in fake.sent if s.method == "sendMessage"]
    assert delivered and {s.chat_id for s in delivered} == {NEW}
    assert any("ฝ่ายวิจัยและพัฒนา" in s.text for s in delivered)  # research's reminder
    with UnitOfWork(db) as uow:
        assert set(uow.outbox.status_counts()) == {"sent"}
    assert str(NEW) in _linked_ids(services) and str(OLD) not in _linked_ids(services)
    with db.session() as session:  # next week's reminders go straight to the new id
        assert {
            m.target.chat_id for m in plan_round(UnitOfWork(session=session), JAN_11, weekly=True)
        } >= {str(NEW)}


async def test_the_upgrade_message_moves_the_link(services: Services) -> None:
    group(services.db, OLD, "research")
    async with FakeTelegram() as fake, running_telegram_bot(fake, services):
        fake.group_upgraded(OLD, NEW)
        for _ in range(250):
            if str(NEW) in _linked_ids(services):
                break
            await asyncio.sleep(0.02)
    assert _linked_ids(services) == {str(NEW)}
