"""Simultaneous /undo from three separate OS processes never reverses one entry twice, on a real
SQLite file and on a real PostgreSQL database.

Three spawned processes each open their own Database, wait on one shared start signal, and then
each call services.undo_last once in its own UnitOfWork for the same person. Each round records
six fresh spending entries first, so every round must reverse that round's three latest entries
(6000, 5000, 4000 baht), one each, and the database must hold one reversal row per undo, none
reversing the same entry.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from plan_data import DEFAULT_PLAN
from plan_data.fiscal import BANGKOK
from storage.db.database import Database
from storage.db.models import SpendingEntry
from storage.plan_io.loader import load_plan_file
from storage.services import reporting as services
from storage.unit_of_work import UnitOfWork

AT = datetime(2021, 1, 11, 9, 0, tzinfo=BANGKOK)  # inside FY2564, which is open then
CODE = "STR114/64"
CHANNEL = "console"
EXTERNAL_ID = "undo-race"
WORKERS = 3
ROUNDS = 3
AMOUNTS = [Decimal(n) for n in (1000, 2000, 3000, 4000, 5000, 6000)]
WAIT = 30.0  # seconds: a safety net only; a round takes well under one


def _worker(url: str, index: int, ready: Any, starts: list[Any], results: Any) -> None:
    """One OS process: open its own Database, then per round wait for the start signal and
    undo once; report (round, index, outcome) where outcome is the undone amount, None for
    nothing undone, or an error text."""
    try:
        db = Database(url, migrate=False)
        with UnitOfWork(db) as uow:
            person = uow.people.find(CHANNEL, EXTERNAL_ID)
        assert person is not None
        with db.engine.connect():  # open a pooled connection now, so the race starts tight
            pass
    except BaseException:
        results.put((-1, index, "error: " + traceback.format_exc()))
        ready.put(index)
        return
    ready.put(index)
    for round_ in range(ROUNDS):
        if not starts[round_].wait(WAIT):
            results.put((round_, index, "error: start signal never came"))
            return
        try:
            with UnitOfWork(db) as uow:
                undone = services.undo_last(uow, person, channel=CHANNEL, at=AT)
            outcome: Any = None if undone is None else (undone.kind, str(undone.value))
        except BaseException:
            outcome = "error: " + traceback.format_exc()
        results.put((round_, index, outcome))
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def race_db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """The shipped plan on a real SQLite file (a copy of the loaded template) or on a fresh
    PostgreSQL database."""
    if request.param == "sqlite":
        yield request.getfixturevalue("plan_db")
        return
    db = Database(str(request.getfixturevalue("postgres_url")))
    assert load_plan_file(db, DEFAULT_PLAN).written
    yield db
    db.dispose()


def _reversals(db: Database, person_id: int) -> list[int]:
    with db.session() as session:
        return [
            int(r)
            for r in session.scalars(
                select(SpendingEntry.reverses_id).where(
                    SpendingEntry.person_id == person_id, SpendingEntry.reverses_id.is_not(None)
                )
            )
        ]


def test_simultaneous_undo_from_three_processes_never_reverses_an_entry_twice(
    race_db: Database,
) -> None:
    db = race_db
    with UnitOfWork(db) as uow:
        person = uow.people.add(CHANNEL, EXTERNAL_ID, "planner", "planning", "Racer")

    context = multiprocessing.get_context("spawn")
    ready = context.Queue()
    results = context.Queue()
    starts = [context.Event() for _ in range(ROUNDS)]
    processes = [
        context.Process(target=_worker, args=(db.url, i, ready, starts, results), daemon=True)
        for i in range(WORKERS)
    ]
    for process in processes:
        process.start()
    try:
        for _ in range(WORKERS):
            ready.get(timeout=WAIT)

        all_reversed: list[int] = []
        for round_ in range(ROUNDS):
            recorded: dict[Decimal, int] = {}
            with UnitOfWork(db) as uow:
                for amount in AMOUNTS:
                    entry = services.record_spending(
                        uow, person, code=CODE, amount=amount, channel=CHANNEL, at=AT
                    )
                    recorded[amount] = entry.entry_id

            starts[round_].set()  # the shared start signal: all three go at once
            outcomes = [results.get(timeout=WAIT) for _ in range(WORKERS)]

            errors = [o for o in outcomes if isinstance(o[2], str)]
            assert not errors, "\n".join(str(e[2]) for e in errors)
            assert sorted(o[0] for o in outcomes) == [round_] * WORKERS
            undone = [o[2] for o in outcomes]
            assert None not in undone, f"round {round_}: a process undid nothing: {outcomes}"
            assert sorted(Decimal(u[1]) for u in undone) == [
                Decimal(4000),
                Decimal(5000),
                Decimal(6000),
            ], f"round {round_}: {undone}"
            assert all(u[0] == "spending" for u in undone), undone

            reversed_ids = _reversals(db, person.id)
            assert len(reversed_ids) == WORKERS * (round_ + 1), reversed_ids
            assert len(set(reversed_ids)) == len(reversed_ids), f"reversed twice: {reversed_ids}"
            new = sorted(set(reversed_ids) - set(all_reversed))
            assert new == sorted(recorded[Decimal(n)] for n in (4000, 5000, 6000)), (
                f"round {round_}: reversed {new}, recorded {recorded}"
            )
            all_reversed = reversed_ids

        with db.session() as session:
            reversal_rows, distinct_targets = session.execute(
                select(func.count(), func.count(SpendingEntry.reverses_id.distinct())).where(
                    SpendingEntry.reverses_id.is_not(None)
                )
            ).one()
        assert reversal_rows == distinct_targets == WORKERS * ROUNDS
    finally:
        for event in starts:
            event.set()  # never leave a worker waiting
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
    assert [p.exitcode for p in processes] == [0] * WORKERS
