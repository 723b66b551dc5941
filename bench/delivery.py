"""One weekly round to 1,000 linked chats against the fake Bot API server enforcing Telegram's
limits (30 messages/s overall, 1/s per chat, 20/min per group, 429 with retry_after beyond).

Prints the time as a ratio to the minimum Telegram's 30 messages/s allows for the same number
of messages (the baseline, computed for this run's count), and the count of 429s, retries,
duplicates (must be 0) and losses (must be 0).

    .venv/bin/python -m bench.delivery [CHATS]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.delivery import Delivery
from bot.telegram_sender import TelegramSender
from handlers.reminders import write_round
from plan_data import DEFAULT_PLAN
from plan_data.fiscal import BANGKOK
from storage.db.database import Database
from storage.plan_io.loader import load_plan_file
from storage.unit_of_work import UnitOfWork
from tests.fakes.telegram_api import FakeTelegram

TELEGRAM_RATE = 30  # messages per second, Telegram's overall limit
# A weekly run in Q2, within its reminder window (reminders are not sent months ahead).
MONDAY = datetime(2021, 3, 29, 9, 0, tzinfo=BANGKOK)


def link_chats(db: Database, count: int) -> None:
    """`count` group chats, linked in turn to the divisions with something due (as /link does)."""
    with UnitOfWork(db) as uow:
        keys = [d.division.key for d in uow.dues.at(MONDAY) if d.anything_due]
        admin = uow.people.add("telegram", "1", "admin", None, "Admin")
        for n in range(count):
            uow.people.link_chat("telegram", str(-(100_000 + n)), keys[n % len(keys)], admin.id)


class FakeServerThread:
    """The fake server on its own thread and event loop, as Telegram is not in our process:
    its timing is not held up by the client's event loop."""

    def __enter__(self) -> FakeTelegram:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.fake = FakeTelegram(enforce_limits=True)
        asyncio.run_coroutine_threadsafe(self.fake.start(), self.loop).result()
        return self.fake

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.stop(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


async def deliver(db: Database, fake: FakeTelegram) -> tuple[float, Delivery]:
    sender = TelegramSender(fake.token, fake.base_url, timeout=10)
    delivery = Delivery(db, [sender])
    started = time.perf_counter()
    done = await delivery.run_until_idle(timeout=600)
    elapsed = time.perf_counter() - started
    await sender.close()
    assert done, "delivery did not finish"
    return elapsed, delivery


def main(chats: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/bench.sqlite3")
        load_plan_file(db, DEFAULT_PLAN)
        link_chats(db, chats)
        round_ = write_round(db, MONDAY, weekly=True, channels=("telegram",))
        with UnitOfWork(db) as uow:
            rows = uow.outbox.rows()
        if not rows:
            raise SystemExit(f"nothing is due on {MONDAY:%Y-%m-%d}: no messages to deliver")
        expected = {(int(r.chat_id), r.text) for r in rows}
        with FakeServerThread() as fake:
            elapsed, delivery = asyncio.run(deliver(db, fake))
        db.dispose()
    delivered = [(s.chat_id, s.text) for s in fake.sent if s.method == "sendMessage"]
    duplicates = len(delivered) - len(set(delivered))
    losses = len(expected - set(delivered))
    minimum = len(rows) / TELEGRAM_RATE
    print(f"chats linked:         {chats}")
    print(f"messages (outbox):    {round_.written} ({len({r.chat_id for r in rows})} chats)")
    print(f"delivered:            {len(delivered)}")
    print(f"time:                 {elapsed:.1f} s")
    print(f"minimum at 30 msg/s:  {minimum:.1f} s")
    print(f"ratio:                {elapsed / minimum:.2f}  (aim <= 1.2)")
    print(f"429s from the server: {fake.too_many_sent}")
    print(f"retries:              {delivery.stats.retried}")
    print(f"duplicates:           {duplicates}")
    print(f"losses:               {losses}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
