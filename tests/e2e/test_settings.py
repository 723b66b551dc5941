"""The environment is read once, into bot.config.Settings, and passed down from the command line;
a setting that cannot be used is one sentence on stderr and exit code 2, not a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, Settings

ROOT = Path(__file__).resolve().parents[2]
READS_ENVIRONMENT = re.compile(r"os\.environ\b(?!\.setdefault)|\bgetenv\(|\benviron\[")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment: no database URL, the default SQLite file under tmp_path/data."""
    for name in (
        "DATABASE_URL",
        "PLANBOT_CLOCK",
        "PLANBOT_WEEKLY_REMINDER",
        "PLANBOT_DAILY_REMINDER",
        "TELEGRAM_BOT_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PLANBOT_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def test_defaults_and_every_variable() -> None:
    default = Settings.from_env({})
    assert (default.clock, default.weekly_reminder, default.daily_reminder) == (
        None,
        "mon 09:00",
        "09:00",
    )
    assert default.data_dir == Path("data") and default.database_url is None
    assert default.port == 8080
    assert default.line_api_base_url == "https://api.line.me"
    assert default.line_api_data_base_url == "https://api-data.line.me"
    custom = Settings.from_env(
        {
            "PLANBOT_CLOCK": "2021-01-11T09:00+07:00",
            "PLANBOT_WEEKLY_REMINDER": "off",
            "PLANBOT_DAILY_REMINDER": "08:30",
            "PLANBOT_DATA_DIR": "/srv/planbot",
            "DATABASE_URL": "postgresql://db/planbot",
            "PORT": "9000",
            "LINE_API_DATA_BASE_URL": "http://127.0.0.1:9001",
        }
    )
    assert custom.clock == "2021-01-11T09:00+07:00"
    assert (custom.weekly_reminder, custom.daily_reminder) == ("off", "08:30")
    assert custom.data_dir == Path("/srv/planbot")
    assert custom.database_url == "postgresql://db/planbot" and custom.port == 9000
    assert custom.line_api_data_base_url == "http://127.0.0.1:9001"
    with pytest.raises(ConfigError, match="PORT='eighty' is not a port number"):
        Settings.from_env({"PORT": "eighty"})


def test_environment_reaches_the_commands_through_settings(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("PLANBOT_CLOCK", "2021-01-19T09:00")  # a Tuesday, Bangkok time
    env.setenv("PLANBOT_WEEKLY_REMINDER", "tue 09:00")
    assert main(["remind", "preview"]) == 0
    assert "Tue 19 Jan 2021 09:00 Asia/Bangkok (weekly run)" in capsys.readouterr().out
    assert (tmp_path / "data" / "planbot.sqlite3").is_file()  # PLANBOT_DATA_DIR's default file


@pytest.mark.parametrize(
    ("variable", "value", "sentence"),
    [
        (
            "PLANBOT_CLOCK",
            "next monday",
            "planbot: PLANBOT_CLOCK='next monday' is not a moment like 2021-01-11T09:00+07:00",
        ),
        (
            "PLANBOT_WEEKLY_REMINDER",
            "someday 09:00",
            "planbot: PLANBOT_WEEKLY_REMINDER: 'someday 09:00' is not like 'mon 09:00'",
        ),
        (
            "PLANBOT_DAILY_REMINDER",
            "25:00",
            "planbot: PLANBOT_DAILY_REMINDER: '25:00' is not a time like 09:00",
        ),
    ],
)
def test_a_bad_setting_is_one_sentence_and_exit_code_2(
    env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
    sentence: str,
) -> None:
    env.setenv(variable, value)
    assert main(["remind", "preview"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(sentence) and captured.err.count("\n") == 1, captured.err
    assert "Traceback" not in captured.err


def test_a_bad_clock_stops_chat_before_the_database_is_made(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("PLANBOT_CLOCK", "garbage")
    assert main(["chat"]) == 2
    assert capsys.readouterr().err.startswith("planbot: PLANBOT_CLOCK='garbage' is not a moment")
    assert not (tmp_path / "data").exists()


def test_only_bot_config_reads_the_environment() -> None:
    readers = [
        str(path.relative_to(ROOT))
        for package in ("bot", "handlers", "storage", "plan_data")
        for path in sorted((ROOT / package).rglob("*.py"))
        if READS_ENVIRONMENT.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == ["bot/config.py"]
