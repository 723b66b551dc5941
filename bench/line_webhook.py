"""How many LINE webhook requests per second /line sustains for `/status`, on this machine.

Everything on loopback: the aiohttp app on 127.0.0.1, the real line-bot-sdk replying to the fake
Messaging API (tests/fakes/line_api.py), a temporary SQLite file with the FY2564 plan. Each
request is one signed event from a registered user. Printed next to two baselines measured in
the same run: `dispatch()` called directly (no HTTP, no LINE) and GET /health (HTTP only), plus
the share of /line time spent checking signatures vs handling (timed separately per request).

    .venv/bin/python -m bench.line_webhook [--requests 300] [--concurrency 1 8]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.line_bot import LineBot, LineWebhook, make_line_api
from bot.setup import open_database
from bot.webhook import TIMINGS, Line, Timings, build_app
from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Request
from plan_data.fiscal import BANGKOK
from storage.repositories import people
from tests.fakes.line_api import FakeLine, sign, text_event, webhook_body

SECRET = "bench-channel-secret"
USER = "Ubench0000000000000000000000000001"
MOMENT = datetime(2021, 1, 11, 9, 0, tzinfo=BANGKOK)


def direct_dispatch_rate(services: Services, count: int) -> float:
    request = Request("line", USER, USER, text="/status STR114/64")
    started = time.perf_counter()
    for _ in range(count):
        dispatch(request, services)
    return count / (time.perf_counter() - started)


async def _timed(count: int, concurrency: int, one: object) -> float:
    queue = list(range(count))

    async def worker() -> None:
        while queue:
            queue.pop()
            await one()  # type: ignore[operator]

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count / (time.perf_counter() - started)


async def run(count: int, levels: list[int]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="planbot-bench-"))
    db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    services = Services(db=db, clock=lambda: MOMENT)
    with db.session() as session:
        people.add_person(session, "line", USER, "member", "research", "Bench")
    print(
        f"direct dispatch('/status STR114/64'): {direct_dispatch_rate(services, count):8.1f} /s (baseline)"
    )

    async with FakeLine() as fake:
        api = make_line_api(fake.base_url, fake.access_token)
        app = build_app(services, line=Line(LineWebhook(SECRET), LineBot(services, api)))
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        async with aiohttp.ClientSession() as client:

            async def health() -> None:
                async with client.get(base + "/health") as response:
                    assert response.status == 200

            async def status() -> None:
                body = webhook_body([text_event(USER, "/status STR114/64", fake.reply_token(USER))])
                headers = {
                    "X-Line-Signature": sign(SECRET, body),
                    "Content-Type": "application/json",
                }
                async with client.post(base + "/line", data=body, headers=headers) as response:
                    assert response.status == 200

            await _timed(20, 1, status)  # warm up (profile lookup, connections, caches)
            print(
                f"GET /health:                          {await _timed(count, 1, health):8.1f} /s (HTTP only)"
            )
            for level in levels:
                app[TIMINGS].reset()
                sent_before = len(fake.delivered)
                rate = await _timed(count, level, status)
                timings: Timings = app[TIMINGS]
                assert len(fake.delivered) - sent_before == count, "every request answered"
                total = timings.verify_seconds + timings.handle_seconds
                print(f"POST /line /status, concurrency {level:2d}:   {rate:8.1f} /s  "
                      f"signature {timings.verify_seconds / timings.requests * 1e6:6.1f} µs/req "
                      f"({timings.verify_seconds / total:.2%} of /line time), "
                      f"handling {timings.handle_seconds / timings.requests * 1e3:6.2f} ms/req "
                      f"({timings.handle_seconds / total:.2%})")  # fmt: skip
        await runner.cleanup()
        await api.api_client.close()
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    asyncio.run(run(args.requests, args.concurrency))


if __name__ == "__main__":
    main()
