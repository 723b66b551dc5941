"""A synthetic plan N times larger than FY2564, with many indicator reports, in an SQLite file.

The shipped FY2564 plan is loaded first (so STR114/64 and every real code exist as they are),
then each project is copied N-1 times with the same shape: code `STR114X7/64` is copy 7 of
STR114/64 (a sub-activity's copy keeps its parent's copy as parent), same divisions, strategy,
tactic, budgets and indicators. Then `reports` indicator reports (2% of them reversals of an
earlier report of the same indicator, as /undo writes) and a tenth as many spending entries are
spread over every indicator and project, by 60 people, over the four quarters.

Rows go in with SQLAlchemy Core executemany on the storage tables (types handled by the models'
column types), in chunks, with SQLite's journal and fsync off while building.

    from bench.synthetic import synthetic_plan
    path = synthetic_plan(scale=100, reports=1_000_000)   # built once, then reused
    db = Database(f"sqlite:///{path}")

`.venv/bin/python -m bench.synthetic [--scale 100] [--reports 1000000] [--out FILE]` builds one and prints
what it holds.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from plan_data import DEFAULT_PLAN
from storage.db.database import Database
from storage.db.models import (
    Division,
    Indicator,
    IndicatorReport,
    Person,
    Project,
    ProjectDivision,
    SpendingEntry,
)
from storage.plan_io.loader import load_plan_file

CACHE = Path(tempfile.gettempdir()) / "planbot-bench"
CHUNK = 50_000
PERIODS = ("2564-Q1", "2564-Q2", "2564-Q3", "2564-Q4")
START = datetime(2020, 10, 1, 2, 0, tzinfo=UTC)


def synthetic_plan(scale: int = 100, reports: int = 1_000_000, *, fresh: bool = False) -> Path:
    """The path of an SQLite file with the synthetic plan; built on first use, then cached."""
    path = CACHE / f"synthetic-{scale}x-{reports}.sqlite3"
    if path.exists() and not fresh:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    build(building, scale=scale, reports=reports)
    shutil.move(building, path)
    return path


def build(path: Path, *, scale: int, reports: int, seed: int = 2564) -> None:
    path.unlink(missing_ok=True)
    db = Database(f"sqlite:///{path}")
    load_plan_file(db, DEFAULT_PLAN)
    rng = random.Random(seed)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
        project_ids = _copy_projects(connection, scale)
        indicator_ids = list(connection.scalars(select(Indicator.id)))
        people = _people(connection, rng)
        _reports(connection, rng, indicator_ids, people, reports)
        _spending(connection, rng, project_ids, people, max(1, reports // 10))
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.exec_driver_sql("ANALYZE")
    db.dispose()


def _rows(connection: Connection, model: Any) -> list[dict[str, Any]]:
    table = model.__table__
    return [
        dict(row._mapping) for row in connection.execute(select(table).order_by(*table.primary_key))
    ]


def copy_code(code: str, copy: int) -> str:
    stem, slash, year = code.partition("/")
    return f"{stem}X{copy}{slash}{year}"


def _copy_projects(connection: Connection, scale: int) -> list[int]:
    """Copies 1..scale-1 of every project, with its divisions and indicators."""
    projects = _rows(connection, Project)
    links = _rows(connection, ProjectDivision)
    indicators = _rows(connection, Indicator)
    next_project = max(p["id"] for p in projects) + 1
    next_indicator = max(i["id"] for i in indicators) + 1
    new_projects, new_links, new_indicators = [], [], []
    for copy in range(1, scale):
        ids = {}
        for project in projects:  # parents come before their children in the plan's order
            ids[project["id"]] = next_project
            new_projects.append(
                project
                | {
                    "id": next_project,
                    "code": copy_code(project["code"], copy),
                    "parent_id": ids.get(project["parent_id"]),
                    "position": project["position"] + copy * 10_000,
                }
            )
            next_project += 1
        new_links += [link | {"project_id": ids[link["project_id"]]} for link in links]
        for indicator in indicators:
            new_indicators.append(
                indicator | {"id": next_indicator, "project_id": ids[indicator["project_id"]]}
            )
            next_indicator += 1
    for model, rows in (
        (Project, new_projects),
        (ProjectDivision, new_links),
        (Indicator, new_indicators),
    ):
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(model.__table__), rows[start : start + CHUNK])
    return [p["id"] for p in projects] + [p["id"] for p in new_projects]


def _people(connection: Connection, rng: random.Random) -> list[int]:
    divisions = list(connection.scalars(select(Division.id)))
    rows = [
        {
            "channel": "telegram",
            "external_id": str(900_000 + n),
            "display_name": f"Staff {n}",
            "role": "member",
            "division_id": rng.choice(divisions),
        }
        for n in range(60)
    ]
    connection.execute(insert(Person.__table__), rows)
    return list(connection.scalars(select(Person.id).where(Person.external_id.like("9000%"))))


def _reports(
    connection: Connection, rng: random.Random, indicators: list[int], people: list[int], count: int
) -> None:
    next_id = (connection.scalar(select(func.max(IndicatorReport.id))) or 0) + 1
    last: dict[int, int] = {}
    rows: list[dict[str, Any]] = []
    for n in range(count):
        indicator = rng.choice(indicators)
        reverses = last.get(indicator) if n % 50 == 49 else None
        rows.append(
            {
                "id": next_id,
                "indicator_id": indicator,
                "period": PERIODS[n * 4 // count],
                "value": None if reverses else Decimal(rng.randrange(0, 20_000)) / 100,
                "note": "",
                "person_id": rng.choice(people),
                "channel": "telegram",
                "created_at": START + timedelta(seconds=n * 30),
                "reverses_id": reverses,
            }
        )
        last[indicator] = next_id
        next_id += 1
        if len(rows) == CHUNK:
            connection.execute(insert(IndicatorReport.__table__), rows)
            rows = []
    if rows:
        connection.execute(insert(IndicatorReport.__table__), rows)


def _spending(
    connection: Connection, rng: random.Random, projects: list[int], people: list[int], count: int
) -> None:
    for start in range(0, count, CHUNK):
        rows = [
            {
                "project_id": rng.choice(projects),
                "amount": Decimal(rng.randrange(100, 50_000)),
                "period": PERIODS[(start + i) * 4 // count],
                "note": "",
                "person_id": rng.choice(people),
                "channel": "telegram",
                "created_at": START + timedelta(seconds=(start + i) * 300),
            }
            for i in range(min(CHUNK, count - start))
        ]
        connection.execute(insert(SpendingEntry.__table__), rows)


def describe(path: Path) -> dict[str, int]:
    db = Database(f"sqlite:///{path}", migrate=False)
    with db.session() as session:
        counts = {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Project, Indicator, IndicatorReport, SpendingEntry)
        }
    db.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, help="write here instead of the cache")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.out:
        build(args.out, scale=args.scale, reports=args.reports)
        path = args.out
    else:
        path = synthetic_plan(args.scale, args.reports, fresh=True)
    print(f"{path}: {describe(path)} in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
