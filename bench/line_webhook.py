"""How many LINE webhook requests per second /line sustains for `/status`, on this machine.

Everything on loopback: the aiohttp app on 127.0.0.1, the real line-bot-sdk replying to the fake
Messaging API (tests/fakes/line_api.py), a temporary SQLite file with the FY2564 plan. Each
request is one signed event from a registered user. Printed next to three baselines measured in
the same run: `dispatch()` called directly (no HTTP, no LINE), GET /health (HTTP only), and a
bare line-bot-sdk webhook (the SDK's WebhookParser checks the signature and parses the events,
then `reply_message` answers one constant text: what any LINE bot pays) with the ratio of /line
to it, plus the share of /line time spent checking signatures vs handling.

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

from linebot.v3 import WebhookParser
from linebot.v3.messaging import ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import MessageEvent

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


def bare_webhook(api: object) -> web.Application:
    """The baseline: a LINE bot with nothing but the SDK (verify, parse, one constant reply)."""
    parser = WebhookParser(SECRET)

    async def line(request: web.Request) -> web.Response:
        body = (await request.read()).decode()
        events = parser.parse(body, request.headers.get("X-Line-Signature", ""))
        for event in events:
            if isinstance(event, MessageEvent):
                reply = ReplyMessageRequest(
                    replyToken=event.reply_token, messages=[TextMessage(text="สถานะ STR114/64")]
                )
                await api.reply_message(reply)  # type: ignore[attr-defined]
        return web.Response(text="OK")

    app = web.Application()
    app.router.add_post("/line", line)
    return app


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


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
        runner, base = await _serve(app)
        bare_api = make_line_api(fake.base_url, fake.access_token)
        bare_runner, bare = await _serve(bare_webhook(bare_api))
        async with aiohttp.ClientSession() as client:

            def signed(to: str):  # type: ignore[no-untyped-def]
                async def post() -> None:
                    token = fake.reply_token(USER)
                    body = webhook_body([text_event(USER, "/status STR114/64", token)])
                    headers = {"X-Line-Signature": sign(SECRET, body),
                               "Content-Type": "application/json"}  # fmt: skip
                    async with client.post(to + "/line", data=body, headers=headers) as response:
                        assert response.status == 200

                return post

            async def health() -> None:
                async with client.get(base + "/health") as response:
                    assert response.status == 200

            status, bare_status = signed(base), signed(bare)
            await _timed(20, 1, status)  # warm up (profile lookup, connections, caches)
            await _timed(20, 1, bare_status)
            print(
                f"GET /health:                          {await _timed(count, 1, health):8.1f} /s (HTTP only)"
            )
            for level in levels:
                bare_rate = await _timed(count, level, bare_status)
                print(
                    f"bare SDK webhook, concurrency {level:2d}:    {bare_rate:8.1f} /s (baseline)"
                )
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
                print(f"  /line is {bare_rate / rate:.2f}x the bare webhook's time per request")
        await runner.cleanup()
        await bare_runner.cleanup()
        await api.api_client.close()
        await bare_api.api_client.close()
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    args = parser.parse_args()
    asyncio.run(run(args.requests, args.concurrency))


if __name__ == "__main__":
    main()
