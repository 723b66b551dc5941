"""The quarterly report's layout, read back from the .docx: the Q4 report at 15 October 2021 with
every indicator reported (tests/support/report_everything.py), the rules of its executive
summary, the signers and digits from Settings, the bot's clock on the CLI, and `--format pdf`.

Page counts are measured by `python -m bench.report_pages` (LibreOffice); here the structure
that keeps the page count down is asserted: one table per strategy, repeated header rows, rows
that never split, headings kept with what follows."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from bot.cli import main as cli_main
from bot.config import Settings
from handlers.context import Services
from handlers.i18n import Translator
from handlers.outputs.board_report import quarterly_docx
from plan_data.quarterly import ReportOptions, Signer, seq_ranges
from storage.plan_io.calendar_file import load_calendar
from storage.unit_of_work import UnitOfWork
from tests.support.catalog import th
from tests.support.report_everything import Q4_AT, REASON, RETURNED, report_everything

FOUR_PLACES = re.compile(r"\d\.\d{4}(?!\d)")


def q4_report(services: Services, options: ReportOptions | None = None) -> DocxDocument:
    report_everything(services)
    with UnitOfWork(services.db) as uow:
        plan = uow.plans().current(Q4_AT.date())
        assert plan is not None
        calendar = load_calendar(plan.fiscal_year)
        period = calendar.period("2564-Q4")
        assert period is not None
        content = quarterly_docx(uow, plan, calendar, period, Translator("th"), Q4_AT, options)
    return Document(BytesIO(content))


def every_text(document: DocxDocument) -> list[str]:
    return [node.text or "" for node in document.element.body.iter(qn("w:t"))]


def test_q4_with_everything_reported_keeps_its_tables_whole_and_headed(services: Services) -> None:
    document = q4_report(services)
    headings = [
        p for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert headings[0].text == "บทสรุปผู้บริหาร"  # the executive summary comes first
    assert all(h.style is not None and h.style.paragraph_format.keep_with_next for h in headings)
    indicator_tables = [t for t in document.tables if t.rows[0].cells[0].text == "ที่"]
    assert len(indicator_tables) == 7  # one per strategy (and the recurring expenses)
    indicator_rows = sum(
        1 for t in indicator_tables for row in t.rows[1:] if row.cells[0].text.isdigit()
    )
    assert indicator_rows == 147
    for table in document.tables[:-1]:  # every table but the signatures'
        header, *body = table.rows
        properties = header._tr.trPr
        assert properties is not None and properties.find(qn("w:tblHeader")) is not None
        for row in body:
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
    texts = every_text(document)
    assert not [t for t in texts if FOUR_PLACES.search(t)]  # money in 2 decimals of a million
    summary = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert all(re.fullmatch(r"\d+\.\d", row[6]) for row in summary[1:])  # one decimal always
    assert summary[-1][:6] == ["รวมทั้งแผน", "147", "125", "22", "0", "3"]


def test_q4_summary_names_projects_behind_and_the_open_returns(services: Services) -> None:
    document = q4_report(services)
    paragraphs = [p.text for p in document.paragraphs]
    part1 = paragraphs.index(th("qr_part_figures"))
    summary = document.paragraphs[:part1]
    attention = [p.text for p in summary if p.style is not None and p.style.name == "List Number"]
    assert 3 <= len(attention) <= 5
    assert all("ตัวชี้วัดต่ำกว่าเป้าหมาย" in line for line in attention)
    returned = [p.text for p in summary if p.style is not None and p.style.name == "List Bullet"]
    assert returned == [f"{code} ตัวชี้วัดที่ {seq}: {REASON}" for code, seq in RETURNED]
    closing = paragraphs[paragraphs.index(th("qr_part_missing")) :]
    assert sum(1 for line in closing if line.endswith("— ส่งกลับ: " + REASON)) >= 3


def test_signers_from_settings_and_thai_digits(services: Services) -> None:
    env = {
        "PLANBOT_REPORT_PREPARER": "นางสาวมาลี ใจดี",
        "PLANBOT_REPORT_PREPARER_POSITION": "นักวิเคราะห์นโยบายและแผน",
        "PLANBOT_REPORT_APPROVER": "นายปรีชา รักงาน",
        "PLANBOT_REPORT_THAI_DIGITS": "yes",
    }
    options = Settings.from_env(env).report
    assert options.preparer == Signer("นางสาวมาลี ใจดี", "นักวิเคราะห์นโยบายและแผน")
    assert options.reviewer == Signer() and options.thai_digits
    document = q4_report(services, options)
    signatures = [p.text for cell in document.tables[-1].rows[0].cells for p in cell.paragraphs]
    assert "(นางสาวมาลี ใจดี)" in signatures and "(นายปรีชา รักงาน)" in signatures
    assert "ตำแหน่ง นักวิเคราะห์นโยบายและแผน" in signatures
    assert sum(1 for line in signatures if line.startswith("(....")) == 1  # the reviewer's
    assert not any(re.search(r"[0-9]", t) for t in every_text(document))
    assert "ข้อมูล ณ วันที่ ๑๕ ตุลาคม ๒๕๖๔" in [p.text for p in document.paragraphs]


def test_seq_ranges() -> None:
    assert seq_ranges([1, 2, 3, 5, 7, 8, 12]) == ((1, 3), (5, 5), (7, 8), (12, 12))
    assert seq_ranges([]) == ()


def cli(url: str, *extra: str) -> list[str]:
    return ["--database-url", url, "report", "quarterly", "--period", "2564-Q1", *extra]


def test_cli_dates_the_report_by_the_bot_clock(
    filled: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANBOT_CLOCK", "2021-01-11T09:00")
    out = tmp_path / "q1.docx"
    assert cli_main(cli(str(filled.db.engine.url), "--out", str(out))) == 0
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert "ข้อมูล ณ วันที่ 11 มกราคม 2564" in paragraphs


def test_cli_pdf_without_libreoffice_says_so(
    filled: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice to be found
    out = tmp_path / "q1.pdf"
    assert cli_main(cli(str(filled.db.engine.url), "--out", str(out), "--format", "pdf")) == 1
    assert th("qr_pdf_no_soffice") in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_cli_pdf_with_libreoffice_has_the_summary_on_pages_one_and_two(
    filled: Services, tmp_path: Path
) -> None:
    out = tmp_path / "q1.pdf"
    url = str(filled.db.engine.url)
    assert cli_main(cli(url, "--out", str(out), "--format", "pdf", "--at", "2564-01-11")) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None:
        return
    first_two = subprocess.run(
        ["pdftotext", "-l", "2", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "บทสรุปผู้บริหาร" in first_two and "ส่วนที่ 1" not in first_two.replace("\n", "")
