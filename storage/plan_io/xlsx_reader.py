"""Reading the .xlsx template: cells -> the structure parse_plan takes -> a PlanDoc or problems.

The spreadsheet is only another spelling of the YAML format, so every rule lives in parse_plan.
This module turns rows into those records, checks what only a spreadsheet can get wrong (a
missing sheet or column, a parent or tactic that is not there), and then names the sheet, row
and column of every problem parse_plan reports.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from plan_data.codes import THAI_DIGITS
from storage.plan_io.document import PlanDoc, Problem, Validation, parse_plan
from storage.plan_io.xlsx_layout import (
    DIVISIONS,
    FIRST_DATA_ROW,
    INDICATORS,
    PLAN,
    PLAN_FIELDS,
    PROJECTS,
    STRATEGIES,
    SheetLayout,
)

MONEY_PLACES = Decimal("0.0001")
# A yes/no cell typed as text: TRUE or FALSE as LibreOffice may keep them, yes/no, Thai, 1/0.
FLAG_WORDS = {
    "true": True,
    "yes": True,
    "y": True,
    "ใช่": True,
    "1": True,
    "false": False,
    "no": False,
    "n": False,
    "ไม่ใช่": False,
    "0": False,
}

Row = dict[str, Any]


@dataclass
class _Place:
    """Where a record of parse_plan's came from: a sheet, its row(s) and the column letters."""

    sheet: str
    rows: list[int]
    letters: dict[str, str]


@dataclass
class _Book:
    check: Validation
    places: dict[str, _Place] = field(default_factory=dict)
    letters: dict[str, dict[str, str]] = field(default_factory=dict)

    def where(self, sheet: str, row: int, what: str = "") -> str:
        return f"sheet '{sheet}' row {row}" + (f" ({what})" if what else "")

    def column(self, sheet: str, key: str) -> str:
        letter = self.letters.get(sheet, {}).get(key)
        return f"{key} (column {letter})" if letter else key

    def error(self, sheet: str, row: int, key: str, message: str, what: str = "") -> None:
        self.check.error(self.where(sheet, row, what), self.column(sheet, key), message)

    def place(self, record: str, sheet: str, row: int) -> None:
        known = self.places.get(record)
        if known is not None and known.sheet == sheet:
            known.rows.append(row)
        else:
            self.places[record] = _Place(sheet, [row], self.letters.get(sheet, {}))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _money(text: str) -> str:
    """Million baht as the plan writes them, with 4 decimals (5.315 in a cell reads 5.3150)."""
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return text  # parse_plan names it
    if number.is_finite() and abs(number) < 10**12 and number == number.quantize(MONEY_PLACES):
        return str(number.quantize(MONEY_PLACES))
    return text


def _convert(value: Any, kind: str) -> Any:
    """A cell as the YAML format spells it; a value of the wrong type is passed on for
    parse_plan to name."""
    value = _clean(value)
    if value is None:
        return None
    if kind in ("money", "number"):
        if isinstance(value, str):
            value = value.translate(THAI_DIGITS)
            if value == "-":
                return None
        if isinstance(value, str | float):
            return _money(str(value)) if kind == "money" else str(value)
        return value
    if kind == "integer":
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.translate(THAI_DIGITS).isdigit():
            return int(value.translate(THAI_DIGITS))
        return value
    if kind == "label":
        return str(value) if isinstance(value, int | float) else value
    if kind == "flag":
        if isinstance(value, int | float) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
        if isinstance(value, str):
            return FLAG_WORDS.get(value.lower(), value)
        return value
    if kind in ("lines", "keys"):
        if isinstance(value, datetime | date):
            return value
        separator = "\n" if kind == "lines" else ","
        return [part.strip() for part in str(value).split(separator) if part.strip()]
    return value


