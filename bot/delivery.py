"""Reliable delivery: pending outbox rows go out through the sender of their channel, within the
platform's rate limits, with retries, and with state kept durably so a restart (even kill -9)
neither loses nor repeats a message it knows the outcome of.

The durable steps per row: claimed under a lease (committed) -> sent -> `sent` committed right
after the platform acknowledged. What a crash can still leave behind: a message the platform
accepted whose acknowledgement we had not yet committed; it is sent again after the lease runs
out (at least once, never lost). That window is one HTTP round trip per in-flight message, at
most `concurrency` messages. Telegram has no idempotency key to close it.

Adding a channel: write a module with a class implementing ChannelSender and a
`make_sender(settings, *, timeout) -> ChannelSender | None` function, and name it as the
channel's `sender` in its declaration (bot/channels.py), with its rate limits; or call
`Delivery.register(sender, limits)` directly.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import random
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from bot.channels import CHANNELS, RateLimits
from storage.db.database import Database
from storage.outbox import OutboxItem, now_utc
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

Outcome = Literal["sent", "retry", "blocked", "failed", "moved"]


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    retry_after: float | None = None  # seconds the platform asked us to wait (a 429)
    error: str = ""
    moved_to: str | None = None  # "moved": the chat's new id (a group became a supergroup)
    # No answer came (a timeout): the message may have arrived. The row is retried anyway, so a
    # Telegram message may then show twice (at least once; see storage/outbox.py).
    unsure: bool = False


class ChannelSender(Protocol):
    channel: str

    async def send(
        self, chat_id: str, text: str, payload: dict[str, Any], idempotency_key: str
    ) -> SendResult: ...


def sender_modules() -> tuple[str, ...]:
    """Each channel's sender module, as declared once in bot/channels.py."""
    return tuple(c.sender for c in CHANNELS.values() if c.sender)


def rate_limits(channel: str) -> RateLimits:
    """The channel's declared rate limits (a channel not declared: the defaults)."""
    declared = CHANNELS.get(channel)
    return declared.limits if declared is not None else RateLimits()


class RateLimiter:
    """Waits until a message to a chat is within every limit, then books it."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits, self.clock = limits, clock
        self._overall: deque[float] = deque()
        self._last: dict[str, float] = {}
        self._groups: dict[str, deque[float]] = defaultdict(deque)
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """The platform said wait (429 retry_after): nothing goes out until then."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    def chat_wait(self, chat_id: str, is_group: bool) -> float:
        """Seconds until this chat may get a message (its own limits only)."""
        lim, now = self.limits, self.clock()
        waits = [0.0]
        if chat_id in self._last and lim.per_chat_interval:
            waits.append(self._last[chat_id] + lim.per_chat_interval + lim.margin - now)
        if is_group:
            times = self._groups[chat_id]
            while times and now - times[0] >= lim.group_window + lim.margin:
                times.popleft()
            if len(times) >= lim.group_count:
                waits.append(times[-lim.group_count] + lim.group_window + lim.margin - now)
        return max(waits)

    def wait_needed(self, chat_id: str, is_group: bool) -> float:
        lim, now = self.limits, self.clock()
        waits = [self._paused_until - now, self.chat_wait(chat_id, is_group)]
        while self._overall and now - self._overall[0] >= lim.overall_window + lim.margin:
            self._overall.popleft()
        if len(self._overall) >= lim.overall:
            waits.append(self._overall[-lim.overall] + lim.overall_window + lim.margin - now)
        return max(waits)

    async def chat_ready(self, chat_id: str, is_group: bool) -> None:
        """Wait out the chat's own limits without holding a sending slot."""
        while (wait := self.chat_wait(chat_id, is_group)) > 0:
            await asyncio.sleep(wait)

    async def acquire(self, chat_id: str, is_group: bool) -> None:
        while (wait := self.wait_needed(chat_id, is_group)) > 0:
            await asyncio.sleep(wait)
        now = self.clock()
        self._overall.append(now)
        self._last[chat_id] = now
        if is_group:
            self._groups[chat_id].append(now)
        if len(self._last) > 10_000:  # forget chats not written to for a minute
            self._last = {c: t for c, t in self._last.items() if now - t < 60}


