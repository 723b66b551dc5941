"""Every button that writes counts once, and one verdict stands per report: presses delivered at
the same moment through the real webhook server and python-telegram-bot, on one instance over a
SQLite file and on two instances sharing PostgreSQL (the second press goes to the other one)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.telegram_bot import build_application
from bot.telegram_endpoint import TELEGRAM_SECRET_HEADER, TelegramEndpoint
from handlers.buttons import ReportNow, encode
from handlers.context import Services
from plan_data import DEFAULT_PLAN
from storage.db.database import Database
from storage.db.models import IndicatorReport, OutboxMessage, ReportReview, SpendingEntry
from storage.plan_io.loader import load_plan_file
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.fakes.line_harness import LineHarness, line_harness
from tests.fakes.telegram_api import FakeTelegram, Sent
from tests.support.catalog import matches, th

SECRET = "telegram-webhook-secret"
TRIALS = 4
HEAD, PLANNER_A, PLANNER_B = 42, 77, 78


@dataclass
class Instances:
    fake: FakeTelegram
    webhooks: list[LineHarness]  # one per instance; a second press goes to the last one
    services: Services

    async def post(self, update: dict[str, Any], instance: int = 0) -> None:
        response = await self.webhooks[instance].client.post(
            "/telegram", json=update, headers={TELEGRAM_SECRET_HEADER: SECRET}
        )
        assert response.status == 200

    async def at_once(self, *updates: dict[str, Any]) -> None:
        """Deliver the updates at the same moment, each to its own instance when there are two."""
        last = len(self.webhooks) - 1
        await asyncio.gather(*(self.post(u, min(i, last)) for i, u in enumerate(updates)))

    async def say(self, user: int, text: str) -> Sent:
        mark = len(self.fake.sent)
        await self.post(self.fake.user_message(user, text, first_name=_NAMES[user]))
        [sent] = await self.fake.wait_for(chat_id=user, since=mark, method="sendMessage")
        return sent

    async def answers(self, user: int, since: int, count: int) -> list[str]:
        """The texts of the `count` replies (sent or edited) to `user` after `since`."""
        found = await self.fake.wait_for(
            lambda s: s.method in ("sendMessage", "editMessageText"),
            chat_id=user,
            since=since,
            count=count,
            timeout=30,
        )
        return [s.text for s in found]

    def count(self, model: type, *where: Any) -> int:
        with self.services.db.session() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


_NAMES = {HEAD: "Somchai", PLANNER_A: "Malee", PLANNER_B: "Wichai"}


def _people(services: Services) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", str(HEAD), "head", "research", "Somchai")
        uow.people.add("telegram", str(PLANNER_A), "planner", "planning", "Malee")
        uow.people.add("telegram", str(PLANNER_B), "planner", "planning", "Wichai")


@pytest.fixture(params=["sqlite", "postgres"])
async def instances(request: pytest.FixtureRequest, services: Services) -> AsyncIterator[Instances]:
    dbs: list[Database] = []
    if request.param == "sqlite":
        all_services = [services]
    else:
        url = str(request.getfixturevalue("postgres_url"))
        dbs = [Database(url), Database(url)]
        assert load_plan_file(dbs[0], DEFAULT_PLAN).written
        all_services = [
            Services(db=db, clock=lambda: JAN_11_2021, bot_username="planbot_test_bot")
            for db in dbs
        ]
    _people(all_services[0])
    async with FakeTelegram() as fake, AsyncExitStack() as stack:
        webhooks = []
        for one in all_services:
            application = build_application(fake.token, one, fake.base_url, rate_limit=False)
            await application.initialize()
            stack.push_async_callback(application.shutdown)
            webhooks.append(
                await stack.enter_async_context(
                    line_harness(
                        one,
                        public_url="https://bot.example.org",
                        telegram=TelegramEndpoint(application, SECRET),
                    )
                )
            )
        yield Instances(fake, webhooks, all_services[0])
    for db in dbs:
        db.dispose()


def _button(sent: Sent, wanted: Callable[[str], bool]) -> str:
    return next(data for _label, data in sent.buttons if wanted(data))


async def _press_twice(box: Instances, user: int, sent: Sent, data: str) -> list[str]:
    mark = len(box.fake.sent)
    await box.at_once(box.fake.press(user, sent, data), box.fake.press(user, sent, data))
    return await box.answers(user, mark, 2)


async def test_a_confirmation_pressed_twice_at_once_writes_once(instances: Instances) -> None:
    box = instances
    for trial in range(1, TRIALS + 1):
        asked = await box.say(HEAD, "/spend STR114/64 7000000 Q1")  # over budget: asked first
        answers = await _press_twice(box, HEAD, asked, _button(asked, lambda d: ":ok:" in d))
        assert box.count(SpendingEntry) == trial, answers
        assert sorted(a == th("button_used") for a in answers) == [False, True], answers
        assert any("บันทึกการใช้จ่าย" in a for a in answers)


async def test_a_quarter_chosen_twice_at_once_writes_once(instances: Instances) -> None:
    """11 January, inside Q1's grace window: /spend asks Q1 or Q2; both presses of Q2 at once
    (on two instances sharing PostgreSQL) file one entry, to Q2."""
    box = instances
    for trial in range(1, TRIALS + 1):
        asked = await box.say(HEAD, "/spend STR114/64 1000")
        assert box.count(SpendingEntry) == trial - 1
        answers = await _press_twice(box, HEAD, asked, _button(asked, lambda d: "-Q2" in d))
        assert box.count(SpendingEntry) == trial, answers
        assert sorted(a == th("button_used") for a in answers) == [False, True], answers
        assert any(th("period_quarter", quarter=2, year=2564) in a for a in answers), answers


async def test_a_guided_update_confirmed_twice_at_once_is_recorded_once(
    instances: Instances,
) -> None:
    box = instances
    for trial in range(1, TRIALS + 1):
        await box.say(HEAD, "/update STR114/64 2")
        asked = await box.say(HEAD, str(100 + trial))
        answers = await _press_twice(box, HEAD, asked, _button(asked, lambda d: "upd:ok" in d))
        assert box.count(IndicatorReport) == trial, answers
        assert sorted(a == th("button_used") for a in answers) == [False, True], answers


async def test_the_walk_skipped_twice_at_once_moves_on_once(instances: Instances) -> None:
    box = instances
    for _trial in range(TRIALS):
        mark = len(box.fake.sent)
        await box.post(box.fake.press(HEAD, 1, encode(ReportNow("research", "2564-Q1"))))
        [first] = await box.fake.wait_for(chat_id=HEAD, since=mark, method="sendMessage")
        assert matches(first.text, "walk_item", index=1)
        answers = await _press_twice(box, HEAD, first, _button(first, lambda d: "wk:skip" in d))
        assert sorted(a == th("button_used") for a in answers) == [False, True], answers
        [moved] = [a for a in answers if a != th("button_used")]
        assert matches(moved, "walk_item", index=2)  # the second item, not the third


async def _waiting_report(box: Instances, value: int) -> tuple[Sent, Sent]:
    """The head reports a value; each planner's /review shows it with its buttons."""
    await box.say(HEAD, f"/update STR114/64 2 {value}")
    items = []
    for planner in (PLANNER_A, PLANNER_B):
        mark = len(box.fake.sent)
        await box.post(
            box.fake.user_message(planner, "/review STR114/64", first_name=_NAMES[planner])
        )
        *_header, item = await box.fake.wait_for(
            chat_id=planner, since=mark, count=2, method="sendMessage"
        )
        items.append(item)
    return items[0], items[1]


