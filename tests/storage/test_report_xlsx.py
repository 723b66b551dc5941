"""The planning division's spreadsheet, read back with openpyxl: sheets, Thai headers, exact
values, numbers stored as numbers, money formats, frozen headers, widths; /export and the CLI."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

import storage.reports.xlsx as report_xlsx
from bot.cli import main as cli_main
from handlers.context import Services
from handlers.outputs.sheet_words import report_labels
from handlers.request import ChannelTraits, MessageLimits
from plan_data.fiscal import BANGKOK, local_day
from plan_data.progress import frame_at
from storage.db.database import Database
from storage.plan_io.calendar_file import load_calendar
from storage.unit_of_work import UnitOfWork
from tests.support.handler_helpers import ask
from tests.support.planning_scenario import MEMBER, PLANNER, fill

MONEY = "#,##0.00"
THAI_TIME = "[$-107041E]d mmm yyyy hh:mm"  # Buddhist era, Thai months: 11 ม.ค. 2564 09:00
AT = datetime(2021, 1, 11, 9, 0, tzinfo=BANGKOK)  # the `services` clock


# The history sheet's first row in the planning scenario: the oldest entry, a spending.
FIRST_ENTRY = [
    datetime(2020, 12, 1, 10),
    "บันทึกการใช้จ่าย",
    "STR111/64",
    None,
    "ไตรมาส 1/2564",
    None,
    None,
    1500000,
    "ค่าครุภัณฑ์",
    "Malee",
    "Telegram",
]


@pytest.fixture
def book(filled: Services) -> Workbook:
    [reply] = ask(filled, PLANNER, "/export")
    assert reply.document is not None
    return load_workbook(BytesIO(reply.document.content))


def rows_by_code(sheet: Worksheet) -> dict[object, list[object]]:
    return {row[0].value: [c.value for c in row] for row in sheet.iter_rows(min_row=2)}


def header(sheet: Worksheet) -> list[object]:
    return [c.value for c in next(sheet.iter_rows(max_row=1))]


def test_export_is_refused_for_a_member(filled: Services) -> None:
    [reply] = ask(filled, MEMBER, "/export")
    assert reply.document is None
    assert reply.text == "สิทธิ์ของคุณใช้คำสั่ง /export ไม่ได้"


def test_export_sends_the_spreadsheet_to_a_planner(filled: Services) -> None:
    [reply] = ask(filled, PLANNER, "/export")
    assert reply.document is not None
    assert reply.document.filename == "planbot-FY2564-2564-Q1-20210111.xlsx"
    assert reply.document.mime_type.endswith("spreadsheetml.sheet")
    assert reply.document.content[:2] == b"PK"
    assert "ไตรมาส 1/2564 ณ 11 ม.ค. 2564 09:00" in reply.text


def test_a_file_too_big_for_a_chat_is_not_sent(filled: Services) -> None:
    """The channel's messages take files of at most 1000 bytes (its declared MessageLimits)."""
    small = ChannelTraits(messages=MessageLimits(file_bytes=1000))
    [reply] = ask(filled, PLANNER, "/export", traits=small)
    assert reply.document is None
    assert "<code>planbot report xlsx --out plan.xlsx --at 2021-01-11</code>" in reply.text


def test_one_sheet_per_concern_with_frozen_thai_headers(book: Workbook) -> None:
    assert book.sheetnames == ["สรุป", "โครงการ", "ตัวชี้วัด", "การใช้จ่าย", "ประวัติการแก้ไข"]
    projects = book["โครงการ"]
    assert header(projects) == [
        "รหัสโครงการ",
        "ชื่อโครงการ",
        "ยุทธศาสตร์",
        "กลยุทธ์",
        "โครงการหลัก",
        "ฝ่ายที่รับผิดชอบ",
        "งปม. (บาท)",
        "เงินนอก (บาท)",
        "งบประมาณรวม (บาท)",
        "ใช้จ่ายแล้ว (บาท)",
        "คงเหลือ (บาท)",
        "ร้อยละการเบิกจ่าย",
    ]
    assert projects["A1"].font.b
    assert (projects.freeze_panes, book["ตัวชี้วัด"].freeze_panes) == ("C2", "C2")
    assert book["การใช้จ่าย"].freeze_panes == "A2" and book["ประวัติการแก้ไข"].freeze_panes == "A2"
    widths = projects.column_dimensions
    # xlsxwriter stores a width with Excel's padding: 60 characters is 60.71
    assert widths["A"].width >= len("STR111_10/64") and round(widths["B"].width) == 61  # capped
    assert 14 <= widths["J"].width <= 20  # "ใช้จ่ายแล้ว (บาท)" / "159,414,100.00"


