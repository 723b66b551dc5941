"""`planbot plan export | head`: when the reader closes the pipe early, planbot stops quietly —
no "Broken pipe", no "Exception ignored", no traceback — as Python's documentation recommends
for command-line tools."""

from __future__ import annotations

import os
import subprocess
import sys

from storage.db.database import Database


def test_export_into_a_pipe_closed_early_says_nothing(plan_db: Database) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--database-url", plan_db.url, "plan", "export"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    head = process.stdout.read(200)  # like `head -c 200`: the JSON is far larger than a pipe holds
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1  # Python's own status on EPIPE
    assert head.startswith(b'{\n  "fiscal_year": 2564')
    assert err == "", err
