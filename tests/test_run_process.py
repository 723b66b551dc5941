"""`planbot run` as a user starts it: a real process on the embedded SQLite default, the shipped
plan loaded on first start, long polling against the local fake Bot API, answering /status, and
stopping cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.fakes.telegram_api import FakeTelegram


async def test_planbot_run_answers_status_and_stops_on_sigterm(tmp_path: Path) -> None:
    async with FakeTelegram() as fake:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DATABASE_URL"))},
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "PLANBOT_DATA_DIR": str(tmp_path / "data"),
            "PLANBOT_ADMIN": "telegram:42",
            "PLANBOT_CLOCK": "2021-01-11T09:00+07:00",
            "PTB_TIMEDELTA": "1",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        try:
            for _ in range(600):  # start-up: migrate, load the plan, getMe, the command menus
                if sum(method == "setMyCommands" for method, _ in fake.calls) >= 2:
                    break
                assert process.returncode is None, "planbot run exited early"
                await asyncio.sleep(0.1)
            fake.user_message(42, "/status STR114/64")
            [reply] = await fake.wait_for(chat_id=42, contains="STR114/64", timeout=30)
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert reply.text.startswith("<b>STR114/64</b>")
    assert "งบประมาณ 5 ล้านบาท" in reply.text
    assert set(fake.commands) == {"", "en"}  # Thai as the default menu, English for en users
    assert (tmp_path / "data" / "planbot.sqlite3").exists()
    assert process.returncode == 0, output.decode(errors="replace")[-2000:]
    assert b"Traceback" not in output