def test_projects_sheet_money_as_numbers(book: Workbook) -> None:
    sheet = book["โครงการ"]
    rows = rows_by_code(sheet)
    assert rows["STR111/64"][2:12] == [
        1,
        "1.1",
        None,
        "ฝ่ายตรวจสอบอัญมณี",
        5315000,
        None,
        5315000,
        2000000,
        3315000,
        pytest.approx(2000000 / 5315000),
    ]
    assert rows["SME111_1/64"][4] == "SME111/64" and rows["SME111_1/64"][6] == 4000000
    total_row = sheet.max_row
    assert sheet.cell(total_row, 1).value == "รวมทั้งแผน" and sheet.cell(total_row, 1).font.b
    assert [sheet.cell(total_row, c).value for c in (7, 8, 9, 10, 11)] == [
        139364100,
        20050000,
        159414100,
        4000000,
        155414100,
    ]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "STR111/64")
    assert all(isinstance(c.value, int | float) for c in row[6:12] if c.value is not None)
    assert [row[i].number_format for i in (6, 8, 9, 10)] == [MONEY] * 4
    assert row[11].number_format == "0.0%"


def test_indicators_sheet_target_and_value_per_period(book: Workbook) -> None:
    sheet = book["ตัวชี้วัด"]
    assert header(sheet)[6:] == [
        "ค่าเป้าหมาย",
        "ไตรมาส 1/2564",
        "ไตรมาส 2/2564",
        "ไตรมาส 3/2564",
        "ไตรมาส 4/2564",
        "สถานะ ไตรมาส 1/2564",
        "ผลการตรวจ ไตรมาส 1/2564",
        "ไฟล์หลักฐาน",
    ]
    rows = {(r[0].value, r[1].value): [c.value for c in r] for r in sheet.iter_rows(min_row=2)}
    assert rows[("STR111/64", 3)][2:] == [
        "ผลผลิต",
        rows[("STR111/64", 3)][3],
        "ตัวอย่าง",
        "ไม่น้อยกว่า",
        21200,
        6000,
        None,
        None,
        None,
        "ตามเป้า",
        "รอตรวจ",
        0,
    ]
    assert rows[("STR111/64", 2)][7] == 80 and rows[("STR111/64", 2)][11] == "ต่ำกว่าเป้า"
    assert rows[("STR111/64", 1)][4] == "ร้อยละ"
    assert rows[("STR112/64", 1)][7] is None and rows[("STR112/64", 1)][11:] == [
        "ยังไม่รายงาน",
        None,
        0,
    ]
    assert rows[("STR114/64", 3)][7:9] == [None, 150]  # reported for Q2 only
    assert len(rows) == 147


def test_spending_log_and_change_history(book: Workbook) -> None:
    spending = book["การใช้จ่าย"]
    log = [[c.value for c in r] for r in spending.iter_rows(min_row=2)]
    assert [row[1:8] for row in log] == [
        [
            datetime(2020, 12, 1, 10),
            "STR111/64",
            "ไตรมาส 1/2564",
            1500000,
            "ค่าครุภัณฑ์",
            "Malee",
            "Telegram",
        ],
        [
            datetime(2020, 12, 15, 10),
            "STR111/64",
            "ไตรมาส 1/2564",
            500000,
            None,
            "Malee",
            "Telegram",
        ],
        [
            datetime(2020, 12, 20, 10),
            "STR114/64",
            "ไตรมาส 1/2564",
            2000000,
            None,
            "Malee",
            "Telegram",
        ],
    ]
    assert spending["E2"].number_format == MONEY and spending["B2"].number_format == THAI_TIME
    history = book["ประวัติการแก้ไข"]
    entries = [[c.value for c in r] for r in history.iter_rows(min_row=2)]
    assert len(entries) == 13  # 10 indicator reports (one an undo) and 3 spending entries
    assert entries[0] == FIRST_ENTRY
    assert entries[1][1:7] == ["รายงานตัวชี้วัด", "STR111/64", 1, "ไตรมาส 1/2564", 96, "ร้อยละ"]
    undo = entries[-1]
    assert undo[1:6] == ["ยกเลิกค่าตัวชี้วัด", "STR112/64", 1, "ไตรมาส 1/2564", None]
    assert undo[9:] == ["Malee", "Telegram"]


