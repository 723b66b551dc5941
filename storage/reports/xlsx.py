"""The spreadsheet the planning division sends on (to the Budget Bureau, OPDC): one sheet per
concern, Thai headers, numbers stored as numbers, money as #,##0.00, the header row frozen and
columns as wide as their contents. Written with openpyxl's write-only mode, so the 100× plan's
million reports stream through; a log longer than a sheet's 1,048,576 rows continues on the next.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from itertools import chain, islice
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from plan_data.model import Plan
from plan_data.progress import TimeFrame
from plan_data.summary import PlanSummary, SummaryLine, plan_summary, verdicts
from storage.reports.rows import (
    Row,
    history_rows,
    indicator_rows,
    local,
    period_label,
    period_values,
    project_rows,
    report_periods,
    spending_rows,
)
from storage.unit_of_work import UnitOfWork

MONEY = "#,##0.00"
PERCENT = "0.0%"
WHEN = "yyyy-mm-dd hh:mm"
NUMBER = None  # indicator values: plain numbers, as many decimals as reported
MAX_ROWS = 1_048_576  # Excel's limit, header included
WIDTH_SAMPLE = 2000  # rows read to fit the column widths
MAX_WIDTH = 60
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SHEET_SUMMARY, SHEET_PROJECTS, SHEET_INDICATORS = "สรุป", "โครงการ", "ตัวชี้วัด"
SHEET_SPENDING, SHEET_HISTORY = "การใช้จ่าย", "ประวัติการแก้ไข"

SUMMARY_HEADERS = (
    ("กลุ่ม", None), ("ชื่อ", None), ("ตัวชี้วัดทั้งหมด", None), ("รายงานแล้ว", None),
    ("ตามเป้า", None), ("ต่ำกว่าเป้า", None), ("ยังไม่รายงาน", None),
    ("งบประมาณ (บาท)", MONEY), ("ใช้จ่ายแล้ว (บาท)", MONEY), ("ร้อยละการเบิกจ่าย", PERCENT),
    ("เป้าการเบิกจ่ายสะสม", PERCENT),
)  # fmt: skip
PROJECT_HEADERS = (
    ("รหัสโครงการ", None), ("ชื่อโครงการ", None), ("ยุทธศาสตร์", None), ("กลยุทธ์", None),
    ("โครงการหลัก", None), ("ฝ่ายที่รับผิดชอบ", None), ("งปม. (บาท)", MONEY),
    ("เงินนอก (บาท)", MONEY), ("งบประมาณรวม (บาท)", MONEY), ("ใช้จ่ายแล้ว (บาท)", MONEY),
    ("คงเหลือ (บาท)", MONEY), ("ร้อยละการเบิกจ่าย", PERCENT),
)  # fmt: skip
INDICATOR_HEADERS = (
    ("รหัสโครงการ", None), ("ลำดับ", None), ("ประเภท", None), ("ตัวชี้วัด", None),
    ("หน่วย", None), ("ทิศทาง", None), ("ค่าเป้าหมาย", NUMBER),
)  # fmt: skip
SPENDING_HEADERS = (
    ("เลขที่รายการ", None), ("วันที่บันทึก", WHEN), ("รหัสโครงการ", None), ("งวด", None),
    ("จำนวนเงิน (บาท)", MONEY), ("หมายเหตุ", None), ("ผู้บันทึก", None), ("ช่องทาง", None),
    ("ยกเลิกรายการเลขที่", None),
)  # fmt: skip
HISTORY_HEADERS = (
    ("วันที่บันทึก", WHEN), ("รายการ", None), ("รหัสโครงการ", None), ("ตัวชี้วัดที่", None),
    ("งวด", None), ("ค่าที่รายงาน", NUMBER), ("หน่วย", None), ("จำนวนเงิน (บาท)", MONEY),
    ("หมายเหตุ", None), ("ผู้บันทึก", None), ("ช่องทาง", None),
)  # fmt: skip

Header = tuple[str, str | None]


@dataclass(frozen=True)
class ReportFile:
    filename: str
    content: bytes
    mime_type: str = MIME


def report_filename(frame: TimeFrame, at: datetime) -> str:
    return f"planbot-FY{frame.fiscal_year}-{frame.period_key}-{local(at):%Y%m%d}.xlsx"


def build_report(uow: UnitOfWork, plan: Plan, frame: TimeFrame, at: datetime) -> ReportFile:
    buffer = BytesIO()
    write_report(uow, plan, frame, at, buffer)
    return ReportFile(report_filename(frame, at), buffer.getvalue())


def write_report(
    uow: UnitOfWork, plan: Plan, frame: TimeFrame, at: datetime, out: BinaryIO
) -> None:
    """The whole workbook; `frame` says which period the states and targets are for. Every
    figure comes from the one model (plan_data), as /budget and /summary read it."""
    session = uow.session
    book = Workbook(write_only=True)
    book.properties.title = f"แผนปฏิบัติการ ปีงบประมาณ {frame.fiscal_year}"
    book.properties.creator = "planbot"
    figures = uow.figures.for_summary(frame.period_key)
    summary = plan_summary(plan, figures, frame)
    _sheet(book, SHEET_SUMMARY, SUMMARY_HEADERS, _summary_rows(summary, at), freeze="C2")
    projects, total = project_rows(plan, figures)
    _sheet(book, SHEET_PROJECTS, PROJECT_HEADERS, projects, freeze="C2", footer=total)
    periods = report_periods(session, frame.fiscal_year)
    headers = (
        *INDICATOR_HEADERS,
        *((period_label(key), NUMBER) for key in periods),
        (f"สถานะ {period_label(frame.period_key)}", None),
    )
    rows = indicator_rows(plan, verdicts(plan, figures, frame), period_values(session), periods)
    _sheet(book, SHEET_INDICATORS, headers, rows, freeze="C2")
    _sheet(book, SHEET_SPENDING, SPENDING_HEADERS, spending_rows(session), freeze="A2")
    _sheet(book, SHEET_HISTORY, HISTORY_HEADERS, history_rows(session), freeze="A2")
    book.save(out)


def _summary_rows(summary: PlanSummary, at: datetime) -> list[Row]:
    def line(kind: str, item: SummaryLine, label: str) -> Row:
        c, b = item.indicators, item.budget
        return (
            kind, label, c.total, c.reported, c.on_track, c.behind, c.not_reported,
            b.allocated, b.spent, b.spent / b.allocated if b.allocated else None,
            item.target_percent / 100,
        )  # fmt: skip

    rows = [line("ทั้งแผน", summary.total, f"ปีงบประมาณ {summary.frame.fiscal_year}")]
    for item in sorted(summary.strategies, key=lambda s: (s.key == "recurring", s.key)):
        name = item.name_th if item.key == "recurring" else f"ยุทธศาสตร์ที่ {item.key[1:]}"
        rows.append(line("ยุทธศาสตร์", item, name))
    for item in sorted(summary.divisions, key=lambda d: d.name_th):
        rows.append(line("ฝ่าย", item, item.name_th))
    rows.append(())
    rows.append(("งวดรายงาน", period_label(summary.frame.period_key)))
    rows.append(("ข้อมูล ณ", local(at).strftime("%Y-%m-%d %H:%M")))
    return rows


def _sheet(
    book: Workbook,
    title: str,
    headers: Iterable[Header],
    rows: Iterable[Row],
    *,
    freeze: str,
    footer: Row | None = None,
) -> None:
    """One concern, on as many sheets as Excel's row limit needs (title, title 2, …); the
    footer (a total) goes in bold under the last row."""
    headers = tuple(headers)
    formats = [fmt for _text, fmt in headers]
    stream = iter(rows)
    sample = list(islice(stream, WIDTH_SAMPLE))
    widths = _widths(headers, [*sample, *([footer] if footer else [])])
    remaining: Iterator[Row] = chain(sample, stream)
    room = MAX_ROWS - 1 - (1 if footer else 0)
    number = 1
    while True:
        sheet = book.create_sheet(title if number == 1 else f"{title} {number}")
        _prepare(sheet, widths, freeze)
        sheet.append([_header_cell(sheet, text) for text, _fmt in headers])
        count = 0
        for row in islice(remaining, room):
            sheet.append(_cells(sheet, row, formats))
            count += 1
        following = next(remaining, None) if count == room else None
        if following is None:
            if footer is not None:
                sheet.append(_cells(sheet, footer, formats, bold=True))
            return
        remaining = chain([following], remaining)
        number += 1


def _prepare(sheet: WriteOnlyWorksheet, widths: list[float], freeze: str) -> None:
    sheet.freeze_panes = freeze
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGN = Alignment(vertical="center", wrap_text=False)


def _header_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
    return cell


def _cells(
    sheet: WriteOnlyWorksheet, row: Row, formats: list[str | None], *, bold: bool = False
) -> list[object]:
    out: list[object] = []
    for index, value in enumerate(row):
        fmt = formats[index] if index < len(formats) else None
        if isinstance(value, Decimal):
            value = _plain(value)
        if (fmt is None or value is None) and not bold:
            out.append(value)
            continue
        cell = WriteOnlyCell(sheet, value=value)
        if fmt is not None and not isinstance(value, str):
            cell.number_format = fmt
        if bold:
            cell.font = HEADER_FONT
        out.append(cell)
    return out


def _plain(value: Decimal) -> int | float:
    """Exact whole numbers stay integers; the rest become floats (what a cell holds)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _widths(headers: tuple[Header, ...], sample: list[Row]) -> list[float]:
    widths = [_shown_width(text) + 2 for text, _fmt in headers]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _value_width(value, headers[index][1]) + 2)
    return [float(min(w, MAX_WIDTH)) for w in widths]


def _value_width(value: object, fmt: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        if fmt == MONEY:
            return len(f"{Decimal(value):,.2f}")
        if fmt == PERCENT:
            return 7
        return len(f"{Decimal(value):,f}")
    return _shown_width(str(value))


def _shown_width(text: str) -> int:
    """Columns a text takes: Thai vowel and tone marks sit above or below and take none."""
    return sum(1 for ch in text if unicodedata.category(ch) != "Mn")
