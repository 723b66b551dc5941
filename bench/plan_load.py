"""Loading the FY2564 plan into an empty database, and `project_status`, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.plan_load [--loads 5] [--runs 300]

Each figure is printed in milliseconds and as a ratio against a baseline measured in the same
run on the same engine: the median round trip of `SELECT 1` through a session (so a slower
machine or a busier disk moves both alike). PostgreSQL comes from TEST_DATABASE_URL, else the
`pgserver` wheel; without either, only SQLite is measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from plan_data import DEFAULT_PLAN
from storage.db.database import Database, normalize_url
from storage.plan_io.loader import load_plan_file
from tests.support.entries import add_spending, add_value
from tests.support.project_status import project_status

CODES = ("STR111/64", "SME111/64")  # a project with reports, a parent of six sub-activities


@dataclass
class Figures:
    engine: str
    baseline: float  # seconds, median SELECT 1
    migrate: float
    load: float  # median, into an empty (migrated) database
    reload: float  # the same file again: nothing to change
    status: dict[str, float]


def _median(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _select_one(db: Database) -> None:
    with db.session() as session:
        assert session.execute(text("SELECT 1")).scalar() == 1


def _status(db: Database, code: str) -> None:
    with db.session() as session:
        card = project_status(session, code)
    assert card is not None and card.code == code


def _seed_entries(db: Database) -> None:
    """A few reports and spending, so the status query has latest values to find."""
    with db.session() as session:
        for seq, value in ((1, "96.5"), (3, "5200"), (3, "10400")):
            add_value(
                session,
                code="STR111/64",
                seq=seq,
                value=Decimal(value),
                period="2564-Q1",
                person_id=None,
                channel="console",
            )
        for code in ("STR111/64", "SME111_2/64", "SME111_5/64"):
            add_spending(
                session,
                code=code,
                amount=Decimal(125000),
                period="2564-Q1",
                person_id=None,
                channel="console",
            )


def measure(engine: str, new_url: Callable[[], str], loads: int, runs: int) -> Figures:
    load_times, migrate_times = [], []
    db = None
    for _ in range(loads):
        if db is not None:
            db.dispose()
        started = time.perf_counter()
        db = Database(new_url())
        migrate_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = load_plan_file(db, DEFAULT_PLAN)
        load_times.append(time.perf_counter() - started)
        assert result.written, result.validation.errors
    assert db is not None
    started = time.perf_counter()
    load_plan_file(db, DEFAULT_PLAN)
    reload = time.perf_counter() - started
    _seed_entries(db)
    for _ in range(20):  # warm the connection pool and statement caches alike
        _select_one(db)
        for code in CODES:
            _status(db, code)
    baseline = _median(lambda: _select_one(db), runs)
    status = {code: _median(lambda c=code: _status(db, c), runs) for code in CODES}
    db.dispose()
    return Figures(
        engine,
        baseline,
        statistics.median(migrate_times),
        statistics.median(load_times),
        reload,
        status,
    )


@contextmanager
def postgres_databases() -> Iterator[Callable[[], str] | None]:
    """A factory of fresh PostgreSQL databases (dropped afterwards), or None without a server."""
    server = None
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        try:
            import pgserver

            server = pgserver.get_server(
                tempfile.mkdtemp(prefix="planbot-bench-pg-"), cleanup_mode="stop"
            )
            base = str(server.get_uri())
        except Exception as error:  # no wheel, or it cannot start here
            print(f"PostgreSQL: not measured ({error})")
            yield None
            return
    base = normalize_url(base)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def new_url() -> str:
        name = f"planbot_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return make_url(base).set(database=name).render_as_string(hide_password=False)

    try:
        yield new_url
    finally:
        with admin.connect() as connection:
            for name in made:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        if server is not None:
            server.cleanup()


def report(figures: Figures) -> None:
    base = figures.baseline

    def line(label: str, seconds: float) -> str:
        return f"  {label:<34} {seconds * 1000:9.2f} ms   {seconds / base:8.1f} x SELECT 1"

    print(f"{figures.engine}:")
    print(f"  {'baseline: SELECT 1 (median)':<34} {base * 1000:9.3f} ms")
    print(line("migrate an empty database", figures.migrate))
    print(line("load the plan (median)", figures.load))
    print(line("reload the same plan", figures.reload))
    for code, seconds in figures.status.items():
        print(line(f"project_status {code} (median)", seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--loads", type=int, default=5, help="loads into empty databases")
    parser.add_argument("--runs", type=int, default=300, help="runs per median")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        counter = iter(range(10**6))

        def sqlite_url() -> str:
            return f"sqlite:///{Path(folder) / f'plan{next(counter)}.sqlite3'}"

        results.append(measure("SQLite (file, WAL)", sqlite_url, args.loads, args.runs))
    with postgres_databases() as postgres_url:
        if postgres_url is not None:
            results.append(measure("PostgreSQL", postgres_url, args.loads, args.runs))
    print(f"FY2564 plan: {DEFAULT_PLAN.name}, {args.loads} loads, medians of {args.runs} runs")
    for figures in results:
        report(figures)
    if len(results) == 2:
        sqlite, postgres = results
        print("PostgreSQL / SQLite, each against its own SELECT 1:")
        print(f"  load   {postgres.load / postgres.baseline / (sqlite.load / sqlite.baseline):.2f}")
        for code in CODES:
            ratio = (postgres.status[code] / postgres.baseline) / (
                sqlite.status[code] / sqlite.baseline
            )
            print(f"  status {code}  {ratio:.2f}")


if __name__ == "__main__":
    main()