def test_summary_sheet_matches_summary(book: Workbook) -> None:
    rows = [[c.value for c in r] for r in book["สรุป"].iter_rows(min_row=2)]
    assert rows[0][:9] == ["ทั้งแผน", "ปีงบประมาณ 2564", 147, 6, 4, 2, 141, 159414100, 4000000]
    s1 = next(r for r in rows if r[1] == "ยุทธศาสตร์ที่ 1")
    assert s1[2:9] == [19, 4, 2, 2, 15, 9160600, 2000000]
    assert s1[10] == pytest.approx(0.32)


def test_dates_read_in_the_buddhist_era_as_in_chat(book: Workbook) -> None:
    """The logs' times stay date cells (they sort and filter) shown by a Thai Buddhist-era
    format, 11 ม.ค. 2564 09:00 as chat writes it; the summary says when, in the same words."""
    rows = [[c.value for c in r] for r in book["สรุป"].iter_rows(min_row=2)]
    assert ["ข้อมูล ณ", "11 ม.ค. 2564 09:00"] in [row[:2] for row in rows]
    for sheet, column in (("การใช้จ่าย", "B"), ("ประวัติการแก้ไข", "A")):
        cells = book[sheet][column][1:]
        assert all(isinstance(c.value, datetime) for c in cells), sheet
        assert {c.number_format for c in cells} == {THAI_TIME}, sheet
    assert book["ประวัติการแก้ไข"].column_dimensions["A"].width >= len("11 ม.ค. 2564 09:00")


def test_the_divisions_sum_is_explained_beside_it(book: Workbook) -> None:
    """Divisions share projects, each counting them in full: their budgets add up to more than
    the plan's, and the row under them says so next to the sum (not only in the Word report)."""
    rows = [[c.value for c in r] for r in book["สรุป"].iter_rows(min_row=2)]
    divisions = [r for r in rows if r[0] == "ฝ่าย"]
    added = sum(r[7] for r in divisions)
    [note] = [r for r in rows if r[1] and str(r[1]).startswith("รวมทุกฝ่าย")]
    assert note[7] == added and added > rows[0][7]
    assert f"{added / 1_000_000:,.2f}" in note[1] and "159.41" in note[1]


def test_cli_writes_the_report_as_of_a_day(filled: Services, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    url = str(filled.db.engine.url)
    assert (
        cli_main(["--database-url", url, "report", "xlsx", "--out", str(out), "--at", "2564-04-20"])
        == 0
    )
    book = load_workbook(out)
    # 20 Apr 2021: Q2's reports were due by 15 Apr, so the report is for Q3
    assert header(book["ตัวชี้วัด"])[-3] == "สถานะ ไตรมาส 3/2564"
    assert rows_by_code(book["โครงการ"])["STR114/64"][9] == 2000000


def test_a_log_longer_than_a_sheet_continues_on_the_next(
    filled: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_xlsx, "MAX_ROWS", 6)  # a header and 5 rows per sheet
    [reply] = ask(filled, PLANNER, "/export")
    assert reply.document is not None
    book = load_workbook(BytesIO(reply.document.content))
    parts = [name for name in book.sheetnames if name.startswith("ประวัติการแก้ไข")]
    assert parts == ["ประวัติการแก้ไข", "ประวัติการแก้ไข 2", "ประวัติการแก้ไข 3"]
    assert [book[p].max_row for p in parts] == [6, 6, 4]  # 13 entries: 5 + 5 + 3
    assert header(book["ประวัติการแก้ไข 3"])[0] == "วันที่บันทึก"
    last = book[[name for name in book.sheetnames if name.startswith("โครงการ")][-1]]
    assert last.title != "โครงการ" and last.cell(last.max_row, 1).value == "รวมทั้งแผน"


def test_a_note_that_looks_like_a_formula_stays_text(filled: Services) -> None:
    note = '=HYPERLINK("http://x","y")'
    [recorded] = ask(filled, PLANNER, f"/spend STR114/64 1000 Q1 {note}")
    assert recorded.document is None and "STR114/64" in recorded.text
    [reply] = ask(filled, PLANNER, "/export")
    assert reply.document is not None
    book = load_workbook(BytesIO(reply.document.content))
    [cell] = [r[8] for r in book["ประวัติการแก้ไข"].iter_rows(min_row=2) if r[7].value == 1000]
    assert (cell.value, cell.data_type) == (note, "s")
    [cell] = [r[5] for r in book["การใช้จ่าย"].iter_rows(min_row=2) if r[4].value == 1000]
    assert (cell.value, cell.data_type) == (note, "s")
    for sheet in book:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row), sheet.title


