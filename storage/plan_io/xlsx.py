"""The plan as an .xlsx template the planning division can fill in for next year.

Writing lays the plan out over the sheets described in storage.plan_io.xlsx_layout. Reading builds
the same structure a YAML file gives and hands it to parse_plan, so a spreadsheet is checked by
exactly the same rules; each problem is then pointed at its sheet, row and column.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from storage.plan_io.document import DIRECTIONS, KINDS, PlanDoc, ProjectDoc, Total
from storage.plan_io.xlsx_layout import (
    DIVISIONS,
    INDICATORS,
    INSTRUCTIONS_INTRO,
    INSTRUCTIONS_NAME,
    PLAN,
    PLAN_FIELDS,
    PROJECTS,
    STRATEGIES,
    TABLES,
    SheetLayout,
)
from storage.plan_io.xlsx_reader import read_plan_xlsx

__all__ = ["read_plan_xlsx", "write_plan_xlsx"]

MONEY_FORMAT = "0.0000"
THAI_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
KEY_FONT = Font(italic=True, color="FF595959")


def _cell_value(value: Any, kind: str) -> Any:
    """What goes in a cell: numbers as numbers, lists as lines or commas, None as empty."""
    if value is None:
        return None
    if kind == "lines":
        return "\n".join(value) or None
    if kind == "keys":
        return ", ".join(value) or None
    if kind == "flag":
        return True if value else None
    if kind == "number" and isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _put(sheet: Worksheet, row: int, column: int, value: Any, kind: str) -> None:
    cell = sheet.cell(row=row, column=column, value=_cell_value(value, kind))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # text that starts with "=" stays text, not a formula
    if kind == "money":
        cell.number_format = MONEY_FORMAT
    elif kind == "label":
        cell.number_format = "@"


def _header(sheet: Worksheet, layout: SheetLayout) -> None:
    for index, column in enumerate(layout.columns, start=1):
        thai = sheet.cell(row=1, column=index, value=column.th)
        thai.font = Font(bold=True)
        thai.fill = THAI_FILL
        thai.alignment = Alignment(wrap_text=True, vertical="top")
        key = sheet.cell(row=2, column=index, value=column.key)
        key.font = KEY_FONT
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = layout.freeze


def _rows(sheet: Worksheet, layout: SheetLayout, rows: list[dict[str, Any]]) -> None:
    _header(sheet, layout)
    wrap = Alignment(wrap_text=True, vertical="top")
    for offset, record in enumerate(rows):
        for index, column in enumerate(layout.columns, start=1):
            _put(sheet, 3 + offset, index, record.get(column.key), column.kind)
            if column.wraps:
                sheet.cell(row=3 + offset, column=index).alignment = wrap


def _choices(sheet: Worksheet, layout: SheetLayout, key: str, values: tuple[str, ...]) -> None:
    letter = get_column_letter(1 + [c.key for c in layout.columns].index(key))
    rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    rule.add(f"{letter}3:{letter}5000")
    sheet.add_data_validation(rule)


def _total(total: Total | None) -> dict[str, Decimal | None]:
    return {
        "declared_gov": total.gov if total else None,
        "declared_own": total.own if total else None,
    }


def _strategy_rows(plan: PlanDoc) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for s in plan.strategies:
        rows.append(
            {
                "strategy": s.number,
                "name_th": s.name_th,
                "name_en": s.name_en,
                "notes": s.notes,
                **_total(s.declared_total),
            }
        )
        for t in s.tactics:
            rows.append(
                {
                    "strategy": s.number,
                    "tactic": t.number,
                    "name_th": t.name_th,
                    "name_en": t.name_en,
                    "notes": t.notes,
                    **_total(t.declared_total),
                }
            )
    return rows


def _project_row(project: ProjectDoc, parent: ProjectDoc | None, s: int | None, t: str | None):
    return {
        "code": project.code,
        "parent": parent.code if parent else None,
        "strategy": s,
        "tactic": t,
        "name_th": project.name_th,
        "name_en": project.name_en or None,
        "activities": project.activities,
        "budget_gov": project.budget_gov,
        "budget_own": project.budget_own,
        "divisions": project.divisions,
        "notes": project.notes,
    }


def _indicator_rows(plan: PlanDoc) -> list[dict[str, Any]]:
    rows = []
    for project, _parent, _s, _t in plan.all_projects():
        for i in project.indicators:
            rows.append(
                {
                    "project": project.code,
                    "kind": i.kind,
                    "number": i.number,
                    "text": i.text,
                    "target": i.target,
                    "unit": i.unit or None,
                    "direction": i.direction,
                    "tags": i.tags,
                    "notes": i.notes,
                }
            )
    return rows


def _plan_sheet(sheet: Worksheet, plan: PlanDoc) -> None:
    _header(sheet, PLAN)
    recurring = plan.recurring
    total = recurring.declared_total if recurring else None
    values: dict[str, Any] = {
        "fiscal_year": plan.fiscal_year,
        "source": plan.source or None,
        "recurring_name_th": recurring.name_th if recurring else None,
        "recurring_name_en": (recurring.name_en or None) if recurring else None,
        "recurring_declared_gov": total.gov if total else None,
        "recurring_declared_own": total.own if total else None,
        "recurring_notes": recurring.notes if recurring else (),
    }
    for row, (name, description, kind) in enumerate(PLAN_FIELDS, start=3):
        sheet.cell(row=row, column=1, value=name).font = KEY_FONT
        sheet.cell(row=row, column=2, value=description)
        _put(sheet, row, 3, values[name], kind)
        sheet.cell(row=row, column=3).alignment = Alignment(wrap_text=True, vertical="top")


def _instructions(sheet: Worksheet) -> None:
    """The first sheet: how to fill the template, then every column of every sheet explained."""
    for row, line in enumerate(INSTRUCTIONS_INTRO, start=1):
        sheet.cell(row=row, column=1, value=line).font = Font(
            bold=row == 1, size=14 if row == 1 else 11
        )
    row = len(INSTRUCTIONS_INTRO) + 2
    for index, title in enumerate(
        ("sheet / แผ่นงาน", "column / คอลัมน์", "หัวคอลัมน์", "what to write", "วิธีกรอก"), start=1
    ):
        sheet.cell(row=row, column=index, value=title).font = Font(bold=True)
    for layout in (PLAN, *TABLES):
        row += 1
        sheet.cell(row=row, column=1, value=layout.name).font = Font(bold=True)
        sheet.cell(row=row, column=3, value=layout.th)
        sheet.cell(row=row, column=4, value=layout.help_en)
        sheet.cell(row=row, column=5, value=layout.help_th)
        for column in layout.columns:
            row += 1
            for index, text in enumerate(
                (layout.name, column.key, column.th, column.help_en, column.help_th), start=1
            ):
                sheet.cell(row=row, column=index, value=text)
    for letter, width in zip("ABCDE", (14, 22, 28, 70, 70), strict=True):
        sheet.column_dimensions[letter].width = width


def write_plan_xlsx(plan: PlanDoc, path: Path | str) -> None:
    """The plan as the documented template; the same file read back gives the same plan."""
    book = Workbook()
    _instructions(book.active)
    book.active.title = INSTRUCTIONS_NAME
    _plan_sheet(book.create_sheet(PLAN.name), plan)
    divisions = [
        {
            "key": d.key,
            "name_th": d.name_th,
            "name_en": d.name_en,
            "aliases": d.aliases,
            "plans": d.plans,
        }
        for d in plan.divisions
    ]
    _rows(book.create_sheet(DIVISIONS.name), DIVISIONS, divisions)
    _rows(book.create_sheet(STRATEGIES.name), STRATEGIES, _strategy_rows(plan))
    projects = [_project_row(*entry) for entry in plan.all_projects()]
    _rows(book.create_sheet(PROJECTS.name), PROJECTS, projects)
    indicators = book.create_sheet(INDICATORS.name)
    _rows(indicators, INDICATORS, _indicator_rows(plan))
    _choices(indicators, INDICATORS, "kind", KINDS)
    _choices(indicators, INDICATORS, "direction", DIRECTIONS)
    book.save(Path(path))
