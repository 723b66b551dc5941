"""/report and `planbot report quarterly`: the quarterly report as a Word document, read back with
python-docx, on a real SQLite file filled with the known reports and spending of
tests/support/planning_scenario.py (figures as in test_summary_planning.py)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table

from bot.cli import main as cli_main
from handlers.context import Services
from handlers.outputs.board_report import MIME
from storage.db.database import Database
from tests.conftest import JAN_11_2021
from tests.support.catalog import th
from tests.support.entries import add_value
from tests.support.handler_helpers import ask
from tests.support.planning_scenario import MEMBER, PLANNER, fill, moment

COVER = "รายงานผลการดำเนินงานตามแผนปฏิบัติการ\nประจำปีงบประมาณ พ.ศ. 2564 ไตรมาสที่ 1"
INSTITUTE = "สถาบันวิจัยและพัฒนาอัญมณีและเครื่องประดับแห่งชาติ (องค์การมหาชน)"


def report_of(services: Services, text: str = "/report", **options: object) -> DocxDocument:
    [reply] = ask(services, PLANNER, text, **options)
    assert reply.document is not None, reply.text
    assert reply.document.mime_type == MIME
    return Document(BytesIO(reply.document.content))


@pytest.fixture(scope="module")
def planned_report(loaded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The planning scenario's /report, drawn once for the tests that only read it (a report
    with its charts takes seconds to draw)."""
    path = tmp_path_factory.mktemp("report") / "planbot.sqlite3"
    shutil.copy(loaded_template, path)
    db = Database(f"sqlite:///{path}")
    try:
        services = Services(db=db, clock=lambda: JAN_11_2021, bot_username="planbot_test_bot")
        fill(services)
        [reply] = ask(services, PLANNER, "/report")
    finally:
        db.dispose()
    assert reply.document is not None and reply.document.mime_type == MIME, reply.text
    return reply.document.content


def read(content: bytes) -> DocxDocument:
    return Document(BytesIO(content))


def texts(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs]


def rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_after(document: DocxDocument, first_header: str, index: int = 0) -> list[list[str]]:
    found = [t for t in document.tables if t.rows[0].cells[0].text == first_header]
    return rows(found[index])


def test_report_as_a_planner_is_a_docx_for_the_period_reported_on_now(filled: Services) -> None:
    [reply] = ask(filled, PLANNER, "/report")
    assert reply.document is not None
    assert reply.document.filename == "quarterly-report-2564-Q1.docx"
    assert reply.document.content[:2] == b"PK"
    assert "ไตรมาส 1/2564" in reply.text and "11 ม.ค. 2564" in reply.text


def test_the_title_names_the_year_quarter_institute_and_buddhist_era_date(
    planned_report: bytes,
) -> None:
    document = read(planned_report)
    title_block = texts(document)[:4]
    assert title_block == [
        COVER,
        INSTITUTE,
        "ระยะเวลารายงาน 1 ตุลาคม 2563 ถึง 31 ธันวาคม 2563",
        "ข้อมูล ณ วันที่ 11 มกราคม 2564",
    ]
    title = document.paragraphs[0]
    assert title.style is not None and title.style.name == "Title"
    # Broken between its two phrases by a line break, never inside "ประจำปีงบประมาณ".
    assert [run.text for run in title.runs] == [
        "รายงานผลการดำเนินงานตามแผนปฏิบัติการ",
        "\nประจำปีงบประมาณ พ.ศ. 2564 ไตรมาสที่ 1",
    ]
    assert title.runs[1]._r.find(qn("w:br")) is not None
    assert texts(document)[4] == "บทสรุปผู้บริหาร"


def test_the_executive_summary_gives_the_figures_of_summary(planned_report: bytes) -> None:
    document = read(planned_report)
    paragraphs = texts(document)
    # /summary: "ยุทธศาสตร์ที่ 1 4/19 ✅2 ⚠️2 ⏳15 · เบิก 21.8% จากเป้า 32%"; the plan 2.5% of 159.41
    assert paragraphs[5] == (
        "งบประมาณทั้งแผน 159.41 ล้านบาท ใช้จ่ายแล้ว 4.00 ล้านบาท คิดเป็นร้อยละ 2.5 "
        "ต่ำกว่าเป้าหมายการเบิกจ่ายสะสมร้อยละ 32.0 อยู่ 29.5 จุด "
        "หรือต้องเบิกจ่ายอีก 47.01 ล้านบาทจึงจะถึงเป้าหมาย"
    )
    assert paragraphs[6].startswith("ตัวชี้วัดทั้งแผน 147 ตัวชี้วัด รายงานผลแล้วร้อยละ 4.1 ")
    strategies = table_after(document, "ยุทธศาสตร์")
    assert strategies[0] == [
        "ยุทธศาสตร์",
        "ตัวชี้วัด",
        "ตามเป้า",
        "ต่ำกว่าเป้า",
        "ยังไม่รายงาน",
        "ส่งกลับ",
        "ร้อยละเบิกจ่าย",
        "เทียบเป้า",
    ]
    assert strategies[1] == ["ยุทธศาสตร์ที่ 1", "19", "2", "2", "15", "0", "21.8", "−10.2"]
    assert strategies[-1] == ["รวมทั้งแผน", "147", "4", "2", "141", "0", "2.5", "−29.5"]
    # The projects that most need attention: the most concerns, then the largest budget first.
    attention = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "List Number"
    ]
    assert len(attention) == 5
    assert attention[0] == (
        "STR211/64 การออกแบบและพัฒนาระบบ Digital Enterprise Resource Planning Platform (DERPP): "
        "ยังไม่รายงานผลตัวชี้วัดทั้ง 3 ตัวชี้วัด "
        "เบิกจ่ายร้อยละ 0.0 ของงบประมาณ 22.22 ล้านบาท (เป้าหมายร้อยละ 32.0)"
    )


