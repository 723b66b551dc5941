"""Webhook events and updates already handled, so a redelivery is handled once.

LINE redelivers a webhook event (same webhookEventId) when it saw no 200 in time; Telegram
re-sends updates whose offset was not confirmed before a restart. The unique
(channel, event_id) row in `processed_events` is the claim: whoever inserts it handles the event.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import ProcessedEvent


def first_time(
    session: Session, channel: str, event_id: str, *, at: datetime | None = None
) -> bool:
    """Claim an event: True the first time (the row is written with the session's unit of work),
    False when it was already claimed. A savepoint keeps the session usable after a clash, so the
    claim can share a unit of work with the writes it guards."""
    event_id = event_id[:128]
    if session.scalar(
        select(ProcessedEvent.id).where(
            ProcessedEvent.channel == channel, ProcessedEvent.event_id == event_id
        )
    ):
        return False
    row = ProcessedEvent(channel=channel, event_id=event_id)
    if at is not None:
        row.created_at = at
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # claimed by a concurrent delivery of the same event
        return False
    return True


def processed_count(session: Session, channel: str) -> int:
    """How many events of a channel were claimed (for tests and the health page)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(ProcessedEvent)
            .where(ProcessedEvent.channel == channel)
        )
        or 0
    )


def forget_before(session: Session, channel: str, before: datetime) -> int:
    """Drop old claims: LINE redelivers within hours and Telegram may reuse update ids after a
    quiet week, so old rows only risk a false 'seen'."""
    result = session.execute(
        delete(ProcessedEvent).where(
            ProcessedEvent.channel == channel, ProcessedEvent.created_at < before
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def ping(session: Session) -> bool:
    """The database answers (for the health endpoint)."""
    return session.execute(text("SELECT 1")).scalar() == 1
