"""How fast /line answers `/status` with its Flex card, as a ratio of a bare line-bot-sdk
webhook in the same run; how many webhook requests per second it acknowledges; and how long it
takes to acknowledge `/status` and a planner's `/report`.

Everything on loopback: the aiohttp app on 127.0.0.1 with its inbox workers, the real
line-bot-sdk replying to the fake Messaging API (tests/fakes/line_api.py), a temporary SQLite
file with the FY2564 plan. Each request is one signed event from a registered user (one user per
concurrent sender, since the inbox answers one chat's messages in order).

The headline is the time until the reply reaches the fake LINE API (the inbox acknowledges at
once and works after, so the 200 alone says little), at each concurrency, against the baseline: a
bare line-bot-sdk webhook (a minimal aiohttp app with the SDK's WebhookParser checking the
signature and parsing the events, then one constant TextMessage sent with the SDK's
AsyncMessagingApi.reply_message to the same fake), which is what any LINE bot pays. Blocks of
requests alternate between the two (ABAB...) so drift on a busy machine falls on both alike.

Also printed: the processor time of the whole process per request for both (it moves much
less than the clock on a shared machine), `dispatch()` called directly (no HTTP, no LINE), GET /health (HTTP only), the rate
/line acknowledges at with the share of its time spent checking signatures vs storing events,
and the time to acknowledge, the median and the worst of `--acks` sequential posts each, for
/status and for /report (the reports are made by the workers meanwhile), against a signed POST
/line with no events (what LINE sends to verify a webhook URL).

    .venv/bin/python -m bench.line_webhook [--requests 300] [--concurrency 1 8] [--acks 20]
                                           [--workers 4] [--rounds 3] [--answered-only]
                                           [--validate]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linebot.v3 import WebhookParser
from linebot.v3.messaging import AsyncMessagingApi, ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import MessageEvent

from bot.line_bot import LineBot, LineWebhook
from bot.line_endpoint import LineEndpoint
from bot.line_sender import make_line_api
from bot.setup import open_database
from bot.webhook import INBOX, TIMINGS, Timings, build_app
from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Request
from plan_data.fiscal import BANGKOK
from storage.unit_of_work import UnitOfWork
from tests.fakes.line_api import FakeLine, sign, text_event, webhook_body

SECRET = "bench-channel-secret"
USER = "Ubench0000000000000000000000000001"
PLANNER = "Ubench0000000000000000000000000002"
MOMENT = datetime(2021, 1, 11, 9, 0, tzinfo=BANGKOK)
Call = Callable[[], Awaitable[None]]


def sender(number: int) -> str:
    """The LINE user id of concurrent sender `number` (sender 0 is USER)."""
    return USER if number == 0 else f"Ubench{number:027d}c"


@dataclass
class ArrivingLine(FakeLine):
    """The fake LINE API, telling a waiter when a reply or push reaches a chat. Unless
    `validate`, it checks only the token, not every message against LINE's rules (LINE does
    that on its own servers; here it would run in the measured process, and cost the Flex card
    more than the constant text)."""

    waiting: dict[str, asyncio.Future[None]] = field(default_factory=dict)
    validate: bool = False

    def _problem(self, request: web.Request, body: dict[str, Any], raw: bytes) -> str | None:
        if self.validate:
            return super()._problem(request, body, raw)
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return "Authentication failed"
        return None

    def _record(self, kind: str, chat: str, messages: list[Any], key: str | None) -> None:
        super()._record(kind, chat, messages, key)
        waiter = self.waiting.pop(chat, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def expect(self, chat: str) -> asyncio.Future[None]:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting[chat] = waiter
        return waiter


def bare_webhook(api: AsyncMessagingApi) -> web.Application:
    """The baseline: a LINE bot with nothing but the SDK (verify, parse, one constant reply)."""
    parser = WebhookParser(SECRET)

    async def line(request: web.Request) -> web.Response:
        body = (await request.read()).decode()
        events = parser.parse(body, request.headers.get("X-Line-Signature", ""))
        for event in events:
            if isinstance(event, MessageEvent):
                reply = ReplyMessageRequest(
                    replyToken=event.reply_token,
                    messages=[TextMessage(text="สถานะ STR114/64")],
                )
                await api.reply_message(reply)
        return web.Response(text="OK")

    app = web.Application()
    app.router.add_post("/line", line)
    return app


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}"


def direct_dispatch_rate(services: Services, count: int) -> float:
    request = Request("line", USER, USER, text="/status STR114/64")
    started = time.perf_counter()
    for _ in range(count):
        dispatch(request, services)
    return count / (time.perf_counter() - started)


async def _timed(count: int, concurrency: int, one: Call) -> float:
    queue = list(range(count))

    async def worker() -> None:
        while queue:
            queue.pop()
            await one()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count / (time.perf_counter() - started)


async def _answered(
    count: int, senders: list[Callable[[], Awaitable[float]]]
) -> tuple[float, list[float]]:
    """`count` requests spread over the senders (each sends one at a time, as one chat does):
    the wall-clock seconds until every reply arrived, and each request's seconds."""
    queue = list(range(count))
    seconds: list[float] = []

    async def worker(one: Callable[[], Awaitable[float]]) -> None:
        while queue:
            queue.pop()
            seconds.append(await one())

    started = time.perf_counter()
    await asyncio.gather(*(worker(one) for one in senders))
    return time.perf_counter() - started, seconds