def test_part_one_has_a_table_per_strategy_with_every_project(planned_report: bytes) -> None:
    document = read(planned_report)
    tables = [rows(t) for t in document.tables if t.rows[0].cells[0].text == "โครงการ / กิจกรรม"]
    assert len(tables) == 7  # S1..S6 and the recurring expenses
    s1 = tables[0]
    assert s1[1] == [
        "STR111/64 การวิเคราะห์ ตรวจสอบอัญมณีและเครื่องประดับ",
        "5.32",
        "2.00",
        "37.6",
        "+5.6",
        "4/4",
        "2",
    ]
    assert s1[-1] == ["รวมยุทธศาสตร์ที่ 1", "9.16", "2.00", "21.8", "−10.2", "4/19", "2"]
    assert sum(len(t) - 2 for t in tables) == 43  # every project and sub-activity once
    divisions = table_after(document, "ฝ่าย")
    assert ["ฝ่ายวิจัยและพัฒนา", "2/26", "2", "0", "24", "0", "10.95", "2.00", "18.3"] in divisions
    assert any("เป้าหมายการเบิกจ่ายสะสมของไตรมาส 1/2564 ร้อยละ 32.0" in t for t in texts(document))


def test_part_two_is_a_table_per_strategy_with_projects_as_spanning_rows(filled: Services) -> None:
    with filled.db.session() as session:
        add_value(
            session,
            code="STR114/64",
            seq=2,
            value=Decimal(42),
            period="2564-Q1",
            note="อบรม 2 รุ่น",
            at=moment(1, 12),
        )
    document = report_of(filled)
    paragraphs = texts(document)
    s1 = table_after(document, "ที่")
    assert s1[0] == ["ที่", "ตัวชี้วัด", "ค่าเป้าหมาย", "ผลการดำเนินงาน", "ผลการประเมิน", "การตรวจ", "ไฟล์"]
    project = "STR111/64 การวิเคราะห์ ตรวจสอบอัญมณีและเครื่องประดับ (ฝ่ายตรวจสอบอัญมณี)"
    assert s1[1] == [project] * 7  # one cell spanning the row
    assert s1[2][2:] == ["ไม่น้อยกว่า 95%", "96%", "บรรลุเป้าหมาย", "รอตรวจ", "–"]
    assert s1[3][2:] == ["ไม่น้อยกว่า 85%", "80%", "ต่ำกว่าเป้า", "รอตรวจ", "–"]
    assert s1[4][3:] == ["6,000 ตัวอย่าง", "ตามเป้า", "รอตรวจ", "–"]
    assert s1[6][0].startswith("STR112/64 ")
    assert len(s1) == 1 + 3 + 19  # header, STR111-113, their 19 indicators
    assert "STR111/64 การใช้จ่าย 1,500,000.00 บาท: ค่าครุภัณฑ์ (Malee, 1 ธันวาคม 2563)" in paragraphs
    assert "STR114/64 ตัวชี้วัดที่ 2: อบรม 2 รุ่น (12 มกราคม 2564)" in paragraphs
    s2 = table_after(document, "ที่", 1)
    str114 = next(i for i, row in enumerate(s2) if row[0].startswith("STR114/64 "))
    assert s2[str114 + 2][2:] == ["ไม่น้อยกว่า 150 คน", "42 คน", "ตามเป้า", "รอตรวจ", "–"]
    assert s2[str114 + 3][3:] == ["–", "ยังไม่รายงาน", "–", "–"]  # reported for Q2 only


def test_the_closing_list_names_what_each_division_has_not_reported(planned_report: bytes) -> None:
    paragraphs = texts(read(planned_report))
    part = paragraphs.index(th("qr_part_missing"))
    closing = paragraphs[part:]
    gems = closing.index("ฝ่ายตรวจสอบอัญมณี (3 ตัวชี้วัด)")
    assert closing[gems + 1] == "SEC113/64 ตัวชี้วัด 1–3"
    research = closing.index("ฝ่ายวิจัยและพัฒนา (24 ตัวชี้วัด)")
    assert closing[research + 1 : research + 3] == ["STR113/64 ตัวชี้วัด 1–12", "BAS114/64 ตัวชี้วัด 1–3"]
    assert "STR114/64 ตัวชี้วัด 3" in closing
    assert not any(line.startswith("STR111/64 ") for line in closing)  # all four reported