def test_the_words_come_from_the_catalog(filled: Services, tmp_path: Path) -> None:
    """The same workbook with the English catalog: only the words differ."""
    out = tmp_path / "en.xlsx"
    with UnitOfWork(filled.db) as uow:
        plan = uow.plans().current(local_day(AT))
        assert plan is not None
        frame = frame_at(load_calendar(plan.fiscal_year), AT)
        with out.open("wb") as handle:
            report_xlsx.write_report(uow, plan, frame, AT, handle, report_labels("en"))
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "Projects", "Indicators", "Spending", "Change history"]
    assert header(book["Indicators"])[-3:] == [
        "Status, Q1 FY2564",
        "Review, Q1 FY2564",
        "Evidence files",
    ]
    rows = rows_by_code(book["Projects"])
    assert rows["STR111/64"][9] == 2000000 and rows["Whole plan total"][9] == 4000000
    history = [[c.value for c in r] for r in book["Change history"].iter_rows(min_row=2)]
    assert history[0][1:5] == ["Spending recorded", "STR111/64", None, "Q1 FY2564"]
    assert book["Change history"]["A2"].number_format == "d mmm yyyy hh:mm"  # Gregorian
    summary = [[c.value for c in r][:2] for r in book["Summary"].iter_rows(min_row=2)]
    assert summary[-1][1] == "11 Jan 2021 09:00"
    assert history[-1][1] == "Indicator value taken back"


# A note that looks like xlsxwriter's rich-text XML: written as it is, it would add a formula cell
INJECTED = '<r><t>x</t></r></is></c><c r="Z2"><f>HYPERLINK("http://x")</f></c><c><is><r>'
AWKWARD = [
    ("=1+1", "+66 81", "-5", "@home", " edge ", "a\x07b", "_x0041_", "x & <y>", "ok\n"),
    ("ก" * 40_000, "\U0001f600" * 20_000, "", None, 0, -1.5, 10**20, Decimal("1.10"), "x"),
    (datetime(2021, 1, 11, 9, 30), "Malee", "Malee", "Malee", 3, 2.5, None, "", "<r>x</r>"),
    ("t", "t", "t", "t", "t", "t", "t", "t", INJECTED),
]


def awkward_book() -> Workbook:
    buffer = BytesIO()
    book = report_xlsx._Book(buffer, "yyyy-mm-dd hh:mm")
    formats = (None, None, None, None, None, report_xlsx.MONEY, None, report_xlsx.WHEN, None)
    headers = [(f"h{n}", fmt) for n, fmt in enumerate(formats)]
    book.sheet("awkward", headers, AWKWARD, freeze=(1, 0), footer=("total", 1, 2, None, None, 5))
    book.workbook.close()
    return load_workbook(BytesIO(buffer.getvalue()))


