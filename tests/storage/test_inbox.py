"""The inbox's rules on SQLite and PostgreSQL: a redelivery writes nothing, a chat's rows are
taken one after another, a lease that runs out gives the row to the next taker (and the old
taker can no longer finish it), a row taken too often is failed with its reason, and finished
rows are forgotten after their window."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from storage import inbox
from storage.db.database import Database
from storage.inbox import NewEvent
from storage.unit_of_work import UnitOfWork

LEASE = timedelta(seconds=30)
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _event(event_id: str, chat: str) -> NewEvent:
    return NewEvent("line", event_id, f"line:{chat}", {"id": event_id})


def _take(
    db: Database, now: datetime, limit: int = 10, max_attempts: int = 5
) -> list[inbox.InboxItem]:
    with UnitOfWork(db) as uow:
        return uow.inbox.take(
            ["line"], limit=limit, lease=LEASE, now=now, max_attempts=max_attempts
        )


def test_a_redelivered_event_writes_nothing(loaded: Database) -> None:
    with UnitOfWork(loaded) as uow:
        assert uow.inbox.receive([_event("e1", "A")], now=T0) == 1
    with UnitOfWork(loaded) as uow:
        assert uow.inbox.receive([_event("e1", "A"), _event("e2", "A")], now=T0) == 1
        assert [r.event_id for r in uow.inbox.rows()] == ["e1", "e2"]


def test_a_chats_rows_are_taken_one_after_another_other_chats_meanwhile(loaded: Database) -> None:
    with UnitOfWork(loaded) as uow:
        uow.inbox.receive([_event("a1", "A"), _event("a2", "A"), _event("b1", "B")], now=T0)
    first = _take(loaded, T0)
    assert [item.event_id for item in first] == ["a1", "b1"]
    assert _take(loaded, T0) == []  # a2 waits for a1, even though a1 is only taken
    with UnitOfWork(loaded) as uow:
        assert uow.inbox.finish(first[0].lease)
    [second] = _take(loaded, T0)
    assert second.event_id == "a2" and second.payload == {"id": "a2"}


def test_a_lease_that_ran_out_goes_to_the_next_taker(loaded: Database) -> None:
    with UnitOfWork(loaded) as uow:
        uow.inbox.receive([_event("e1", "A")], now=T0)
    [dead] = _take(loaded, T0)
    assert _take(loaded, T0 + LEASE - timedelta(seconds=1)) == []  # still leased
    [again] = _take(loaded, T0 + LEASE + timedelta(seconds=1))
    assert again.id == dead.id and again.attempts == 2
    with UnitOfWork(loaded) as uow:
        assert not uow.inbox.finish(dead.lease)  # the first taker lost it
        assert uow.inbox.finish(again.lease)
    with UnitOfWork(loaded) as uow:
        assert uow.inbox.status_counts() == {"done": 1}


def test_a_row_taken_too_often_is_failed_with_its_reason(loaded: Database) -> None:
    with UnitOfWork(loaded) as uow:
        uow.inbox.receive([_event("poison", "A"), _event("next", "A")], now=T0)
    now = T0
    for _ in range(2):
        [item] = _take(loaded, now, max_attempts=2)
        assert item.event_id == "poison"
        now += LEASE + timedelta(seconds=1)
    [after] = _take(loaded, now, max_attempts=2)
    assert after.event_id == "next"  # the chat moves on
    with UnitOfWork(loaded) as uow:
        poison = uow.inbox.rows()[0]
    assert (poison.status, poison.attempts) == ("failed", 2)
    assert poison.last_error == "taken 2 times and never finished"


def test_a_failure_keeps_its_reason_and_finished_rows_are_forgotten(loaded: Database) -> None:
    with UnitOfWork(loaded) as uow:
        uow.inbox.receive([_event("ok", "A"), _event("bad", "B"), _event("w", "C")], now=T0)
    ok, bad, _waiting = _take(loaded, T0)
    with UnitOfWork(loaded) as uow:
        assert uow.inbox.finish(ok.lease)
        assert uow.inbox.fail(bad.lease, "ValueError: broken")
        assert not uow.inbox.finish(bad.lease)  # failed is final
    with UnitOfWork(loaded) as uow:
        assert [r.last_error for r in uow.inbox.rows()] == ["", "ValueError: broken", ""]
        assert uow.inbox.forget_before("line", T0 + timedelta(days=31)) == 2
        assert [r.event_id for r in uow.inbox.rows()] == ["w"]  # still waiting: kept


def test_rows_taken_as_they_are_written_keep_each_chats_order(loaded: Database) -> None:
    with UnitOfWork(loaded) as uow:
        new, taken = uow.inbox.receive_and_take(
            [_event("a1", "A"), _event("a2", "A"), _event("b1", "B")], lease=LEASE, now=T0
        )
    assert new == 3
    assert [item.event_id for item in taken] == ["a1", "b1"]  # a2 waits behind a1
    assert all(item.attempts == 1 for item in taken)
    assert _take(loaded, T0) == []  # a worker finds nothing: a1 and b1 are taken, a2 waits
    with UnitOfWork(loaded) as uow:
        assert uow.inbox.finish(taken[0].lease)
    [second] = _take(loaded, T0)
    assert second.event_id == "a2"


def test_a_row_behind_its_chats_unfinished_row_is_left_for_the_workers(loaded: Database) -> None:
    with UnitOfWork(loaded) as uow:
        uow.inbox.receive([_event("a1", "A")], now=T0)
    [first] = _take(loaded, T0)
    with UnitOfWork(loaded) as uow:
        assert uow.inbox.receive_and_take([_event("a2", "A")], lease=LEASE, now=T0) == (1, [])
    with UnitOfWork(loaded) as uow:  # a redelivery is neither written nor taken
        assert uow.inbox.receive_and_take([_event("a1", "A")], lease=LEASE, now=T0) == (0, [])
        assert uow.inbox.finish(first.lease)
    assert [item.event_id for item in _take(loaded, T0)] == ["a2"]


def test_a_chats_receipts_are_written_in_turn(loaded: Database) -> None:
    """Two webhook calls of one chat at once: the second waits until the first is committed, so
    it sees the first row unfinished and does not take its own ahead of it (PostgreSQL: a lock
    per chat; SQLite: its single writer)."""
    first_written, second_done = threading.Event(), threading.Event()
    results: dict[str, tuple[int, list[inbox.InboxItem]]] = {}

    def second() -> None:
        first_written.wait(10)
        with UnitOfWork(loaded) as uow:
            results["a2"] = uow.inbox.receive_and_take([_event("a2", "A")], lease=LEASE, now=T0)
        second_done.set()

    thread = threading.Thread(target=second)
    thread.start()
    with UnitOfWork(loaded) as uow:
        results["a1"] = uow.inbox.receive_and_take([_event("a1", "A")], lease=LEASE, now=T0)
        first_written.set()
        # Not committed yet: the second receipt must wait for this one.
        assert not second_done.wait(0.5)
    thread.join(30)
    assert [item.event_id for item in results["a1"][1]] == ["a1"]
    assert results["a2"] == (1, [])
