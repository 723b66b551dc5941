"""`planbot plan load|validate|export` as a person types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from plan_data import DEFAULT_PLAN
from storage.db.database import Database
from tests.support.plan_support import find_project, shipped_plan, small_plan, write_yaml


def test_export_json_has_the_documented_shape(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--database-url", sqlite_url, "plan", "load"]) == 0
    capsys.readouterr()
    assert main(["--database-url", sqlite_url, "plan", "export"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["fiscal_year"] == 2564
    divisions = {d["key"]: d for d in out["divisions"]}
    assert divisions["it"] == {
        "key": "it",
        "name": "ฝ่ายเทคโนโลยีสารสนเทศ",
        "name_en": "Information Technology Division",
        "aliases": ["ไอที"],
        "plans": False,
    }
    assert [key for key, d in divisions.items() if d["plans"]] == ["planning"]
    projects = {p["code"]: p for p in out["projects"]}
    assert len(projects) == 43
    for project in out["projects"]:
        assert {
            "code",
            "name",
            "parent",
            "strategy",
            "divisions",
            "budget_gov",
            "budget_own",
            "indicators",
        } <= set(project)
        for indicator in project["indicators"]:
            assert {"number", "kind", "text", "target", "unit", "direction", "tags"} <= set(
                indicator
            )
    str111 = projects["STR111/64"]
    assert str111["name"] == "การวิเคราะห์ ตรวจสอบอัญมณีและเครื่องประดับ"
    assert (str111["parent"], str111["strategy"]) == (None, 1)
    assert str111["divisions"][0] == {
        "key": "gem_testing",
        "name": "ฝ่ายตรวจสอบอัญมณี",
        "name_en": "Gem Testing Division",
    }
    assert (str111["budget_gov"], str111["budget_own"]) == ("5.3150", None)
    assert str111["indicators"][0] == {
        "number": 1,
        "kind": "outcome",
        "text": "การตรวจสอบอัญมณีที่แล้วเสร็จในเวลา Turnaround time 5 วัน "
        "ไม่น้อยกว่าร้อยละ 95 ของจำนวนตัวอย่างที่ตรวจ",
        "target": "95",
        "unit": "percent",
        "direction": "at_least",
        "tags": ["สงป."],
    }
    assert projects["SME111_2/64"]["parent"] == "SME111/64"
    assert projects["SME111_2/64"]["strategy"] == 3
    assert projects["HRD111/63"]["strategy"] is None  # recurring expenses
    assert projects["REV112/64"]["budget_own"] == "3.5730"


def test_export_to_a_file_and_as_a_spreadsheet(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.json"
    assert main(["--database-url", sqlite_url, "plan", "export", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["fiscal_year"] == 2564
    xlsx = tmp_path / "plan.xlsx"
    assert (
        main(
            ["--database-url", sqlite_url, "plan", "export", "--format", "xlsx", "--out", str(xlsx)]
        )
        == 0
    )
    assert f"wrote {xlsx}" in capsys.readouterr().out
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    assert main(["--database-url", other, "plan", "load", str(xlsx)]) == 0
    assert "loaded 43 projects (2 warning(s))" in capsys.readouterr().out


def test_validate_exits_0_with_only_warnings_and_prints_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plan", "validate", str(DEFAULT_PLAN)]) == 0
    captured = capsys.readouterr()
    assert "valid — 43 projects, 2 warning(s)" in captured.out
    assert "recurring expenses, field 'declared_total.own'" in captured.err
    assert "is 14.3400 million baht but its items add up to 15.1900" in captured.err


def test_validate_prints_every_total_mismatch_and_still_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = small_plan(tactic_total={"gov": "1.0000", "own": None})
    path = write_yaml(tmp_path, data)
    assert main(["plan", "validate", str(path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"warning: {path}: tactic 1.1, field 'declared_total.gov': declared total of "
        "government budget (งปม.) is 1.0000 million baht but its items add up to 3.7500 "
        "million baht",
        f"warning: {path}: tactic 1.1, field 'declared_total.own': declared total of "
        "own funds (เงินนอก) is none (-) but its items add up to 0.5000 million baht",
    ]


def test_validate_exits_non_zero_on_errors_and_prints_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = shipped_plan()
    find_project(data, "STR114/64")["divisions"] = ["nobody"]
    find_project(data, "STR115/64")["budget_own"] = "-1"
    path = write_yaml(tmp_path, data)
    assert main(["plan", "validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"error: {path}: project STR114/64, field 'divisions': unknown division 'nobody'" in err
    assert f"error: {path}: project STR115/64, field 'budget_own': must not be negative" in err
    assert "2 error(s), 2 warning(s); not valid" in err


def test_load_refuses_a_bad_file_and_says_the_database_is_unchanged(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("fiscal_year: 2564\nstrategies: [\n", encoding="utf-8")
    assert main(["--database-url", sqlite_url, "plan", "load", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"error: {path}: the file: is not valid YAML" in err
    assert "refused — 1 error(s); the database is unchanged" in err


def test_xlsx_without_out_goes_to_the_data_directory_not_the_current_one(
    plan_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`planbot plan export --format xlsx`, `planbot report xlsx` and `report quarterly` with no
    --out write a new file in files/ under PLANBOT_DATA_DIR, say where, and never overwrite an earlier one; the
    folder the command was typed in (often the repository) gets nothing."""
    here = tmp_path / "checkout"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setenv("PLANBOT_DATA_DIR", "data")
    monkeypatch.setenv("PLANBOT_CLOCK", "2021-01-11T09:00+07:00")
    db = ["--database-url", plan_db.url]
    written = []
    for command in (
        ["plan", "export", "--format", "xlsx"],
        ["plan", "export", "--format", "xlsx"],
        ["report", "xlsx"],
        ["report", "quarterly", "--at", "2564-01-11"],
    ):
        assert main([*db, *command]) == 0
        [line] = capsys.readouterr().out.splitlines()
        written.append(line.split(" ")[1])
    assert written == [
        "data/files/plan-fy2564.xlsx",
        "data/files/plan-fy2564-2.xlsx",
        "data/files/planbot-FY2564-2564-Q1-20210111.xlsx",
        "data/files/quarterly-report-2564-Q1.docx",
    ]
    assert sorted(p.name for p in here.iterdir()) == ["data"]
    assert sorted(p.name for p in (here / "data").iterdir()) == ["files"]
    for name in written[:3]:
        assert load_workbook(here / name, read_only=True).sheetnames
    assert (here / written[3]).read_bytes().startswith(b"PK")  # a .docx is a zip
