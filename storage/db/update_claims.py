"""Webhook events and updates already handled, so a redelivery is handled once.

LINE redelivers a webhook event (same webhookEventId) when it saw no 200 in time; Telegram
re-sends updates whose offset was not confirmed before a restart. The unique
(channel, event_id) row in `processed_events` is the claim: whoever inserts it handles the event.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, text

from storage.db.models import ProcessedEvent
from storage.db.types import UTCDateTime
from storage.repositories.base import Repository, insert_for

_CLAIMS: dict[str, Any] = {}
# How long a channel's event ids are remembered (the inbox keeps its finished rows as long) is
# the channel's own (bot/channels.py `keep_event_ids`); the webhook server forgets older ones.


def _claim_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING, built once per dialect: one round trip per update."""
    if dialect not in _CLAIMS:
        _CLAIMS[dialect] = (
            insert_for(dialect)(ProcessedEvent)
            .values(
                channel=bindparam("channel"),
                event_id=bindparam("event_id"),
                created_at=bindparam("created_at", type_=UTCDateTime()),
            )
            .on_conflict_do_nothing(index_elements=["channel", "event_id"])
            .returning(ProcessedEvent.id)
        )
    return _CLAIMS[dialect]


class ClaimsRepository(Repository):
    """The update claims as the unit of work's `uow.claims`: a claim is written in the
    request's transaction, so it stands or falls with the request's writes."""

    def first_time(self, channel: str, event_id: str, *, at: datetime | None = None) -> bool:
        """Claim an event: True the first time (the row is written with the unit of work),
        False when it was already claimed, also by a concurrent delivery of the same event."""
        self._wrote()
        result = self._run(
            _claim_statement(self._dialect),
            {"channel": channel, "event_id": event_id[:128], "created_at": at or datetime.now(UTC)},
        )
        return result.first() is not None  # a row comes back only when this call inserted it

    def processed_count(self, channel: str) -> int:
        """How many events of a channel were claimed (for tests and the health page)."""
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(ProcessedEvent)
                .where(ProcessedEvent.channel == channel)
            )
            or 0
        )

    def forget_before(self, channel: str, before: datetime) -> int:
        """Drop old claims: LINE redelivers within hours and Telegram may reuse update ids after
        a quiet week, so old rows only risk a false 'seen'."""
        self._wrote()
        result = self._session.execute(
            delete(ProcessedEvent).where(
                ProcessedEvent.channel == channel, ProcessedEvent.created_at < before
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def ping(self) -> bool:
        """The database answers (for the health endpoint)."""
        return self._session.execute(text("SELECT 1")).scalar() == 1