def _table(book: _Book, workbook: Workbook, layout: SheetLayout) -> list[tuple[int, Row]]:
    """The sheet's data rows as {field: value}, found by the English header in row 2."""
    if layout.name not in workbook.sheetnames:
        book.check.error(f"sheet '{layout.name}'", "", "is missing from the workbook")
        return []
    sheet = workbook[layout.name]
    kinds = {c.key: c.kind for c in layout.columns}
    columns: dict[int, str] = {}
    letters: dict[str, str] = {}
    for index, cell in enumerate(next(sheet.iter_rows(min_row=2, max_row=2, values_only=True), ())):
        name = _clean(cell)
        if name is None:
            continue
        letter = get_column_letter(index + 1)
        if name not in kinds:
            book.check.error(
                book.where(layout.name, 2), f"{name} (column {letter})", "unknown column (a typo?)"
            )
        elif name in letters:
            book.check.error(
                book.where(layout.name, 2),
                f"{name} (column {letter})",
                f"column appears twice (also column {letters[name]})",
            )
        else:
            columns[index], letters[name] = name, letter
    book.letters[layout.name] = letters
    for column in layout.columns:
        if column.required and column.key not in letters:
            book.check.error(book.where(layout.name, 2), column.key, "column is missing")
    rows = []
    for number, values in enumerate(
        sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True), start=FIRST_DATA_ROW
    ):
        row = {
            name: _convert(values[i], kinds[name]) for i, name in columns.items() if i < len(values)
        }
        if any(v not in (None, []) for v in row.values()):
            rows.append((number, row))
    return rows


def _record(row: Row, keys: tuple[str, ...], defaults: Row | None = None) -> Row:
    """The fields of a record that have a value (an empty cell is a field left out, so
    parse_plan reports it as missing), then `defaults` for the ones that may be empty."""
    record = {k: row.get(k) for k in keys if row.get(k) not in (None, [])}
    for key, value in (defaults or {}).items():
        record.setdefault(key, value)
    return record


def _plan_sheet(book: _Book, workbook: Workbook) -> dict[str, Any]:
    if PLAN.name not in workbook.sheetnames:
        book.check.error(f"sheet '{PLAN.name}'", "", "is missing from the workbook")
        return {}
    sheet = workbook[PLAN.name]
    kinds = {name: kind for name, _d, kind in PLAN_FIELDS}
    values: dict[str, Any] = {}
    letters: dict[str, str] = {}
    for number, cells in enumerate(sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True), 3):
        name = _clean(cells[0]) if cells else None
        if name is None:
            continue
        if name not in kinds:
            book.check.error(
                book.where(PLAN.name, number),
                "field (column A)",
                f"unknown field {name!r} (a typo?)",
            )
            continue
        values[name] = _convert(cells[2] if len(cells) > 2 else None, kinds[name])
        letters[name] = f"C{number}"
    book.letters[PLAN.name] = letters
    if "fiscal_year" not in letters:
        book.check.error(f"sheet '{PLAN.name}'", "fiscal_year", "row is missing")
    return values


def _divisions(book: _Book, rows: list[tuple[int, Row]]) -> list[Row]:
    result: list[Row] = []
    for number, row in rows:
        book.place(
            f"division {row.get('key') or '#' + str(len(result) + 1)}", DIVISIONS.name, number
        )
        result.append(_record(row, ("key", "name_th", "name_en", "aliases", "plans")))
    return result


