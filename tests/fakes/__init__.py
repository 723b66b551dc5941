"""Local fakes of the chat platforms' APIs (127.0.0.1 only), and a way to run the real bot on one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any


@asynccontextmanager
async def running_telegram_bot(fake: Any, services: Any, **options: Any) -> AsyncIterator[Any]:
    """The real python-telegram-bot Application from bot.telegram_bot, polling `fake`
    (a started tests.fakes.telegram_api.FakeTelegram) the way `planbot run` does."""
    from bot.telegram_bot import build_application

    application = build_application(fake.token, services, fake.base_url, **options)
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await application.start()
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
