"""The weekly loop in two taps, through python-telegram-bot and the fake Bot API: the Monday
run sends each member ONE message with buttons; "report now" walks through the division's
missing indicators one number at a time and records them; nothing is sent months ahead."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from bot.delivery import Delivery, RateLimits
from bot.telegram_sender import TelegramSender
from handlers.context import Services
from handlers.reminders import write_round
from plan_data.fiscal import BANGKOK
from storage.db.models import IndicatorReport
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram, Sent
from tests.support.catalog import contains, th
from tests.support.remind_setup import JAN_11, member

FAST = RateLimits(overall=1000, per_chat_interval=0.0, group_count=1000, margin=0.0)
SOMCHAI, MALEE = 501, 502


def item(index: int) -> Callable[[Sent], bool]:
    """The walk's message for missing item `index` of the division's 26."""
    return lambda sent: contains(sent.text, "walk_item", index=index, count=26)


async def deliver(services: Services, fake: FakeTelegram, at: datetime) -> int:
    written = write_round(services.db, at, weekly=True, channels=["telegram"]).written
    sender = TelegramSender(fake.token, fake.base_url, timeout=5)
    delivery = Delivery(services.db, lease=10)
    delivery.register(sender, FAST)
    assert await delivery.run_until_idle(timeout=20)
    await sender.close()
    return written


async def test_nothing_is_sent_months_before_anything_is_due(services: Services) -> None:
    member(services.db, SOMCHAI, "research")
    async with FakeTelegram() as fake:
        assert await deliver(services, fake, datetime(2020, 10, 5, 9, 0, tzinfo=BANGKOK)) == 0
        assert fake.sent == []


async def test_one_reminder_then_report_now_walks_through_the_missing_items(
    services: Services,
) -> None:
    member(services.db, SOMCHAI, "research", name="Somchai")
    member(services.db, MALEE, "research", name="Malee")
    services.clock = lambda: JAN_11
    async with FakeTelegram() as fake, running_telegram_bot(fake, services):
        assert await deliver(services, fake, JAN_11) == 2
        reminders = [s for s in fake.sent if s.method == "sendMessage"]
        assert sorted(s.chat_id for s in reminders) == [SOMCHAI, MALEE]  # one message each
        mine = next(s for s in reminders if s.chat_id == SOMCHAI)
        assert len(mine.text) <= 4096 and mine.text.count("\n") < 25
        labels = [label for label, _data in mine.buttons]
        assert labels[:2] == [th("button_report_now"), th("button_see_all")]

        fake.press(SOMCHAI, mine, mine.buttons[0][1])
        [first] = await fake.wait_for(item(1), chat_id=SOMCHAI)
        assert [label for label, _ in first.buttons] == [th("button_skip"), th("button_stop")]
        fake.user_message(SOMCHAI, "12")
        await fake.wait_for(item(2), chat_id=SOMCHAI)
        fake.press(SOMCHAI, fake.sent[-1], fake.sent[-1].buttons[0][1])  # skip item 2
        await fake.wait_for(item(3), chat_id=SOMCHAI)
        fake.user_message(SOMCHAI, "3,500")
        [fourth] = await fake.wait_for(item(4), chat_id=SOMCHAI)
        fake.user_message(SOMCHAI, "7")
        await fake.wait_for(item(5), chat_id=SOMCHAI)
        fake.press(SOMCHAI, fake.sent[-1], fake.sent[-1].buttons[0][1].replace("skip", "stop"))
        [done] = await fake.wait_for(chat_id=SOMCHAI, contains="3")
        assert done.text == th("walk_done", recorded=3, skipped=1)

        [page] = await _see_all(fake, mine)
        # 26 missing, 3 reported meanwhile
        assert contains(page.text, "due_page_title", first=1, last=10, total=23), page.text

    with services.db.session() as session:
        values = list(session.scalars(select(IndicatorReport.value).order_by(IndicatorReport.id)))
    assert values == [Decimal(12), Decimal(3500), Decimal(7)]
    assert fourth.text  # the walk went on after the typed thousands


async def _see_all(fake: FakeTelegram, reminder):
    fake.press(SOMCHAI, reminder, reminder.buttons[1][1])
    return await fake.wait_for(lambda sent: contains(sent.text, "due_page_title"), chat_id=SOMCHAI)
