"""`planbot report xlsx [--out FILE] [--at DATE]`: the planning division's spreadsheet;
`planbot report quarterly [--period 2564-Q1] [--out FILE] [--at DATE] [--lang th|en]
[--format docx|pdf]`: the quarterly report to the board as an editable Word document, or as a PDF
made from it by LibreOffice headless (`soffice --headless --convert-to pdf`) for people who only
read. Without --out each goes to a new file in files/ under the data directory; --at is read as
bot/cli_moment.py reads it, and without it the day is the bot's clock (PLANBOT_CLOCK, or now)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, time
from pathlib import Path

from bot.cli_files import files_dir, new_path
from bot.cli_moment import parse_moment
from bot.config import Settings
from bot.setup import database_url, make_clock, open_database
from handlers.i18n import LANGUAGES, Translator
from handlers.outputs.sheet_words import report_labels
from plan_data.fiscal import local_day
from plan_data.progress import frame_at
from storage.plan_io.calendar_file import load_calendar
from storage.reports.xlsx import report_filename, write_report
from storage.unit_of_work import UnitOfWork

END_OF_DAY = time(23, 59)


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser("report", help="reports for the planning division")
    kinds = report.add_subparsers(dest="report_command", required=True)
    xlsx = kinds.add_parser("xlsx", help="write the plan's figures as an .xlsx spreadsheet")
    xlsx.add_argument(
        "--out",
        type=Path,
        help="file to write (default: a new file named with the period and the date, in files/ "
        "under the data directory)",
    )
    xlsx.add_argument(
        "--at",
        help="the day the report is as of (its end), e.g. 2021-01-11 or 2564-01-11 (Buddhist "
        "era), or a moment such as 2021-01-11T09:00 (Bangkok time); it picks the period and the "
        "disbursement target (default: now, or PLANBOT_CLOCK)",
    )
    xlsx.set_defaults(handler=xlsx_command)
    quarterly = kinds.add_parser(
        "quarterly", help="write the quarterly report to the board as an editable .docx"
    )
    quarterly.add_argument(
        "--period",
        help="the period reported on, e.g. 2564-Q1 (default: the one being reported on now)",
    )
    quarterly.add_argument(
        "--out",
        type=Path,
        help="file to write (default: a new file named with the period, in files/ under the data "
        "directory)",
    )
    quarterly.add_argument(
        "--at",
        help="the day the report is as of (its end), e.g. 2021-01-11 or 2564-01-11 (Buddhist "
        "era), or a moment such as 2021-01-11T09:00 (Bangkok time) (default: now, or "
        "PLANBOT_CLOCK)",
    )
    quarterly.add_argument("--lang", choices=LANGUAGES, default="th", help="language (default th)")
    quarterly.add_argument(
        "--format",
        choices=("docx", "pdf"),
        default="docx",
        help="docx (editable, the default) or pdf (made by LibreOffice headless, soffice)",
    )
    quarterly.set_defaults(handler=quarterly_command)


def as_of(args: argparse.Namespace, settings: Settings) -> datetime:
    """--at (a day alone is the end of that day in Bangkok), else PLANBOT_CLOCK or now."""
    if args.at is None:
        return make_clock(settings.clock)()
    return parse_moment(args.at).on(END_OF_DAY)


def xlsx_command(args: argparse.Namespace, settings: Settings) -> int:
    at = as_of(args, settings)
    db = open_database(database_url(settings))
    with UnitOfWork(db) as uow:
        plan = uow.plans().current(local_day(at))
        if plan is None:
            print("no plan in the database; run `planbot plan load` first", file=sys.stderr)
            return 1
        frame = frame_at(load_calendar(plan.fiscal_year), at)
        out = args.out or new_path(files_dir(settings), report_filename(frame, at))
        with out.open("wb") as handle:
            write_report(uow, plan, frame, at, handle, report_labels())
    print(f"wrote {out} (FY{frame.fiscal_year}, period {frame.period_key})")
    return 0


def quarterly_command(args: argparse.Namespace, settings: Settings) -> int:
    from handlers.outputs.board_report import find_period, quarterly_docx
    from handlers.outputs.board_report import report_filename as docx_filename

    at = as_of(args, settings)
    _ = Translator(args.lang)
    db = open_database(database_url(settings))
    with UnitOfWork(db) as uow:
        library = uow.plans()
        plan = library.current(local_day(at))
        if plan is None:
            print("no plan in the database; run `planbot plan load` first", file=sys.stderr)
            return 1
        calendars = [load_calendar(year) for year in reversed(library.years)]
        if args.period:
            period = find_period(calendars, args.period, plan.fiscal_year)
            if period is None or period.fiscal_year not in library.plans:
                valid = ", ".join(p.key for c in reversed(calendars) for p in c.periods)
                print(f"no period {args.period!r}; the periods are: {valid}", file=sys.stderr)
                return 2
            plan = library.plans[period.fiscal_year]
        else:
            calendar = load_calendar(plan.fiscal_year)
            found = calendar.period(frame_at(calendar, at).period_key)
            assert found is not None
            period = found
        content = quarterly_docx(
            uow, plan, load_calendar(plan.fiscal_year), period, _, at, settings.report
        )
    out = args.out or new_path(files_dir(settings), docx_filename(period.key, args.format))
    if args.format == "pdf":
        problem = write_pdf(content, out, docx_filename(period.key), _)
        if problem is not None:
            print(problem, file=sys.stderr)
            return 1
    else:
        out.write_bytes(content)
    print(f"wrote {out} (FY{plan.fiscal_year}, period {period.key})")
    return 0


def write_pdf(content: bytes, out: Path, name: str, _: Translator) -> str | None:
    """The .docx converted by LibreOffice headless into `out`; a sentence saying why not (no
    soffice here, or the conversion failed: the .docx is then kept beside `out`)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return _("qr_pdf_no_soffice")
    with tempfile.TemporaryDirectory(prefix="planbot-report-") as folder:
        docx = Path(folder) / name
        docx.write_bytes(content)
        command = [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{folder}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(docx),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300)
            reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
        except subprocess.TimeoutExpired:
            reason = "timeout"
        pdf = docx.with_suffix(".pdf")
        if pdf.exists():
            shutil.move(pdf, out)
            return None
        kept = out.with_suffix(".docx")
        kept.write_bytes(content)
        return _("qr_pdf_failed", reason=reason or "?", docx=kept)