async def _latencies(count: int, one: Call) -> list[float]:
    """Seconds each of `count` sequential calls took."""
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        await one()
        seconds.append(time.perf_counter() - started)
    return seconds


def _ack_line(label: str, seconds: list[float], base: list[float]) -> str:
    median, worst = statistics.median(seconds), max(seconds)
    base_median, base_worst = statistics.median(base), max(base)
    return (
        f"{label:<34} median {median * 1e3:7.2f} ms ({median / base_median:5.1f}x), "
        f"worst {worst * 1e3:7.2f} ms ({worst / base_worst:5.1f}x)"
    )


async def run(
    count: int,
    levels: list[int],
    acks: int,
    workers: int,
    rounds: int,
    *,
    answered_only: bool,
    validate: bool,
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="planbot-bench-"))
    db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    services = Services(db=db, clock=lambda: MOMENT)
    users = [sender(n) for n in range(max(levels))]
    with UnitOfWork(db) as uow:
        for number, user in enumerate(users):
            uow.people.add("line", user, "member", "research", f"Bench {number}")
        uow.people.add("line", PLANNER, "planner", "planning", "Planner")
    print(
        f"direct dispatch('/status STR114/64'): {direct_dispatch_rate(services, count):8.1f} /s (no HTTP)"
    )

    async with ArrivingLine(validate=validate) as fake:
        for user in [*users, PLANNER]:  # a friend of the bot has a profile
            fake.add_profile(user, "Bench", "th")
        api = make_line_api(fake.base_url, fake.access_token)
        app = build_app(
            services,
            [LineEndpoint(LineWebhook(SECRET), LineBot(services, api))],
            inbox_workers=workers,
        )
        runner, base = await _serve(app)
        bare_api = make_line_api(fake.base_url, fake.access_token)
        bare_runner, bare = await _serve(bare_webhook(bare_api))
        async with aiohttp.ClientSession() as client:

            async def health() -> None:
                async with client.get(base + "/health") as response:
                    assert response.status == 200

            async def post(to: str, events: list[dict[str, object]]) -> None:
                body = webhook_body(events)
                headers = {
                    "X-Line-Signature": sign(SECRET, body),
                    "Content-Type": "application/json",
                }
                async with client.post(to + "/line", data=body, headers=headers) as response:
                    assert response.status == 200

            def answered(to: str, user: str) -> Callable[[], Awaitable[float]]:
                """One /status from `user` to the app at `to`: seconds until its reply arrived."""

                async def one() -> float:
                    started = time.perf_counter()
                    arrived = fake.expect(user)
                    await post(to, [text_event(user, "/status STR114/64", fake.reply_token(user))])
                    await asyncio.wait_for(arrived, 60)
                    return time.perf_counter() - started

                return one

            async def status() -> None:
                await post(base, [text_event(USER, "/status STR114/64", fake.reply_token(USER))])

            async def report() -> None:
                await post(base, [text_event(PLANNER, "/report", fake.reply_token(PLANNER))])

            async def no_events() -> None:
                await post(base, [])

            async def planner_status() -> None:
                await post(
                    base, [text_event(PLANNER, "/status STR114/64", fake.reply_token(PLANNER))]
                )

            inbox_workers = app[INBOX]
            # Warm up (connections, caches; each sender's chat is written on its first message).
            for user in users:
                await _answered(3, [answered(base, user)])
                await _answered(3, [answered(bare, user)])
            await planner_status()  # the planner's chat is known before the reports
            assert await inbox_workers.until_idle(600)
            print(
                f"GET /health:                          {await _timed(count, 1, health):8.1f} /s (HTTP only)"
            )

            print(
                "until the reply reaches the LINE API, /status STR114/64 (ratio to the bare "
                f"SDK webhook, {rounds} alternating blocks each):"
            )
            for level in levels:
                block = max(1, count // rounds)
                bare_seconds = line_seconds = bare_cpu = line_cpu = 0.0
                bare_each: list[float] = []
                line_each: list[float] = []
                cards_before = sum(1 for d in fake.delivered if d.cards)
                for _ in range(rounds):
                    cpu = time.process_time()
                    took, each = await _answered(block, [answered(bare, u) for u in users[:level]])
                    bare_cpu += time.process_time() - cpu
                    bare_seconds, bare_each = bare_seconds + took, bare_each + each
                    cpu = time.process_time()
                    took, each = await _answered(block, [answered(base, u) for u in users[:level]])
                    line_cpu += time.process_time() - cpu
                    line_seconds, line_each = line_seconds + took, line_each + each
                assert sum(1 for d in fake.delivered if d.cards) - cards_before == block * rounds
                done = block * rounds
                bare_rate, line_rate = done / bare_seconds, done / line_seconds
                bare_median = statistics.median(bare_each) * 1e3
                line_median = statistics.median(line_each) * 1e3
                print(
                    f"  concurrency {level:2d}: bare webhook {bare_rate:7.1f} /s (median "
                    f"{bare_median:6.2f} ms), /line with the Flex card {line_rate:7.1f} /s "
                    f"(median {line_median:6.2f} ms): /line takes {bare_rate / line_rate:.2f}x "
                    f"the bare webhook's time per request"
                )
                # Processor time of this whole process (client, server, fake LINE API) per
                # request: on a shared machine it moves much less than the clock does.
                print(
                    f"  concurrency {level:2d}: processor time per request: bare "
                    f"{bare_cpu / done * 1e3:6.2f} ms, /line {line_cpu / done * 1e3:6.2f} ms, "
                    f"ratio {line_cpu / bare_cpu:.2f}x"
                )

            if not answered_only:
                await _acknowledged(app, fake, count, levels, acks, status, report, no_events)
        await runner.cleanup()
        await bare_runner.cleanup()
        await api.api_client.close()
        await bare_api.api_client.close()
    db.dispose()


async def _acknowledged(
    app: web.Application,
    fake: FakeLine,
    count: int,
    levels: list[int],
    acks: int,
    status: Call,
    report: Call,
    no_events: Call,
) -> None:
    """The rate /line acknowledges at, and the time to acknowledge /status and /report."""
    inbox_workers = app[INBOX]
    for level in levels:
        app[TIMINGS].reset()
        rate = await _timed(count, level, status)
        assert await inbox_workers.until_idle(600)
        timings: Timings = app[TIMINGS]
        total = timings.verify_seconds + timings.handle_seconds
        print(
            f"POST /line /status, concurrency {level:2d}:   {rate:8.1f} /s acknowledged, "
            f"signature {timings.verify_seconds / timings.requests * 1e6:6.1f} µs/req "
            f"({timings.verify_seconds / total:.2%} of /line time), "
            f"storing {timings.handle_seconds / timings.requests * 1e3:6.2f} ms/req "
            f"({timings.handle_seconds / total:.2%})"
        )

    print(f"time to acknowledge, {acks} sequential posts each (ratio to the bare webhook):")
    await _latencies(5, no_events)
    baseline = await _latencies(acks, no_events)
    print(_ack_line("POST /line, no events (bare)", baseline, baseline))
    print(_ack_line("POST /line /status", await _latencies(acks, status), baseline))
    reports_before = len(fake.to(PLANNER))
    print(_ack_line("POST /line /report (planner)", await _latencies(acks, report), baseline))
    assert await inbox_workers.until_idle(1800)
    sent = fake.to(PLANNER)[reports_before:]
    early = sum(1 for d in sent if d.kind == "reply" and "…" in d.texts[0])
    assert len(sent) - early == acks, "each /report's document arrived"
    print(
        f"  every document arrived; {early} of {acks} said first it was on its way (the "
        "others were made after their reply token had expired)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--acks", type=int, default=20)
    parser.add_argument(
        "--workers", type=int, default=4, help="inbox workers (PLANBOT_INBOX_WORKERS)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating blocks per bot")
    parser.add_argument(
        "--answered-only", action="store_true", help="skip the acknowledgement measurements"
    )
    parser.add_argument(
        "--validate",
        action="store_true",
        help="the fake LINE API checks every message against LINE's rules (in this process)",
    )
    args = parser.parse_args()
    asyncio.run(
        run(
            args.requests,
            args.concurrency,
            args.acks,
            args.workers,
            args.rounds,
            answered_only=args.answered_only,
            validate=args.validate,
        )
    )


if __name__ == "__main__":
    main()
