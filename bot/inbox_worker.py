"""Inbox workers: the events the webhook wrote (storage/inbox.py) are taken under a lease and
handled by their channel (LINE: `LineBot.handle_row`, Telegram: `telegram_row`), in order per
chat, several chats at once.

A worker commits its take before handling, extends the lease while it works (so a slow /export
is not taken by another worker meanwhile), and the row is marked done by `dispatch` in the
request's own transaction (`Request.inbox_row`, filled from `current_lease()`), or right after
handling for an event that runs no command (a join, a leave, a sticker). When handling raises,
the row is failed with the reason. When the process dies, the row stays taken until its lease
runs out, then any worker of any instance takes it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from datetime import timedelta
from pathlib import Path
from typing import Any

from storage.db.database import Database
from storage.inbox import InboxItem, now_utc
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# Handles one row; True when the row is settled already (dispatch marked it in the request's
# transaction, or found it another worker's), so the worker need not look at it again.
RowHandler = Callable[[InboxItem], Awaitable[bool | None]]
_CURRENT: ContextVar[InboxItem | None] = ContextVar("inbox_row", default=None)


def current_lease() -> tuple[int, str] | None:
    """The inbox row being handled in this task, for the Request a channel builds from it."""
    row = _CURRENT.get()
    return row.lease if row is not None else None


def hold_while(path: str) -> Callable[[InboxItem], Awaitable[None]]:
    """For tests (PLANBOT_TEST_INBOX_HOLD): a taken row waits while the file `path` exists, so
    a test can kill the process while a row is taken and not yet handled."""

    async def wait(_item: InboxItem) -> None:
        while Path(path).exists():
            await asyncio.sleep(0.05)

    return wait


class InboxWorkers:
    """`workers` loops taking one row at a time; woken by the webhook, else polling."""

    def __init__(
        self,
        db: Database,
        handlers: Mapping[str, RowHandler],
        *,
        workers: int = 4,
        lease: float = 60.0,
        poll: float = 2.0,
        max_attempts: int = 5,
        before_handling: Callable[[InboxItem], Awaitable[None]] | None = None,
    ) -> None:
        self.db, self.handlers = db, dict(handlers)
        self.workers, self.lease, self.poll = max(1, workers), lease, poll
        self.max_attempts = max_attempts
        self.before_handling = before_handling
        self.handled = 0
        self._busy = 0  # loops taking or handling a row right now, and rows taken at receipt
        self._started: set[asyncio.Task[None]] = set()  # rows taken at receipt, being handled
        self._calls = asyncio.Semaphore(0)  # one release per row written, up to one per loop

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(self.handlers)

    @property
    def lease_delta(self) -> timedelta:
        return timedelta(seconds=self.lease)

    def has_room(self, channel: str) -> bool:
        """Whether a row of `channel` taken at receipt may be handled now (fewer rows in hand
        than loops)."""
        return channel in self.handlers and self._busy < self.workers

    def start(self, items: list[InboxItem]) -> None:
        """Handle rows the webhook took as it wrote them, each in a task of its own, as a loop
        would have (the lease, its extension and settling are the same)."""
        for item in items:
            self._busy += 1
            task = asyncio.create_task(self._handle_taken(item))
            self._started.add(task)
            task.add_done_callback(self._started.discard)

    async def _handle_taken(self, item: InboxItem) -> None:
        try:
            await self._handle(item)
        finally:
            self._busy -= 1

    def wake(self, rows: int = 1) -> None:
        """`rows` rows were written: that many idle loops look now rather than at the next poll
        (waking every loop for one row would only make them queue for the database)."""
        for _ in range(min(rows, self.workers)):
            if self._calls._value >= self.workers:  # enough calls already waiting to be heard
                break
            self._calls.release()

    async def run(self, stop: asyncio.Event) -> None:
        """The loops, until `stop` is set; a row being handled is finished first."""
        if not self.handlers:
            return
        await asyncio.gather(*(self._loop(stop) for _ in range(self.workers)))
        if self._started:  # rows taken at receipt are finished too
            await asyncio.gather(*self._started, return_exceptions=True)

    async def _loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if await self.handle_one():
                    continue
                wait = await asyncio.to_thread(self._wait)
            except Exception:
                log.exception("inbox round failed; trying again shortly")
                wait = self.poll
            waiters = {
                asyncio.ensure_future(self._calls.acquire()),
                asyncio.ensure_future(stop.wait()),
            }
            _done, pending = await asyncio.wait(
                waiters, timeout=wait, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()

    def _wait(self) -> float:
        """Seconds until a waiting row may be free (another worker's lease), at most `poll`."""
        with UnitOfWork(self.db) as uow:
            free_at = uow.inbox.next_free_at(self.channels)
        if free_at is None:
            return self.poll
        return min(self.poll, max((free_at - now_utc()).total_seconds(), 0.05))

    async def handle_one(self) -> bool:
        """Take one row and handle it; False when none could be taken."""
        self._busy += 1
        try:
            taken = await asyncio.to_thread(self._take)
            if not taken:
                return False
            for item in taken:  # one row is asked for; any more taken are handled too
                await self._handle(item)
            return True
        finally:
            self._busy -= 1

    def _take(self) -> list[InboxItem]:
        with UnitOfWork(self.db) as uow:
            return uow.inbox.take(
                self.channels,
                lease=self.lease_delta,
                max_attempts=self.max_attempts,
            )

    async def _handle(self, item: InboxItem) -> None:
        keeping = asyncio.create_task(self._keep_lease(item))
        token = _CURRENT.set(item)
        try:
            if self.before_handling is not None:
                await self.before_handling(item)
            settled = await self.handlers[item.channel](item)
        except Exception as error:
            log.exception("inbox row %s (%s %s) failed", item.id, item.channel, item.event_id)
            await asyncio.to_thread(self._settle, item, f"{type(error).__name__}: {error}")
        else:
            if not settled:
                await asyncio.to_thread(self._settle, item, None)
        finally:
            _CURRENT.reset(token)
            keeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeping
            self.handled += 1

    def _settle(self, item: InboxItem, error: str | None) -> None:
        """Done (or failed) if dispatch did not already finish it in its own transaction."""
        with UnitOfWork(self.db) as uow:
            uow.inbox.settle(item.lease, error)

    async def _keep_lease(self, item: InboxItem) -> None:
        """Extend the lease every third of it while the row is being handled."""
        while True:
            await asyncio.sleep(self.lease / 3)
            until = now_utc() + timedelta(seconds=self.lease)
            if not await asyncio.to_thread(self._extend, item, until):
                log.warning("inbox row %s: lease lost while handling it", item.id)
                return

    def _extend(self, item: InboxItem, until: Any) -> bool:
        with UnitOfWork(self.db) as uow:
            return uow.inbox.extend(item.lease, until)

    async def until_idle(self, timeout: float = 60.0) -> bool:
        """Wait until no row of our channels waits and no loop of ours is still at one, replies
        included (for tests and the benchmark); False when `timeout` seconds pass first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._busy == 0:
                waiting = await asyncio.to_thread(self._waiting)
                if not waiting and self._busy == 0:
                    return True
            await asyncio.sleep(0.02)
        return False

    def _waiting(self) -> int:
        with UnitOfWork(self.db) as uow:
            return uow.inbox.waiting(self.channels)