def _strategies(book: _Book, rows: list[tuple[int, Row]]) -> dict[int, Row]:
    """Strategy rows (tactic empty) and tactic rows, nested as the YAML format nests them."""
    strategies: dict[int, Row] = {}
    tactics: dict[tuple[int, str], tuple[int, Row]] = {}
    for number, row in rows:
        s_number, t_number = row.get("strategy"), row.get("tactic")
        if not isinstance(s_number, int):
            shown = "missing" if s_number is None else f"must be a whole number, got {s_number!r}"
            book.error(STRATEGIES.name, number, "strategy", shown)
            continue
        total = None
        if row.get("declared_gov") is not None or row.get("declared_own") is not None:
            total = {"gov": row.get("declared_gov"), "own": row.get("declared_own")}
        record = {**_record(row, ("name_th", "name_en", "notes")), "declared_total": total}
        if t_number is None:
            book.place(f"strategy {s_number}", STRATEGIES.name, number)
            if s_number in strategies:
                book.error(
                    STRATEGIES.name, number, "strategy", f"strategy {s_number} appears twice"
                )
            strategies.setdefault(s_number, {"number": s_number, "tactics": []}).update(record)
            continue
        book.place(f"tactic {t_number}", STRATEGIES.name, number)
        if (s_number, t_number) in tactics:
            book.error(STRATEGIES.name, number, "tactic", f"tactic {t_number} appears twice")
            continue
        tactics[(s_number, t_number)] = (number, {"number": t_number, **record, "projects": []})
    for (s_number, _t), (number, tactic) in tactics.items():
        if s_number in strategies:
            strategies[s_number]["tactics"].append(tactic)
        else:
            book.error(
                STRATEGIES.name, number, "strategy", f"strategy {s_number} has no row of its own"
            )
    return strategies


def _parent_loops(rows: list[tuple[int, Row]]) -> set[str]:
    """Codes whose chain of parents comes back to itself (nesting them would never end)."""
    parents = {row.get("code"): row.get("parent") for _n, row in rows}
    looping = set()
    for code in parents:
        seen, current = {code}, parents.get(code)
        while current in parents:
            if current in seen:
                looping.add(code)
                break
            seen.add(current)
            current = parents[current]
    return looping  # type: ignore[return-value]


def _root(row: Row, rows: dict[str, Row]) -> Row:
    while row.get("parent") in rows:
        row = rows[row["parent"]]
    return row


def _projects(
    book: _Book, rows: list[tuple[int, Row]], strategies: dict[int, Row]
) -> tuple[dict[str, Row], list[Row]]:
    """Each row as a project record, put under its parent, its tactic, or recurring expenses."""
    by_code: dict[str, Row] = {}
    raw: dict[str, Row] = {}
    placed: list[tuple[int, Row, Row]] = []
    fields = ("code", "name_th", "name_en", "activities", "divisions", "notes")
    for number, row in rows:
        code = row.get("code")
        if not isinstance(code, str):
            shown = "missing" if code is None else f"must be a project code, got {code!r}"
            book.error(PROJECTS.name, number, "code", shown)
            continue
        record = {**_record(row, fields, {"divisions": []}), "indicators": [], "children": []}
        record.update(budget_gov=row.get("budget_gov"), budget_own=row.get("budget_own"))
        book.place(f"project {code}", PROJECTS.name, number)
        by_code.setdefault(code, record)
        raw.setdefault(code, row)
        placed.append((number, row, record))
    looping = _parent_loops([(n, r) for n, r, _ in placed])
    tactics = {(s, t["number"]): t for s, st in strategies.items() for t in st["tactics"]}
    recurring: list[Row] = []
    for number, row, record in placed:
        what, parent = f"project {row['code']}", row.get("parent")
        if row["code"] in looping:
            book.error(PROJECTS.name, number, "parent", "parents go round in a circle", what)
        elif parent is not None and parent not in by_code:
            book.error(
                PROJECTS.name, number, "parent", f"no project {parent!r} in this sheet", what
            )
        elif parent is not None:
            by_code[parent]["children"].append(record)
            root = _root(row, raw)
            for key in ("strategy", "tactic"):
                if row.get(key) is not None and row.get(key) != root.get(key):
                    message = f"is {row.get(key)!r} but its parent's is {root.get(key)!r}"
                    book.error(PROJECTS.name, number, key, message, what)
        elif row.get("strategy") is None and row.get("tactic") is None:
            recurring.append(record)
        elif (row.get("strategy"), row.get("tactic")) in tactics:
            tactics[(row.get("strategy"), row.get("tactic"))]["projects"].append(record)  # type: ignore[index]
        else:
            key = "tactic" if row.get("strategy") in strategies else "strategy"
            message = (
                f"no tactic {row.get('tactic')!r} of strategy {row.get('strategy')!r} "
                "in sheet 'strategies'"
            )
            book.error(PROJECTS.name, number, key, message, what)
    return by_code, recurring


