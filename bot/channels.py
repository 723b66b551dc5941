"""One place per channel: its name, the shape of its people's ids, when the settings turn it on,
the route its webhook events come to, the module that sends its outbox messages, its rate limits,
what its chats can show and how much a message holds (`traits`, handed in with each request),
and its secrets. The command line's id check, the delivery's senders and limits, the health
page and the log redaction read them from here, so a new channel starts with one declaration."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from handlers.request import ChannelTraits, MessageLimits


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
    traits: ChannelTraits = field(default_factory=ChannelTraits)  # what its chats show, hold
    secrets: Callable[[Any], tuple[str | None, ...]] = _never  # kept out of the logs

    @property
    def messages(self) -> MessageLimits:
        return self.traits.messages


TELEGRAM = Channel(
    "telegram",
    re.compile(r"^[0-9]{1,20}$"),  # a Telegram user id is a number
    configured=lambda settings: bool(settings.telegram_token),
    webhook="/telegram",
    sender="bot.telegram_sender",
    # About 30 messages a second overall, 1 a second per chat, 20 a minute per group.
    limits=RateLimits(),
    traits=ChannelTraits(
        draws_cards=False,  # a card would only cost time: Telegram shows the text
        mini_app=True,
        group_files_need_reply=True,
        # Bot API: 4096 units of text, 1024 of caption (both after the HTML is parsed), 64
        # bytes of callback data, 50 MB per file a bot sends, 10 files to an album. A button
        # label has no stated limit; 64 keeps it on a phone's line.
        messages=MessageLimits(
            text=4096, caption=1024, button_label=64, button_data=64, file_bytes=50_000_000
        ),
    ),
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
    traits=ChannelTraits(
        draws_cards=True,  # a Flex bubble (bot/line_render.py)
        # Messaging API: 5000 UTF-16 units of text, no captions (a file's words go as a text),
        # 20 graphemes of quick-reply label, 300 characters of postback data. Files go as links
        # to this server, kept within the same 50 MB the others take.
        messages=MessageLimits(
            text=5000, caption=0, button_label=20, button_data=300, file_bytes=50_000_000
        ),
    ),
    secrets=lambda settings: (settings.line_channel_secret, settings.line_channel_access_token),
)

CONSOLE = Channel(
    "console",  # `planbot chat`: the terminal, no webhook and no sender
    re.compile(r"^\S+$"),
    configured=lambda _settings: True,
    # It prints the text (no cards, no Mini App); a terminal holds any length.
    traits=ChannelTraits(
        draws_cards=False,
        messages=MessageLimits(text=1_000_000, caption=1_000_000, button_label=1_000),
    ),
)

CHANNELS: dict[str, Channel] = {c.name: c for c in (TELEGRAM, LINE, CONSOLE)}


def channel_secrets(settings: Any) -> tuple[str | None, ...]:
    """Every channel's secrets, for the log redaction."""
    return tuple(secret for channel in CHANNELS.values() for secret in channel.secrets(settings))


def chat_platforms(settings: Any) -> list[Channel]:
    """The chat platforms the settings turn on (channels people reach by webhook or polling)."""
    return [c for c in CHANNELS.values() if c.webhook and c.configured(settings)]