def test_awkward_cells_read_back_as_written() -> None:
    """Text stays text (never a formula, a number or XML of its own), numbers are numbers in
    their column's format, a time is Excel's days, too long a text is cut at Excel's limit,
    and the footer is bold."""
    sheet = awkward_book()["awkward"]
    assert [sheet.cell(2, c).value for c in range(1, 10)] == [
        "=1+1",
        "+66 81",
        "-5",
        "@home",
        " edge ",
        "a_x0007_b",
        "_x005F_x0041_",
        "x & <y>",
        "ok\n",
    ]  # a control character, and a text that reads as an escape, are written as Excel escapes
    # them (Excel shows a\x07b and _x0041_); openpyxl leaves escapes in inline text as they are
    assert all(sheet.cell(2, c).data_type == "s" for c in range(1, 10))
    assert len(sheet["A3"].value) == 32_767 and len(sheet["B3"].value) == 16_383
    assert [sheet.cell(3, c).value for c in range(3, 8)] == [None, None, 0, -1.5, 10**20]
    assert sheet["H3"].value == datetime(1900, 1, 1, 2, 24)  # Decimal 1.10 days, as a time
    assert sheet["I3"].value == "x"  # the rest of a row with a text cut short is there
    assert (sheet["F3"].number_format, sheet["H3"].number_format) == (MONEY, "yyyy-mm-dd hh:mm")
    assert sheet["A4"].value == pytest.approx(44207 + 9.5 / 24)  # Excel's days; no date format
    assert sheet["I4"].value == "<r>x</r>" and sheet["I5"].value == INJECTED
    assert sheet["Z2"].value is None
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert (sheet.max_row, sheet["A6"].value, sheet["A6"].font.b) == (6, "total", True)
    assert (sheet["F6"].value, sheet["F6"].number_format, sheet["F6"].font.b) == (5, MONEY, True)
    assert sheet.freeze_panes == "A2"


def test_the_logs_read_the_same_on_sqlite_and_postgresql(loaded: Database) -> None:
    """The logs read the stored columns as they are (a naive time on SQLite, an aware one on
    PostgreSQL, a value as text, an amount in satang): the cells come out the same."""
    services = Services(db=loaded, clock=lambda: AT, bot_username="planbot_test_bot")
    fill(services)
    [reply] = ask(services, PLANNER, "/export")
    assert reply.document is not None
    book = load_workbook(BytesIO(reply.document.content))
    history = [[c.value for c in r] for r in book["ประวัติการแก้ไข"].iter_rows(min_row=2)]
    assert [row[0] for row in history] == sorted(row[0] for row in history)
    assert history[0] == FIRST_ENTRY
    assert history[1][:7] == [
        datetime(2020, 12, 2, 10),
        "รายงานตัวชี้วัด",
        "STR111/64",
        1,
        "ไตรมาส 1/2564",
        96,
        "ร้อยละ",
    ]
    assert history[-1][:6] == [
        datetime(2021, 1, 11, 10),
        "ยกเลิกค่าตัวชี้วัด",
        "STR112/64",
        1,
        "ไตรมาส 1/2564",
        None,
    ]
    spending = [[c.value for c in r] for r in book["การใช้จ่าย"].iter_rows(min_row=2)]
    assert [row[1:5] for row in spending] == [
        [datetime(2020, 12, 1, 10), "STR111/64", "ไตรมาส 1/2564", 1500000],
        [datetime(2020, 12, 15, 10), "STR111/64", "ไตรมาส 1/2564", 500000],
        [datetime(2020, 12, 20, 10), "STR114/64", "ไตรมาส 1/2564", 2000000],
    ]


def test_indicators_sheet_review_state_and_evidence(filled: Services) -> None:
    """Each value of the period with its review (a return with its reason, kept as text even
    when it looks like a formula) and the files behind the indicator."""
    from plan_data.review import ReviewState
    from tests.support.reviews import judge, review_scenario, reviewer

    review_scenario(filled)
    admin = reviewer(filled)
    judge(filled, admin, "STR111/64", 4, ReviewState.RETURNED, '=HYPERLINK("http://x")')
    [reply] = ask(filled, PLANNER, "/export")
    assert reply.document is not None
    sheet = load_workbook(BytesIO(reply.document.content))["ตัวชี้วัด"]
    rows = {(r[0].value, r[1].value): r for r in sheet.iter_rows(min_row=2)}

    def review(code: str, seq: int) -> list[object]:
        return [c.value for c in rows[(code, seq)][12:14]]

    assert review("STR111/64", 1) == ["รับรองแล้ว", 1]
    assert review("STR111/64", 2) == ["ส่งกลับ: ขอรายชื่อผู้เข้าร่วม <b>ทั้งหมด</b>", 0]
    assert review("STR111/64", 3) == ["รอตรวจ", 0]
    assert review("STR114/64", 2) == ["รอตรวจ", 2]
    assert review("STR112/64", 1) == [None, 0]  # nothing reported for the period
    formula = rows[("STR111/64", 4)][12]
    assert formula.value == 'ส่งกลับ: =HYPERLINK("http://x")' and formula.data_type == "s"
    assert isinstance(rows[("STR114/64", 2)][13].value, int)