def _indicators(book: _Book, rows: list[tuple[int, Row]], projects: dict[str, Row]) -> None:
    fields = ("kind", "number", "text", "target", "unit", "direction", "tags", "notes")
    for number, row in rows:
        code = row.get("project")
        if code not in projects:
            book.error(
                INDICATORS.name, number, "project", f"no project {code!r} in sheet 'projects'"
            )
            continue
        record = _record(row, fields, {"target": None, "unit": "", "tags": []})
        projects[code]["indicators"].append(record)
        index = len(projects[code]["indicators"])
        book.place(f"project {code} indicator #{index}", INDICATORS.name, number)


def _point(problem: Problem, book: _Book) -> Problem:
    """Name the sheet, row and column of a problem parse_plan found in the built records."""
    record, name = problem.record, problem.field
    if record.endswith(" declared_total"):
        record, name = record.removesuffix(" declared_total"), f"declared_total.{name}"
    if record in ("the file", "recurring expenses"):
        key = name.replace("declared_total.", "declared_") if name else ""
        key = key if record == "the file" else f"recurring_{key}" if key else "recurring_name_th"
        cell = book.letters.get(PLAN.name, {}).get(key)
        if cell is None:
            return problem
        return Problem(
            problem.level,
            problem.file,
            f"sheet '{PLAN.name}' cell {cell} ({problem.record})",
            key,
            problem.message,
        )
    place = book.places.get(record)
    if place is None:
        return problem
    key = {
        "declared_total.gov": "declared_gov",
        "declared_total.own": "declared_own",
        "number": "strategy" if record.startswith("strategy") else "number",
        "indicators": "code",
        "children": "code",
    }.get(name, name)
    rows = ", ".join(str(r) for r in place.rows)
    label = (
        f"sheet '{place.sheet}' row{'s' if len(place.rows) > 1 else ''} {rows} ({problem.record})"
    )
    letter = place.letters.get(key)
    column = f"{key} (column {letter})" if letter else key
    return Problem(problem.level, problem.file, label, column, problem.message)


def _open(path: Path, check: Validation) -> Workbook | None:
    try:
        return load_workbook(path, data_only=True)
    except FileNotFoundError:
        check.error("the file", "", "does not exist")
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        check.error("the file", "", f"is not a readable .xlsx workbook: {exc}")
    return None


def read_plan_xlsx(path: Path | str) -> tuple[PlanDoc | None, Validation]:
    """Parse and validate a filled-in template; never touches the database."""
    path = Path(path)
    check = Validation(str(path))
    workbook = _open(path, check)
    if workbook is None:
        return None, check
    book = _Book(check)
    top = _plan_sheet(book, workbook)
    divisions = _divisions(book, _table(book, workbook, DIVISIONS))
    strategies = _strategies(book, _table(book, workbook, STRATEGIES))
    projects, recurring = _projects(book, _table(book, workbook, PROJECTS), strategies)
    _indicators(book, _table(book, workbook, INDICATORS), projects)
    data: dict[str, Any] = {
        **({"fiscal_year": top["fiscal_year"]} if top.get("fiscal_year") is not None else {}),
        "source": top.get("source") or "",
        "divisions": divisions,
        "strategies": list(strategies.values()),
        "recurring": None,
    }
    if recurring or top.get("recurring_name_th"):
        total = None
        if (
            top.get("recurring_declared_gov") is not None
            or top.get("recurring_declared_own") is not None
        ):
            total = {
                "gov": top.get("recurring_declared_gov"),
                "own": top.get("recurring_declared_own"),
            }
        data["recurring"] = {
            **{
                k: top[f"recurring_{k}"]
                for k in ("name_th", "name_en", "notes")
                if top.get(f"recurring_{k}")
            },
            "declared_total": total,
            "projects": recurring,
        }
    plan, parsed = parse_plan(data, str(path))
    check.problems.extend(_point(p, book) for p in parsed.problems)
    return (None if check.errors else plan), check
