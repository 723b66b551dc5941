"""The reminder schedule (APScheduler 3, Asia/Bangkok), independent of the chat platform: a
weekly run (default Monday 09:00) and a daily one (09:00, for due-day and overdue notices).
Each run writes the outbox (handlers.reminders) and wakes the delivery loop. A run missed while
the bot was down is caught up once at start-up: scheduler_runs remembers each job's last run.

PLANBOT_WEEKLY_REMINDER="mon 09:00" and PLANBOT_DAILY_REMINDER="09:00" change the times
("off" turns a job off); bot.config reads them into Settings, `Schedule.from_settings` parses them.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.config import ConfigError, Settings
from bot.delivery import Delivery, configured_senders
from handlers.context import Services
from handlers.reminders import RoundResult, write_round
from plan_data.fiscal import BANGKOK
from storage.outbox import now_utc
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
WEEKLY, DAILY = "reminders_weekly", "reminders_daily"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Schedule:
    weekly: tuple[str, int, int] | None = ("mon", 9, 0)  # day, hour, minute (Bangkok)
    daily: tuple[int, int] | None = (9, 0)

    @classmethod
    def from_settings(cls, settings: Settings) -> Schedule:
        return cls.parse(settings.weekly_reminder, settings.daily_reminder)

    @classmethod
    def parse(cls, weekly: str, daily: str) -> Schedule:
        """From "mon 09:00" and "09:00" (or "off"); a ConfigError names the bad setting."""
        weekly, daily = weekly.strip().lower(), daily.strip().lower()
        week: tuple[str, int, int] | None = None
        if weekly != "off":
            day, _, clock = weekly.partition(" ")
            if day not in DAYS:
                raise ConfigError(f"PLANBOT_WEEKLY_REMINDER: {weekly!r} is not like 'mon 09:00'")
            week = (day, *_hour_minute(clock, "PLANBOT_WEEKLY_REMINDER"))
        return cls(week, None if daily == "off" else _hour_minute(daily, "PLANBOT_DAILY_REMINDER"))

    def triggers(self) -> dict[str, CronTrigger]:
        result = {}
        if self.weekly:
            day, hour, minute = self.weekly
            result[WEEKLY] = CronTrigger(
                day_of_week=day, hour=hour, minute=minute, timezone=BANGKOK
            )
        if self.daily:
            hour, minute = self.daily
            result[DAILY] = CronTrigger(hour=hour, minute=minute, timezone=BANGKOK)
        return result

    def is_weekly_day(self, at: datetime) -> bool:
        """Whether a run at `at` is the weekly one (its Bangkok weekday is the weekly day)."""
        return bool(self.weekly) and DAYS[at.astimezone(BANGKOK).weekday()] == self.weekly[0]  # type: ignore[index]


def _hour_minute(text: str, name: str) -> tuple[int, int]:
    hour, _, minute = text.strip().partition(":")
    try:
        h, m = int(hour), int(minute or 0)
    except ValueError:
        h = m = -1
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ConfigError(f"{name}: {text!r} is not a time like 09:00")
    return h, m


def previous_fire(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The last moment at or before `now` the trigger fired (looking back up to 8 days)."""
    moment = trigger.get_next_fire_time(None, now - timedelta(days=8))
    last = None
    while moment is not None and moment <= now:
        last = moment
        moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
    return last


def run_job(
    services: Services, job: str, channels: Sequence[str] | None, ran_at: datetime | None = None
) -> RoundResult:
    """One scheduled run: write its messages (for the moment the services' clock says), then
    remember that the job ran (in real time, which is what the triggers fire on)."""
    at = services.clock()
    result = write_round(services.db, at, weekly=job == WEEKLY, channels=channels)
    with UnitOfWork(services.db) as uow:
        uow.outbox.record_run(job, ran_at or now_utc())
    log.info("%s at %s: %d messages, %d new", job, at.isoformat(), result.planned, result.written)
    return result


