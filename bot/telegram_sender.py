"""Outbox rows to Telegram through python-telegram-bot's `telegram.Bot` (its own Bot and HTTP
pool, apart from the polling application, and no PTB rate limiter: bot/delivery paces and
retries). Telegram's answers become SendResults: 429 -> retry after `retry_after`, 5xx and
timeouts -> retry, 403 (blocked, deactivated) -> blocked, other 400s -> failed."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.channels import TELEGRAM
from bot.delivery import SendResult

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
GONE = ("chat not found", "user not found", "bot was kicked", "group chat was deleted")


class TelegramSender:
    channel = TELEGRAM.name

    def __init__(self, token: str, base_url: str, *, timeout: float = 10.0, pool: int = 32) -> None:
        self.timeout = timeout  # the whole send, as bot/delivery budgets it
        request = HTTPXRequest(
            connection_pool_size=pool,
            connect_timeout=timeout,
            read_timeout=timeout,
            write_timeout=timeout,
            pool_timeout=timeout,
        )
        self.bot = Bot(token, base_url=base_url, request=request)
        self._started = False

    async def start(self) -> None:
        if not self._started:
            await self.bot.initialize()
            self._started = True

    async def close(self) -> None:
        if self._started:
            await self.bot.shutdown()
            self._started = False

    async def send(
        self, chat_id: str, text: str, payload: dict[str, Any], idempotency_key: str
    ) -> SendResult:
        """Telegram has no idempotency key; the key is only logged."""
        await self.start()
        parse_mode = payload.get("parse_mode", ParseMode.HTML)
        try:
            await self.bot.send_message(
                int(chat_id),
                text,
                parse_mode=parse_mode,
                link_preview_options=NO_PREVIEW,
                reply_markup=_keyboard(payload),
            )
        except ChatMigrated as error:
            return SendResult("moved", error=str(error), moved_to=str(error.new_chat_id))
        except RetryAfter as error:
            return SendResult("retry", retry_after=_seconds(error), error=str(error))
        except Forbidden as error:
            return SendResult("blocked", error=str(error))
        except BadRequest as error:
            gone = any(reason in str(error).lower() for reason in GONE)
            log.warning("Telegram refused %s: %s", idempotency_key, error)
            return SendResult("blocked" if gone else "failed", error=str(error))
        except TimedOut as error:  # sent, perhaps; Telegram has no key to send it only once
            return SendResult("retry", error=f"TimedOut: {error}", unsure=True)
        except NetworkError as error:  # 5xx, connection trouble
            return SendResult("retry", error=f"{type(error).__name__}: {error}")
        except TelegramError as error:
            return SendResult("retry", error=f"{type(error).__name__}: {error}")
        return SendResult("sent")


def _seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for: a timedelta (PTB_TIMEDELTA, set in bot/__init__.py) or, with
    PTB's older default, int seconds."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def make_sender(settings: Any, *, timeout: float = 10.0) -> TelegramSender | None:
    """The Telegram sender when TELEGRAM_BOT_TOKEN is set (TELEGRAM_API_BASE_URL honoured)."""
    if not getattr(settings, "telegram_token", None):
        return None
    return TelegramSender(settings.telegram_token, settings.telegram_api_base_url, timeout=timeout)


def _keyboard(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    """Buttons in an outbox payload, [[label, data], ...], one row each (as the LINE sender)."""
    rows = payload.get("buttons") or []
    try:
        buttons = [
            [InlineKeyboardButton(str(label), callback_data=str(data))] for label, data in rows
        ]
    except (TypeError, ValueError):
        return None
    return InlineKeyboardMarkup(buttons) if buttons else None
