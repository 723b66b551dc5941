"""Outbox delivery to LINE chats (the ChannelSender of bot/delivery.py).

A push carries X-Line-Retry-Key, a UUID derived from the outbox row's idempotency key, so when a
push is retried after a timeout LINE answers 409 instead of showing it twice; that 409 counts as
sent. 429 is a retry (LINE's rate limit, or the monthly quota), 403/404 mean the chat blocked
the bot or is gone, 5xx and network trouble are retried, anything else is a failure.

Replies and pushes are posted as the JSON we built (`post_messages`), not through the SDK's
request models: validating a Flex card into pydantic objects and serialising it back cost more
than everything else in a reply. The SDK's client still does the rest: its configuration and
auth header, its HTTP session, and its ApiException for a refusal.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import aiohttp
from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration
from linebot.v3.messaging.async_rest import RESTResponse
from linebot.v3.messaging.exceptions import ApiException

from bot.channels import LINE
from bot.delivery import SendResult
from bot.line_render import batches, render
from handlers.cards import card_from_dict
from handlers.request import Button, Card, Reply

log = logging.getLogger(__name__)
RETRY_KEY_NAMESPACE = uuid.UUID("6f1d3c1e-2f5b-4b8e-9a7e-1c0de5b0a7e1")
DEFAULT_RETRY_AFTER = 30.0
PUSH_TIMEOUT_SECONDS = 15.0


REPLY_PATH, PUSH_PATH = "/v2/bot/message/reply", "/v2/bot/message/push"


async def post_messages(
    api: AsyncMessagingApi,
    path: str,
    body: dict[str, Any],
    *,
    retry_key: str | None = None,
    timeout: float | None = None,
) -> None:
    """POST a JSON body (UTF-8, Thai unescaped, as LINE's size limits count it) to the
    Messaging API with the SDK client's headers, auth and HTTP session; a refusal raises the
    SDK's ApiException, as `reply_message` / `push_message` do."""
    client = api.api_client
    headers: dict[str, str] = {
        **client.default_headers,
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    if retry_key is not None:
        headers["X-Line-Retry-Key"] = retry_key
    client.update_params_for_auth(headers, [], ["Bearer"], path, "POST", None)
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    session = client.rest_client.pool_manager
    wait = aiohttp.ClientTimeout(total=timeout or 5 * 60)
    url = client.configuration.host + path
    async with session.post(url, data=data, headers=headers, timeout=wait) as answer:
        response = RESTResponse(answer, await answer.read())
    if not 200 <= response.status <= 299:
        error = ApiException(http_resp=response)
        if isinstance(error.body, bytes):
            error.body = error.body.decode("utf-8", "replace")
        raise error


def retry_key(idempotency_key: str, part: int = 0) -> str:
    """The same UUID for every attempt of the same message (and part of it)."""
    name = idempotency_key if part == 0 else f"{idempotency_key}#{part}"
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, name))


class LineSender:
    channel = LINE.name

    def __init__(
        self,
        api: AsyncMessagingApi | Callable[[], AsyncMessagingApi],
        language: str = "th",
        *,
        timeout: float = PUSH_TIMEOUT_SECONDS,
    ) -> None:
        # A factory is accepted so the aiohttp session is made inside the delivery loop.
        self._api = api
        self.language = language
        self.timeout = timeout  # one push; bot/delivery budgets a send by it

    async def close(self) -> None:
        if isinstance(self._api, AsyncMessagingApi):
            await self._api.api_client.close()

    @property
    def api(self) -> AsyncMessagingApi:
        if not isinstance(self._api, AsyncMessagingApi):
            self._api = self._api()
        return self._api

    async def send(
        self, chat_id: str, text: str, payload: dict[str, Any], idempotency_key: str
    ) -> SendResult:
        """Push one outbox message (HTML-lite text, optional buttons in the payload); more than
        five LINE messages go as several pushes, each with its own stable retry key."""
        reply = Reply(text, buttons=_buttons(payload), card=_card(payload))
        groups = batches(render([reply], None, self.language))
        for part, messages in enumerate(groups):
            result = await self._push(chat_id, messages, retry_key(idempotency_key, part))
            if result.outcome != "sent":
                return result
        return SendResult("sent")

    async def _push(self, chat_id: str, messages: list[Any], key: str) -> SendResult:
        body = {"to": chat_id, "messages": messages}
        try:
            await post_messages(self.api, PUSH_PATH, body, retry_key=key, timeout=self.timeout)
        except ApiException as error:
            return _outcome(error)
        except (TimeoutError, aiohttp.ClientError) as error:
            return SendResult("retry", None, f"network: {error!r}"[:300])
        return SendResult("sent")


def _outcome(error: ApiException) -> SendResult:
    status = int(error.status or 0)
    detail = f"LINE {status}: {str(error.body or error.reason or '')[:200]}"
    if status == 409:  # this retry key was already accepted: it was delivered
        return SendResult("sent")
    if status == 429:
        return SendResult("retry", _retry_after(error), detail)
    if status in (403, 404):
        return SendResult("blocked", None, detail)
    if status >= 500:
        return SendResult("retry", None, detail)
    return SendResult("failed", None, detail)


def _retry_after(error: ApiException) -> float:
    headers = error.headers or {}
    try:
        return float(headers.get("Retry-After") or DEFAULT_RETRY_AFTER)
    except ValueError:
        return DEFAULT_RETRY_AFTER


def _card(payload: dict[str, Any]) -> Card | None:
    """A card in an outbox payload (a reminder): drawn as a Flex message; None if absent or bad."""
    data = payload.get("card")
    if not isinstance(data, dict):
        return None
    try:
        return card_from_dict(data)
    except (KeyError, TypeError, ValueError):
        log.warning("an outbox card could not be read; sending the text")
        return None


def _buttons(payload: dict[str, Any]) -> tuple[tuple[Button, ...], ...]:
    """Optional buttons in an outbox payload: [[label, data], ...] (one row each)."""
    rows = payload.get("buttons") or []
    try:
        return tuple((Button(str(label), str(data)),) for label, data in rows)
    except (TypeError, ValueError):
        return ()


def make_line_api(base_url: str, access_token: str) -> AsyncMessagingApi:
    """The SDK's async client pointed at LINE (or a local test server); call inside a loop."""
    configuration = Configuration(host=base_url.rstrip("/"), access_token=access_token)
    return AsyncMessagingApi(AsyncApiClient(configuration))


def make_sender(settings: Any, *, timeout: float = 10.0) -> LineSender | None:
    """The LINE sender when the channel's access token is set (LINE_API_BASE_URL honoured)."""
    token = getattr(settings, "line_channel_access_token", None)
    if not token:
        return None
    return LineSender(lambda: make_line_api(settings.line_api_base_url, token), timeout=timeout)


__all__ = ["LineSender", "SendResult", "make_sender", "retry_key"]
