"""How long the planning division waits for /export and /chart: the spreadsheet and the chart
for the FY2564 plan with a year of weekly reports (the baseline), and for the synthetic plan 100
times larger with 1,000,000 indicator reports (bench/synthetic.py), measured in the same run and
printed with the ratio to the baseline.

    .venv/bin/python -m bench.reports [--scale 100] [--reports 1000000] [--runs 5]
                                      [--only spreadsheet]

The spreadsheet's rows go through xlsxwriter's public API (one write_row per row). Writing the
rows' XML ourselves through xlsxwriter's internals (storage/reports/row_xml.py, removed) was
about 5× cheaper on the 100× plan: 51 s of CPU against 266 s for the public calls (writing cell
by cell with write_string/write_number instead of write_row: 267 s, the same); the file grows
from 52.8 to 60.5 MB (texts inline instead of shared). Measured with --only spreadsheet on 2
cores shared with other work (2 December 2026): the baseline's wall time swung from 1.3 s to
17 s with the load, so compare the CPU column rather than the printed ratio.

Baseline data: every indicator of FY2564 reported every week of the year (52 × 147 reports, for
the quarter the week falls in) and one spending entry per project per week, written in bulk.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from io import BytesIO
from pathlib import Path

from sqlalchemy import insert, select

from bench.synthetic import synthetic_plan
from handlers.i18n import Translator
from handlers.outputs.chart import render_png
from handlers.outputs.sheet_words import report_labels
from plan_data import DEFAULT_PLAN
from plan_data.chart import ChartScope as Scope
from plan_data.chart import chart_data
from plan_data.fiscal import BANGKOK, local_day
from plan_data.model import Plan
from plan_data.progress import TimeFrame, frame_at
from plan_data.summary import plan_summary
from storage.db.database import Database
from storage.db.models import Indicator, IndicatorReport, Person, Project, SpendingEntry
from storage.plan_io.calendar_file import load_calendar
from storage.plan_io.loader import load_plan_file
from storage.reports.xlsx import write_report
from storage.unit_of_work import UnitOfWork

AT = datetime(2021, 10, 1, 9, 0, tzinfo=BANGKOK)  # the year is over: Q4 is reported on
YEAR_START = datetime(2020, 10, 1, 3, 0, tzinfo=UTC)
WEEKS = 52


def weekly_year(folder: Path) -> Path:
    """FY2564 with a year of weekly reports and spending, in an SQLite file."""
    path = folder / "fy2564-weekly.sqlite3"
    db = Database(f"sqlite:///{path}")
    load_plan_file(db, DEFAULT_PLAN)
    rng = random.Random(2564)
    with db.engine.begin() as connection:
        connection.execute(
            insert(Person.__table__),
            [
                {
                    "channel": "telegram",
                    "external_id": "1",
                    "display_name": "Bench",
                    "role": "planner",
                }
            ],
        )
        person = connection.scalar(select(Person.id))
        indicators = list(connection.scalars(select(Indicator.id)))
        projects = list(connection.scalars(select(Project.id)))
        reports, spending = [], []
        for week in range(WEEKS):
            at = YEAR_START + timedelta(weeks=week)
            period = f"2564-Q{min(week * 4 // WEEKS + 1, 4)}"
            common = {
                "period": period,
                "note": "",
                "person_id": person,
                "channel": "telegram",
                "created_at": at,
            }
            reports += [
                common
                | {
                    "indicator_id": i,
                    "value": Decimal(rng.randrange(0, 10_000)),
                    "reverses_id": None,
                }
                for i in indicators
            ]
            spending += [
                common
                | {
                    "project_id": p,
                    "amount": Decimal(rng.randrange(1000, 90_000)),
                    "reverses_id": None,
                }
                for p in projects
            ]
        connection.execute(insert(IndicatorReport.__table__), reports)
        connection.execute(insert(SpendingEntry.__table__), spending)
    db.dispose()
    return path


def _current(uow: UnitOfWork) -> tuple[Plan, TimeFrame]:
    plan = uow.plans().current(local_day(AT))
    assert plan is not None
    return plan, frame_at(load_calendar(plan.fiscal_year), AT)


def spreadsheet(db: Database) -> int:
    with UnitOfWork(db) as uow:
        plan, frame = _current(uow)
        out = BytesIO()
        write_report(uow, plan, frame, AT, out, report_labels())
    return len(out.getvalue())


def chart(db: Database, scope: Scope) -> int:
    with UnitOfWork(db) as uow:
        plan, frame = _current(uow)
        figures = uow.figures.for_chart(frame.period_key)
        data = chart_data(plan, figures, scope, frame, load_calendar(plan.fiscal_year))
    assert data is not None
    return len(render_png(data, Translator("th")))


def summary(db: Database) -> int:
    with UnitOfWork(db) as uow:
        plan, frame = _current(uow)
        figures = uow.figures.for_summary(frame.period_key)
        return plan_summary(plan, figures, frame).total.indicators.total


def timed(job: Callable[[], int], runs: int) -> tuple[float, float, int]:
    """Median seconds of `runs` runs (after one warm-up), the median processor seconds of this
    process (steadier than the clock on a busy machine), and what the job returned."""
    result = job()
    times, cpu = [], []
    for _ in range(runs):
        started, processor = time.perf_counter(), time.process_time()
        result = job()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - processor)
    return statistics.median(times), statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="runs on the baseline (large: 1)")
    parser.add_argument("--only", help="run only the jobs whose name starts with this")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="planbot-bench-reports-"))
    started = time.perf_counter()
    small = Database(f"sqlite:///{weekly_year(folder)}")
    print(f"baseline built in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    large = Database(f"sqlite:///{synthetic_plan(args.scale, args.reports)}")
    print(f"{args.scale}x plan ready in {time.perf_counter() - started:.1f}s")
    jobs: list[tuple[str, Callable[[Database], int]]] = [
        ("summary figures", summary),
        ("spreadsheet (.xlsx)", spreadsheet),
        ("chart, whole plan", lambda db: chart(db, Scope("all", ""))),
        ("chart, strategy S3", lambda db: chart(db, Scope("strategy", "S3"))),
        ("chart, project STR114/64", lambda db: chart(db, Scope("project", "STR114/64"))),
    ]
    jobs = [(name, job) for name, job in jobs if name.startswith(args.only or "")]
    print(
        f"{'what':28} {'FY2564 weekly':>14} {f'{args.scale}x plan':>12} {'ratio':>8} "
        f"{f'{args.scale}x cpu':>9}  output (bytes for the spreadsheet and charts)"
    )
    for name, job in jobs:
        base, _cpu, base_out = timed(partial(job, small), args.runs)
        big, big_cpu, big_out = timed(partial(job, large), 1)
        print(
            f"{name:28} {base:13.3f}s {big:11.3f}s {big / base:7.1f}x {big_cpu:8.1f}s  "
            f"{base_out:,} / {big_out:,}"
        )
    small.dispose()
    large.dispose()


if __name__ == "__main__":
    main()
