"""Claiming an event is once per (channel, event id), on SQLite and PostgreSQL alike, and a
claim that loses leaves the unit of work usable."""

from __future__ import annotations

from storage import events
from storage.database import Database


def test_an_event_is_claimed_once_per_channel(any_url: str) -> None:
    db = Database(any_url)
    try:
        with db.session() as session:
            assert events.first_time(session, "line", "01EVENT") is True
        with db.session() as session:
            assert events.first_time(session, "line", "01EVENT") is False
            assert events.first_time(session, "telegram", "01EVENT") is True
            assert events.first_time(session, "telegram", "01EVENT") is False  # same unit of work
        with db.session() as session:
            assert events.processed_count(session, "line") == 1
            assert events.processed_count(session, "telegram") == 1
    finally:
        db.dispose()
