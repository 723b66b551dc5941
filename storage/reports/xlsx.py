"""The spreadsheet the planning division sends on (to the Budget Bureau, OPDC): one sheet per
concern, headers from the caller's `ReportLabels`, numbers stored as numbers, money as
#,##0.00, the header row frozen and columns as wide as their first rows. Written with
xlsxwriter's public API in constant-memory mode, one `write_row` at a time, so the 100× plan's
million reports stream through; a log longer than a sheet's 1,048,576 rows continues on the
next. (About 5× the CPU of writing the rows' XML ourselves on that plan: bench/reports.py.)

Text is always written as text (the workbook reads no text as a formula, number or link, and
`_text` keeps a note that looks like rich-text XML as words): a note such as `=HYPERLINK(…)`
stays words, never a formula.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import IO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from plan_data.fiscal import BANGKOK
from plan_data.model import Plan
from plan_data.progress import TimeFrame
from plan_data.summary import PlanSummary, SummaryLine, plan_summary, verdicts
from storage.reports.labels import ReportLabels
from storage.reports.rows import (
    Row,
    excel_days,
    history_rows,
    indicator_rows,
    local,
    period_values,
    project_rows,
    report_periods,
    spending_rows,
)
from storage.unit_of_work import UnitOfWork

MONEY = "#,##0.00"
PERCENT = "0.0%"
WHEN = "when"  # a time: the labels' time_format, a date cell shown as the reader reads dates
NUMBER = None  # indicator values: plain numbers, as many decimals as reported
MAX_ROWS = 1_048_576  # Excel's limit, header included
MAX_TEXT = 32_767  # UTF-16 units in a cell
WIDTH_SAMPLE = 2000  # rows read to fit the column widths
MAX_WIDTH = 60
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SUMMARY_FORMATS = (None, None, None, None, None, None, None, MONEY, MONEY, PERCENT, PERCENT)
PROJECT_FORMATS = (None, None, None, None, None, None, MONEY, MONEY, MONEY, MONEY, MONEY, PERCENT)
INDICATOR_FORMATS = (None, None, None, None, None, None, NUMBER)
SPENDING_FORMATS = (None, WHEN, None, None, MONEY, None, None, None, None)
HISTORY_FORMATS = (WHEN, None, None, None, None, NUMBER, None, MONEY, None, None, None)


@dataclass(frozen=True)
class ReportFile:
    filename: str
    content: bytes
    mime_type: str = MIME


def report_filename(frame: TimeFrame, at: datetime) -> str:
    return f"planbot-FY{frame.fiscal_year}-{frame.period_key}-{local(at):%Y%m%d}.xlsx"


def build_report(
    uow: UnitOfWork, plan: Plan, frame: TimeFrame, at: datetime, labels: ReportLabels
) -> ReportFile:
    buffer = BytesIO()
    write_report(uow, plan, frame, at, buffer, labels)
    return ReportFile(report_filename(frame, at), buffer.getvalue())


def write_report(
    uow: UnitOfWork,
    plan: Plan,
    frame: TimeFrame,
    at: datetime,
    out: IO[bytes],
    labels: ReportLabels,
) -> None:
    """The whole workbook; `frame` says which period the states and targets are for. Every
    figure comes from the one model (plan_data), as /budget and /summary read it."""
    session = uow._session
    book = _Book(out, labels.time_format)
    book.workbook.set_properties(
        {"title": labels.title.format(year=frame.fiscal_year), "author": "planbot"}
    )
    figures = uow.figures.for_summary(frame.period_key)
    marks = uow.review_marks({i.id: frame.period_key for p in plan.projects for i in p.indicators})
    summary = plan_summary(plan, figures, frame, marks)
    book.sheet(
        labels.sheet_summary,
        zip(labels.summary_headers, SUMMARY_FORMATS, strict=True),
        _summary_rows(summary, at, labels),
        freeze=(1, 2),
    )
    projects, total = project_rows(plan, figures, labels)
    book.sheet(
        labels.sheet_projects,
        zip(labels.project_headers, PROJECT_FORMATS, strict=True),
        projects,
        freeze=(1, 2),
        footer=total,
    )
    periods = report_periods(session, frame.fiscal_year)
    headers = (
        *zip(labels.indicator_headers, INDICATOR_FORMATS, strict=True),
        *((labels.period(key), NUMBER) for key in periods),
        (labels.status_header.format(period=labels.period(frame.period_key)), None),
        (labels.review_header.format(period=labels.period(frame.period_key)), None),
        (labels.evidence_header, NUMBER),
    )
    judged = verdicts(plan, figures, frame, marks)
    rows = indicator_rows(plan, judged, period_values(session), periods, labels)
    book.sheet(labels.sheet_indicators, headers, rows, freeze=(1, 2))
    book.sheet(
        labels.sheet_spending,
        zip(labels.spending_headers, SPENDING_FORMATS, strict=True),
        spending_rows(session, labels),
        freeze=(1, 0),
    )
    book.sheet(
        labels.sheet_history,
        zip(labels.history_headers, HISTORY_FORMATS, strict=True),
        history_rows(session, labels),
        freeze=(1, 0),
    )
    book.workbook.close()


def _summary_rows(summary: PlanSummary, at: datetime, labels: ReportLabels) -> list[Row]:
    def line(kind: str, item: SummaryLine, label: str) -> Row:
        c, b = item.indicators, item.budget
        return (
            kind,
            label,
            c.total,
            c.reported,
            c.on_track,
            c.behind,
            c.not_reported,
            b.allocated,
            b.spent,
            b.spent / b.allocated if b.allocated else None,
            item.target_percent / 100,
        )

    year = labels.fiscal_year.format(year=summary.frame.fiscal_year)
    rows = [line(labels.whole_plan, summary.total, year)]
    for item in sorted(summary.strategies, key=lambda s: (s.key == "recurring", s.key)):
        if item.key == "recurring":
            name = item.name_th
        else:
            name = labels.strategy_number.format(number=item.key[1:])
        rows.append(line(labels.kind_strategy, item, name))
    for item in sorted(summary.divisions, key=lambda d: d.name_th):
        rows.append(line(labels.kind_division, item, item.name_th))
    rows += _division_sum(summary, labels)
    rows.append(())
    rows.append((labels.report_period, labels.period(summary.frame.period_key)))
    rows.append((labels.as_of, labels.moment(local(at).replace(tzinfo=BANGKOK))))
    return rows


def _division_sum(summary: PlanSummary, labels: ReportLabels) -> list[Row]:
    """The divisions' budgets add up to more than the plan's when divisions share projects
    (each counts a shared project in full): a row with the sum, and why, right under them."""
    added = sum((d.budget.allocated for d in summary.divisions), Decimal(0))
    plan = summary.total.budget.allocated
    if not labels.division_sum_note or added == plan:
        return []
    millions = (f"{x / 1_000_000:,.2f}" for x in (added, plan))
    note = labels.division_sum_note.format(sum=next(millions), plan=next(millions))
    return [("", note, None, None, None, None, None, added)]


Header = tuple[str, str | None]


class _Book:
    """The workbook and its cell formats, made once."""

    def __init__(self, out: IO[bytes], time_format: str) -> None:
        self.workbook = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,
                # write_row() never reads a text as a formula, number or link
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        book = self.workbook
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "valign": "vcenter"})
        self.formats: dict[tuple[str | None, bool], Format | None] = {(None, False): None}
        self.formats[(None, True)] = book.add_format({"bold": True})
        for kind, number_format in ((MONEY, MONEY), (PERCENT, PERCENT), (WHEN, time_format)):
            self.formats[(kind, False)] = book.add_format({"num_format": number_format})
            self.formats[(kind, True)] = book.add_format(
                {"bold": True, "num_format": number_format}
            )

    def sheet(
        self,
        title: str,
        headers: Iterable[Header],
        rows: Iterable[Row],
        *,
        freeze: tuple[int, int],
        footer: Row | None = None,
    ) -> None:
        """One concern, on as many sheets as Excel's row limit needs (title, title 2, …); the
        footer (a total) goes in bold under the last row. Column widths fit the header and the
        first WIDTH_SAMPLE rows (and the footer).

        A row goes in with one `write_row` call: each column carries its number format, so a
        cell needs none of its own (xlsxwriter gives a cell without one its column's)."""
        headers = tuple(headers)
        kinds = [fmt for _text, fmt in headers]
        widths = [_shown_width(text) + 2 for text, _fmt in headers]
        room = MAX_ROWS - 1 - (1 if footer else 0)
        parts: list[Worksheet] = []
        index = room
        sampled = 0
        write_row = None
        for row in rows:
            if write_row is None or index == room:
                parts.append(self._part(title, len(parts) + 1, headers, freeze))
                write_row = parts[-1].write_row
                index = 0
            index += 1
            write_row(index, 0, row)
            if sampled < WIDTH_SAMPLE:
                sampled += 1
                _fit(widths, row, kinds)
        if not parts:
            parts.append(self._part(title, 1, headers, freeze))
            index = 0
        if footer is not None:
            for column, value in enumerate(footer):
                parts[-1].write(index + 1, column, value, self.formats[(kinds[column], True)])
            _fit(widths, footer, kinds)
        for part in parts:
            for column, (width, kind) in enumerate(zip(widths, kinds, strict=True)):
                part.set_column(column, column, min(width, MAX_WIDTH), self.formats[(kind, False)])

    def _part(
        self, title: str, number: int, headers: Sequence[Header], freeze: tuple[int, int]
    ) -> Worksheet:
        sheet = self.workbook.add_worksheet(title if number == 1 else f"{title} {number}")
        sheet.freeze_panes(*freeze)
        sheet.add_write_handler(str, _text)
        sheet.add_write_handler(datetime, _moment)
        for column, (text, kind) in enumerate(headers):
            sheet.set_column(column, column, None, self.formats[(kind, False)])
            sheet.write_string(0, column, text, self.header)
        return sheet


def _text(
    sheet: Worksheet, row: int, column: int, text: str, cell_format: Format | None = None
) -> int | None:
    """Two texts xlsxwriter's write_row would not write as they read. One that looks like
    rich-text XML (`<r>…</r>`), which xlsxwriter would put in the file as it is, goes in as a
    rich string of plain pieces, each escaped: a note cannot add a cell or a formula. One
    longer than a cell holds is cut at Excel's limit, and the rest of the row still written
    (write_row stops at the first cell that reports a cut). Any other text: None, and
    xlsxwriter writes it as text."""
    if len(text) > MAX_TEXT // 2:
        sheet.write_string(row, column, text, cell_format)  # cut to 32,767 UTF-16 units
        return 0
    if not (text.startswith("<r>") and text.endswith("</r>")):
        return None
    pieces = (text[:1], text[1:-1], text[-1:])
    formats = () if cell_format is None else (cell_format,)
    result: int = sheet.write_rich_string(row, column, *pieces, *formats)
    return result


def _moment(
    sheet: Worksheet, row: int, column: int, at: datetime, cell_format: Format | None = None
) -> int:
    """A wall-clock time as Excel's serial days, shown by its column's format."""
    result: int = sheet.write_number(row, column, excel_days(at), cell_format)
    return result


def _fit(widths: list[int], row: Row, kinds: list[str | None]) -> None:
    for index, value in enumerate(row[: len(widths)]):
        widths[index] = max(widths[index], _value_width(value, kinds[index]) + 2)


def _value_width(value: object, fmt: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 18
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        if fmt == MONEY:
            return len(f"{value:,.2f}")
        if fmt == PERCENT:
            return 7
        if fmt == WHEN:
            return 18  # 11 ม.ค. 2564 09:00, and a little room
        return len(f"{value:,f}" if isinstance(value, Decimal) else f"{value:,}")
    return _shown_width(str(value))


def _shown_width(text: str) -> int:
    """Columns a text takes: Thai vowel and tone marks sit above or below and take none."""
    return sum(1 for ch in text if unicodedata.category(ch) != "Mn")
