"""/line answers once the events are in the inbox, before they are handled; the inbox workers
then answer everyone, each chat in the order it wrote.

Deterministic without timing: the workers are held (a gate in `before_handling`, after a row is
taken and before it is handled) while the webhook is called, so a 200 that came back while the
gate was shut cannot have waited for the handling; then the gate opens and the outcomes are
awaited (`settled`) with a generous deadline.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy import func, select

from handlers.context import Services
from storage.db.models import SpendingEntry
from storage.inbox import InboxItem
from storage.unit_of_work import UnitOfWork
from tests.fakes.line_api import text_event
from tests.fakes.line_harness import LineHarness, line_harness

PUBLIC = "https://bot.example.org"


def _gate() -> tuple[asyncio.Event, Callable[[InboxItem], Coroutine[Any, Any, None]]]:
    opened = asyncio.Event()

    async def hold(_item: InboxItem) -> None:
        await opened.wait()

    return opened, hold


def _inbox(services: Services) -> dict[str, int]:
    with UnitOfWork(services.db) as uow:
        return uow.inbox.status_counts()


async def _type(line: LineHarness, user: str, text: str) -> int:
    """Post what `user` typed and return the status, without waiting for the answer."""
    token = line.fake.reply_token(user)
    return await line.post([text_event(user, text, token)], settle=False)


async def test_a_planners_report_is_acknowledged_before_it_is_made_and_still_arrives(
    services: Services,
) -> None:
    opened, hold = _gate()
    async with line_harness(services, public_url=PUBLIC, before_handling=hold) as line:
        line.register("Uplanner", "planner", "planning", "Pranee")
        assert await _type(line, "Uplanner", "/report") == 200
        assert line.fake.to("Uplanner") == []  # answered 200 with nothing made or sent yet
        assert _inbox(services) == {"received": 1}

        opened.set()
        await line.settled()
        first, second = line.fake.to("Uplanner")
        assert first.kind == "reply" and first.texts == ["กำลังจัดทำรายงาน… ไฟล์จะตามมาในข้อความถัดไป"]
        assert second.kind == "push"  # the reply token is spent: the document follows by push
        [text] = second.texts
        url = next(word for word in text.split() if word.startswith(PUBLIC))
        status, kind, content = await line.fetch(url)
        assert status == 200 and "wordprocessingml" in kind and content.startswith(b"PK")
        assert _inbox(services) == {"done": 1}


async def test_a_report_someone_may_not_make_is_refused_without_on_its_way(
    services: Services,
) -> None:
    async with line_harness(services, public_url=PUBLIC) as line:
        line.register("Umember", "member", "research")
        assert await _type(line, "Umember", "/report") == 200
        await line.settled()
        [answer] = line.fake.to("Umember")
        assert answer.kind == "reply" and "/report" in answer.texts[0]
        assert "กำลังจัดทำ" not in answer.texts[0]


async def test_a_burst_from_many_people_is_acknowledged_then_answered_in_each_ones_order(
    services: Services,
) -> None:
    people = [f"Uburst{n:02d}" for n in range(12)]
    amounts = (1001, 1002, 1003)
    opened, hold = _gate()
    async with line_harness(services, before_handling=hold) as line:
        for user in people:
            line.register(user, "member", "research")

        async def one_person(user: str) -> list[int]:
            return [await _type(line, user, f"/spend STR114/64 {amount} Q1") for amount in amounts]

        statuses = await asyncio.gather(*(one_person(user) for user in people))
        assert statuses == [[200, 200, 200]] * len(people)
        assert line.fake.delivered == []  # every call answered while no event was handled
        assert _inbox(services) == {"received": len(people) * len(amounts)}

        opened.set()
        await line.settled()
        for user in people:
            texts = line.fake.texts(user)
            assert len(texts) == len(amounts), texts
            for text, amount in zip(texts, amounts, strict=True):  # this person's order kept
                assert f"{amount:,} บาท" in text, (user, texts)
    with services.db.session() as session:
        recorded = session.scalar(select(func.count()).select_from(SpendingEntry))
    assert recorded == len(people) * len(amounts)
    assert _inbox(services) == {"done": len(people) * len(amounts)}
