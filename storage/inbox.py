"""The inbox: webhook events written before they are answered 200, so an event the platform was
told we have is never lost, even when the process dies before handling it. The mirror of the
outbox (storage/outbox.py).

Life of a row: `received` (written by the webhook in one short transaction; the platform's event
id is the unique key, so a redelivery writes nothing) -> taken (a lease: `lease_token`,
`claimed_until`, `attempts` + 1, committed before anything is handled: in the webhook's own
transaction when that process has a worker free and the row is its chat's oldest unfinished one,
`receive_and_take`, else by a worker's `take`; the worker extends it while it works) -> `done` (committed in the same transaction as the request's writes, see
handlers.dispatch, or right after handling for an event that writes nothing) | `failed` with its
reason in `last_error` (handling raised, or the row was taken `max_attempts` times and never
finished) | retried: a worker that died leaves its row `received`, and it is taken again once
the lease has run out, by this instance or another one. The update claim
(storage/db/update_claims.py) still makes sure its writes are applied once.

Order: only a chat's oldest unfinished row can be taken, so one chat's events are handled one
after another in the order they arrived, across workers and instances; other chats meanwhile
run in parallel. Takes use FOR UPDATE SKIP LOCKED on PostgreSQL and a conditional UPDATE under
SQLite's single writer, as the outbox's claims do.

Done and failed rows are kept for the windows event ids are kept (each channel's
`keep_event_ids` in bot/channels.py: LINE 30 days, Telegram 6 days), then forgotten
(`forget_before`).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, func, or_, select, text, update
from sqlalchemy.orm import aliased

from storage.db.models import InboxEvent
from storage.repositories.base import Repository, insert_for

RECEIVED, DONE, FAILED = "received", "done", "failed"


@dataclass(frozen=True)
class NewEvent:
    channel: str
    event_id: str
    chat_key: str  # events with the same key are handled in the order they were written
    payload: dict[str, Any]


@dataclass(frozen=True)
class InboxItem:
    id: int
    channel: str
    event_id: str
    chat_key: str
    payload: dict[str, Any]
    attempts: int  # takes so far, this one included
    lease_token: str  # whose lease: finishing needs it, so a worker that lost its lease cannot
    received_at: datetime

    @property
    def lease(self) -> tuple[int, str]:
        """What a Request carries so dispatch can mark the row done in its own transaction."""
        return (self.id, self.lease_token)


def now_utc() -> datetime:
    return datetime.now(UTC)


@cache
def _receive_statement(dialect: str) -> Any:
    """One event written unless its id is known (built once per dialect)."""
    return (
        insert_for(dialect)(InboxEvent)
        .on_conflict_do_nothing(index_elements=["channel", "event_id"])
        .returning(InboxEvent.id)
    )


# The row under a lease (bound as row_id and token), still waiting to be finished.
_OURS = (
    InboxEvent.id == bindparam("row_id"),
    InboxEvent.lease_token == bindparam("token"),
    InboxEvent.status == RECEIVED,
)


def _lease(lease: tuple[int, str], **values: object) -> dict[str, object]:
    return {"row_id": lease[0], "token": lease[1], **values}


def _waits_its_turn() -> Any:
    """An earlier row of the same chat is not finished yet."""
    earlier = aliased(InboxEvent)
    return (
        select(earlier.id)
        .where(
            earlier.chat_key == InboxEvent.chat_key,
            earlier.status == RECEIVED,
            earlier.id < InboxEvent.id,
        )
        .exists()
    )


# The statements a worker runs for every event, built once (building one costs about as much as
# running it on SQLite); what changes is bound: channels, now, the lease, the attempts allowed.
_CHANNELS = InboxEvent.channel.in_(bindparam("channels", expanding=True))
_FREE = or_(InboxEvent.claimed_until.is_(None), InboxEvent.claimed_until < bindparam("now"))
_READY = (
    InboxEvent.status == RECEIVED,
    _CHANNELS,
    _FREE,
    ~_waits_its_turn(),  # a chat's rows are handled one after another, in order
)
_LOOK = select(select(InboxEvent.id).where(*_READY).exists())
_FAIL_POISON = (
    update(InboxEvent)
    .where(
        InboxEvent.status == RECEIVED,
        _CHANNELS,
        InboxEvent.attempts >= bindparam("max_attempts"),
        _FREE,
    )
    .values(
        status=FAILED,
        claimed_until=None,
        finished_at=bindparam("now"),
        last_error=bindparam("why"),
    )
    .execution_options(synchronize_session=False)
)


# What a take returns, to build an InboxItem from.
_RETURNED = (
    InboxEvent.id,
    InboxEvent.channel,
    InboxEvent.event_id,
    InboxEvent.chat_key,
    InboxEvent.payload,
    InboxEvent.attempts,
    InboxEvent.received_at,
)


@cache
def _take_statement(limit: int) -> Any:
    # Picked once, in a CTE: a LIMIT subquery inside `IN (...)` may be run again for each row
    # the UPDATE looks at, and then take more rows than asked for (seen on PostgreSQL).
    candidates = (
        select(InboxEvent.id)
        .where(*_READY)
        .order_by(InboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("picked")
    )
    return (
        update(InboxEvent)
        .where(InboxEvent.id.in_(select(candidates.c.id)), InboxEvent.status == RECEIVED, _FREE)
        .values(
            claimed_until=bindparam("until"),
            lease_token=bindparam("token"),
            attempts=InboxEvent.attempts + 1,
        )
        .returning(*_RETURNED)
        .execution_options(synchronize_session=False)
    )


# The rows just written, taken unless an earlier row of their chat is still unfinished.
_TAKE_WRITTEN = (
    update(InboxEvent)
    .where(
        InboxEvent.id.in_(bindparam("ids", expanding=True)),
        InboxEvent.status == RECEIVED,
        ~_waits_its_turn(),
    )
    .values(
        claimed_until=bindparam("until"),
        lease_token=bindparam("token"),
        attempts=InboxEvent.attempts + 1,
    )
    .returning(*_RETURNED)
    .execution_options(synchronize_session=False)
)
# Held until the transaction ends (PostgreSQL): one chat's receipts are written in turn.
_CHAT_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(:chat_key))")

_EXTEND = (
    update(InboxEvent)
    .where(*_OURS)
    .values(claimed_until=bindparam("until"))
    .execution_options(synchronize_session=False)
)
_FINISH = (
    update(InboxEvent)
    .where(*_OURS)
    .values(status=DONE, claimed_until=None, finished_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)
_STILL_OURS = select(select(InboxEvent.id).where(*_OURS).exists())
_FAIL = (
    update(InboxEvent)
    .where(*_OURS)
    .values(
        status=FAILED, claimed_until=None, finished_at=bindparam("now"), last_error=bindparam("why")
    )
    .execution_options(synchronize_session=False)
)


_NEXT_FREE = select(InboxEvent.claimed_until).where(
    InboxEvent.status == RECEIVED, _CHANNELS, ~_waits_its_turn()
)


@dataclass(frozen=True)
class InboxRow:
    channel: str
    event_id: str
    chat_key: str
    status: str
    attempts: int
    last_error: str


class InboxRepository(Repository):
    """The inbox as the unit of work's `uow.inbox` (the webhook, the workers): a method that
    writes marks the unit of work, so it commits when its block ends."""

    def receive(self, events: Sequence[NewEvent], now: datetime | None = None) -> int:
        """Write events whose id is new (a redelivered one is left alone); how many were new."""
        return len(self._insert(events, now or now_utc()))

    def receive_and_take(
        self, events: Sequence[NewEvent], *, lease: timedelta, now: datetime | None = None
    ) -> tuple[int, list[InboxItem]]:
        """Write events as `receive` does and take, in the same transaction, those that are
        their chat's oldest unfinished row: the process that answers the webhook handles them
        at once, with no worker round trip. What it could not take waits for the workers as
        usual. How many were new, and the rows taken."""
        now = now or now_utc()
        ids = self._insert(events, now)
        if not ids:
            return 0, []
        token, until = secrets.token_hex(16), now + lease
        rows = self._session.execute(_TAKE_WRITTEN, {"ids": ids, "token": token, "until": until})
        items = [
            InboxItem(r[0], r[1], r[2], r[3], dict(r[4] or {}), r[5], token, r[6]) for r in rows
        ]
        return len(ids), sorted(items, key=lambda item: item.id)

    def _insert(self, events: Sequence[NewEvent], now: datetime) -> list[int]:
        """The ids of the events written (those whose id was new)."""
        self._wrote()
        if not events:
            return []
        session = self._session
        dialect = self._dialect
        if dialect == "postgresql":
            # One chat's rows are written one transaction after another (SQLite's single writer
            # does this by itself), so ids and commits come in the same order: a row is never
            # taken while an earlier row of its chat is written and not yet visible.
            for chat_key in sorted({e.chat_key[:100] for e in events}):
                session.execute(_CHAT_LOCK, {"chat_key": chat_key})
        statement = _receive_statement(dialect)
        new: list[int] = []
        for e in events:  # one at a time, in order: a webhook call carries one event, seldom more
            row = {
                "channel": e.channel,
                "event_id": e.event_id[:128],
                "chat_key": e.chat_key[:100],
                "payload": e.payload,
                "status": RECEIVED,
                "attempts": 0,
                "received_at": now,
                "last_error": "",
                "created_at": now,
            }
            new += [row_id for (row_id,) in session.execute(statement, row).all()]
        return new

    def take(
        self,
        channels: Sequence[str],
        *,
        lease: timedelta,
        max_attempts: int = 5,
        limit: int = 1,
        now: datetime | None = None,
    ) -> list[InboxItem]:
        """Take up to `limit` rows under a lease, oldest first, each the oldest unfinished row
        of its chat. A free row already taken `max_attempts` times is failed instead (a poison
        event that kills its worker must not kill every worker after it). The caller commits
        at once."""
        self._wrote()
        session = self._session
        now = now or now_utc()
        values = {"channels": list(channels), "now": now}
        # A look first, which locks nothing: idle workers must not queue for SQLite's one writer.
        if not session.scalar(_LOOK, values):
            return []
        # The writes start a transaction of their own (SQLite cannot upgrade a read).
        session.commit()
        session.execute(
            _FAIL_POISON,
            {
                **values,
                "max_attempts": max_attempts,
                "why": f"taken {max_attempts} times and never finished",
            },
        )
        token, until = secrets.token_hex(16), now + lease
        rows = session.execute(_take_statement(limit), {**values, "token": token, "until": until})
        items = [
            InboxItem(r[0], r[1], r[2], r[3], dict(r[4] or {}), r[5], token, r[6]) for r in rows
        ]
        return sorted(items, key=lambda item: item.id)

    def extend(self, lease: tuple[int, str], until: datetime) -> bool:
        """Keep a row taken while its worker is still at it; False when the lease was lost."""
        self._wrote()
        result = self._session.execute(_EXTEND, _lease(lease, until=until))
        return bool(getattr(result, "rowcount", 0))

    def finish(self, lease: tuple[int, str], now: datetime | None = None) -> bool:
        """Mark a taken row done, in the caller's transaction. False when it is no longer ours
        (its lease ran out and another worker took it, or it was finished already): the caller
        then rolls back and answers nothing."""
        self._wrote()
        result = self._session.execute(_FINISH, _lease(lease, now=now or now_utc()))
        return bool(getattr(result, "rowcount", 0))

    def fail(self, lease: tuple[int, str], error: str, now: datetime | None = None) -> bool:
        """Handling raised: the row is failed with its reason and not taken again."""
        self._wrote()
        result = self._session.execute(_FAIL, _lease(lease, now=now or now_utc(), why=error[:500]))
        return bool(getattr(result, "rowcount", 0))

    def _still_ours(self, lease: tuple[int, str]) -> bool:
        """Whether the row is still taken under this lease and unfinished (a read, locking
        nothing)."""
        return self._session.scalar(_STILL_OURS, _lease(lease)) is True

    def settle(self, lease: tuple[int, str], error: str | None) -> None:
        """Done (or failed with `error`) unless dispatch already finished it in its own
        transaction; the write, when needed, in a transaction of its own (SQLite)."""
        if not self._still_ours(lease):
            return  # dispatch marked it (the usual case): no write needed
        self._session.commit()
        if error is None:
            self.finish(lease)
        else:
            self.fail(lease, error)

    def next_free_at(self, channels: Sequence[str]) -> datetime | None:
        """When the earliest chat's next row can be taken (now, or when its lease runs out);
        None when nothing waits. A row behind its chat's taken one is not counted: the worker
        that finishes the one before takes it."""
        rows = self._session.execute(_NEXT_FREE, {"channels": list(channels)}).all()
        moments = [until or datetime.min.replace(tzinfo=UTC) for (until,) in rows]
        return min(moments) if moments else None

    def status_counts(self, channels: Sequence[str] | None = None) -> dict[str, int]:
        query = select(InboxEvent.status, func.count()).group_by(InboxEvent.status)
        if channels is not None:
            query = query.where(InboxEvent.channel.in_(list(channels)))
        return {status: count for status, count in self._session.execute(query).all()}

    def waiting(self, channels: Sequence[str]) -> int:
        """Rows received and not yet finished or failed."""
        return self.status_counts(channels).get(RECEIVED, 0)

    def rows(self, channels: Sequence[str] | None = None) -> list[InboxRow]:
        query = select(InboxEvent).order_by(InboxEvent.id)
        if channels is not None:
            query = query.where(InboxEvent.channel.in_(list(channels)))
        return [
            InboxRow(e.channel, e.event_id, e.chat_key, e.status, e.attempts, e.last_error)
            for e in self._session.scalars(query)
        ]

    def forget_before(self, channel: str, before: datetime) -> int:
        """Drop finished rows of a channel received before `before` (waiting rows are kept)."""
        self._wrote()
        result = self._session.execute(
            delete(InboxEvent).where(
                InboxEvent.channel == channel,
                InboxEvent.status != RECEIVED,
                InboxEvent.received_at < before,
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
