"""How long the quarterly report to the board is, in pages, as LibreOffice lays it out: the FY2564
Q1 report at 11 January 2021 with the few reports of tests/support/planning_scenario.py (and
the reviews of tests/support/reviews.py), and the Q4 report at 15 October 2021 with every
indicator reported (tests/support/report_everything.py). The bars: Q1 at most 30 pages with the
executive summary on pages 1–2, Q4 at most 40.

    .venv/bin/python -m bench.report_pages [--out DIR] [--png]

Needs LibreOffice (`soffice`) and poppler (`pdfinfo`, and `pdftoppm` for --png, which writes
each page at 50 dpi for looking at). Printed beside each total: where the executive summary ends
and where Parts 1 and 2 begin.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from handlers.context import Services
from handlers.i18n import Translator
from handlers.outputs.board_report import quarterly_docx
from plan_data import DEFAULT_PLAN
from storage.db.database import Database
from storage.plan_io.calendar_file import load_calendar
from storage.plan_io.loader import load_plan_file
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.support.planning_scenario import fill
from tests.support.report_everything import Q4_AT, report_everything
from tests.support.reviews import review_scenario


def _services(folder: Path, name: str, at: datetime) -> Services:
    path = folder / f"{name}.sqlite3"
    db = Database(f"sqlite:///{path}")
    assert load_plan_file(db, DEFAULT_PLAN).written
    return Services(db=db, clock=lambda: at, bot_username="planbot_bench_bot")


def write(services: Services, period_key: str, at: datetime, out: Path) -> Path:
    with UnitOfWork(services.db) as uow:
        plan = uow.plans().current(at.date())
        assert plan is not None
        calendar = load_calendar(plan.fiscal_year)
        period = calendar.period(period_key)
        assert period is not None
        out.write_bytes(quarterly_docx(uow, plan, calendar, period, Translator("th"), at))
    return out


def pdf_pages(docx: Path) -> tuple[Path, int]:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    pdf = docx.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert found is not None
    return pdf, int(found.group(1))


def first_page_of(pdf: Path, words: str) -> int | None:
    """The first page whose text holds `words` (pdftotext, page by page)."""
    page = 1
    while True:
        done = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            return None
        if words in done.stdout.replace(" ", ""):
            return page
        page += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="folder for the .docx, .pdf and .png files")
    parser.add_argument("--png", action="store_true", help="every page as a 50 dpi PNG too")
    parser.add_argument("--only", choices=("2564-Q1", "2564-Q4"), help="one of the two reports")
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        raise SystemExit("soffice (LibreOffice) is not installed: no page count to measure")
    folder = args.out or Path(tempfile.mkdtemp(prefix="planbot-report-pages-"))
    folder.mkdir(parents=True, exist_ok=True)
    q1 = _services(folder, "q1", JAN_11_2021)
    fill(q1)
    review_scenario(q1)
    q4 = _services(folder, "q4", Q4_AT)
    report_everything(q4)
    bars = {"2564-Q1": 30, "2564-Q4": 40}
    for services, key, at in ((q1, "2564-Q1", JAN_11_2021), (q4, "2564-Q4", Q4_AT)):
        if args.only and key != args.only:
            continue
        docx = write(services, key, at, folder / f"report-{key}.docx")
        pdf, pages = pdf_pages(docx)
        part1 = first_page_of(pdf, "ส่วนที่1")
        part2 = first_page_of(pdf, "ส่วนที่2")
        summary_ends = (part1 - 1) if part1 else None
        print(
            f"{key}: {pages} pages (bar {bars[key]}), title and executive summary on pages "
            f"1–{summary_ends}, part 1 from page {part1}, part 2 from page {part2}: {pdf}"
        )
        if args.png:
            subprocess.run(
                ["pdftoppm", "-r", "50", "-png", str(pdf), str(folder / key)], check=True
            )


if __name__ == "__main__":
    main()
