"""The .xlsx template: FY2564 out of one database, into an empty one and out again is identical;
a badly filled template is refused with its sheet, row and column named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from plan_data import DEFAULT_PLAN
from storage.db.database import Database
from storage.plan_io.document import PlanDoc
from storage.plan_io.loader import load_plan_file, read_plan_file
from storage.plan_io.xlsx import read_plan_xlsx, write_plan_xlsx
from storage.unit_of_work import UnitOfWork
from tests.support.plan_support import dump

SHEETS = ["instructions", "plan", "divisions", "strategies", "projects", "indicators"]


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def _plan_of(db: Database) -> PlanDoc:
    with UnitOfWork(db) as uow:
        plan = uow.plan_store.read(2564)
    assert plan is not None
    return plan


def test_export_import_export_is_identical(any_url: str, tmp_path: Path) -> None:
    first = Database(f"sqlite:///{tmp_path / 'first.sqlite3'}")
    assert load_plan_file(first, DEFAULT_PLAN).written
    exported = _plan_of(first)
    write_plan_xlsx(exported, tmp_path / "fy2564.xlsx")

    empty = Database(any_url)
    result = load_plan_file(empty, tmp_path / "fy2564.xlsx")
    assert result.written, [str(p) for p in result.validation.errors]
    assert [w.record for w in result.validation.warnings] == [
        "sheet 'projects' row 45 (project HRD111/63)",
        "sheet 'plan' cell C8 (recurring expenses)",
    ]
    again = _plan_of(empty)
    write_plan_xlsx(again, tmp_path / "again.xlsx")

    assert again == exported
    divisions = {d.key: d for d in again.divisions}  # the aliases and the flag came along
    assert (divisions["it"].aliases, divisions["planning"].plans) == (("ไอที",), True)
    assert [d.key for d in again.divisions if d.plans] == ["planning"]
    first_cells, again_cells = _cells(tmp_path / "fy2564.xlsx"), _cells(tmp_path / "again.xlsx")
    assert list(first_cells) == SHEETS
    for name in SHEETS:
        assert again_cells[name] == first_cells[name], name
    assert len(first_cells["projects"]) == 2 + 43
    assert len(first_cells["indicators"]) == 2 + sum(
        len(p.indicators) for p, *_ in exported.all_projects()
    )
    first.dispose()
    empty.dispose()


def test_loading_the_export_of_the_same_plan_changes_nothing(
    plan_db: Database, tmp_path: Path
) -> None:
    write_plan_xlsx(_plan_of(plan_db), tmp_path / "same.xlsx")
    before = dump(plan_db)
    assert load_plan_file(plan_db, tmp_path / "same.xlsx").written
    assert dump(plan_db) == before


def test_the_template_is_laid_out_for_people(plan_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "fy2564.xlsx"
    write_plan_xlsx(_plan_of(plan_db), path)
    book = load_workbook(path)
    assert book.sheetnames[0] == "instructions"
    guide = [row[0] for row in book["instructions"].iter_rows(values_only=True) if row[0]]
    assert any("planbot plan load FILE.xlsx" in str(line) for line in guide)
    documented = {
        (r[0], r[1]) for r in book["instructions"].iter_rows(values_only=True) if r[0] and r[1]
    }
    projects = book["projects"]
    headers = [c.value for c in projects[2]]
    assert headers == [
        "code",
        "parent",
        "strategy",
        "tactic",
        "name_th",
        "name_en",
        "activities",
        "budget_gov",
        "budget_own",
        "divisions",
        "notes",
    ]
    assert all(("projects", key) in documented for key in headers)
    assert projects["A1"].value == "รหัสโครงการ" and projects["H1"].value == "งปม. (ล้านบาท)"
    assert projects.freeze_panes == "B3"
    row = next(r for r in projects.iter_rows(min_row=3) if r[0].value == "STR111/64")
    assert row[7].value == pytest.approx(5.315) and row[7].number_format == "0.0000"
    assert row[9].value == "gem_testing"
    child = next(r for r in projects.iter_rows(min_row=3) if r[0].value == "SME111_4/64")
    assert (child[1].value, child[2].value, child[3].value) == ("SME111/64", 3, "3.1")
    assert child[9].value == "research, metal_testing"
    recurring = next(r for r in projects.iter_rows(min_row=3) if r[0].value == "HRD111/63")
    assert (recurring[2].value, recurring[3].value) == (None, None)
    indicators = book["indicators"]
    assert [c.value for c in indicators[2]][:8] == [
        "project",
        "kind",
        "number",
        "text",
        "target",
        "unit",
        "direction",
        "tags",
    ]
    first = [c.value for c in indicators[3]]
    assert first[:3] == ["STR111/64", "outcome", 1]
    assert (first[4], first[5], first[6], first[7]) == (95, "percent", "at_least", "สงป.")
    assert book["strategies"]["E3"].value == pytest.approx(9.1606)
    assert book["projects"].column_dimensions["E"].width >= 40


# --- a badly filled template -----------------------------------------------------------------

Edit = Callable[[Workbook], None]


def _row_of(book: Workbook, sheet: str, code: str) -> int:
    return next(r[0].row for r in book[sheet].iter_rows(min_row=3) if r[0].value == code)


def _cell(sheet: str, code: str, column: str, value: Any) -> Edit:
    def edit(book: Workbook) -> None:
        book[sheet][f"{column}{_row_of(book, sheet, code)}"] = value

    return edit


def _header(sheet: str, column: str, value: Any) -> Edit:
    def edit(book: Workbook) -> None:
        book[sheet][f"{column}2"] = value

    return edit


def _edits(*edits: Edit) -> Edit:
    def edit(book: Workbook) -> None:
        for each in edits:
            each(book)

    return edit


def _drop_sheet(name: str) -> Edit:
    def edit(book: Workbook) -> None:
        del book[name]

    return edit


# (name, edit, record starts with, field, words in the message)
BAD: list[tuple[str, Edit, str, str, str]] = [
    (
        "negative budget",
        _cell("projects", "STR114/64", "H", -5),
        "sheet 'projects' row 7 (project STR114/64)",
        "budget_gov (column H)",
        "must not be negative",
    ),
    (
        "text for a budget",
        _cell("projects", "STR114/64", "I", "ห้าล้าน"),
        "sheet 'projects' row 7 (project STR114/64)",
        "budget_own (column I)",
        "must be a number",
    ),
    (
        "unknown division",
        _cell("projects", "STR114/64", "J", "research, reserch"),
        "sheet 'projects' row 7 (project STR114/64)",
        "divisions (column J)",
        "unknown division 'reserch'",
    ),
    (
        "unknown parent",
        _cell("projects", "SME111_2/64", "B", "SME999/64"),
        "sheet 'projects' row",
        "parent (column B)",
        "no project 'SME999/64'",
    ),
    (
        "unknown tactic",
        _cell("projects", "STR114/64", "D", "2.9"),
        "sheet 'projects' row 7 (project STR114/64)",
        "tactic (column D)",
        "no tactic '2.9'",
    ),
    (
        "bad direction",
        _cell("indicators", "STR114/64", "G", "more"),
        "sheet 'indicators' row",
        "direction (column G)",
        "must be one of at_least",
    ),
    (
        "empty indicator text",
        _cell("indicators", "STR114/64", "D", None),
        "sheet 'indicators' row",
        "text (column D)",
        "missing",
    ),
    (
        "duplicate code",
        _cell("projects", "STR115/64", "A", "STR114/64"),
        "sheet 'projects' rows 7, 8 (project STR114/64)",
        "code (column A)",
        "appears twice",
    ),
    (
        "renamed column",
        _header("projects", "H", "budjet_gov"),
        "sheet 'projects' row 2",
        "budjet_gov (column H)",
        "unknown column",
    ),
    ("missing sheet", _drop_sheet("divisions"), "sheet 'divisions'", "", "is missing"),
    (
        "year as text",
        _cell("plan", "fiscal_year", "C", "next year"),
        "sheet 'plan' cell C3 (the file)",
        "fiscal_year",
        "must be a whole number",
    ),
    (
        "an alias of two divisions",
        _edits(
            _cell("divisions", "it", "D", "ไอที"), _cell("divisions", "research", "D", "วิจัย, ไอที")
        ),
        "sheet 'divisions' row 11 (division it)",
        "aliases (column D)",
        "'ไอที' is also an alias of division research",
    ),
    (
        "two planning divisions",
        _edits(_cell("divisions", "planning", "E", True), _cell("divisions", "admin", "E", True)),
        "sheet 'divisions' row 12 (division admin)",
        "plans (column E)",
        "only one division may plan; division planning already does",
    ),
    (
        "a planning flag that is no yes or no",
        _cell("divisions", "admin", "E", "maybe"),
        "sheet 'divisions' row 12 (division admin)",
        "plans (column E)",
        "must be true or false, got 'maybe'",
    ),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    plan, _check = read_plan_file(DEFAULT_PLAN)
    assert plan is not None
    path = tmp_path_factory.mktemp("xlsx") / "fy2564.xlsx"
    write_plan_xlsx(plan, path)
    return path


@pytest.mark.parametrize(("name", "edit", "record", "field", "words"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_cell_is_named_by_sheet_row_and_column(
    template: Path, tmp_path: Path, name: str, edit: Edit, record: str, field: str, words: str
) -> None:
    book = load_workbook(template)
    edit(book)
    path = tmp_path / "bad.xlsx"
    book.save(path)
    plan, check = read_plan_xlsx(path)
    assert plan is None
    found = [p for p in check.errors if p.record.startswith(record) and p.field == field]
    assert found, [str(p) for p in check.errors]
    assert words in found[0].message
    assert str(found[0]).startswith(f"error: {path}: {record}")


def test_a_bad_template_leaves_the_database_as_it_was(
    plan_db: Database, template: Path, tmp_path: Path
) -> None:
    before = dump(plan_db)
    book = load_workbook(template)
    _cell("projects", "STR114/64", "H", -5)(book)
    book.save(tmp_path / "bad.xlsx")
    result = load_plan_file(plan_db, tmp_path / "bad.xlsx")
    assert not result.written
    assert dump(plan_db) == before


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("not a spreadsheet", encoding="utf-8")
    plan, check = read_plan_xlsx(path)
    assert plan is None
    assert str(check.errors[0]).startswith(f"error: {path}: the file: is not a readable .xlsx")


def test_budgets_typed_by_hand_are_read_exactly(template: Path, tmp_path: Path) -> None:
    book = load_workbook(template)
    _cell("projects", "STR114/64", "H", "5,000.1234")(book)  # typed as text with a comma
    _cell("projects", "STR115/64", "H", "๑.๒")(book)  # Thai digits
    _cell("projects", "STR111/64", "I", "-")(book)  # a dash: the source has no figure
    book.save(tmp_path / "typed.xlsx")
    plan, check = read_plan_xlsx(tmp_path / "typed.xlsx")
    assert plan is not None, [str(p) for p in check.errors]
    budgets = {p.code: (p.budget_gov, p.budget_own) for p, *_ in plan.all_projects()}
    assert str(budgets["STR114/64"][0]) == "5000.1234"
    assert str(budgets["STR115/64"][0]) == "1.2000"
    assert budgets["STR111/64"] == (budgets["STR111/64"][0], None)


def test_aliases_and_the_planning_flag_are_columns_of_the_divisions_sheet(template: Path) -> None:
    yaml_plan, _check = read_plan_file(DEFAULT_PLAN)
    assert yaml_plan is not None
    sheet = load_workbook(template)["divisions"]
    assert [c.value for c in sheet[2]] == ["key", "name_th", "name_en", "aliases", "plans"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["it"][3:] == ("ไอที", None)
    assert rows["planning"][3:] == (None, True)
    plan, check = read_plan_xlsx(template)
    assert plan is not None, [str(p) for p in check.errors]
    assert plan.divisions == yaml_plan.divisions
    assert {d.key: d.aliases for d in plan.divisions if d.aliases} == {
        "pr": ("พีอาร์",),
        "it": ("ไอที",),
        "legal": ("กฎหมาย",),
        "internal_audit": ("ตรวจสอบภายใน",),
    }
    assert [d.key for d in plan.divisions if d.plans] == ["planning"]


@pytest.mark.parametrize("typed", ["ใช่", "yes", "TRUE", 1])
def test_the_planning_flag_may_be_typed_by_hand(template: Path, tmp_path: Path, typed: Any) -> None:
    book = load_workbook(template)
    _cell("divisions", "planning", "E", None)(book)
    _cell("divisions", "training", "E", typed)(book)
    book.save(tmp_path / "typed.xlsx")
    plan, check = read_plan_xlsx(tmp_path / "typed.xlsx")
    assert plan is not None, [str(p) for p in check.errors]
    assert [d.key for d in plan.divisions if d.plans] == ["training"]


def test_a_template_made_before_aliases_and_the_planning_flag_still_reads(
    template: Path, tmp_path: Path
) -> None:
    book = load_workbook(template)
    book["divisions"].delete_cols(4, 2)
    book.save(tmp_path / "older.xlsx")
    plan, check = read_plan_xlsx(tmp_path / "older.xlsx")
    assert plan is not None, [str(p) for p in check.errors]
    assert all(d.aliases == () and not d.plans for d in plan.divisions)