async def test_two_planners_verifying_at_once_leave_one_verdict(instances: Instances) -> None:
    box = instances
    for trial in range(1, TRIALS + 1):
        item_a, item_b = await _waiting_report(box, 100 + trial)
        verify = _button(item_a, lambda d: d.startswith("rv:ok:"))
        assert verify == _button(item_b, lambda d: d.startswith("rv:ok:"))
        mark = len(box.fake.sent)
        await box.at_once(
            box.fake.press(PLANNER_A, item_a, verify, first_name="Malee"),
            box.fake.press(PLANNER_B, item_b, verify, first_name="Wichai"),
        )
        [a] = await box.answers(PLANNER_A, mark, 1)
        [b] = await box.answers(PLANNER_B, mark, 1)
        assert box.count(ReportReview) == trial
        lost = [t for t in (a, b) if matches(t, "review_already_verified_by")]
        assert len(lost) == 1, (a, b)
        winner = "Malee" if lost[0] == b else "Wichai"
        assert matches(lost[0], "review_already_verified_by", by=winner)


async def test_a_return_and_a_verify_at_once_leave_one_verdict_and_tell_the_truth(
    instances: Instances,
) -> None:
    box = instances
    returned_notices = 0
    for trial in range(1, TRIALS + 1):
        item_a, item_b = await _waiting_report(box, 200 + trial)
        give_back = _button(item_a, lambda d: d.startswith("rv:ret:"))
        mark = len(box.fake.sent)
        await box.post(box.fake.press(PLANNER_A, item_a, give_back, first_name="Malee"))
        await box.answers(PLANNER_A, mark, 1)  # the reason is asked
        verify = _button(item_b, lambda d: d.startswith("rv:ok:"))
        mark = len(box.fake.sent)
        await box.at_once(
            box.fake.user_message(PLANNER_A, "ขอหลักฐานเพิ่ม", first_name="Malee"),
            box.fake.press(PLANNER_B, item_b, verify, first_name="Wichai"),
        )
        [a] = await box.answers(PLANNER_A, mark, 1)
        [b] = await box.answers(PLANNER_B, mark, 1)
        assert box.count(ReportReview) == trial
        verified = box.count(ReportReview, ReportReview.state == "verified")
        returned = box.count(ReportReview, ReportReview.state == "returned")
        if matches(a, "review_already_verified_by", by="Wichai"):
            assert matches(b, "review_verified_done")
        else:
            assert matches(b, "review_already_returned_by", by="Malee"), (a, b)
            returned_notices += 1
        assert verified + returned == trial
        # The reporter hears of a return only when the return is the verdict that stands.
        notices = box.count(OutboxMessage, OutboxMessage.key.like("returned:%"))
        assert notices == returned_notices == returned
