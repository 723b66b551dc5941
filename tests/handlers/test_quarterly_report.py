"""/report and `planbot report quarterly`: the quarterly report as a Word document, read back with
python-docx, on a real SQLite file filled with the known reports and spending of
tests/support/planning_scenario.py (figures as in test_summary_planning.py)."""

from __future__ import annotations

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
from handlers.quarterly_report import MIME
from tests.support.catalog import th
from tests.support.entries import add_value
from tests.support.handler_helpers import ask
from tests.support.planning_scenario import MEMBER, PLANNER, moment

COVER = "รายงานผลการดำเนินงานตามแผนปฏิบัติการ ประจำปีงบประมาณ พ.ศ. 2564 ไตรมาสที่ 1"
INSTITUTE = "สถาบันวิจัยและพัฒนาอัญมณีและเครื่องประดับแห่งชาติ (องค์การมหาชน)"


def report_of(services: Services, text: str = "/report", **options: object) -> DocxDocument:
    [reply] = ask(services, PLANNER, text, **options)  # type: ignore[arg-type]
    assert reply.document is not None, reply.text
    assert reply.document.mime_type == MIME
    return Document(BytesIO(reply.document.content))


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


def test_the_cover_names_the_year_quarter_institute_and_buddhist_era_date(filled: Services) -> None:
    document = report_of(filled)
    cover = texts(document)[:16]
    assert COVER in cover and INSTITUTE in cover
    assert "ข้อมูล ณ วันที่ 11 มกราคม 2564" in cover
    assert "ระยะเวลารายงาน 1 ตุลาคม 2563 ถึง 31 ธันวาคม 2563" in cover
    title = next(p for p in document.paragraphs if p.text == COVER)
    assert title.style is not None and title.style.name == "Title"


def test_the_strategy_row_matches_summary(filled: Services) -> None:
    document = report_of(filled)
    strategies = table_after(document, "ยุทธศาสตร์")
    s1 = next(row for row in strategies if row[0] == "ยุทธศาสตร์ที่ 1")
    # /summary: "ยุทธศาสตร์ที่ 1 4/19 ✅2 ⚠️2 ⏳15 · เบิก 21.8% จากเป้า 32%"; money in millions
    assert s1 == ["ยุทธศาสตร์ที่ 1", "4/19", "2", "2", "15", "0", "9.1606", "2.0000", "21.8"]
    assert strategies[-1] == [
        "รวมทั้งแผน", "6/147", "4", "2", "141", "0", "159.4141", "4.0000", "2.5",
    ]  # fmt: skip
    divisions = table_after(document, "ฝ่าย")
    assert ["ฝ่ายวิจัยและพัฒนา", "2/26", "2", "0", "24", "0", "10.9500", "2.0000", "18.3"] in divisions
    assert any("เป้าหมายการเบิกจ่ายสะสมของไตรมาส 1/2564 ร้อยละ 32" in t for t in texts(document))


def test_a_project_section_shows_its_indicators_money_and_notes(filled: Services) -> None:
    with filled.db.session() as session:
        add_value(session, code="STR114/64", seq=2, value=Decimal(42), period="2564-Q1",
                  note="อบรม 2 รุ่น", at=moment(1, 12))  # fmt: skip
    document = report_of(filled)
    paragraphs = texts(document)
    start = paragraphs.index("STR111/64 การวิเคราะห์ ตรวจสอบอัญมณีและเครื่องประดับ")
    heading = document.paragraphs[start]
    assert heading.style is not None and heading.style.name == "Heading 3"
    assert paragraphs[start + 1] == "ผู้รับผิดชอบ: ฝ่ายตรวจสอบอัญมณี"
    assert paragraphs[start + 2] == (
        "งบประมาณ 5,315,000.00 บาท ใช้จ่ายแล้ว 2,000,000.00 บาท คิดเป็นร้อยละ 37.6 "
        "(เป้าหมายการเบิกจ่ายสะสมร้อยละ 32)"
    )
    indicators = table_after(document, "ที่")
    assert indicators[0] == [
        "ที่", "ตัวชี้วัด", "ค่าเป้าหมาย", "ผลการดำเนินงาน", "ผลการประเมิน", "ผลการตรวจ",
    ]  # fmt: skip
    assert indicators[1][2:] == ["ไม่น้อยกว่า 95%", "96%", "บรรลุเป้าหมาย", "รอตรวจ"]
    assert indicators[2][2:] == ["ไม่น้อยกว่า 85%", "80%", "ต่ำกว่าเป้า", "รอตรวจ"]
    assert indicators[3][3:] == ["6,000 ตัวอย่าง", "ตามเป้า", "รอตรวจ"]
    assert "การใช้จ่าย 1,500,000.00 บาท: ค่าครุภัณฑ์ (Malee, 1 ธันวาคม 2563)" in paragraphs
    assert "ตัวชี้วัดที่ 2: อบรม 2 รุ่น (12 มกราคม 2564)" in paragraphs
    str114 = next(
        rows(t) for t in document.tables if "ผู้เข้าร่วมงาน GIT 2021 จำนวน 150 คน" in rows(t)[2][1]
    )
    assert str114[2][2:] == ["ไม่น้อยกว่า 150 คน", "42 คน", "ตามเป้า", "รอตรวจ"]
    assert str114[3][3:] == ["–", "ยังไม่รายงาน", "–"]  # reported for Q2 only


