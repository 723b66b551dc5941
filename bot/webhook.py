"""`planbot run --webhook`: one aiohttp server for every channel whose events come by webhook
(bot/channels.py: Telegram's /telegram, LINE's /line); and `planbot run` with LINE configured:
the same server beside Telegram's long polling.

Each declared route is mounted here and served by its channel's endpoint (bot/endpoints.py,
made by the module the channel declares): the endpoint checks the call before anything of the
body is read (a signature, a secret token: refused calls are logged by who and why, never with
the body), and turns an authenticated body into inbox rows, or refuses it (400,
bot/webhook_body.py). The rows are written in one short transaction (storage/inbox.py; a
redelivered event id writes nothing) and the call is answered 200. Inbox workers in this
process (bot/inbox_worker.py, PLANBOT_INBOX_WORKERS) hand each row to its channel's endpoint,
in order per chat; a row whose process died is taken again after its lease, by this instance
or another. A database that cannot take the events is a 500, so the platform tries again. A
route whose channel is not configured here is a 404.

GET /health says whether the database answers and, for each channel with a webhook, whether it
is served (and connected, where it connects out). A channel's endpoint may add routes of its own
(LINE's /media and /files).

Start-up never waits for a platform: the server answers at once, and each endpoint's start
(connecting to Telegram, LINE's rich menu) runs in the background, so one platform keeps working
through another's outage or a network that is not up yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from aiohttp import web

from bot.access_log import QuietAccessLogger
from bot.channels import CHANNELS, Channel, chat_platforms, how_to_configure, with_webhooks
from bot.config import Settings
from bot.endpoints import Endpoint, Refused
from bot.inbox_worker import InboxWorkers, RowHandler, hold_while
from bot.web import mount_dashboard
from handlers.context import Services
from storage.inbox import InboxItem, NewEvent
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_SECONDS = 10.0

SERVICES: web.AppKey[Services] = web.AppKey("services", Services)
ENDPOINTS: web.AppKey[dict[str, Endpoint]] = web.AppKey("endpoints", dict)
INBOX: web.AppKey[InboxWorkers] = web.AppKey("inbox", InboxWorkers)


@dataclass
class Timings:
    """Where the webhooks spend their time, summed (the benchmark reads it): checking the calls
    (signatures, secret tokens), and reading and storing the events (handling them is the inbox
    workers' part)."""

    requests: int = 0
    verify_seconds: float = 0.0
    handle_seconds: float = 0.0
    refused: dict[int, int] = field(default_factory=dict)

    def reset(self) -> None:
        self.requests, self.verify_seconds, self.handle_seconds = 0, 0.0, 0.0
        self.refused.clear()


TIMINGS: web.AppKey[Timings] = web.AppKey("timings", Timings)


def build_app(
    services: Services,
    endpoints: Iterable[Endpoint] = (),
    *,
    inbox_workers: int = 4,
    inbox_lease: float = 60.0,
    before_handling: Callable[[InboxItem], Awaitable[None]] | None = None,
) -> web.Application:
    """The server for the channels `endpoints` serve; its inbox workers run while it does
    (`inbox_workers` loops, rows taken for `inbox_lease` seconds at a time; `before_handling`
    is a test's hook)."""
    app = web.Application(client_max_size=4 * 1024 * 1024)
    served = {endpoint.channel: endpoint for endpoint in endpoints}
    for name in served:
        if name not in CHANNELS or not CHANNELS[name].webhook:
            raise ValueError(f"{name} is no channel with a webhook (bot/channels.py)")
    app[SERVICES], app[ENDPOINTS], app[TIMINGS] = services, served, Timings()
    handlers: dict[str, RowHandler] = {}
    for name, endpoint in served.items():
        handler = endpoint.row_handler()
        if handler is not None:
            handlers[name] = handler
    app[INBOX] = InboxWorkers(
        services.db,
        handlers,
        workers=inbox_workers,
        lease=inbox_lease,
        before_handling=before_handling,
    )
    app.cleanup_ctx.append(_run_inbox)
    for channel in with_webhooks():
        app.router.add_post(str(channel.webhook), _webhook(channel))
    app.router.add_get("/health", health)
    for endpoint in served.values():
        endpoint.add_routes(app)
    mini_app = next(((n, e.mini_app_key) for n, e in served.items() if e.mini_app_key), None)
    mount_dashboard(app, services, mini_app)
    return app


async def _run_inbox(app: web.Application) -> AsyncIterator[None]:
    """The inbox workers, from start-up to shutdown (a row being handled then is given up and
    taken again after its lease, here after a restart or by another instance)."""
    workers, stop = app[INBOX], asyncio.Event()
    task = asyncio.create_task(workers.run(stop))
    yield
    stop.set()
    try:
        await asyncio.wait_for(task, SHUTDOWN_GRACE_SECONDS)
    except TimeoutError:
        log.warning("inbox workers still busy at shutdown; their rows are taken again later")


def _webhook(channel: Channel) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The route of one channel: checked and read by its endpoint, stored in the inbox."""

    async def receive(request: web.Request) -> web.Response:
        endpoint = request.app[ENDPOINTS].get(channel.name)
        if endpoint is None or not endpoint.takes_webhooks:
            return _refuse(request.app, 404, f"{channel.title} is not configured here", request)
        body = await request.read()
        timings = request.app[TIMINGS]
        started = time.perf_counter()
        try:
            endpoint.check(request.headers, body)
        except Refused as refused:
            return _refuse(request.app, refused.status, refused.why, request)
        checked = time.perf_counter()
        timings.verify_seconds += checked - started
        try:
            events = endpoint.events(body)
        except Refused as refused:
            return _refuse(request.app, refused.status, refused.why, request)
        response = await _store(request, events)
        timings.handle_seconds += time.perf_counter() - checked
        timings.requests += 1
        return response

    return receive


def _receive(
    services: Services, events: list[NewEvent], lease: timedelta | None
) -> tuple[int, list[InboxItem]]:
    with UnitOfWork(services.db) as uow:
        if lease is None:
            return uow.inbox.receive(events), []
        return uow.inbox.receive_and_take(events, lease=lease)


async def _store(request: web.Request, events: list[NewEvent]) -> web.Response:
    """Write the events to the inbox and answer 200; a 500 when the database cannot take them
    (the platform sends them again). With a worker free, the rows are taken in the same
    transaction and handled here at once; the rest wake the workers."""
    if not events:
        return web.json_response({"ok": True})
    workers: InboxWorkers = request.app[INBOX]
    lease = workers.lease_delta if workers.has_room(events[0].channel) else None
    try:
        new, taken = await asyncio.to_thread(_receive, request.app[SERVICES], events, lease)
    except Exception:
        log.exception("could not write %d webhook events to the inbox", len(events))
        return web.json_response({"ok": False, "error": "not stored, try again"}, status=500)
    workers.start(taken)
    if new > len(taken):
        workers.wake(new - len(taken))
    return web.json_response({"ok": True})


def _refuse(app: web.Application, status: int, why: str, request: web.Request) -> web.Response:
    """Refused webhook calls are logged by who and why, never with the body."""
    timings = app[TIMINGS]
    timings.refused[status] = timings.refused.get(status, 0) + 1
    log.warning(
        "%s %s refused (%d): %s from %s", request.method, request.path, status, why, request.remote
    )
    return web.json_response({"ok": False, "error": why}, status=status)


async def health(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    served = request.app[ENDPOINTS]
    try:
        database = await asyncio.to_thread(_ping, services)
    except Exception as error:
        log.warning("health: database does not answer: %s", error)
        database = False
    body: dict[str, object] = {"status": "ok" if database else "degraded", "database": database}
    for channel in with_webhooks():
        endpoint = served.get(channel.name)
        body[channel.name] = endpoint is not None and endpoint.healthy()
    return web.json_response(body, status=200 if database else 503)


def _ping(services: Services) -> bool:
    with UnitOfWork(services.db) as uow:
        return uow.claims.ping()


# -- running it -------------------------------------------------------------------------------
def serve(services: Services, settings: Settings, *, telegram_polling: bool) -> int:
    """`planbot run [--webhook]` until SIGTERM/SIGINT (0); 2 when no platform is configured.

    Webhook mode serves every configured channel's route and GET /health on $PORT. Otherwise
    Telegram is reached by long polling, and the channels that only come by webhook (LINE) are
    served beside it on $PORT. The web server answers from the start; each channel's start
    (Telegram's connection, tried again with a growing wait until it answers) runs in the
    background."""
    if not chat_platforms(settings):
        print(
            "planbot: no chat platform is configured:\n" + how_to_configure("planbot"),
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(_serve(services, settings, polling=telegram_polling))
    return 0


def made_endpoints(services: Services, settings: Settings, *, polling: bool) -> list[Endpoint]:
    """An endpoint for every channel the settings configure, from the module it declares."""
    endpoints = []
    for channel in chat_platforms(settings):
        if channel.endpoint is None:
            continue
        made = importlib.import_module(channel.endpoint).make_endpoint(
            services, settings, polling=polling
        )
        if made is not None:
            endpoints.append(made)
    return endpoints


async def _serve(services: Services, settings: Settings, *, polling: bool) -> None:
    await asyncio.to_thread(_forget_old_events, services)
    endpoints = made_endpoints(services, settings, polling=polling)
    names = ", ".join(endpoint.channel for endpoint in endpoints)
    runner: web.AppRunner | None = None
    if not polling or any(endpoint.takes_webhooks for endpoint in endpoints):
        hold = hold_while(settings.inbox_hold_file) if settings.inbox_hold_file else None
        app = build_app(
            services,
            endpoints,
            inbox_workers=settings.inbox_workers,
            inbox_lease=settings.inbox_lease_seconds,
            before_handling=hold,
        )
        runner = web.AppRunner(app, access_log_class=QuietAccessLogger)
        await runner.setup()
        await web.TCPSite(runner, settings.host, settings.port).start()
        routes = [f"POST {CHANNELS[e.channel].webhook}" for e in endpoints if e.takes_webhooks]
        print(
            f"planbot: listening on port {settings.port} ({names}); "
            f"{', '.join([*routes, 'GET /health'])}",
            file=sys.stderr,
        )
    starts = [asyncio.create_task(endpoint.run()) for endpoint in endpoints]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for start in starts:
            start.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await start
        if runner is not None:
            await runner.cleanup()
        for endpoint in endpoints:
            await endpoint.close()


def _forget_old_events(services: Services) -> None:
    """Event ids (and finished inbox rows) older than their channel keeps them."""
    now = datetime.now(UTC)
    with UnitOfWork(services.db) as uow:
        for channel in CHANNELS.values():
            if channel.keep_event_ids is not None:
                uow.claims.forget_before(channel.name, now - channel.keep_event_ids)
                uow.inbox.forget_before(channel.name, now - channel.keep_event_ids)
