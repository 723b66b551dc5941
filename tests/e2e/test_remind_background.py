"""Reminders inside `planbot run`: started with the Telegram application (post_init), a missed
weekly run is caught up and delivered through the fake Bot API server, and both stop with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.scheduler import DAILY, WEEKLY, attach_to_application
from bot.telegram_bot import build_application
from handlers.context import Services
from storage.unit_of_work import UnitOfWork
from tests.fakes.telegram_api import FakeTelegram
from tests.support.catalog import en, th
from tests.support.remind_setup import JAN_11, group, member


async def test_run_catches_up_a_missed_week_and_delivers_it(services: Services) -> None:
    db = services.db
    group(db, -100, "research")
    member(db, 31, "gem_testing", language="en")
    services.clock = lambda: JAN_11
    long_ago = datetime.now(UTC) - timedelta(days=9)  # down for over a week
    with UnitOfWork(db) as uow:
        uow.outbox.record_run(WEEKLY, long_ago)
        uow.outbox.record_run(DAILY, long_ago)
    async with FakeTelegram() as fake:
        settings = Settings.from_env(
            {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url}
        )
        application = build_application(fake.token, services, fake.base_url)
        background = attach_to_application(application, services, settings)
        await application.initialize()
        await application.post_init(application)  # as run_polling does
        try:
            group_parts = await fake.wait_for(chat_id=-100, count=1, since=0, timeout=15)
            [private] = await fake.wait_for(chat_id=31, since=0, timeout=15)
        finally:
            await application.post_shutdown(application)
            await application.shutdown()
    q1_th = th("period_quarter", quarter=1, year=2564)
    q1_en = en("period_quarter", quarter=1, year=2564)
    research = th("remind_title_overdue", period=q1_th, division="ฝ่ายวิจัยและพัฒนา")
    assert group_parts[0].text.startswith(research)
    gem_testing = en("remind_title_overdue", period=q1_en, division="Gem Testing Division")
    assert private.text.startswith(gem_testing)
    assert fake.commands  # the application's own post_init ran too
    assert background.reminders is not None and background.reminders.scheduler is not None
    assert not background.reminders.scheduler.running
    with UnitOfWork(db) as uow:
        assert uow.outbox.last_run(WEEKLY) > long_ago
        assert uow.outbox.status_counts() == {"sent": 2}
