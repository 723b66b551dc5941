"""Webhook mode: /telegram checks Telegram's secret token and feeds python-telegram-bot (real
library against the local fake Bot API), an update re-sent is handled once, /health, /media."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.telegram_bot import build_application
from bot.telegram_endpoint import TELEGRAM_SECRET_HEADER, TelegramEndpoint
from handlers.context import Services
from handlers.request import Attachment
from storage.db.models import ProcessedEvent, SpendingEntry
from storage.unit_of_work import UnitOfWork
from tests.fakes.line_harness import LineHarness, line_harness
from tests.fakes.telegram_api import FakeTelegram

SECRET = "telegram-webhook-secret"


@pytest.fixture
async def webhook(services: Services) -> AsyncIterator[tuple[LineHarness, FakeTelegram]]:
    async with FakeTelegram() as fake:
        application = build_application(fake.token, services, fake.base_url, rate_limit=False)
        await application.initialize()
        try:
            async with line_harness(
                services,
                public_url="https://bot.example.org",
                telegram=TelegramEndpoint(application, SECRET),
            ) as line:
                yield line, fake
        finally:
            await application.shutdown()


def _register(services: Services, user_id: str) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", user_id, "member", "research", "Somchai")


def _count(services: Services, model: type) -> int:
    with services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


async def test_telegram_update_without_the_secret_is_refused(
    webhook: tuple[LineHarness, FakeTelegram], services: Services
) -> None:
    line, fake = webhook
    _register(services, "42")
    update = fake.user_message(42, "/spend STR114/64 1000 Q1")
    for headers in ({}, {TELEGRAM_SECRET_HEADER: "guess"}):
        response = await line.client.post("/telegram", json=update, headers=headers)
        assert response.status == 401
    assert [s for s in fake.sent if s.method == "sendMessage"] == []
    assert _count(services, SpendingEntry) == 0 and _count(services, ProcessedEvent) == 0


async def test_telegram_update_with_the_secret_is_answered_once(
    webhook: tuple[LineHarness, FakeTelegram], services: Services
) -> None:
    line, fake = webhook
    _register(services, "42")
    update = fake.user_message(42, "/spend STR114/64 250000 Q1")
    for _attempt in range(2):  # the second is Telegram re-sending after a restart
        response = await line.client.post(
            "/telegram", json=update, headers={TELEGRAM_SECRET_HEADER: SECRET}
        )
        assert response.status == 200  # stored in the inbox; its worker answers
        await line.settled()
    [answer] = [s for s in fake.sent if s.method == "sendMessage" and s.chat_id == 42]
    assert "250,000 บาท" in answer.text and "คงเหลือ 4,750,000 บาท" in answer.text
    assert _count(services, SpendingEntry) == 1

    status = fake.user_message(42, "/status STR114/64")
    response = await line.client.post(
        "/telegram", json=status, headers={TELEGRAM_SECRET_HEADER: SECRET}
    )
    assert response.status == 200
    await line.settled()
    assert "<b>STR114/64</b>" in fake.sent[-1].text and "คงเหลือ 4,750,000 บาท" in fake.sent[-1].text


async def test_health_reports_database_and_channels(
    webhook: tuple[LineHarness, FakeTelegram],
) -> None:
    line, _fake = webhook
    response = await line.client.get("/health")
    assert response.status == 200
    assert await response.json() == {
        "status": "ok",
        "database": True,
        "line": True,
        "telegram": True,
    }


async def test_published_attachment_is_served_then_unknown_tokens_are_not(
    webhook: tuple[LineHarness, FakeTelegram],
) -> None:
    line, _fake = webhook
    chart = Attachment("budget.png", b"\x89PNG fake chart", "image/png")
    url = line.bot.media.publish(chart)
    assert url is not None and url.startswith("https://bot.example.org/media/")
    response = await line.client.get(url.removeprefix("https://bot.example.org"))
    assert response.status == 200 and await response.read() == b"\x89PNG fake chart"
    assert response.headers["Content-Type"] == "image/png"
    missing = await line.client.get("/media/not-a-token/budget.png")
    assert missing.status == 404
