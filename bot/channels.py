"""One place per channel: its name, the shape of its people's ids, when the settings turn it on,
the route its webhook events come to, the module that sends its outbox messages, its rate limits
and its secrets. The command line's id check, the delivery's senders and limits, the health
page and the log redaction read them from here, so a new channel starts with one declaration."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RateLimits:
    """A platform's limits. `margin` seconds are added to every window: our clock starts before
    the request travels, and the platform's after, so requests arrive closer than they left."""

    overall: int = 30  # messages per `overall_window` seconds, all chats together
    overall_window: float = 1.0
    per_chat_interval: float = 1.0  # seconds between two messages to one chat
    group_count: int = 20  # messages per `group_window` seconds to one group
    group_window: float = 60.0
    margin: float = 0.1

    @property
    def rate(self) -> float:
        return self.overall / (self.overall_window + self.margin)


def _never(_settings: Any) -> tuple[str | None, ...]:
    return ()


@dataclass(frozen=True)
class Channel:
    name: str
    user_id: re.Pattern[str]  # a person's id as the platform sends it (`planbot user add`)
    configured: Callable[[Any], bool]  # whether the settings turn the channel on
    webhook: str | None = None  # the route its events are posted to (bot/webhook.py)
    sender: str | None = None  # the module whose make_sender(settings, timeout=…) sends outbox rows
    limits: RateLimits = field(default_factory=RateLimits)
    secrets: Callable[[Any], tuple[str | None, ...]] = _never  # kept out of the logs


TELEGRAM = Channel(
    "telegram",
    re.compile(r"^[0-9]{1,20}$"),  # a Telegram user id is a number
    configured=lambda settings: bool(settings.telegram_token),
    webhook="/telegram",
    sender="bot.telegram_sender",
    # About 30 messages a second overall, 1 a second per chat, 20 a minute per group.
    limits=RateLimits(),
    # The bot token itself is redacted as a token (bot/log_redaction.py), not as a secret.
    secrets=lambda settings: (settings.telegram_webhook_secret,),
)

LINE = Channel(
    "line",
    re.compile(r"^U[0-9a-f]{32}$"),  # a LINE user id: U and 32 hex digits
    configured=lambda settings: bool(
        settings.line_channel_secret and settings.line_channel_access_token
    ),
    webhook="/line",
    sender="bot.line_sender",
    limits=RateLimits(overall=100, per_chat_interval=0.0, group_count=1000),
    secrets=lambda settings: (settings.line_channel_secret, settings.line_channel_access_token),
)

CONSOLE = Channel(
    "console",  # `planbot chat`: the terminal, no webhook and no sender
    re.compile(r"^\S+$"),
    configured=lambda _settings: True,
)

CHANNELS: dict[str, Channel] = {c.name: c for c in (TELEGRAM, LINE, CONSOLE)}


def channel_secrets(settings: Any) -> tuple[str | None, ...]:
    """Every channel's secrets, for the log redaction."""
    return tuple(secret for channel in CHANNELS.values() for secret in channel.secrets(settings))


def chat_platforms(settings: Any) -> list[Channel]:
    """The chat platforms the settings turn on (channels people reach by webhook or polling)."""
    return [c for c in CHANNELS.values() if c.webhook and c.configured(settings)]
