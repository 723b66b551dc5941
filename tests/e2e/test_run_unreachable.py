"""`planbot run` (real processes) when Telegram cannot be reached at start: TELEGRAM_API_BASE_URL
points at a local port nobody listens on. LINE and /health are served all the same, Telegram is
tried again in the background with a growing wait (one log line per failure, never the token),
and once the fake Bot API starts on that port the bot connects: by webhook with
`planbot run --webhook`, by long polling with `planbot run` (where LINE configured means its
webhook server runs beside the polling)."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.telegram_bot import build_application, keep_trying, start_telegram, stop_telegram
from bot.telegram_endpoint import TELEGRAM_SECRET_HEADER
from handlers.context import Services
from storage.db.database import Database
from storage.unit_of_work import UnitOfWork
from tests.fakes.line_api import FakeLine, sign, text_event, webhook_body
from tests.fakes.telegram_api import FakeTelegram
from tests.support.catalog import contains
from tests.support.processes import free_port

TOKEN = "987654:unreachable-token-AbCdEfGhIjKlMnOpQrStUv"
LINE_SECRET = "process-line-secret"
WEBHOOK_SECRET = "process-telegram-webhook-secret"
RETRY_LINE = re.compile(r"Telegram is not reachable \((.+)\); trying again in (\d+(?:\.\d+)?) s$")


@dataclass
class Running:
    process: asyncio.subprocess.Process
    port: int
    lines: list[str] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            self.lines.append(raw.decode(errors="replace").rstrip("\n"))
            self.changed.set()

    async def wait_for_lines(self, match: Callable[[list[str]], bool], timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not match(self.lines):
            assert self.process.returncode is None, "planbot exited:\n" + self.output[-3000:]
            left = deadline - loop.time()
            assert left > 0, f"waited {timeout}s; output:\n" + self.output[-3000:]
            self.changed.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def retries(self) -> list[tuple[str, float]]:
        """(reason, seconds until the next try) of each logged failure to reach Telegram."""
        found = []
        for line in self.lines:
            if (match := RETRY_LINE.search(line)) is not None:
                found.append((match[1], float(match[2])))
        return found


@asynccontextmanager
async def planbot(tmp_path: Path, *args: str, env: dict[str, str]) -> AsyncIterator[Running]:
    port = free_port()
    environment = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("TELEGRAM_", "LINE_", "DATABASE_URL"))
        },
        "PLANBOT_DATA_DIR": str(tmp_path / "data"),
        "PLANBOT_CLOCK": "2021-01-11T09:00+07:00",
        "PLANBOT_ADMIN": "telegram:42",
        "PTB_TIMEDELTA": "1",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        **env,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        *args,
        cwd=tmp_path,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    running = Running(process, port)
    reader = asyncio.create_task(running.read())
    try:
        yield running
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=30)
        await asyncio.wait_for(reader, timeout=10)


async def _health(client: aiohttp.ClientSession, running: Running) -> dict[str, Any]:
    """/health once the server answers."""
    for _ in range(600):
        assert running.process.returncode is None, "planbot exited:\n" + running.output[-3000:]
        try:
            async with client.get(running.url + "/health") as response:
                if response.status == 200:
                    return dict(await response.json())
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("/health never answered:\n" + running.output[-3000:])


async def _until_telegram_connected(client: aiohttp.ClientSession, running: Running) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 90
    while not (await _health(client, running))["telegram"]:
        assert loop.time() < deadline, "Telegram never connected:\n" + running.output[-3000:]
        await asyncio.sleep(0.2)


async def _line_status_is_answered(
    client: aiohttp.ClientSession, running: Running, fake: FakeLine, data: Path
) -> None:
    db = Database(f"sqlite:///{data / 'planbot.sqlite3'}")
    with UnitOfWork(db) as uow:
        if uow.people.find("line", "Uprocess") is None:
            uow.people.add("line", "Uprocess", "member", "research", "Line")
    db.dispose()
    before = len(fake.shown("Uprocess"))
    body = webhook_body([text_event("Uprocess", "สถานะ STR114/64", fake.reply_token("Uprocess"))])
    headers = {"X-Line-Signature": sign(LINE_SECRET, body), "Content-Type": "application/json"}
    async with client.post(running.url + "/line", data=body, headers=headers) as answer:
        assert answer.status == 200
    [text] = (await fake.wait_shown("Uprocess", before + 1))[before:]  # the Flex card's texts
    assert text.startswith("STR114/64") and contains(text, "card_allocated", amount="5 ล้านบาท")


def _status_update(user_id: int) -> dict[str, Any]:
    """/status STR114/64 typed in a private chat, as Telegram posts it to a webhook."""
    person = {"id": user_id, "is_bot": False, "first_name": "Somchai", "language_code": "th"}
    message = {
        "message_id": 1,
        "date": int(time.time()),
        "from": person,
        "text": "/status STR114/64",
        "chat": {"id": user_id, "type": "private", "first_name": "Somchai"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len("/status")}],
    }
    return {"update_id": 500, "message": message}


def _line_env(fake: FakeLine, telegram_port: int) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{telegram_port}/bot",
        "LINE_CHANNEL_SECRET": LINE_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": fake.access_token,
        "LINE_API_BASE_URL": fake.base_url,
        "LINE_API_DATA_BASE_URL": fake.data_base_url,  # the rich menu's picture
    }


def _check_the_log(running: Running) -> None:
    retries = running.retries()
    assert len(retries) >= 2, running.output[-3000:]
    waits = [seconds for _reason, seconds in retries]
    assert waits == sorted(waits) and waits[1] > waits[0], waits  # backing off
    assert all("NetworkError" in reason for reason, _seconds in retries), retries
    assert TOKEN not in running.output and TOKEN.split(":")[1] not in running.output
    assert "Traceback" not in running.output, running.output[-3000:]
    assert running.process.returncode == 0, running.output[-3000:]


async def test_webhook_mode_serves_line_and_health_while_telegram_is_unreachable(
    tmp_path: Path,
) -> None:
    telegram_port = free_port()  # nobody listens there until the fake starts
    async with FakeLine() as line_fake, aiohttp.ClientSession() as client:
        env = {**_line_env(line_fake, telegram_port), "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET}
        async with planbot(tmp_path, "--webhook", env=env) as running:
            health = await _health(client, running)
            assert health == {"status": "ok", "database": True, "line": True, "telegram": False}
            await _line_status_is_answered(client, running, line_fake, tmp_path / "data")
            update = _status_update(42)
            secret = {TELEGRAM_SECRET_HEADER: WEBHOOK_SECRET}
            async with client.post(running.url + "/telegram", json=update, headers=secret) as early:
                assert early.status == 503  # not connected yet: Telegram delivers it again later
            await running.wait_for_lines(lambda _lines: len(running.retries()) >= 2, timeout=30)

            async with FakeTelegram(token=TOKEN, port=telegram_port) as telegram:
                await _until_telegram_connected(client, running)
                assert sum(method == "setMyCommands" for method, _ in telegram.calls) >= 2
                async with client.post(
                    running.url + "/telegram", json=update, headers=secret
                ) as answer:
                    assert answer.status == 200
                [reply] = await telegram.wait_for(chat_id=42, contains="STR114/64", since=0)
                assert reply.text.startswith("<b>STR114/64</b>")
                await _line_status_is_answered(client, running, line_fake, tmp_path / "data")
                running.process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(running.process.wait(), timeout=30)
    _check_the_log(running)


async def test_polling_mode_serves_line_while_telegram_polling_retries(tmp_path: Path) -> None:
    telegram_port = free_port()
    async with (
        FakeLine() as line_fake,
        aiohttp.ClientSession() as client,
        planbot(tmp_path, env=_line_env(line_fake, telegram_port)) as running,
    ):
        health = await _health(client, running)
        assert health == {"status": "ok", "database": True, "line": True, "telegram": False}
        await _line_status_is_answered(client, running, line_fake, tmp_path / "data")
        async with client.post(running.url + "/telegram", json={"update_id": 1}) as refused:
            assert refused.status == 404  # long polling here: no Telegram webhook
        await running.wait_for_lines(lambda _lines: len(running.retries()) >= 2, timeout=30)

        async with FakeTelegram(token=TOKEN, port=telegram_port) as telegram:
            await _until_telegram_connected(client, running)
            telegram.user_message(42, "/status STR114/64")
            [reply] = await telegram.wait_for(chat_id=42, contains="STR114/64", timeout=30)
            assert reply.text.startswith("<b>STR114/64</b>")
            await _line_status_is_answered(client, running, line_fake, tmp_path / "data")
            running.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(running.process.wait(), timeout=30)
    _check_the_log(running)


async def test_a_refused_token_is_tried_again_and_never_logged(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram answering 401 (python-telegram-bot puts the token in InvalidToken's message):
    one line per failure, the token out of it, tried again until the task is cancelled."""
    caplog.set_level(logging.WARNING, logger="bot.telegram_bot")
    async with FakeTelegram() as fake:  # knows another token
        application = build_application(TOKEN, services, fake.base_url, rate_limit=False)

        async def attempt() -> None:
            await start_telegram(application, polling=True)

        trying = asyncio.create_task(keep_trying(attempt, token=TOKEN, first=0.01, most=0.04))
        for _ in range(500):
            if len(caplog.records) >= 4:
                break
            await asyncio.sleep(0.01)
        trying.cancel()
        with suppress(asyncio.CancelledError):
            await trying
        await stop_telegram(application)
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) >= 4 and all("InvalidToken" in m for m in messages), messages
    assert all("\n" not in m and TOKEN not in m and "<token>" in m for m in messages), messages
    waits = [float(m.rsplit(" in ", 1)[1].removesuffix(" s")) for m in messages]
    assert waits[:4] == [0.01, 0.02, 0.04, 0.04]
    assert not any(method == "getUpdates" for method, _ in fake.calls)
