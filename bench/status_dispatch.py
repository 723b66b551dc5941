"""/status through the dispatcher (no network): the FY2564 plan vs a synthetic plan 100 times
larger with 1,000,000 indicator reports (bench/synthetic.py). Target: the larger within 2x.

    .venv/bin/python -m bench.status_dispatch [--scale 100] [--reports 1000000] [--runs 200]

Both databases are asked the same mix, in the same run, alternating: /status of a project with
reported indicators, of a parent with sub-activities, and of a copied project (in the large one).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.synthetic import copy_code, synthetic_plan
from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Request
from plan_data import DEFAULT_PLAN
from plan_data.fiscal import BANGKOK
from storage.db.database import Database
from storage.plan_io.loader import load_plan_file
from storage.unit_of_work import UnitOfWork

NOW = datetime(2021, 1, 11, 9, 0, tzinfo=BANGKOK)
CODES = ("STR114/64", "SME111/64", "SME111_5/64")


def services_for(path: Path) -> Services:
    db = Database(f"sqlite:///{path}")
    with UnitOfWork(db) as uow:
        if uow.people.find("telegram", "1") is None:
            uow.people.add("telegram", "1", "planner", None, "Bench")
    return Services(db=db, clock=lambda: NOW)


def small_plan(folder: Path) -> Path:
    path = folder / "fy2564.sqlite3"
    load_plan_file(Database(f"sqlite:///{path}"), DEFAULT_PLAN)
    return path


def seed_reports(services: Services) -> None:
    """The small plan gets a few reports too, so both cards show latest values."""
    for code in CODES[::2]:
        for seq in (1, 2):
            request = Request("telegram", "1", "1", text=f"/update {code} {seq} 50")
            dispatch(request, services)


def time_status(services: Services, code: str) -> float:
    request = Request("telegram", "1", "1", text=f"/status {code}")
    started = time.perf_counter()
    replies = dispatch(request, services)
    elapsed = time.perf_counter() - started
    assert replies and replies[0].text.startswith(f"<b>{code}</b>"), replies[0].text[:200]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    large_source = synthetic_plan(args.scale, args.reports)
    with tempfile.TemporaryDirectory() as tmp:
        large_path = Path(tmp) / "large.sqlite3"
        shutil.copy(large_source, large_path)  # the cached file stays as built
        small, large = services_for(small_plan(Path(tmp))), services_for(large_path)
        seed_reports(small)
        large_codes = (*CODES, copy_code("STR114/64", args.scale - 1))
        for _ in range(5):  # warm both caches alike
            time_status(small, CODES[0])
            time_status(large, CODES[0])
        small_times, large_times = [], []
        for n in range(args.runs):
            small_times.append(time_status(small, CODES[n % len(CODES)]))
            large_times.append(time_status(large, large_codes[n % len(large_codes)]))
        small_median = statistics.median(small_times) * 1000
        large_median = statistics.median(large_times) * 1000
    print(f"/status median, FY2564 plan:            {small_median:7.2f} ms")
    print(f"/status median, {args.scale}x plan + {args.reports:,} reports: {large_median:7.2f} ms")
    print(f"ratio large/small: {large_median / small_median:.2f}x (target: within 2x)")


if __name__ == "__main__":
    main()
