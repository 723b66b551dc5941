"""Claiming an event is once per (channel, event id), on SQLite and PostgreSQL alike, and a
claim that loses leaves the unit of work usable."""

from __future__ import annotations

from storage.db.database import Database
from storage.unit_of_work import UnitOfWork


def test_an_event_is_claimed_once_per_channel(any_url: str) -> None:
    db = Database(any_url)
    try:
        with UnitOfWork(db) as uow:
            assert uow.claims.first_time("line", "01EVENT") is True
        with UnitOfWork(db) as uow:
            assert uow.claims.first_time("line", "01EVENT") is False
            assert uow.claims.first_time("telegram", "01EVENT") is True
            assert uow.claims.first_time("telegram", "01EVENT") is False  # same unit of work
        with UnitOfWork(db) as uow:
            assert uow.claims.processed_count("line") == 1
            assert uow.claims.processed_count("telegram") == 1
    finally:
        db.dispose()
