"""The review flow end to end in Telegram (the real Application against the fake Bot API, the
notice through the outbox and the delivery loop): a head reports, a planner returns it with a
reason typed as the next message, the head is told with a button to report again, reports again
through that button, and the planner verifies."""

from __future__ import annotations

from bot.delivery import Delivery, RateLimits
from bot.telegram_sender import TelegramSender
from handlers.context import Services
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram
from tests.support.catalog import contains, matches, th

FAST = RateLimits(overall=1000, per_chat_interval=0.0, group_count=1000, margin=0.0)
HEAD, PLANNER = 601, 602
REASON = "ขอรายชื่อผู้เข้าร่วมที่ลงนาม"


async def deliver(services: Services, fake: FakeTelegram) -> None:
    sender = TelegramSender(fake.token, fake.base_url, timeout=5)
    delivery = Delivery(services.db, lease=10)
    delivery.register(sender, FAST)
    assert await delivery.run_until_idle(timeout=20)
    await sender.close()


async def test_return_with_a_reason_report_again_verify(services: Services) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", str(HEAD), "head", "research", "Somchai")
        uow.people.add("telegram", str(PLANNER), "planner", "planning", "Malee")
    services.clock = lambda: JAN_11_2021
    async with FakeTelegram() as fake, running_telegram_bot(fake, services):
        fake.user_message(HEAD, "/update STR114/64 2 130")
        await fake.wait_for(chat_id=HEAD)

        fake.user_message(PLANNER, "/review research")
        _header, item = await fake.wait_for(chat_id=PLANNER, count=2)
        assert contains(item.text, "review_item", code="STR114/64", seq=2, who="Somchai")
        labels = [label for label, _data in item.buttons]
        assert labels == [th("review_verify"), th("review_return")]
        fake.press(PLANNER, item, item.buttons[1][1])
        [asked] = await fake.wait_for(chat_id=PLANNER)
        assert asked.text.startswith("↩️")
        fake.user_message(PLANNER, REASON)
        [done] = await fake.wait_for(chat_id=PLANNER)
        assert contains(done.text, "review_returned_done", reason=REASON)

        await deliver(services, fake)
        [notice] = await fake.wait_for(chat_id=HEAD)
        assert contains(notice.text, "review_returned_notice", reason=REASON, value="130 คน")
        [(label, again)] = notice.buttons
        assert label == th("review_report_again")

        fake.press(HEAD, notice, again)  # the guided report of that indicator
        await fake.wait_for(chat_id=HEAD)
        fake.user_message(HEAD, "150")
        [confirm] = await fake.wait_for(chat_id=HEAD)
        fake.press(HEAD, confirm, confirm.buttons[0][1])
        [recorded] = await fake.wait_for(chat_id=HEAD)
        assert contains(recorded.text, "update_recorded", value="150 คน")

        fake.user_message(PLANNER, "/review STR114/64")
        _header, again_item = await fake.wait_for(chat_id=PLANNER, count=2)
        assert contains(again_item.text, "review_item", value="150 คน")
        fake.press(PLANNER, again_item, again_item.buttons[0][1])
        [verified] = await fake.wait_for(chat_id=PLANNER)
        assert matches(
            verified.text,
            "review_verified_done",
            value="150 คน",
            entry=th("evidence_entry_value", code="STR114/64", seq=2),
        )

        fake.user_message(HEAD, "/status STR114/64")
        [status] = await fake.wait_for(chat_id=HEAD)
        assert "150 คน" in status.text and "✔" in status.text