@dataclass
class DeliveryStats:
    sent: int = 0
    retried: int = 0  # attempts that will be tried again (429s, 5xx, timeouts)
    rate_limited: int = 0  # 429s among them
    blocked: int = 0
    failed: int = 0
    released: int = 0  # claimed rows given back unsent (lease nearly over)
    unsure: int = 0  # attempts with no answer, which may have arrived all the same
    errors: list[str] = field(default_factory=list)


class Delivery:
    """Sends pending outbox rows through the registered senders until told to stop."""

    def __init__(
        self,
        db: Database,
        senders: Iterable[ChannelSender] = (),
        *,
        lease: float = 60.0,
        batch: int = 200,
        concurrency: int = 16,
        backoff_base: float = 2.0,
        backoff_max: float = 300.0,
        max_attempts: int = 12,
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        self.db, self.lease, self.batch = db, lease, batch
        self.backoff_base, self.backoff_max, self.max_attempts = (
            backoff_base,
            backoff_max,
            max_attempts,
        )
        self.clock = clock
        self.senders: dict[str, ChannelSender] = {}
        self.limiters: dict[str, RateLimiter] = {}
        self.stats = DeliveryStats()
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        for sender in senders:
            self.register(sender)

    def register(self, sender: ChannelSender, limits: RateLimits | None = None) -> None:
        self.senders[sender.channel] = sender
        self.limiters[sender.channel] = RateLimiter(limits or rate_limits(sender.channel))

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(self.senders)

    def wake(self) -> None:
        """New rows were written: look now rather than at the next poll."""
        self._wake.set()

    def _budget(self, channel: str) -> float:
        """The longest one send may take; a row is sent only if its lease outlasts it."""
        return float(getattr(self.senders[channel], "timeout", 30.0))

    def _batch_size(self) -> int:
        """No more rows than can go out well within one lease."""
        rate = min((lim.limits.rate for lim in self.limiters.values()), default=30.0)
        return max(1, min(self.batch, int(rate * self.lease * 0.3)))

    async def deliver_once(self) -> int:
        """Claim one batch of due rows and deliver it; the number of rows claimed."""
        if not self.senders:
            return 0
        items = await asyncio.to_thread(self._claim)
        by_chat: dict[tuple[str, str], list[OutboxItem]] = defaultdict(list)
        for item in items:
            by_chat[(item.channel, item.chat_id)].append(item)
        await asyncio.gather(*(self._chat_in_order(chat_items) for chat_items in by_chat.values()))
        return len(items)

    def _claim(self) -> list[OutboxItem]:
        with UnitOfWork(self.db) as uow:
            return uow.outbox.claim(
                self.channels,
                limit=self._batch_size(),
                lease=timedelta(seconds=self.lease),
                now=self.clock(),
            )

    async def _chat_in_order(self, items: list[OutboxItem]) -> None:
        """One chat's messages, oldest first; after a failure the rest wait their turn."""
        for index, item in enumerate(items):
            outcome = await self._deliver(item)
            if outcome != "sent":
                rest = items[index + 1 :]
                if rest and outcome != "blocked":
                    await asyncio.to_thread(self._release, rest)
                    self.stats.released += len(rest)
                return

    async def _deliver(self, item: OutboxItem) -> str:
        sender = self.senders[item.channel]
        budget = self._budget(item.channel)
        limiter, is_group = self.limiters[item.channel], bool(item.payload.get("is_group"))
        await limiter.chat_ready(item.chat_id, is_group)
        async with self._slots:
            await limiter.acquire(item.chat_id, is_group)
            if self.clock() + timedelta(seconds=budget) >= item.claimed_until:
                await asyncio.to_thread(self._release, [item])
                self.stats.released += 1
                return "released"
            try:
                result = await asyncio.wait_for(
                    sender.send(item.chat_id, item.text, item.payload, item.key), budget
                )
            except TimeoutError:
                result = SendResult("retry", error=f"no answer within {budget:g}s", unsure=True)
            except Exception as error:  # a sender bug must not stop the loop
                log.exception("sender %s failed on %s", item.channel, item.key)
                result = SendResult("retry", error=repr(error))
        if result.retry_after:
            self.limiters[item.channel].pause(result.retry_after)
        recorded = await asyncio.to_thread(self._record, item, result)
        self._count(item, result, recorded)
        return result.outcome

    def _record(self, item: OutboxItem, result: SendResult) -> str:
        """Write the outcome at once: `sent` is committed before anything else happens."""
        now = self.clock()
        with UnitOfWork(self.db) as uow:
            if result.outcome == "sent":
                uow.outbox.mark_sent(item.id, now)
                return "sent"
            if result.outcome == "moved" and result.moved_to:
                uow.outbox.move_chat(item.channel, item.chat_id, result.moved_to)
                uow.outbox.mark_retry(item, now, result.error)
                return "retry"
            if result.outcome == "blocked":
                uow.outbox.mark_blocked(item, result.error, now)
                return "blocked"
            if result.outcome == "failed" or item.attempts >= self.max_attempts:
                uow.outbox.mark_failed(item, result.error)
                return "failed"
            delay = result.retry_after or self._backoff(item.attempts)
            uow.outbox.mark_retry(item, now + timedelta(seconds=delay), result.error)
            return "retry"

    def _count(self, item: OutboxItem, result: SendResult, recorded: str) -> None:
        stats = self.stats
        if recorded == "sent":
            stats.sent += 1
        elif recorded == "blocked":
            stats.blocked += 1
        elif recorded == "failed":
            stats.failed += 1
            stats.errors.append(f"{item.key}: {result.error}")
        else:
            stats.retried += 1
            stats.unsure += 1 if result.unsure else 0
            stats.rate_limited += 1 if result.retry_after else 0

    def _backoff(self, attempts: int) -> float:
        delay = min(self.backoff_max, self.backoff_base * 2 ** max(0, attempts - 1))
        return delay * random.uniform(1.0, 1.25)

    def _release(self, items: list[OutboxItem]) -> None:
        with UnitOfWork(self.db) as uow:
            for item in items:
                uow.outbox.release(item)

    def _next_due(self) -> datetime | None:
        with UnitOfWork(self.db) as uow:
            return uow.outbox.next_due_at(self.channels)

    async def run_until_idle(self, timeout: float = 600.0, poll: float = 1.0) -> bool:
        """Deliver until no row of our channels is pending (waiting out retries and other
        instances' leases). False when `timeout` seconds pass first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await self.deliver_once():
                continue
            due = await asyncio.to_thread(self._next_due)
            if due is None:
                return True
            wait = (due - self.clock()).total_seconds()
            await asyncio.sleep(min(max(wait, 0.01), poll, max(deadline - time.monotonic(), 0)))
        return False

    async def run_forever(self, stop: asyncio.Event, poll: float = 5.0) -> None:
        """The loop inside `planbot run`: deliver, then sleep until woken, a retry falls due,
        or `poll` seconds pass (another instance may have written rows)."""
        while not stop.is_set():
            try:
                if await self.deliver_once():
                    continue
                due = await asyncio.to_thread(self._next_due)
            except Exception:
                log.exception("delivery round failed; trying again shortly")
                due = None
            wait = (
                poll if due is None else min(poll, max((due - self.clock()).total_seconds(), 0.05))
            )
            self._wake.clear()
            waiters = {asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())}
            _done, pending = await asyncio.wait(
                waiters, timeout=wait, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()


def configured_senders(settings: Any, *, timeout: float = 10.0) -> list[ChannelSender]:
    """A sender for every channel the settings configure (the `sender` modules declared)."""
    senders = []
    for name in sender_modules():
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        make = getattr(module, "make_sender", None)
        if make is None:
            log.warning("%s has no make_sender(settings, timeout=...); skipped", name)
            continue
        sender = make(settings, timeout=timeout)
        if sender is not None:
            senders.append(sender)
    return senders
