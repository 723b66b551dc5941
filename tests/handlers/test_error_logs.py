"""A database error is logged with ids, never with what the person typed."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from handlers.context import Services
from tests.support.catalog import th
from tests.support.handler_helpers import register, say


def test_a_database_error_logs_no_note(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    register(services, "5", "member", "research", "Somchai")
    with services.db.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON spending_entries "
                "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
            )
        )
    with caplog.at_level(logging.DEBUG):
        reply = say(services, "5", "/spend STR114/64 1000 Q1 ค่าอาหาร-ลับมาก-4711")
    assert reply == th("error_generic")
    assert "the disk is full" in caplog.text  # the error itself is logged …
    assert "4711" not in caplog.text  # … without the note that was typed
