"""One place per channel: its name, the shape of its people's ids, when the settings turn it on,
the route its webhook events come to and the module that serves it, the module that sends its
outbox messages, its rate limits, what its chats can show and how much a message holds, how long
its event ids are remembered, and its secrets. The command line, the webhook server and its
health page, the delivery, the log redaction and the conversation (through `Request.traits`)
read them from here, so a new channel is its own modules, one declaration and its catalog
words (`report_channel_<name>` in report.po).

A channel's own modules are `bot/<name>.py` and `bot/<name>_*.py`; only they and this file may
name a channel (tests/unit/test_channel_names.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
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
    title: str  # how people call it ("LINE"), in the command line's words
    user_id: re.Pattern[str]  # a person's id as the platform sends it (`planbot user add`)
    id_example: str  # an id of that shape, for the command line's help
    id_shape: str  # that shape in words
    configured: Callable[[Any], bool]  # whether the settings turn the channel on
    setup: str = ""  # how to turn it on, for `planbot run` with nothing configured
    webhook: str | None = None  # the route its events are posted to (bot/webhook.py)
    # The module whose make_endpoint(services, settings, *, polling) serves that route
    # (bot/endpoints.py `Endpoint`): checks and stores events, handles their inbox rows.
    endpoint: str | None = None
    sender: str | None = None  # the module whose make_sender(settings, timeout=…) sends outbox rows
    limits: RateLimits = field(default_factory=RateLimits)
    traits: ChannelTraits = field(default_factory=ChannelTraits)  # what its chats show, hold
    keep_event_ids: timedelta | None = None  # how long a handled event's id is remembered
    invite: str = ""  # what a person types there to use an invite code ({code})
    secrets: Callable[[Any], tuple[str | None, ...]] = _never  # kept out of the logs

    @property
    def messages(self) -> MessageLimits:
        return self.traits.messages


TELEGRAM = Channel(
    "telegram",
    "Telegram",
    re.compile(r"^[0-9]{1,20}$"),  # a Telegram user id is a number
    "123456789",
    "digits",
    configured=lambda settings: bool(settings.telegram_token),
    setup="create a bot with @BotFather, then\n"
    "      export TELEGRAM_BOT_TOKEN=123456:ABC...    and run: {prog} run",
    webhook="/telegram",
    endpoint="bot.telegram_endpoint",
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
    # Telegram may reuse update ids after a quiet week.
    keep_event_ids=timedelta(days=6),
    invite="/start {code}",
    # The bot token itself is redacted as a token (bot/log_redaction.py), not as a secret.
    secrets=lambda settings: (settings.telegram_webhook_secret,),
)

LINE = Channel(
    "line",
    "LINE",
    re.compile(r"^U[0-9a-f]{32}$"),  # a LINE user id: U and 32 hex digits
    "U4af4980629...",
    "U and 32 hex digits",
    configured=lambda settings: bool(
        settings.line_channel_secret and settings.line_channel_access_token
    ),
    setup="export LINE_CHANNEL_SECRET=... LINE_CHANNEL_ACCESS_TOKEN=...  and run: {prog} run --webhook",
    webhook="/line",
    endpoint="bot.line_endpoint",
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
    # LINE redelivers within hours; a month is plenty.
    keep_event_ids=timedelta(days=30),
    invite="start {code}",
    secrets=lambda settings: (settings.line_channel_secret, settings.line_channel_access_token),
)

CONSOLE = Channel(
    "console",  # `planbot chat`: the terminal, no webhook and no sender
    "the terminal",
    re.compile(r"^\S+$"),
    "local",
    "no spaces",
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


def with_webhooks() -> list[Channel]:
    """The channels whose events come to the webhook server, configured or not."""
    return [c for c in CHANNELS.values() if c.webhook]


def how_to_configure(prog: str) -> str:
    """How to turn on each chat platform, a paragraph each (`planbot run` with none)."""
    return "\n".join(
        f"  {c.title + ':':<9} {c.setup.format(prog=prog)}" for c in CHANNELS.values() if c.setup
    )


def id_examples() -> str:
    """`telegram:123456789 (digits) or line:U4af4980629... (U and 32 hex digits)`: the chat
    platforms' ids, for the command line's help and its refusals."""
    return " or ".join(
        f"{c.name}:{c.id_example} ({c.id_shape})" for c in CHANNELS.values() if c.webhook
    )