def missed_jobs(services: Services, schedule: Schedule, now: datetime) -> list[str]:
    """Jobs whose last fire time passed after their last recorded run. A job never run before
    is only marked (a first start is not a missed run)."""
    missed = []
    for job, trigger in schedule.triggers().items():
        with UnitOfWork(services.db) as uow:
            last = uow.outbox.last_run(job)
            if last is None:
                uow.outbox.record_run(job, now)
                continue
        fired = previous_fire(trigger, now)
        if fired is not None and last < fired:
            missed.append(job)
    return missed


class ReminderScheduler:
    """APScheduler jobs that write the reminders, plus the catch-up at start."""

    def __init__(
        self,
        services: Services,
        channels: Sequence[str] | None,
        *,
        schedule: Schedule | None = None,
        on_written: Callable[[], None] | None = None,
        now: Callable[[], datetime] = now_utc,
    ) -> None:
        self.services, self.channels = services, channels
        self.schedule = schedule or Schedule()
        self.on_written = on_written
        self.now = now
        self.scheduler: AsyncIOScheduler | None = None

    def catch_up(self) -> list[str]:
        """Run each missed job once (the weekly first), now."""
        now = self.now()
        missed = sorted(missed_jobs(self.services, self.schedule, now), key=lambda j: j != WEEKLY)
        for job in missed:
            log.info("catching up %s, missed while the bot was down", job)
            run_job(self.services, job, self.channels, now)
        return missed

    async def start(self) -> None:
        await asyncio.to_thread(self.catch_up)
        self._notify()
        self.scheduler = AsyncIOScheduler(timezone=BANGKOK)
        for job, trigger in self.schedule.triggers().items():
            self.scheduler.add_job(
                self._fire,
                trigger,
                args=[job],
                id=job,
                coalesce=True,
                misfire_grace_time=3600,
                max_instances=1,
            )
        self.scheduler.start()

    async def _fire(self, job: str) -> None:
        try:
            await asyncio.to_thread(run_job, self.services, job, self.channels)
        except Exception:
            log.exception("%s failed; the next start-up catches it up", job)
        self._notify()

    def _notify(self) -> None:
        if self.on_written is not None:
            self.on_written()

    async def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)


class Background:
    """Reminders and delivery running beside a chat platform (long polling or webhooks)."""

    def __init__(
        self, services: Services, settings: Settings, schedule: Schedule | None = None
    ) -> None:
        self.services, self.settings = services, settings
        self.schedule = schedule or Schedule.from_settings(settings)
        self.delivery: Delivery | None = None
        self.reminders: ReminderScheduler | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        senders = configured_senders(self.settings)
        self.delivery = Delivery(self.services.db, senders)
        self._task = asyncio.create_task(self.delivery.run_forever(self._stop))
        self.reminders = ReminderScheduler(
            self.services,
            self.delivery.channels,
            schedule=self.schedule,
            on_written=self.delivery.wake,
        )
        await self.reminders.start()
        log.info(
            "reminders scheduled; delivering through %s",
            ", ".join(self.delivery.channels) or "nothing",
        )

    async def stop(self) -> None:
        if self.reminders is not None:
            await self.reminders.stop()
        self._stop.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        for sender in self.delivery.senders.values() if self.delivery else ():
            close = getattr(sender, "close", None)
            if close is not None:
                await close()


class BackgroundThread:
    """Background on a thread with its own event loop, beside a server that runs its own loop
    (`planbot run --webhook`): `with BackgroundThread(services, settings): serve()`."""

    def __init__(self, services: Services, settings: Settings) -> None:
        self.background = Background(services, settings)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="reminders", daemon=True)

    def __enter__(self) -> Background:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.background.start(), self.loop).result(timeout=60)
        return self.background

    def __exit__(self, *exc: object) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self.background.stop(), self.loop).result(timeout=30)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=30)


def attach_to_application(application: Any, services: Services, settings: Settings) -> Background:
    """Start reminders and delivery with a python-telegram-bot Application, stop them with it."""
    background = Background(services, settings)
    previous_init, previous_shutdown = application.post_init, application.post_shutdown

    async def post_init(app: Any) -> None:
        if previous_init is not None:
            await previous_init(app)
        await background.start()

    async def post_shutdown(app: Any) -> None:
        await background.stop()
        if previous_shutdown is not None:
            await previous_shutdown(app)

    application.post_init, application.post_shutdown = post_init, post_shutdown
    return background
