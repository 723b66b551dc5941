"""The outbox and the update claims as repositories of the unit of work (`uow.outbox`,
`uow.claims`), so the workers, the webhook and the scheduler hold no session of their own. The
statements and the rows' life cycles are those of storage/outbox.py and
storage/db/update_claims.py (read their docstrings);
a method that writes marks the unit of work as written, so it commits when its block ends."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from storage import outbox
from storage.db import update_claims


class _Repository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _wrote(self) -> None:
        self._session.info["wrote"] = True  # a core statement: the unit of work commits it


class OutboxRepository(_Repository):
    def enqueue(self, messages: Iterable[outbox.NewMessage], now: datetime | None = None) -> int:
        self._wrote()
        return outbox.enqueue(self._session, messages, now)

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        return outbox.existing_keys(self._session, keys)

    def claim(
        self, channels: Sequence[str], *, limit: int, lease: timedelta, now: datetime | None = None
    ) -> list[outbox.OutboxItem]:
        self._wrote()
        return outbox.claim(self._session, channels, limit=limit, lease=lease, now=now)

    def mark_sent(self, item_id: int, now: datetime | None = None) -> None:
        self._wrote()
        outbox.mark_sent(self._session, item_id, now)

    def mark_retry(self, item: outbox.OutboxItem, at: datetime, error: str) -> None:
        self._wrote()
        outbox.mark_retry(self._session, item, at, error)

    def mark_blocked(
        self, item: outbox.OutboxItem, error: str, now: datetime | None = None
    ) -> None:
        self._wrote()
        outbox.mark_blocked(self._session, item, error, now)

    def mark_failed(self, item: outbox.OutboxItem, error: str) -> None:
        self._wrote()
        outbox.mark_failed(self._session, item, error)

    def move_chat(self, channel: str, old_id: str, new_id: str) -> None:
        self._wrote()
        outbox.move_chat(self._session, channel, old_id, new_id)

    def release(self, item: outbox.OutboxItem) -> None:
        self._wrote()
        outbox.release(self._session, item)

    def next_due_at(self, channels: Sequence[str]) -> datetime | None:
        return outbox.next_due_at(self._session, channels)

    def status_counts(self, channels: Sequence[str] | None = None) -> dict[str, int]:
        return outbox.status_counts(self._session, channels)

    def last_run(self, job: str) -> datetime | None:
        return outbox.last_run(self._session, job)

    def record_run(self, job: str, at: datetime) -> None:
        self._wrote()
        outbox.record_run(self._session, job, at)

    def take_for_chat(
        self, channel: str, chat_id: str, now: datetime | None = None
    ) -> list[tuple[str, list[tuple[str, str]]]]:
        self._wrote()
        return outbox.take_for_chat(self._session, channel, chat_id, now)


class ClaimsRepository(_Repository):
    def first_time(self, channel: str, event_id: str, *, at: datetime | None = None) -> bool:
        self._wrote()
        return update_claims.first_time(self._session, channel, event_id, at=at)

    def forget_before(self, channel: str, before: datetime) -> int:
        self._wrote()
        return update_claims.forget_before(self._session, channel, before)

    def ping(self) -> bool:
        return update_claims.ping(self._session)
