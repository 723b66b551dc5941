"""`planbot run` as a user starts it: a real process on the embedded SQLite default, the shipped
plan loaded on first start, long polling against the local fake Bot API, answering /status, and
stopping cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from storage.unit_of_work import UnitOfWork
from tests.fakes.telegram_api import FakeTelegram
from tests.support.processes import free_port, start_webhook_server


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
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
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


async def test_planbot_run_webhook_serves_line_and_health(tmp_path: Path) -> None:
    import aiohttp

    from storage.db.database import Database
    from tests.fakes.line_api import FakeLine, sign, text_event, webhook_body

    data = tmp_path / "data"
    port = free_port()
    async with FakeLine() as fake:
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("TELEGRAM_", "DATABASE_URL"))
            },
            "LINE_CHANNEL_SECRET": "process-secret",
            "LINE_CHANNEL_ACCESS_TOKEN": fake.access_token,
            "LINE_API_BASE_URL": fake.base_url,
            "LINE_API_DATA_BASE_URL": fake.data_base_url,  # the rich menu's picture
            "PLANBOT_DATA_DIR": str(data),
            "PLANBOT_CLOCK": "2021-01-11T09:00+07:00",
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }
        process = await start_webhook_server(tmp_path, env)
        try:
            async with aiohttp.ClientSession() as client:
                for _ in range(600):
                    assert process.returncode is None, "planbot run --webhook exited early"
                    try:
                        async with client.get(f"http://127.0.0.1:{port}/health") as health:
                            if health.status == 200:
                                break
                    except aiohttp.ClientConnectionError:
                        pass
                    await asyncio.sleep(0.1)
                db = Database(f"sqlite:///{data / 'planbot.sqlite3'}")
                with UnitOfWork(db) as uow:
                    uow.people.add("line", "Uprocess", "member", "research", "Line")
                db.dispose()
                body = webhook_body(
                    [text_event("Uprocess", "สถานะ STR114/64", fake.reply_token("Uprocess"))]
                )
                bad = {
                    "X-Line-Signature": sign("wrong-secret", body),
                    "Content-Type": "application/json",
                }
                async with client.post(
                    f"http://127.0.0.1:{port}/line", data=body, headers=bad
                ) as refused:
                    assert refused.status in (400, 401)
                good = {
                    "X-Line-Signature": sign("process-secret", body),
                    "Content-Type": "application/json",
                }
                async with client.post(
                    f"http://127.0.0.1:{port}/line", data=body, headers=good
                ) as answer:
                    assert answer.status == 200
                await fake.wait_shown("Uprocess", 1)  # answered by the inbox worker, after
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    [text] = fake.shown("Uprocess")  # the Flex card, as the texts it shows
    assert text.startswith("STR114/64") and "งบประมาณ 5 ล้านบาท" in text
    assert process.returncode == 0, output.decode(errors="replace")[-2000:]


async def test_planbot_run_with_no_channel_explains_and_exits_2(tmp_path: Path) -> None:
    """The README's first command, as typed there (`.venv/bin/planbot run` in the project), with
    no token: the explanation, then a failure exit, for `run` and `run --webhook` alike."""
    venv_bin = Path(sys.executable).parent
    project = venv_bin.parent.parent  # the README's .venv lives in the project
    planbot = venv_bin / "planbot"
    assert planbot.exists(), "the tests run from the venv the README's command makes"
    typed = ".venv/bin/planbot" if (project / ".venv/bin/planbot").exists() else str(planbot)
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("TELEGRAM_", "LINE_", "DATABASE_URL"))
        },
        "PLANBOT_DATA_DIR": str(tmp_path / "data"),
    }
    for extra in ([], ["--webhook"]):
        process = await asyncio.create_subprocess_exec(
            typed,
            "run",
            *extra,
            cwd=project,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _out, err = await asyncio.wait_for(process.communicate(), timeout=120)
        text = err.decode()
        assert process.returncode == 2, text
        assert "export TELEGRAM_BOT_TOKEN=" in text and "LINE_CHANNEL_SECRET" in text
        assert "planbot chat" in text and "/status STR114/64" in text
        assert "Traceback" not in text
