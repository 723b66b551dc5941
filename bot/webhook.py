"""`planbot run --webhook`: one aiohttp server for Telegram (/telegram) and LINE (/line); and
`planbot run` with LINE configured: the same server for /line beside Telegram's long polling.

Both webhooks answer at once: after the checks below, the events are written to the inbox in
one short transaction (storage/inbox.py; a redelivered event id writes nothing) and the call is
answered 200. Inbox workers in this process (bot/inbox_worker.py, PLANBOT_INBOX_WORKERS) handle
them in order per chat; a row whose process died is taken again after its lease, by this
instance or another. A database that cannot take the events is a 500, so the platform tries
again.

/line checks X-Line-Signature over the raw body before anything else: a missing signature is a
400, a wrong one a 401, both logged without the body and nothing processed. /telegram checks
Telegram's X-Telegram-Bot-Api-Secret-Token the same way (401) and feeds python-telegram-bot; it
answers 503 while Telegram has not been reached yet. An authenticated body that is not an update
is a 400 (bot/webhook_body.py). GET /health says whether the database answers, whether LINE is
served and whether Telegram is connected; GET /media/<token>/<name> serves the pictures and
files LINE can only take by URL, GET /files/<sha256>/<name> kept evidence files by signed link
(bot/file_links.py).

Start-up never waits for Telegram: the server answers at once, and Telegram is tried in the
background until it answers (bot.telegram_bot.keep_trying), so LINE keeps working through a
Telegram outage or a network that is not up yet. With LINE configured, the channel's rich menu
is set up at start, in the background too (bot/line_richmenu.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from bot.access_log import QuietAccessLogger
from bot.channels import CHANNELS, chat_platforms
from bot.config import Settings
from bot.file_links import FileLinks, add_file_route
from bot.inbox_worker import InboxWorkers, RowHandler, hold_while
from bot.line_bot import LineBot, LineWebhook, inbox_events
from bot.line_render import MediaStore
from bot.line_richmenu import make_blob_api, set_up_rich_menu
from bot.line_sender import make_line_api
from bot.web import mount_dashboard
from bot.webhook_body import BadBody, load_object
from handlers.context import Services
from storage.db import update_claims
from storage.inbox import InboxItem, NewEvent
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
LINE_SIGNATURE_HEADER = "X-Line-Signature"
KEEP_EVENT_IDS = update_claims.KEEP_EVENT_IDS
SHUTDOWN_GRACE_SECONDS = 10.0

SERVICES: web.AppKey[Services] = web.AppKey("services", Services)
LINE: web.AppKey[Any] = web.AppKey("line")
TELEGRAM: web.AppKey[Any] = web.AppKey("telegram")
TIMINGS: web.AppKey[Any] = web.AppKey("timings")
MEDIA: web.AppKey[Any] = web.AppKey("media")
INBOX: web.AppKey[InboxWorkers] = web.AppKey("inbox", InboxWorkers)


@dataclass
class Timings:
    """Where /line spends its time, summed (the benchmark reads it): checking the signature, and
    reading and storing the events (handling them is the inbox workers' part)."""

    requests: int = 0
    verify_seconds: float = 0.0
    handle_seconds: float = 0.0
    refused: dict[int, int] = field(default_factory=dict)

    def reset(self) -> None:
        self.requests, self.verify_seconds, self.handle_seconds = 0, 0.0, 0.0
        self.refused.clear()


@dataclass
class Line:
    webhook: LineWebhook
    bot: LineBot


@dataclass
class Telegram:
    application: Any  # telegram.ext.Application
    secret: str | None
    connected: bool = True  # False until Telegram answered at start-up (/health shows it)
    webhook: bool = True  # False: long polling, and /telegram refuses every call


def build_app(
    services: Services,
    *,
    line: Line | None = None,
    telegram: Telegram | None = None,
    media: MediaStore | None = None,
    inbox_workers: int = 4,
    inbox_lease: float = 60.0,
    before_handling: Callable[[InboxItem], Awaitable[None]] | None = None,
) -> web.Application:
    """The server; its inbox workers run while it does (`inbox_workers` loops, rows taken for
    `inbox_lease` seconds at a time; `before_handling` is a test's hook)."""
    app = web.Application(client_max_size=4 * 1024 * 1024)
    app[SERVICES], app[LINE], app[TELEGRAM] = services, line, telegram
    app[TIMINGS], app[MEDIA] = Timings(), media
    handlers: dict[str, RowHandler] = {}
    if line is not None:
        handlers["line"] = line.bot.handle_row
    if telegram is not None and telegram.webhook:
        handlers["telegram"] = _telegram_rows(telegram)
    app[INBOX] = InboxWorkers(
        services.db,
        handlers,
        workers=inbox_workers,
        lease=inbox_lease,
        before_handling=before_handling,
    )
    app.cleanup_ctx.append(_run_inbox)
    app.router.add_post(str(CHANNELS["line"].webhook), line_webhook)
    app.router.add_post(str(CHANNELS["telegram"].webhook), telegram_webhook)
    app.router.add_get("/health", health)
    app.router.add_get("/media/{token}/{name}", media_file)
    add_file_route(app, services, media.links if media else None)
    mount_dashboard(app, services, telegram)
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


def _telegram_rows(telegram: Telegram) -> RowHandler:
    async def handle(item: InboxItem) -> bool | None:
        from telegram import Update

        while not telegram.connected:  # rows left by an earlier process wait for Telegram
            await asyncio.sleep(0.5)
        application = telegram.application
        await application.process_update(Update.de_json(item.payload, application.bot))
        return None  # the worker looks whether the handlers' dispatch settled the row

    return handle


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
    timings: Timings = app[TIMINGS]
    timings.refused[status] = timings.refused.get(status, 0) + 1
    log.warning(
        "%s %s refused (%d): %s from %s", request.method, request.path, status, why, request.remote
    )
    return web.json_response({"ok": False, "error": why}, status=status)


async def line_webhook(request: web.Request) -> web.Response:
    line: Line | None = request.app[LINE]
    if line is None:
        return _refuse(request.app, 404, "LINE is not configured here", request)
    body = await request.read()
    signature = request.headers.get(LINE_SIGNATURE_HEADER)
    if not signature:
        return _refuse(request.app, 400, "missing X-Line-Signature", request)
    timings: Timings = request.app[TIMINGS]
    started = time.perf_counter()
    valid = line.webhook.verify(body, signature)
    checked = time.perf_counter()
    timings.verify_seconds += checked - started
    if not valid:
        return _refuse(request.app, 401, "bad X-Line-Signature", request)
    try:
        parsed = line.webhook.parse_raw(body)
    except BadBody as error:
        return _refuse(request.app, 400, f"not a LINE webhook body: {error}", request)
    response = await _store(
        request, inbox_events(parsed, line.bot.parsed)
    )  # in order: the workers keep it
    timings.handle_seconds += time.perf_counter() - checked
    timings.requests += 1
    return response


async def telegram_webhook(request: web.Request) -> web.Response:
    telegram: Telegram | None = request.app[TELEGRAM]
    if telegram is None or not telegram.webhook:
        return _refuse(request.app, 404, "Telegram is not configured here", request)
    if not _secret_matches(request.headers.get(TELEGRAM_SECRET_HEADER, ""), telegram.secret):
        return _refuse(request.app, 401, "bad or missing secret token", request)
    if not telegram.connected:  # Telegram delivers the update again later
        return _refuse(request.app, 503, "not connected to Telegram yet", request)
    try:
        data, update = parse_update_raw(await request.read(), telegram.application.bot)
    except BadBody as error:
        return _refuse(request.app, 400, f"not a Telegram update: {error}", request)
    event = telegram_event(data, update)
    return await _store(request, [event] if event is not None else [])


def telegram_event(data: dict[str, Any], update: Any) -> NewEvent | None:
    """An update's inbox row: keyed by its update_id, queued behind its chat's earlier ones;
    None for an update from no chat and no person (nothing there to answer)."""
    if update.effective_chat is not None:
        chat = f"telegram:{update.effective_chat.id}"
    elif update.effective_user is not None:
        chat = f"telegram:user:{update.effective_user.id}"
    else:
        return None
    return NewEvent("telegram", str(update.update_id), chat, data)


def _secret_matches(given: str, secret: str | None) -> bool:
    """Telegram's secret tokens are ASCII (A-Z, a-z, 0-9, _ and -); a header that is not (aiohttp
    hands undecodable bytes over as surrogates, which cannot even be encoded) never matches."""
    if not secret or not given.isascii():
        return False
    return hmac.compare_digest(given.encode(), secret.encode())


def parse_update(body: bytes, bot: Any) -> Any:
    """The telegram.Update in a webhook body, or BadBody (see `parse_update_raw`)."""
    return parse_update_raw(body, bot)[1]


def parse_update_raw(body: bytes, bot: Any) -> tuple[dict[str, Any], Any]:
    """The body as sent and the telegram.Update in it, or BadBody: an object with an integer
    update_id whose update kinds are objects that python-telegram-bot can read. Kinds PTB does
    not know are kept as they are (Telegram adds some now and then, and they are answered 200)."""
    from telegram import Update
    from telegram.constants import UpdateType

    from bot.telegram_shape import shape_problem

    data = load_object(body)
    if type(data.get("update_id")) is not int:
        raise BadBody("no integer update_id")
    for kind in UpdateType:
        if kind.value in data and not isinstance(data[kind.value], dict):
            raise BadBody(f"{kind.value} is not an object")
    try:
        update = Update.de_json(data, bot)
    except Exception as error:  # PTB's parsers raise TypeError, KeyError, ValueError...
        raise BadBody(f"unreadable ({type(error).__name__})") from None
    problem = shape_problem(update)
    if problem:
        raise BadBody(problem)
    return data, update


async def health(request: web.Request) -> web.Response:
    services: Services = request.app[SERVICES]
    telegram: Telegram | None = request.app[TELEGRAM]
    try:
        database = await asyncio.to_thread(_ping, services)
    except Exception as error:
        log.warning("health: database does not answer: %s", error)
        database = False
    body = {
        "status": "ok" if database else "degraded",
        "database": database,
        "line": request.app[LINE] is not None,
        "telegram": telegram is not None and telegram.connected,
    }
    return web.json_response(body, status=200 if database else 503)


def _ping(services: Services) -> bool:
    with UnitOfWork(services.db) as uow:
        return uow.claims.ping()


async def media_file(request: web.Request) -> web.Response:
    media: MediaStore | None = request.app[MEDIA]
    found = media.get(request.match_info["token"]) if media else None
    if found is None:
        raise web.HTTPNotFound()
    return web.Response(body=found.content, content_type=found.mime_type)


# -- running it -------------------------------------------------------------------------------
def serve(services: Services, settings: Settings, *, telegram_polling: bool) -> int:
    """`planbot run [--webhook]` until SIGTERM/SIGINT (0); 2 when no platform is configured.

    Webhook mode serves POST /telegram, POST /line and GET /health on $PORT. Otherwise Telegram
    is reached by long polling, and when LINE is configured its webhook server (POST /line, GET
    /health) runs beside it on $PORT. The web server answers from the start; Telegram is brought
    up in the background and tried again, with a growing wait, until it answers."""
    if not chat_platforms(settings):
        print(
            "planbot: set TELEGRAM_BOT_TOKEN and/or LINE_CHANNEL_SECRET and "
            "LINE_CHANNEL_ACCESS_TOKEN",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(_serve(services, settings, polling=telegram_polling))
    return 0


async def _serve(services: Services, settings: Settings, *, polling: bool) -> None:
    await asyncio.to_thread(_forget_old_events, services)
    links = None
    if settings.public_url and settings.line_channel_secret:
        links = FileLinks(settings.public_url, settings.line_channel_secret)
    media = MediaStore(settings.public_url, links=links)
    line = _line(services, settings, media)
    menu = None
    if line is not None and settings.line_channel_access_token:  # in the background: serve now
        menu = asyncio.create_task(
            set_up_rich_menu(
                settings.line_api_base_url,
                settings.line_api_data_base_url,
                settings.line_channel_access_token,
            )
        )
    telegram = _telegram(services, settings, polling=polling)
    services.channels = tuple(name for name, on in (("telegram", telegram), ("line", line)) if on)
    runner: web.AppRunner | None = None
    if line is not None or not polling:
        hold = hold_while(settings.inbox_hold_file) if settings.inbox_hold_file else None
        app = build_app(
            services,
            line=line,
            telegram=telegram,
            media=media,
            inbox_workers=settings.inbox_workers,
            inbox_lease=settings.inbox_lease_seconds,
            before_handling=hold,
        )
        runner = web.AppRunner(app, access_log_class=QuietAccessLogger)
        await runner.setup()
        await web.TCPSite(runner, settings.host, settings.port).start()
        routes = ["POST /telegram"] if not polling else []
        print(
            f"planbot: listening on port {settings.port} ({', '.join(services.channels)}); "
            f"{', '.join([*routes, 'POST /line', 'GET /health'])}",
            file=sys.stderr,
        )
    connecting = None
    if telegram is not None:
        connecting = asyncio.create_task(_connect(telegram, settings))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        if menu is not None:
            menu.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await menu
        if connecting is not None:
            connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await connecting
        if runner is not None:
            await runner.cleanup()
        if telegram is not None:
            from bot.telegram_bot import stop_telegram

            await stop_telegram(telegram.application)
        if line is not None:
            await line.bot.close()


def _line(services: Services, settings: Settings, media: MediaStore) -> Line | None:
    if not (settings.line_channel_secret and settings.line_channel_access_token):
        return None  # LINE.configured, written out so the types narrow
    token = settings.line_channel_access_token
    api = make_line_api(settings.line_api_base_url, token)
    blob = make_blob_api(settings.line_api_data_base_url, token)
    bot = LineBot(services, api, media=media, blob=blob)
    return Line(LineWebhook(settings.line_channel_secret), bot)


def _telegram(services: Services, settings: Settings, *, polling: bool) -> Telegram | None:
    """python-telegram-bot built, not yet connected (`_connect` does that)."""
    if not settings.telegram_token:
        return None  # TELEGRAM.configured, written out so the types narrow
    from bot.telegram_bot import build_application

    application = build_application(
        settings.telegram_token,
        services,
        settings.telegram_api_base_url,
        file_url=settings.telegram_file_url,
    )
    if polling:
        return Telegram(application, None, connected=False, webhook=False)
    secret = settings.telegram_webhook_secret
    if settings.public_url:
        secret = secret or secrets.token_urlsafe(32)  # we register it, so we may choose it
    elif not secret:
        log.warning("no TELEGRAM_WEBHOOK_SECRET and no PUBLIC_URL: /telegram refuses every call")
    return Telegram(application, secret, connected=False)


async def _connect(telegram: Telegram, settings: Settings) -> None:
    """Start Telegram (long polling, or the webhook registered when PUBLIC_URL is set), trying
    again until it answers; /telegram takes updates from then on and /health says so."""
    from bot.telegram_bot import keep_trying, start_telegram

    url = None
    if telegram.webhook and settings.public_url:
        url = settings.public_url.rstrip("/") + "/telegram"

    async def attempt() -> None:
        await start_telegram(
            telegram.application,
            polling=not telegram.webhook,
            webhook_url=url,
            secret=telegram.secret,
        )

    failures = await keep_trying(attempt, token=settings.telegram_token)
    telegram.connected = True
    how = "long polling" if not telegram.webhook else f"webhook {url or 'not registered'}"
    after = f" after {failures} failed attempts" if failures else ""
    log.info("Telegram connected%s: %s", after, how)
    if not telegram.webhook:
        print("planbot: Telegram long polling started (Ctrl-C stops)", file=sys.stderr)


def _forget_old_events(services: Services) -> None:
    now = datetime.now(UTC)
    with UnitOfWork(services.db) as uow:
        for channel, keep in KEEP_EVENT_IDS.items():
            uow.claims.forget_before(channel, now - keep)
            uow.inbox.forget_before(channel, now - keep)
