"""Rows of a constant-memory xlsxwriter worksheet, written as XML in batches.

xlsxwriter spends about 8 µs on each cell it is given one call at a time (a Python call, a
cell tuple, a row table, escaping, one file write per cell); the 100× plan's logs are about ten
million cells. `RowWriter` produces, for a whole batch of rows, the `<row>` and `<c>` elements
xlsxwriter itself writes (numbers as `%.16G`, a cell's style index; an inline text with control
characters as `_xHHHH_`, `xml:space="preserve"` for edge spaces, cut at 32,767 UTF-16 units)
and appends them to the worksheet's row file. Unlike xlsxwriter's constant-memory mode, which
writes every text inline, repeated texts go to the shared-string table: the sheet XML is about
half as long, so it is compressed in half the time.

It leans on xlsxwriter internals that have been there since its early versions: in
constant-memory mode `Worksheet.fh` is the file the rows go to, `_write_single_row(n)` writes
out the row held in memory and makes `n` the current row, `_check_dimensions(row, col)` widens
the sheet's dimension, `Format._get_xf_index()` is a cell style's index, and
`Worksheet.str_table` is the workbook's `SharedStringTable` (`_get_shared_string_index`, and
`count` of uses). The header and a footer still go through the public `write_*` calls.
`tests/storage/test_report_xlsx.py` writes awkward rows both ways and compares what openpyxl
reads back, cell by cell and style by style, so an xlsxwriter that changes any of this fails a
test rather than writing a different spreadsheet.

One difference on purpose: xlsxwriter writes a text that starts with `<r>` and ends with
`</r>` as rich-text XML, unescaped; here every text is escaped, so a note cannot break the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from math import isfinite
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

EXCEL_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (from March 1900)
DAY = timedelta(days=1)
MAX_TEXT = 32_767  # UTF-16 units in a cell
BATCH = 2_000  # rows per write to the row file
TEXT_CACHE = 50_000  # distinct texts whose cell XML is kept

# What makes a text need more than the plain form (as xlsxwriter's xmlwriter and utility do it)
_UNUSUAL = re.compile(r"[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_ESCAPE_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_LEADING, _TRAILING = re.compile(r"^\s"), re.compile(r"\s$")

Row = Sequence[object]


def excel_days(at: datetime) -> float:
    """A wall-clock time as Excel's serial day number."""
    return (at - EXCEL_EPOCH) / DAY


def _truncated(text: str) -> str:
    if len(text) <= MAX_TEXT // 2:
        return text
    units = 0
    for index, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > MAX_TEXT:
            return text[:index]
    return text


def text_cell_tail(text: str) -> str:
    """Everything of an inline-string cell after its reference and style."""
    text = _truncated(text)
    if _UNUSUAL.search(text) is None:
        return f' t="inlineStr"><is><t>{text}</t></is></c>'
    text = _ESCAPE_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    preserve = ' xml:space="preserve"' if _LEADING.search(text) or _TRAILING.search(text) else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' t="inlineStr"><is><t{preserve}>{text}</t></is></c>'


class RowWriter:
    """Rows 1..n of one worksheet part as XML, after the header (row 0) that the caller wrote
    with the public API; `finish()` before anything else is written to the sheet.

    A text goes into the workbook's shared-string table (the file then holds each distinct
    text once, as Excel itself writes it) while a column has met fewer than TEXT_CACHE
    distinct texts; after that, and for a text xlsxwriter would take for rich-text XML, it is
    written inline."""

    def __init__(self, sheet: Worksheet, formats: Sequence[Format | None]) -> None:
        self.sheet = sheet
        self.strings = sheet.str_table  # the workbook's shared strings
        self.formats = list(formats)
        # a cell is heads[column] + row number + mids[column] + its value's tail
        self.heads = [f'<c r="{xl_col_to_name(c)}' for c in range(len(formats))]
        self.mids = ['"' if f is None else f'" s="{f._get_xf_index()}"' for f in self.formats]
        self.texts: list[dict[str, str]] = [{} for _ in formats]
        self.batch: list[str] = []
        self.started = False
        self.last = 0
        self.repeats = 0  # shared texts used again: the table counts every use

    def _new_text(self, column: int, text: str) -> str:
        """The cell tail of a text not met in this column yet; a shared one is remembered."""
        known = self.texts[column]
        cut = _truncated(text)
        if len(known) >= TEXT_CACHE or (cut.startswith("<r>") and cut.endswith("</r>")):
            return text_cell_tail(cut)
        tail = f' t="s"><v>{self.strings._get_shared_string_index(cut)}</v></c>'
        known[text] = tail
        return tail

    def add(self, index: int, row: Row) -> None:
        """Row `index` (0-based, as xlsxwriter counts; the header is 0)."""
        number = str(index + 1)
        self.last = index
        parts = [f'<row r="{number}">']
        heads, mids, texts = self.heads, self.mids, self.texts
        repeats = 0
        for column, value in enumerate(row):
            kind = value.__class__
            if kind is str:
                if value:
                    tail = texts[column].get(value)  # type: ignore[call-overload]
                    if tail is None:
                        tail = self._new_text(column, value)  # type: ignore[arg-type]
                    else:
                        repeats += 1
                    parts.append(f"{heads[column]}{number}{mids[column]}{tail}")
                continue
            if value is None:
                continue
            if kind is datetime:
                value = excel_days(value)  # type: ignore[arg-type]
            elif kind is Decimal:
                value = float(value)  # type: ignore[arg-type]
            elif kind is not float and kind is not int:
                tail = text_cell_tail(str(value))
                parts.append(f"{heads[column]}{number}{mids[column]}{tail}")
                continue
            if kind is float and not isfinite(value):  # type: ignore[arg-type]
                raise ValueError(f"{value!r} cannot go in a cell")
            parts.append(f"{heads[column]}{number}{mids[column]}><v>{value:.16G}</v></c>")
        parts.append("</row>")
        self.repeats += repeats
        self.batch.append("".join(parts))
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        if not self.started:
            # write out the header row xlsxwriter holds; the next row it expects is past ours
            self.sheet._write_single_row(1)
            self.started = True
        self.sheet.fh.write("".join(self.batch))
        self.batch.clear()

    def finish(self) -> None:
        """Write what is left and tell the sheet how far its rows go."""
        self.flush()
        if self.started:
            self.sheet._check_dimensions(self.last, 0)
        self.strings.count += self.repeats
        self.repeats = 0


def write_row_public(sheet: Any, index: int, row: Row, formats: Sequence[Format | None]) -> None:
    """One row through xlsxwriter's own calls: text as text (never a formula), numbers as
    numbers, times as serial days; nothing for None or an empty text."""
    write_string, write_number = sheet.write_string, sheet.write_number
    for column, value in enumerate(row):
        kind = value.__class__
        if kind is str:
            if value:
                write_string(index, column, value, formats[column])
        elif kind is float or kind is int:
            write_number(index, column, value, formats[column])
        elif value is None:
            continue
        elif kind is datetime:
            write_number(index, column, excel_days(value), formats[column])  # type: ignore[arg-type]
        elif kind is Decimal:
            write_number(index, column, float(value), formats[column])  # type: ignore[arg-type]
        else:
            write_string(index, column, str(value), formats[column])
