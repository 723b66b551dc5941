"""Round trip through python-telegram-bot against the local fake Bot API server: planbot's
/status vs a minimal PTB bot that answers a constant string, same server, same run.
Target: /status within 1.5x of the minimal bot.

    .venv/bin/python -m bench.status_telegram [--rounds 4] [--messages 50]

A round trip is: the update is queued at the server -> PTB's long poll returns it -> the bot
answers with sendMessage. Blocks of messages alternate between the two bots (ABAB...) so that
drift on a busy machine falls on both alike; medians are over all messages of each bot. The
processor time of this process per message (the fake server, the client and the bot all run in
it) is printed too: on a machine shared with other work it moves much less than the clock.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.status_dispatch import NOW, small_plan
from handlers.context import Services
from storage.db.database import Database
from storage.unit_of_work import UnitOfWork
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram

USER = 4242


async def _constant(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text("ok")


async def _run_minimal(
    fake: FakeTelegram, body: Callable[[], Awaitable[list[float]]]
) -> list[float]:
    app: Application = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
    app.add_handler(MessageHandler(filters.ALL, _constant))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            return await body()
        finally:
            await app.updater.stop()
            await app.stop()


class Cpu:
    """Processor seconds of this process spent in measured blocks, per bot."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.messages = 0


async def _round_trips(
    fake: FakeTelegram, text: str, count: int, expect: str, cpu: Cpu | None = None
) -> list[float]:
    times = []
    cpu_started = time.process_time()
    for _ in range(count):
        started = time.perf_counter()
        fake.user_message(USER, text)
        [reply] = await fake.wait_for(chat_id=USER)
        times.append(time.perf_counter() - started)
        assert reply.text.startswith(expect), reply.text[:100]
    if cpu is not None:
        cpu.seconds += time.process_time() - cpu_started
        cpu.messages += count
    return times


async def bench(
    rounds: int, messages: int, services: Services
) -> tuple[float, float, float, float]:
    """Median round trip of each bot, and processor milliseconds per message of each, in ms."""
    minimal, planbot = [], []
    cpu_minimal, cpu_planbot = Cpu(), Cpu()
    async with FakeTelegram() as fake:
        for _ in range(rounds):
            minimal += await _run_minimal(
                fake, lambda: _round_trips(fake, "/status STR114/64", messages, "ok", cpu_minimal)
            )
            async with running_telegram_bot(fake, services):
                await _round_trips(fake, "/status STR114/64", 3, "<b>STR114/64</b>")  # warm
                planbot += await _round_trips(
                    fake, "/status STR114/64", messages, "<b>STR114/64</b>", cpu_planbot
                )
    return (
        statistics.median(minimal) * 1000,
        statistics.median(planbot) * 1000,
        cpu_minimal.seconds / cpu_minimal.messages * 1000,
        cpu_planbot.seconds / cpu_planbot.messages * 1000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--messages", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{small_plan(Path(tmp))}")
        with UnitOfWork(db) as uow:
            uow.people.add("telegram", str(USER), "member", "research", "Bench")
        services = Services(db=db, clock=lambda: NOW)
        minimal, planbot, cpu_minimal, cpu_planbot = asyncio.run(
            bench(args.rounds, args.messages, services)
        )
        db.dispose()
    print(f"round trip median, minimal PTB bot (constant): {minimal:7.2f} ms")
    print(f"round trip median, planbot /status STR114/64:  {planbot:7.2f} ms")
    print(f"ratio: {planbot / minimal:.2f}x (target: within 1.5x)")
    print(
        f"processor time per message: minimal {cpu_minimal:6.2f} ms, planbot {cpu_planbot:6.2f} ms,"
        f" ratio {cpu_planbot / cpu_minimal:.2f}x"
    )


if __name__ == "__main__":
    main()
