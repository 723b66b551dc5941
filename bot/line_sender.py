"""Outbox delivery to LINE chats (the ChannelSender of bot/delivery.py).

A push carries X-Line-Retry-Key, a UUID derived from the outbox row's idempotency key, so when a
push is retried after a timeout LINE answers 409 instead of showing it twice; that 409 counts as
sent. 429 is a retry (LINE's rate limit, or the monthly quota), 403/404 mean the chat blocked
the bot or is gone, 5xx and network trouble are retried, anything else is a failure.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import aiohttp
from linebot.v3.messaging import AsyncMessagingApi, PushMessageRequest
from linebot.v3.messaging.exceptions import ApiException

from bot.line_render import batches, render
from handlers.request import Button, Reply

try:
    from bot.delivery import SendResult
except ImportError:  # pragma: no cover - bot/delivery.py is written alongside; same shape
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class SendResult:  # type: ignore[no-redef]
        outcome: str  # sent | retry | blocked | failed
        retry_after: float | None = None
        error: str = ""


log = logging.getLogger(__name__)
RETRY_KEY_NAMESPACE = uuid.UUID("6f1d3c1e-2f5b-4b8e-9a7e-1c0de5b0a7e1")
DEFAULT_RETRY_AFTER = 30.0
PUSH_TIMEOUT_SECONDS = 15.0


def retry_key(idempotency_key: str, part: int = 0) -> str:
    """The same UUID for every attempt of the same message (and part of it)."""
    name = idempotency_key if part == 0 else f"{idempotency_key}#{part}"
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, name))


class LineSender:
    channel = "line"

    def __init__(self, api: AsyncMessagingApi, language: str = "th") -> None:
        self.api = api
        self.language = language

    async def send(
        self, chat_id: str, text: str, payload: dict[str, Any], idempotency_key: str
    ) -> SendResult:
        """Push one outbox message (HTML-lite text, optional buttons in the payload); more than
        five LINE messages go as several pushes, each with its own stable retry key."""
        reply = Reply(text, buttons=_buttons(payload))
        groups = batches(render([reply], None, self.language))
        for part, messages in enumerate(groups):
            result = await self._push(chat_id, messages, retry_key(idempotency_key, part))
            if result.outcome != "sent":
                return result
        return SendResult("sent")

    async def _push(self, chat_id: str, messages: list[Any], key: str) -> SendResult:
        request = PushMessageRequest(to=chat_id, messages=messages)
        try:
            await self.api.push_message(
                request, x_line_retry_key=key, _request_timeout=PUSH_TIMEOUT_SECONDS
            )
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


def _buttons(payload: dict[str, Any]) -> tuple[tuple[Button, ...], ...]:
    """Optional buttons in an outbox payload: [[label, data], ...] (one row each)."""
    rows = payload.get("buttons") or []
    try:
        return tuple((Button(str(label), str(data)),) for label, data in rows)
    except (TypeError, ValueError):
        return ()


__all__ = ["LineSender", "SendResult", "retry_key"]
