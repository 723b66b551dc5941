"""kill -9 of a real `planbot run --webhook` after it answered an event 200 and before it
handled it: the event is not lost. After a restart it is handled once and the person is told;
with two instances on PostgreSQL, the survivor takes the row once the dead one's lease runs out.

The kill lands mid-row without timing luck: PLANBOT_TEST_INBOX_HOLD names a file, and while it
exists a taken row waits before it is handled. The test sees the row taken in the database (its
first attempt, its lease running), kills, removes the file, and then waits for the outcomes with
generous deadlines.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

from plan_data import DEFAULT_PLAN
from storage import inbox
from storage.db.database import Database
from storage.db.models import ProcessedEvent, SpendingEntry
from storage.plan_io.loader import load_plan_file
from storage.unit_of_work import UnitOfWork
from tests.fakes.line_api import FakeLine, sign, text_event, webhook_body
from tests.support.processes import free_port, start_webhook_server

SECRET = "kill-test-secret"
USER = "Ukilled"
LEASE = "2"  # seconds: how long a dead instance's row waits before another takes it


@asynccontextmanager
async def _planbot(
    url: str, fake: FakeLine, tmp_path: Path, *, hold: Path | None = None
) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    """`planbot run --webhook` on its own port until it answers /health; SIGTERM at the end
    unless the test killed it."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "LINE_"))},
        "DATABASE_URL": url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": fake.access_token,
        "LINE_API_BASE_URL": fake.base_url,
        "LINE_API_DATA_BASE_URL": fake.data_base_url,
        "PLANBOT_DATA_DIR": str(tmp_path / "data"),
        "PLANBOT_CLOCK": "2021-01-11T09:00+07:00",
        "PLANBOT_INBOX_LEASE": LEASE,
        "PLANBOT_INBOX_WORKERS": "2",
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    if hold is not None:
        env["PLANBOT_TEST_INBOX_HOLD"] = str(hold)
    process = await start_webhook_server(tmp_path, env, keep_output=False)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as client:
            for _ in range(1200):
                assert process.returncode is None, "planbot run --webhook exited early"
                try:
                    async with client.get(base + "/health") as health:
                        if health.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass
                await asyncio.sleep(0.1)
        yield process, base
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=60)


async def _spend(base: str, fake: FakeLine, amount: int) -> None:
    body = webhook_body([text_event(USER, f"/spend STR114/64 {amount} Q1", fake.reply_token(USER))])
    headers = {"X-Line-Signature": sign(SECRET, body), "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession() as client,
        client.post(base + "/line", data=body, headers=headers) as answer,
    ):
        assert answer.status == 200


async def _until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached"
        await asyncio.sleep(0.05)


def _rows(db: Database) -> list[inbox.InboxRow]:
    with UnitOfWork(db) as uow:
        return uow.inbox.rows()


def _count(db: Database, model: type) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _taken_once(db: Database) -> bool:
    rows = _rows(db)
    return len(rows) == 1 and rows[0].attempts == 1


async def _kill(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGKILL)
    assert await process.wait() == -signal.SIGKILL


def _applied_once_and_told(db: Database, fake: FakeLine) -> None:
    [row] = _rows(db)
    assert (row.status, row.attempts) == ("done", 2)  # taken by the dead worker, then again
    assert _count(db, SpendingEntry) == 1 and _count(db, ProcessedEvent) == 1
    [told] = fake.texts(USER)
    assert "1,234 บาท" in told


async def test_an_event_answered_200_then_kill_9_is_handled_once_after_a_restart(
    plan_db: Database, tmp_path: Path
) -> None:
    with UnitOfWork(plan_db) as uow:
        uow.people.add("line", USER, "member", "research", "Somchai")
    hold = tmp_path / "hold"
    hold.touch()
    async with FakeLine() as fake:
        async with _planbot(plan_db.url, fake, tmp_path, hold=hold) as (first, base):
            await _spend(base, fake, 1234)  # answered 200: LINE will not send it again
            await _until(lambda: _taken_once(plan_db))
            await _kill(first)
        assert fake.to(USER) == [] and _count(plan_db, SpendingEntry) == 0
        assert _rows(plan_db)[0].status == "received"
        hold.unlink()

        async with _planbot(plan_db.url, fake, tmp_path):  # the restart
            await fake.wait_shown(USER, 1)
            await _until(lambda: _rows(plan_db)[0].status == "done")
    _applied_once_and_told(plan_db, fake)


async def test_two_instances_on_postgres_the_survivor_takes_the_killed_ones_row(
    postgres_url: str, tmp_path: Path
) -> None:
    db = Database(postgres_url)
    load_plan_file(db, DEFAULT_PLAN)
    with UnitOfWork(db) as uow:
        uow.people.add("line", USER, "member", "research", "Somchai")
    hold = tmp_path / "hold"
    hold.touch()
    try:
        async with (
            FakeLine() as fake,
            _planbot(db.url, fake, tmp_path, hold=hold) as (first, base),
        ):
            await _spend(base, fake, 1234)
            await _until(lambda: _taken_once(db))  # the first holds it, its lease kept
            (tmp_path / "second").mkdir()
            async with _planbot(db.url, fake, tmp_path / "second"):
                await _kill(first)  # mid-row; its lease runs out, the second takes it
                await fake.wait_shown(USER, 1)
                await _until(lambda: _rows(db)[0].status == "done")
        _applied_once_and_told(db, fake)
    finally:
        db.dispose()
