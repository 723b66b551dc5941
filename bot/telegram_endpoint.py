"""Telegram as the webhook server serves it (bot/endpoints.py `Endpoint`).

Webhook mode (`planbot run --webhook`): POST /telegram checks Telegram's
X-Telegram-Bot-Api-Secret-Token (a 401 without it), answers 503 while Telegram has not been
reached yet (Telegram sends the update again later), and a body that is not an update is a 400
(bot/webhook_body.py, bot/telegram_shape.py); an update is written to the inbox keyed by its
update_id and fed to python-telegram-bot by an inbox worker. Long polling (`planbot run`): the
route answers 404 and updates are handled in the process.

Start-up never waits for Telegram: it is tried in the background until it answers
(bot.telegram_bot.keep_trying), and /health says whether it is connected.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.channels import TELEGRAM
from bot.endpoints import Refused
from bot.inbox_worker import RowHandler
from bot.webhook_body import BadBody, load_object
from handlers.context import Services
from storage.inbox import InboxItem, NewEvent

log = logging.getLogger(__name__)
TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class TelegramEndpoint:
    application: Any  # telegram.ext.Application
    secret: str | None
    connected: bool = True  # False until Telegram answered at start-up (/health shows it)
    webhook: bool = True  # False: long polling, and /telegram refuses every call
    public_url: str | None = None  # where Telegram is told to post (the webhook registered)
    channel: str = TELEGRAM.name

    @property
    def takes_webhooks(self) -> bool:
        return self.webhook

    @property
    def mini_app_key(self) -> str | None:
        """A Mini App's launch data is signed with the bot token."""
        return str(self.application.bot.token)

    def check(self, headers: Mapping[str, str], body: bytes) -> None:
        if not _secret_matches(headers.get(TELEGRAM_SECRET_HEADER, ""), self.secret):
            raise Refused(401, "bad or missing secret token")
        if not self.connected:  # Telegram delivers the update again later
            raise Refused(503, "not connected to Telegram yet")

    def events(self, body: bytes) -> list[NewEvent]:
        try:
            data, update = parse_update_raw(body, self.application.bot)
        except BadBody as error:
            raise Refused(400, f"not a Telegram update: {error}") from None
        event = telegram_event(data, update)
        return [event] if event is not None else []

    def row_handler(self) -> RowHandler | None:
        return self._handle_row if self.webhook else None

    async def _handle_row(self, item: InboxItem) -> bool | None:
        from telegram import Update

        while not self.connected:  # rows left by an earlier process wait for Telegram
            await asyncio.sleep(0.5)
        application = self.application
        await application.process_update(Update.de_json(item.payload, application.bot))
        return None  # the worker looks whether the handlers' dispatch settled the row

    def healthy(self) -> bool:
        return self.connected

    def add_routes(self, app: Any) -> None:
        return None

    async def run(self) -> None:
        """Start Telegram (long polling, or the webhook registered when PUBLIC_URL is set),
        trying again until it answers; /telegram takes updates from then on and /health says
        so."""
        from bot.telegram_bot import keep_trying, start_telegram

        url = None
        if self.webhook and self.public_url:
            url = self.public_url.rstrip("/") + str(TELEGRAM.webhook)

        async def attempt() -> None:
            await start_telegram(
                self.application, polling=not self.webhook, webhook_url=url, secret=self.secret
            )

        failures = await keep_trying(attempt, token=self.application.bot.token)
        self.connected = True
        how = "long polling" if not self.webhook else f"webhook {url or 'not registered'}"
        after = f" after {failures} failed attempts" if failures else ""
        log.info("Telegram connected%s: %s", after, how)
        if not self.webhook:
            print("planbot: Telegram long polling started (Ctrl-C stops)", file=sys.stderr)

    async def close(self) -> None:
        from bot.telegram_bot import stop_telegram

        await stop_telegram(self.application)


def make_endpoint(services: Services, settings: Any, *, polling: bool) -> TelegramEndpoint | None:
    """python-telegram-bot built, not yet connected (`run` does that); None without a token."""
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
        return TelegramEndpoint(application, None, connected=False, webhook=False)
    secret = settings.telegram_webhook_secret
    if settings.public_url:
        secret = secret or secrets.token_urlsafe(32)  # we register it, so we may choose it
    elif not secret:
        log.warning("no TELEGRAM_WEBHOOK_SECRET and no PUBLIC_URL: /telegram refuses every call")
    return TelegramEndpoint(application, secret, connected=False, public_url=settings.public_url)


def telegram_event(data: dict[str, Any], update: Any) -> NewEvent | None:
    """An update's inbox row: keyed by its update_id, queued behind its chat's earlier ones;
    None for an update from no chat and no person (nothing there to answer)."""
    name = TELEGRAM.name
    if update.effective_chat is not None:
        chat = f"{name}:{update.effective_chat.id}"
    elif update.effective_user is not None:
        chat = f"{name}:user:{update.effective_user.id}"
    else:
        return None
    return NewEvent(name, str(update.update_id), chat, data)


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