def test_layout_a4_thai_font_in_the_styles_and_chart(planned_report: bytes) -> None:
    document = read(planned_report)
    first = document.sections[0]
    assert (round(first.page_width.cm, 1), round(first.page_height.cm, 1)) == (21.0, 29.7)
    for section in document.sections:
        margins = (
            section.left_margin,
            section.right_margin,
            section.top_margin,
            section.bottom_margin,
        )
        assert all(2.5 <= round(margin.cm, 2) <= 3.0 for margin in margins)
    normal = document.styles["Normal"]
    assert normal.font.name == "TH Sarabun New" and normal.font.size.pt == 16
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:cs")) == "TH Sarabun New" == fonts.get(qn("w:eastAsia"))
    assert document.tables[0].style is not None and document.tables[0].style.name == "Table Grid"
    assert len(document.inline_shapes) == 1  # the /chart picture of the whole plan
    font_table = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    assert b'w:name="TH Sarabun New"' in font_table.blob and b"Laksaman" in font_table.blob


def test_a_named_period_and_a_bad_one(filled: Services) -> None:
    document = report_of(filled, "/report 2564-Q2")
    assert any("ไตรมาสที่ 2" in t for t in texts(document)[:10])
    [reply] = ask(filled, PLANNER, "/report 2564-Q9")
    assert reply.document is None
    assert "2564-Q9" in reply.text and "2564-Q1, 2564-Q2, 2564-Q3, 2564-Q4" in reply.text


def test_report_in_english(filled: Services) -> None:
    document = report_of(filled, language="en")
    assert "Report on the Action Plan\nFiscal Year 2564 (B.E.), Quarter 1" in texts(document)
    assert "Executive summary" in texts(document)


def test_report_refused_to_a_member_and_in_a_group(filled: Services) -> None:
    [reply] = ask(filled, MEMBER, "/report")
    assert reply.document is None and "/report" in reply.text
    [reply] = ask(filled, PLANNER, "/report", group=True)
    assert reply.document is None


def test_report_word_without_a_slash_runs_only_with_a_period(filled: Services) -> None:
    [reply] = ask(filled, PLANNER, "report 2564-Q1")
    assert reply.document is not None


def test_cli_writes_the_quarterly_report(
    filled: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "q1.docx"
    url = str(filled.db.engine.url)
    args = [
        "--database-url",
        url,
        "report",
        "quarterly",
        "--period",
        "2564-Q1",
        "--out",
        str(out),
        "--at",
        "2564-01-11",
    ]
    assert cli_main(args) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    document = Document(str(out))
    assert COVER in texts(document)
    bad = ["--database-url", url, "report", "quarterly", "--period", "Q7", "--out", str(out)]
    assert cli_main(bad) == 2
    assert "2564-Q1" in capsys.readouterr().err


def test_review_states_evidence_and_what_was_returned(filled: Services) -> None:
    from tests.support.reviews import RETURN_REASON, review_scenario

    review_scenario(filled)
    document = report_of(filled)
    paragraphs = texts(document)
    assert (
        "ผลการตรวจรายงานของไตรมาส 1/2564: รับรองแล้ว 2 ตัวชี้วัด ส่งกลับให้แก้ไข 1 ตัวชี้วัด และรอตรวจ 3 ตัวชี้วัด"
    ) in paragraphs
    strategies = table_after(document, "ยุทธศาสตร์")
    assert [row[5] for row in strategies] == ["ส่งกลับ", "1", "0", "0", "0", "0", "0", "0", "1"]
    # The executive summary names what was returned and is still open, with the reason.
    summary = paragraphs[: paragraphs.index(th("qr_part_figures"))]
    assert "STR111/64 ตัวชี้วัดที่ 2: " + RETURN_REASON in summary
    divisions = table_after(document, "ฝ่าย")
    assert divisions[0][5] == "รับรองแล้ว"
    s1 = table_after(document, "ที่")
    assert [row[5:] for row in s1[2:6]] == [
        ["รับรองแล้ว", "1"],
        ["ส่งกลับ", "–"],
        ["รอตรวจ", "–"],
        ["รอตรวจ", "–"],
    ]
    s2 = table_after(document, "ที่", 1)
    str114 = next(i for i, row in enumerate(s2) if row[0].startswith("STR114/64 "))
    assert s2[str114 + 2][5:] == ["รอตรวจ", "2"]
    closing = paragraphs[paragraphs.index(th("qr_part_missing")) :]
    assert "ฝ่ายตรวจสอบอัญมณี (3 ตัวชี้วัด)" in closing
    returned = [line for line in closing if line.startswith("STR111/64 ตัวชี้วัดที่ 2 ")]
    assert len(returned) == 1 and returned[0].endswith("— ส่งกลับ: " + RETURN_REASON)
    assert closing.index("ส่งกลับให้แก้ไข 1 ตัวชี้วัด") < closing.index(returned[0])
