"""`planbot report xlsx --out FILE [--at DATE]`: the planning division's spreadsheet."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time
from pathlib import Path

from bot.config import Settings
from bot.setup import database_url, make_clock, open_database
from handlers.reports import report_labels
from plan_data.calendar_file import load_calendar
from plan_data.fiscal import BANGKOK, BUDDHIST_ERA_OFFSET, local_day
from plan_data.progress import frame_at
from storage.reports.xlsx import report_filename, write_report
from storage.unit_of_work import UnitOfWork


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = subparsers.add_parser("report", help="reports for the planning division")
    kinds = report.add_subparsers(dest="report_command", required=True)
    xlsx = kinds.add_parser("xlsx", help="write the plan's figures as an .xlsx spreadsheet")
    xlsx.add_argument("--out", type=Path, help="file to write (default: a name with the date)")
    xlsx.add_argument(
        "--at",
        type=as_of,
        help="the day the report is as of, YYYY-MM-DD (Gregorian, or a Buddhist-era year such "
        "as 2564-01-11); it picks the period and the disbursement target (default: today)",
    )
    xlsx.set_defaults(handler=xlsx_command)


def as_of(text: str) -> datetime:
    """The end of that day in Bangkok; a year above 2400 is read as Buddhist era."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None
    if day.year > 2400:
        day = day.replace(year=day.year - BUDDHIST_ERA_OFFSET)
    return datetime.combine(day, time(23, 59), tzinfo=BANGKOK)


def xlsx_command(args: argparse.Namespace, settings: Settings) -> int:
    at = args.at or make_clock(settings.clock)()
    db = open_database(database_url(settings))
    with UnitOfWork(db) as uow:
        plan = uow.plans().current(local_day(at))
        if plan is None:
            print("no plan in the database; run `planbot plan load` first", file=sys.stderr)
            return 1
        frame = frame_at(load_calendar(plan.fiscal_year), at)
        out = args.out or Path(report_filename(frame, at))
        with out.open("wb") as handle:
            write_report(uow, plan, frame, at, handle, report_labels())
    print(f"wrote {out} (FY{frame.fiscal_year}, period {frame.period_key})")
    return 0
