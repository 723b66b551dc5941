"""A weekly reminder for a division reaches its linked LINE group through the outbox, the
configured LINE sender and the real SDK, once, even when the round is delivered twice."""

from __future__ import annotations

import dataclasses
import json

from bot.config import Settings
from bot.delivery import Delivery, configured_senders
from handlers.context import Services
from handlers.reminders import write_round
from storage.unit_of_work import UnitOfWork
from tests.fakes.line_api import FakeLine
from tests.support.catalog import contains
from tests.support.remind_setup import JAN_11


async def test_weekly_reminder_is_pushed_to_a_linked_line_group_once(services: Services) -> None:
    db = services.db
    with UnitOfWork(db) as uow:
        head = uow.people.add("line", "Uhead", "head", "research", "หัวหน้าวิจัย")
        uow.people.link_chat("line", "Cresearch", "research", head.id)
    async with FakeLine() as fake:
        settings = dataclasses.replace(
            Settings.from_env(),
            telegram_token=None,
            line_channel_secret="secret",
            line_channel_access_token=fake.access_token,
            line_api_base_url=fake.base_url,
        )
        senders = configured_senders(settings, timeout=5)
        assert [s.channel for s in senders] == ["line"]
        result = write_round(db, JAN_11, weekly=True, channels=["line"])
        assert result.written >= 1
        delivery = Delivery(db, senders, lease=10)
        assert await delivery.run_until_idle(timeout=20)
        # The same moment again (a restart, a second instance): nothing new is written or sent.
        assert write_round(db, JAN_11, weekly=True, channels=["line"]).written == 0
        assert await delivery.run_until_idle(timeout=5)
        for sender in senders:
            await sender.close()
        pushed = [shown for push in fake.to("Cresearch") for shown in push.shown]
        cards = fake.cards("Cresearch")
    assert pushed, "the linked LINE group got no reminder"
    [card] = cards  # the reminder is a Flex message, its buttons in the card
    assert "ไตรมาส 1/2564" in card["altText"]
    footer = json.dumps(card["contents"].get("footer", {}), ensure_ascii=False)
    assert "rn:research:2564-Q1" in footer and "dl:research:0" in footer
    text = "\n".join(pushed)
    assert contains(text, "remind_counts", missing=26, total=26)
    assert "STR113/64 · 1" in text  # the most urgent items are rows of the card
    assert "<b>" not in text  # LINE shows plain text
    assert not fake.per_text  # the card held it all: no text beside it, nothing shown twice
    with UnitOfWork(db) as uow:
        assert set(uow.outbox.status_counts(["line"])) == {"sent"}
