"""The outbox: messages written before they are sent, each under a unique key, so a message is
never written twice, and a restart resends exactly those whose delivery was not acknowledged.

Life of a row: `pending` -> claimed (a lease: `claimed_until`, `attempts` + 1, committed before
anything is sent) -> `sent` (committed as soon as the platform acknowledges) | back to `pending`
with a later `next_attempt_at` (retry) | `blocked` (the chat blocked the bot) | `failed`.
Claims use FOR UPDATE SKIP LOCKED on PostgreSQL and a conditional UPDATE under SQLite's single
writer, so several instances never claim the same row while its lease runs.

The promise is at least once. A send that got an answer is recorded once (`sent`, or a retry
the platform refused). A send that got no answer in time may have arrived all the same; the row
goes back to `pending` and is sent again, because a reminder lost is worse than one shown twice.
LINE pushes carry a retry key (bot/line_sender.py), so LINE drops the repeat: exactly once there.
Telegram's sendMessage has no such key, so after a timeout a Telegram chat may see it twice;
`DeliveryStats.unsure` counts those attempts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased

from storage.db.models import Chat, OutboxMessage, SchedulerRun
from storage.repositories.base import Repository, insert_for

INSERT_CHUNK = 500


@dataclass(frozen=True)
class NewMessage:
    key: str
    channel: str
    chat_id: str
    text: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboxItem:
    id: int
    key: str
    channel: str
    chat_id: str
    text: str
    payload: dict[str, Any]
    attempts: int  # claims so far, this one included
    claimed_until: datetime


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class OutboxRow:
    key: str
    channel: str
    chat_id: str
    text: str
    status: str
    attempts: int
    last_error: str


class OutboxRepository(Repository):
    """The outbox as the unit of work's `uow.outbox` (reminders and notices written, the
    delivery worker's claims, the scheduler's marks): a method that writes marks the unit of
    work, so it commits when its block ends."""

    def enqueue(self, messages: Iterable[NewMessage], now: datetime | None = None) -> int:
        """Write messages whose key is new; a key already written is left alone. Returns how
        many rows were written."""
        self._wrote()
        now = now or now_utc()
        rows = [
            {
                "key": m.key,
                "channel": m.channel,
                "chat_external_id": m.chat_id,
                "text": m.text,
                "payload": m.payload,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
                "created_at": now,
            }
            for m in messages
        ]
        insert = insert_for(self._dialect)
        written = 0
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            statement = (
                insert(OutboxMessage)
                .values(chunk)
                .on_conflict_do_nothing(index_elements=["key"])
                .returning(OutboxMessage.id)
            )
            written += len(self._session.execute(statement).all())
        return written

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), INSERT_CHUNK):
            chunk = list(keys[start : start + INSERT_CHUNK])
            found.update(
                self._session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk)))
            )
        return found

    def claim(
        self,
        channels: Sequence[str],
        *,
        limit: int,
        lease: timedelta,
        now: datetime | None = None,
    ) -> list[OutboxItem]:
        """Take up to `limit` rows that are due for the given channels, oldest first, under a
        lease: only a chat's oldest pending row, so its messages arrive in order even across
        instances. The caller commits at once (the claim must be durable before anything is
        sent)."""
        self._wrote()
        now = now or now_utc()
        self._skip_blocked_chats(channels)
        free = or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
        earlier = aliased(OutboxMessage)
        waits_its_turn = (
            select(earlier.id)
            .where(
                earlier.channel == OutboxMessage.channel,
                earlier.chat_external_id == OutboxMessage.chat_external_id,
                earlier.status == "pending",
                earlier.id < OutboxMessage.id,
            )
            .exists()
        )
        candidates = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.channel.in_(list(channels)),
                OutboxMessage.next_attempt_at <= now,
                free,
                ~waits_its_turn,  # a chat's messages go out one after another, in order
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        until = now + lease
        statement = (
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(candidates), OutboxMessage.status == "pending", free)
            .values(claimed_until=until, attempts=OutboxMessage.attempts + 1)
            .returning(
                OutboxMessage.id,
                OutboxMessage.key,
                OutboxMessage.channel,
                OutboxMessage.chat_external_id,
                OutboxMessage.text,
                OutboxMessage.payload,
                OutboxMessage.attempts,
            )
        )
        rows = self._session.execute(statement.execution_options(synchronize_session=False)).all()
        items = [
            OutboxItem(r[0], r[1], r[2], r[3], r[4], dict(r[5] or {}), r[6], until) for r in rows
        ]
        return sorted(items, key=lambda item: item.id)

    def _skip_blocked_chats(self, channels: Sequence[str]) -> None:
        """Rows for a chat that blocked the bot are not sent; they are marked blocked instead."""
        blocked = (
            select(Chat.external_id)
            .where(
                Chat.channel == OutboxMessage.channel,
                Chat.external_id == OutboxMessage.chat_external_id,
                Chat.blocked_at.is_not(None),
            )
            .exists()
        )
        self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.channel.in_(list(channels)),
                blocked,
            )
            .values(status="blocked", last_error="chat blocked the bot")
            .execution_options(synchronize_session=False)
        )

    def mark_sent(self, item_id: int, now: datetime | None = None) -> None:
        self._wrote()
        self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == item_id)
            .values(status="sent", sent_at=now or now_utc(), claimed_until=None, last_error="")
            .execution_options(synchronize_session=False)
        )

    def mark_retry(self, item: OutboxItem, at: datetime, error: str) -> None:
        """Try again at `at` (the chat's later rows wait: claim takes a chat's oldest row
        only)."""
        self._wrote()
        self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == item.id, OutboxMessage.claimed_until == item.claimed_until)
            .values(claimed_until=None, next_attempt_at=at, last_error=error[:500])
            .execution_options(synchronize_session=False)
        )

    def move_chat(self, channel: str, old_id: str, new_id: str) -> None:
        """A Telegram group became a supergroup with a new id: its division link and every
        message still waiting for it follow it there (the new chat keeps a link it already
        had)."""
        self._wrote()
        session = self._session
        old = session.scalar(
            select(Chat).where(Chat.channel == channel, Chat.external_id == old_id)
        )
        new = session.scalar(
            select(Chat).where(Chat.channel == channel, Chat.external_id == new_id)
        )
        if old is not None and new is None:
            old.external_id = new_id
        elif old is not None and new is not None:
            new.division_id = new.division_id or old.division_id
            new.is_group = True
            old.division_id = None
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.channel == channel,
                OutboxMessage.chat_external_id == old_id,
                OutboxMessage.status == "pending",
            )
            .values(chat_external_id=new_id)
            .execution_options(synchronize_session=False)
        )

    def release(self, item: OutboxItem) -> None:
        """Give a claimed row back untouched (not attempted), e.g. when its lease is nearly
        over."""
        self._wrote()
        self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == item.id, OutboxMessage.claimed_until == item.claimed_until)
            .values(claimed_until=None, attempts=OutboxMessage.attempts - 1)
            .execution_options(synchronize_session=False)
        )

    def mark_blocked(self, item: OutboxItem, error: str, now: datetime | None = None) -> None:
        """The chat blocked the bot: remember it on the chat and stop trying it."""
        self._wrote()
        now = now or now_utc()
        self._session.execute(
            update(Chat)
            .where(Chat.channel == item.channel, Chat.external_id == item.chat_id)
            .values(blocked_at=now)
            .execution_options(synchronize_session=False)
        )
        self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.channel == item.channel,
                OutboxMessage.chat_external_id == item.chat_id,
                OutboxMessage.status == "pending",
            )
            .values(status="blocked", claimed_until=None, last_error=error[:500])
            .execution_options(synchronize_session=False)
        )

    def mark_failed(self, item: OutboxItem, error: str) -> None:
        self._wrote()
        self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == item.id)
            .values(status="failed", claimed_until=None, last_error=error[:500])
            .execution_options(synchronize_session=False)
        )

    def status_counts(self, channels: Sequence[str] | None = None) -> dict[str, int]:
        query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        if channels is not None:
            query = query.where(OutboxMessage.channel.in_(list(channels)))
        return {status: count for status, count in self._session.execute(query).all()}

    def next_due_at(self, channels: Sequence[str]) -> datetime | None:
        """When the earliest pending row becomes claimable (its retry time or its lease's
        end)."""
        rows = self._session.execute(
            select(OutboxMessage.next_attempt_at, OutboxMessage.claimed_until).where(
                OutboxMessage.status == "pending", OutboxMessage.channel.in_(list(channels))
            )
        ).all()
        moments = [max(n, c) if c is not None else n for n, c in rows]
        return min(moments) if moments else None

    def rows(self, channels: Sequence[str] | None = None) -> list[OutboxRow]:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if channels is not None:
            query = query.where(OutboxMessage.channel.in_(list(channels)))
        return [
            OutboxRow(
                m.key, m.channel, m.chat_external_id, m.text, m.status, m.attempts, m.last_error
            )
            for m in self._session.scalars(query)
        ]

    def last_run(self, job: str) -> datetime | None:
        row = self._session.get(SchedulerRun, job)
        return row.last_run_at if row else None

    def record_run(self, job: str, at: datetime) -> None:
        """Remember that `job` ran at `at` (never moving the mark backwards)."""
        self._wrote()
        statement = insert_for(self._dialect)(SchedulerRun).values(job=job, last_run_at=at)
        latest = func.max if self._dialect == "sqlite" else func.greatest
        statement = statement.on_conflict_do_update(
            index_elements=["job"],
            set_={"last_run_at": latest(SchedulerRun.last_run_at, statement.excluded.last_run_at)},
        )
        self._session.execute(statement)

    def take_for_chat(
        self, channel: str, chat_id: str, now: datetime | None = None
    ) -> list[tuple[str, list[tuple[str, str]]]]:
        """The pending messages addressed to one chat, marked sent: for a channel that shows
        them itself at once (`planbot chat` prints the notices meant for the person at the
        terminal). Each is its text and its buttons as (label, data)."""
        self._wrote()
        pending = self._session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.channel == channel,
                OutboxMessage.chat_external_id == chat_id,
            )
            .order_by(OutboxMessage.id)
        ).all()
        taken = []
        for message in pending:
            buttons = [
                (str(b[0]), str(b[1]))
                for b in (message.payload or {}).get("buttons", [])
                if len(b) == 2
            ]
            taken.append((message.text, buttons))
            self.mark_sent(message.id, now)
        return taken