def test_the_closing_list_names_what_each_division_has_not_reported(filled: Services) -> None:
    paragraphs = texts(report_of(filled))
    part = paragraphs.index(th("qr_part_missing"))
    closing = paragraphs[part:]
    assert "ฝ่ายตรวจสอบอัญมณี (3 ตัวชี้วัด)" in closing
    assert "ฝ่ายวิจัยและพัฒนา (24 ตัวชี้วัด)" in closing
    assert any(line.startswith("STR114/64 ตัวชี้วัดที่ 3 ") for line in closing)
    assert not any(line.startswith("STR111/64 ") for line in closing)  # all four reported


def test_layout_a4_thai_font_in_the_styles_and_chart(filled: Services) -> None:
    document = report_of(filled)
    first = document.sections[0]
    assert (round(first.page_width.cm, 1), round(first.page_height.cm, 1)) == (21.0, 29.7)
    for section in document.sections:
        margins = (section.left_margin, section.right_margin, section.top_margin,
                   section.bottom_margin)  # fmt: skip
        assert all(2.5 <= round(margin.cm, 2) <= 3.0 for margin in margins)
    normal = document.styles["Normal"]
    assert normal.font.name == "TH Sarabun New" and normal.font.size.pt == 16  # type: ignore[attr-defined]
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
    assert "Report on the Action Plan, Fiscal Year 2564 (B.E.), Quarter 1" in texts(document)


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
    args = ["--database-url", url, "report", "quarterly", "--period", "2564-Q1",
            "--out", str(out), "--at", "2564-01-11"]  # fmt: skip
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
    assert strategies[0][5] == "รับรองแล้ว"  # the new column
    assert [row[5] for row in strategies if row[0] in ("ยุทธศาสตร์ที่ 1", "ยุทธศาสตร์ที่ 2")] == [
        "1", "1",
    ]  # fmt: skip
    assert strategies[-1][5] == "2"
    str111 = table_after(document, "ที่")
    assert [row[5] for row in str111[1:]] == [
        "รับรองแล้ว\nหลักฐาน 1 ไฟล์", "ส่งกลับ", "รอตรวจ", "รอตรวจ",
    ]  # fmt: skip
    str114 = next(
        rows(t) for t in document.tables if "ผู้เข้าร่วมงาน GIT 2021 จำนวน 150 คน" in rows(t)[2][1]
    )
    assert str114[2][5] == "รอตรวจ\nหลักฐาน 2 ไฟล์"
    closing = paragraphs[paragraphs.index(th("qr_part_missing")) :]
    assert "ฝ่ายตรวจสอบอัญมณี (4 ตัวชี้วัด)" in closing  # 3 missing, 1 returned
    returned = [line for line in closing if line.startswith("STR111/64 ตัวชี้วัดที่ 2 ")]
    assert len(returned) == 1 and returned[0].endswith("— ส่งกลับ: " + RETURN_REASON)
    assert closing.index("ส่งกลับให้แก้ไข") < closing.index(returned[0])
