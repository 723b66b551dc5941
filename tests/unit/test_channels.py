"""One declaration per channel (bot/channels.py): what the command line, the delivery, the log
redaction, the renderers and the catalogs do for a channel follows from it (a channel declared
in a test is taken up everywhere: tests/e2e/test_new_channel.py)."""

from __future__ import annotations

import importlib
from dataclasses import replace

from bot.channels import CHANNELS, LINE, TELEGRAM, channel_secrets, chat_platforms
from bot.cli_people import split_who
from bot.config import Settings
from bot.delivery import rate_limits, sender_modules
from handlers.buttons import MAX_DATA
from handlers.i18n import LANGUAGES, Translator

LINE_USER = "U" + "0123456789abcdef" * 2


def _settings(**values: str | None) -> Settings:
    return replace(Settings.from_env({}), **values)


def test_ids_are_checked_by_each_channels_declared_shape() -> None:
    assert split_who("telegram:123456789") == ("telegram", "123456789")
    assert split_who("line:" + LINE_USER) == ("line", LINE_USER)
    assert split_who("console:local") == ("console", "local")
    assert split_who("telegram:" + LINE_USER) is None  # a LINE id is no Telegram id
    assert split_who("line:123456789") is None
    assert split_who("fax:123") is None  # no such channel
    assert split_who("telegram:") is None


def test_delivery_sends_and_paces_every_channel_with_a_sender() -> None:
    with_sender = {c.name for c in CHANNELS.values() if c.sender}
    assert with_sender == {"telegram", "line"}
    assert rate_limits("line") == LINE.limits and rate_limits("telegram") == TELEGRAM.limits
    for module in sender_modules():
        assert callable(importlib.import_module(module).make_sender)


def test_every_webhook_is_served_by_the_module_its_channel_names() -> None:
    for channel in CHANNELS.values():
        assert bool(channel.webhook) == bool(channel.endpoint), channel.name
        if channel.endpoint:
            assert callable(importlib.import_module(channel.endpoint).make_endpoint)


def test_every_channel_has_its_words_in_each_language() -> None:
    """The spreadsheet's column of channels shows `report_channel_<name>`."""
    for language in LANGUAGES:
        assert set(Translator(language).keyed("report_channel_")) == set(CHANNELS), language


def test_button_data_fits_every_channel_and_renderers_read_the_declaration() -> None:
    """A button's data is the same for every channel, so it keeps to the smallest; LINE's and
    Telegram's renderers cut to the sizes declared (the platforms' own)."""
    from bot.line_render import MAX_LABEL, MAX_POSTBACK_DATA, MAX_TEXT
    from bot.telegram_bot import LABEL
    from bot.telegram_limits import CAPTION_MOST

    assert min(c.messages.button_data for c in CHANNELS.values()) >= MAX_DATA
    assert (MAX_TEXT, MAX_LABEL, MAX_POSTBACK_DATA) == (5000, 20, 300)  # the Messaging API's
    assert (CAPTION_MOST, LABEL) == (1024, 64)  # the Bot API's caption, our label


def test_configured_platforms_and_their_secrets_come_from_the_settings() -> None:
    nothing = _settings()
    assert chat_platforms(nothing) == []
    assert [s for s in channel_secrets(nothing) if s] == []
    line_only = _settings(line_channel_secret="s" * 32, line_channel_access_token="t" * 40)
    assert [c.name for c in chat_platforms(line_only)] == ["line"]
    assert set(channel_secrets(line_only)) >= {"s" * 32, "t" * 40}
    half_line = _settings(line_channel_secret="s" * 32)  # no access token: LINE cannot answer
    assert chat_platforms(half_line) == []
    both = _settings(
        telegram_token="1:abc",
        telegram_webhook_secret="w" * 20,
        line_channel_secret="s" * 32,
        line_channel_access_token="t" * 40,
    )
    assert [c.name for c in chat_platforms(both)] == ["telegram", "line"]
    assert "w" * 20 in channel_secrets(both)
