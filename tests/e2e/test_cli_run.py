"""`planbot run` with no token says how to set one and how to try the bot in the terminal,
in words the user can paste as they are, and exits with 2."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.cli import main

TOKENS = ("TELEGRAM_BOT_TOKEN", "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "DATABASE_URL")


def test_run_without_a_token_explains_and_points_to_chat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in TOKENS:
        monkeypatch.delenv(name, raising=False)
    program = tmp_path / ".venv" / "bin" / "planbot"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(program), "run"])
    # Nothing to run is a failure (2, like a setting planbot cannot use), not a quiet success.
    assert main(["--database-url", f"sqlite:///{tmp_path / 'db.sqlite3'}", "run"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN" in err
    assert ".venv/bin/planbot chat" in err
    assert "/status STR114/64" in err


def test_cli_errors_are_sentences_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--database-url", f"sqlite:///{tmp_path / 'db.sqlite3'}"]
    assert main([*db, "remind", "preview", "--at", "garbage"]) == 2
    assert capsys.readouterr().err.startswith(
        "planbot: --at 'garbage' is not a moment like 2021-01-11T09:00+07:00"
    )
    missing = tmp_path / "no" / "such" / "dir" / "plan.xlsx"
    assert main([*db, "plan", "export", "--format", "xlsx", "--out", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("planbot: No such file or directory") and str(missing) in err
    assert "Traceback" not in err
