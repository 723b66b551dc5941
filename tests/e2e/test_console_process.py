"""`planbot chat` as a person runs it: a real process reading commands from its standard input.
The picture of /chart and the spreadsheet of /export are saved under the data directory and
their paths printed; no library's log line (matplotlib's font cache) gets in between."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from PIL import Image

from tests.handlers.test_chart_render import PNG_SIGNATURE


def test_chat_saves_the_chart_and_the_export_and_prints_their_paths(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "LINE_"))},
        "PLANBOT_DATA_DIR": str(tmp_path / "data"),
        "PLANBOT_CLOCK": "2021-01-11T09:00+07:00",
        # A fresh matplotlib cache: matplotlib builds its font list and logs that it did.
        "MPLCONFIGDIR": str(tmp_path / "matplotlib"),
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],  # the default --as: a local admin
        input="/chart\n/export\n/chart\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    saved = [Path(p) for p in re.findall(r"^  saved (.+)$", done.stdout, re.MULTILINE)]
    assert [p.name for p in saved] == [
        "chart-all-2564-Q1.png",
        "planbot-FY2564-2564-Q1-20210111.xlsx",
        "chart-all-2564-Q1-2.png",  # a second chart never overwrites the first
    ]
    files = tmp_path / "data" / "files"
    for path in saved:
        assert (tmp_path / path).resolve().parent == files.resolve()
    first_chart, sheet, _second = (tmp_path / p for p in saved)
    content = first_chart.read_bytes()
    assert content.startswith(PNG_SIGNATURE)
    with Image.open(BytesIO(content)) as picture:
        assert picture.size == (1080, 1350)
    workbook = load_workbook(sheet, read_only=True)
    assert workbook.sheetnames
    workbook.close()
    both = done.stdout + done.stderr
    assert "font" not in both.lower() and "matplotlib" not in both.lower(), both
    assert " INFO " not in both and "Traceback" not in both


def test_chat_sends_a_file_with_a_command_and_gets_it_back(tmp_path: Path) -> None:
    """`@PATH caption` sends a file as a chat app does; /evidence saves it back out."""
    photo = tmp_path / "meeting.png"
    photo.write_bytes(PNG_SIGNATURE + b"the meeting" * 30)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "LINE_"))},
        "PLANBOT_DATA_DIR": str(tmp_path / "data"),
        "PLANBOT_CLOCK": "2021-01-11T09:00+07:00",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input=f"@{photo} /update STR114/64 2 130\n/evidence STR114/64 2\n@nowhere.png\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "📎" in done.stdout and "meeting.png" in done.stdout
    [saved] = [Path(p) for p in re.findall(r"^  saved (.+)$", done.stdout, re.MULTILINE)]
    assert saved.name == "meeting.png"
    assert (tmp_path / saved).read_bytes() == photo.read_bytes()
    assert "no such file: nowhere.png" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
