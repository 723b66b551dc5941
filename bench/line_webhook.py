"""How many LINE webhook requests per second /line sustains for `/status`, and how long /line
takes to acknowledge `/status` and a planner's `/report`, on this machine.

Everything on loopback: the aiohttp app on 127.0.0.1 with its inbox workers, the real
line-bot-sdk replying to the fake Messaging API (tests/fakes/line_api.py), a temporary SQLite
file with the FY2564 plan. Each request is one signed event from a registered user. Throughput
is printed twice: acknowledged (the webhook's 200, events stored in the inbox) and answered
(until the workers sent every reply), next to two baselines measured in the same run:
`dispatch()` called directly (no HTTP, no LINE) and GET /health (HTTP only), plus the share of
/line time spent checking signatures vs storing the events.

Time to acknowledge: the median and the worst of `--acks` sequential posts each, for /status
and for /report (the reports are made by the workers meanwhile, competing for the processor as
they would), against the bare webhook in the same run: a signed POST /line with no events (what
LINE sends to verify a webhook URL).

    .venv/bin/python -m bench.line_webhook [--requests 300] [--concurrency 1 8] [--acks 20]
                                           [--workers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
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
from bot.webhook import INBOX, TIMINGS, Line, Timings, build_app
from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Request
from plan_data.fiscal import BANGKOK
from storage.repositories import people
from tests.fakes.line_api import FakeLine, sign, text_event, webhook_body

SECRET = "bench-channel-secret"
USER = "Ubench0000000000000000000000000001"
PLANNER = "Ubench0000000000000000000000000002"
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


async def _latencies(count: int, one: object) -> list[float]:
    """Seconds each of `count` sequential calls took."""
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        await one()  # type: ignore[operator]
        seconds.append(time.perf_counter() - started)
    return seconds


def _ack_line(label: str, seconds: list[float], base: list[float]) -> str:
    median, worst = statistics.median(seconds), max(seconds)
    base_median, base_worst = statistics.median(base), max(base)
    return (f"{label:<34} median {median * 1e3:7.2f} ms ({median / base_median:5.1f}x), "
            f"worst {worst * 1e3:7.2f} ms ({worst / base_worst:5.1f}x)")  # fmt: skip


async def run(count: int, levels: list[int], acks: int, workers: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="planbot-bench-"))
    db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    services = Services(db=db, clock=lambda: MOMENT)
    with db.session() as session:
        people.add_person(session, "line", USER, "member", "research", "Bench")
        people.add_person(session, "line", PLANNER, "planner", "planning", "Planner")
    print(
        f"direct dispatch('/status STR114/64'): {direct_dispatch_rate(services, count):8.1f} /s (baseline)"
    )

    async with FakeLine() as fake:
        api = make_line_api(fake.base_url, fake.access_token)
        app = build_app(
            services, line=Line(LineWebhook(SECRET), LineBot(services, api)), inbox_workers=workers
        )
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        async with aiohttp.ClientSession() as client:

            async def health() -> None:
                async with client.get(base + "/health") as response:
                    assert response.status == 200

            async def post(events: list[dict[str, object]]) -> None:
                body = webhook_body(events)
                headers = {
                    "X-Line-Signature": sign(SECRET, body),
                    "Content-Type": "application/json",
                }
                async with client.post(base + "/line", data=body, headers=headers) as response:
                    assert response.status == 200

            async def status() -> None:
                await post([text_event(USER, "/status STR114/64", fake.reply_token(USER))])

            async def report() -> None:
                await post([text_event(PLANNER, "/report", fake.reply_token(PLANNER))])

            async def bare() -> None:
                await post([])

            async def planner_status() -> None:
                await post([text_event(PLANNER, "/status STR114/64", fake.reply_token(PLANNER))])

            inbox_workers = app[INBOX]
            await _timed(20, 1, status)  # warm up (profile lookup, connections, caches)
            # The planner's chat is known before the reports: a first message writes it, and on
            # SQLite that write would hold the one writer's lock while the document is made.
            await planner_status()
            assert await inbox_workers.until_idle(600)
            print(
                f"GET /health:                          {await _timed(count, 1, health):8.1f} /s (HTTP only)"
            )
            for level in levels:
                app[TIMINGS].reset()
                sent_before = len(fake.delivered)
                started = time.perf_counter()
                rate = await _timed(count, level, status)
                assert await inbox_workers.until_idle(600)
                answered = count / (time.perf_counter() - started)
                timings: Timings = app[TIMINGS]
                assert len(fake.delivered) - sent_before == count, "every request answered"
                print(f"POST /line /status, concurrency {level:2d}:   {answered:8.1f} /s answered")
                total = timings.verify_seconds + timings.handle_seconds
                print(f"POST /line /status, concurrency {level:2d}:   {rate:8.1f} /s  "
                      f"signature {timings.verify_seconds / timings.requests * 1e6:6.1f} µs/req "
                      f"({timings.verify_seconds / total:.2%} of /line time), "
                      f"handling {timings.handle_seconds / timings.requests * 1e3:6.2f} ms/req "
                      f"({timings.handle_seconds / total:.2%})")  # fmt: skip

            print(f"time to acknowledge, {acks} sequential posts each (ratio to the bare webhook):")
            await _latencies(5, bare)
            baseline = await _latencies(acks, bare)
            print(_ack_line("POST /line, no events (bare)", baseline, baseline))
            print(_ack_line("POST /line /status", await _latencies(acks, status), baseline))
            reports_before = len(fake.to(PLANNER))
            print(
                _ack_line("POST /line /report (planner)", await _latencies(acks, report), baseline)
            )
            assert await inbox_workers.until_idle(1800)
            sent = fake.to(PLANNER)[reports_before:]
            early = sum(1 for d in sent if d.kind == "reply" and "…" in d.texts[0])
            assert len(sent) - early == acks, "each /report's document arrived"
            print(f"  every document arrived; {early} of {acks} said first it was on its way (the "
                  "others were made after their reply token had expired)")  # fmt: skip
        await runner.cleanup()
        await api.api_client.close()
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--acks", type=int, default=20)
    parser.add_argument(
        "--workers", type=int, default=4, help="inbox workers (PLANBOT_INBOX_WORKERS)"
    )
    args = parser.parse_args()
    asyncio.run(run(args.requests, args.concurrency, args.acks, args.workers))


if __name__ == "__main__":
    main()
