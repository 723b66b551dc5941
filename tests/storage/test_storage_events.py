"""Claiming an event is once per (channel, event id), on SQLite and PostgreSQL alike, and a
claim that loses leaves the unit of work usable."""

from __future__ import annotations

from storage.db import update_claims
from storage.db.database import Database


def test_an_event_is_claimed_once_per_channel(any_url: str) -> None:
    db = Database(any_url)
    try:
        with db.session() as session:
            assert update_claims.first_time(session, "line", "01EVENT") is True
        with db.session() as session:
            assert update_claims.first_time(session, "line", "01EVENT") is False
            assert update_claims.first_time(session, "telegram", "01EVENT") is True
            assert (
                update_claims.first_time(session, "telegram", "01EVENT") is False
            )  # same unit of work
        with db.session() as session:
            assert update_claims.processed_count(session, "line") == 1
            assert update_claims.processed_count(session, "telegram") == 1
    finally:
        db.dispose()
