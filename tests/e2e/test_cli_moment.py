"""`--at` is read the same way by `planbot remind preview|send` and `planbot report xlsx` (and
PLANBOT_CLOCK): an ISO day or moment, Bangkok time without a zone, a Buddhist-era year allowed;
anything else is one sentence and exit code 2."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from bot.cli_moment import BadMoment, parse_moment
from plan_data.fiscal import BANGKOK
from storage.db.database import Database

NINE = datetime(2021, 1, 11, 9, 0, tzinfo=BANGKOK)


@pytest.mark.parametrize(
    ("typed", "moment", "has_time"),
    [
        ("2021-01-11T09:00+07:00", NINE, True),
        ("2021-01-11T02:00Z", NINE, True),
        ("2021-01-11T09:00", NINE, True),
        ("2021-01-11 09:00:00", NINE, True),
        ("2564-01-11T09:00", NINE, True),
        ("2564-01-11T09:00+07:00", NINE, True),
        ("๒๕๖๔-๐๑-๑๑T๐๙:๐๐", NINE, True),
        (" 2021-01-11 ", datetime(2021, 1, 11, tzinfo=BANGKOK), False),
        ("2564-01-11", datetime(2021, 1, 11, tzinfo=BANGKOK), False),
        ("2563-02-29", datetime(2020, 2, 29, tzinfo=BANGKOK), False),  # 2020 was a leap year
    ],
)
def test_the_forms_of_a_moment(typed: str, moment: datetime, has_time: bool) -> None:
    read = parse_moment(typed)
    assert read.moment == moment and read.has_time is has_time
    assert read.moment.tzinfo is not None


def test_a_day_alone_takes_the_time_the_command_gives_it() -> None:
    assert parse_moment("2564-01-11").on(time(23, 59)) == datetime(
        2021, 1, 11, 23, 59, tzinfo=BANGKOK
    )
    assert parse_moment("2564-01-11T09:00").on(time(23, 59)) == NINE
    assert parse_moment("2021-01-11T02:00Z").on(time(23, 59)).astimezone(UTC).hour == 2


@pytest.mark.parametrize(
    "typed", ["garbage", "2564-02-30", "2021-13-01", "11/01/2564", "", "2021-01-11T25:00"]
)
def test_what_is_not_a_moment(typed: str) -> None:
    with pytest.raises(BadMoment) as refused:
        parse_moment(typed)
    assert str(refused.value).startswith(f"--at {typed!r} is not a moment like ")


@pytest.mark.parametrize(
    "command",
    [["remind", "preview"], ["remind", "send"], ["report", "xlsx"], ["report", "quarterly"]],
)
@pytest.mark.parametrize("typed", ["next monday", "2564-02-30"])
def test_a_bad_at_is_one_sentence_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], typed: str
) -> None:
    url = f"sqlite:///{tmp_path / 'planbot.sqlite3'}"
    assert main(["--database-url", url, *command, "--at", typed]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"planbot: --at {typed!r} is not a moment like 2021-01-11")
    assert captured.err.count("\n") == 1 and "usage:" not in captured.err
    assert not (tmp_path / "planbot.sqlite3").exists()  # refused before the database opened


def _preview(db: Database, capsys: pytest.CaptureFixture[str], at: str) -> str:
    assert main(["--database-url", db.url, "remind", "preview", "--at", at]) == 0
    return capsys.readouterr().out


def test_remind_preview_reads_every_form_the_same(
    plan_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    iso = _preview(plan_db, capsys, "2021-01-11T09:00+07:00")
    assert iso.startswith("At Mon 11 Jan 2021 09:00 Asia/Bangkok (weekly run)")
    for typed in ("2021-01-11T09:00", "2564-01-11T09:00", "2564-01-11T02:00Z"):
        assert _preview(plan_db, capsys, typed) == iso, typed
    # A day alone is the moment that day's reminders run (Monday: the weekly run at 09:00).
    assert _preview(plan_db, capsys, "2564-01-11") == iso
    assert _preview(plan_db, capsys, "2021-01-12").startswith(
        "At Tue 12 Jan 2021 09:00 Asia/Bangkok (daily run)"
    )


def test_report_xlsx_reads_every_form_the_same(
    plan_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for n, typed in enumerate(
        ["2564-04-20", "2021-04-20", "2564-04-20T09:00", "2021-04-20T09:00+07:00"]
    ):
        out = tmp_path / f"report-{n}.xlsx"
        assert (
            main(
                ["--database-url", plan_db.url, "report", "xlsx", "--out", str(out), "--at", typed]
            )
            == 0
        ), typed
        # 20 Apr 2021: Q2's reports were due by 15 Apr, so the report is for Q3
        assert capsys.readouterr().out == f"wrote {out} (FY2564, period 2564-Q3)\n"
        assert load_workbook(out, read_only=True).sheetnames


def test_planbot_clock_takes_the_same_forms(
    monkeypatch: pytest.MonkeyPatch, plan_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLANBOT_CLOCK", "2564-01-11T09:00")
    assert main(["--database-url", plan_db.url, "remind", "preview"]) == 0
    assert capsys.readouterr().out.startswith("At Mon 11 Jan 2021 09:00 Asia/Bangkok (weekly run)")
