"""The bot token never reaches a log line: httpx and python-telegram-bot log Bot API URLs, which
carry it, and the CLI's logging set-up redacts it on every root handler, at every level."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from bot.cli import NOISY_LOGGERS, configure_logging
from bot.config import Settings

# Token-shaped, but made up (built from parts so it does not look like a committed secret).
TOKEN = "123456789" + ":" + "AAFakeTokenForTheTestsOnly_abcdefghij"
OTHER = "987654321" + ":" + "AAAnotherTokenNobodyConfigured-xyz0123"
LINE_TOKEN = "line-channel-access-token-0123456789"


@contextmanager
def cli_logging(settings: Settings) -> Iterator[io.StringIO]:
    """The CLI's logging set-up writing to a buffer, with the root logger's own handlers and the
    levels put back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in (*NOISY_LOGGERS, "telegram")}
    for handler in handlers:
        root.removeHandler(handler)
    out = io.StringIO()
    try:
        configure_logging(settings, verbose=True, stream=out)
        yield out
    finally:
        for handler in root.handlers[:]:
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)


def _settings() -> Settings:
    return Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN})


def test_an_httpx_debug_line_with_the_token_in_its_url_is_redacted() -> None:
    url = f"https://api.telegram.org/bot{TOKEN}/sendMessage"
    with cli_logging(_settings()) as out:
        httpx_log = logging.getLogger("httpx")
        httpx_log.setLevel(logging.DEBUG)  # as someone debugging the connection would
        httpx_log.debug("HTTP Request: %s %s", "POST", httpx.URL(url))
        httpx_log.debug(f"plain text {url}")
    text = out.getvalue()
    assert TOKEN not in text and TOKEN.split(":")[1] not in text
    assert "HTTP Request: POST https://api.telegram.org/bot<token>/sendMessage" in text
    assert "plain text https://api.telegram.org/bot<token>/sendMessage" in text


def test_a_real_httpx_request_log_line_is_redacted() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
    with cli_logging(_settings()) as out:
        logging.getLogger("httpx").setLevel(logging.DEBUG)
        with httpx.Client(transport=transport) as client:
            client.post(f"https://api.telegram.org/bot{TOKEN}/getMe")
    text = out.getvalue()
    assert 'HTTP Request: POST https://api.telegram.org/bot<token>/getMe "HTTP/1.1 200 OK"' in text
    assert TOKEN not in text


def test_any_token_shaped_text_secrets_and_tracebacks_are_redacted() -> None:
    with cli_logging(_settings()) as out:
        log = logging.getLogger("telegram.ext.Updater")
        log.setLevel(logging.DEBUG)
        log.info("other bot: https://api.telegram.org/bot%s/getUpdates", OTHER)
        log.warning("encoded: /bot%s/getMe", OTHER.replace(":", "%3A"))
        log.debug("LINE says hello with %s", {"Authorization": f"Bearer {LINE_TOKEN}"})
        try:
            raise httpx.ConnectError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe")
        except httpx.ConnectError:
            log.exception("network trouble")
        log.info("nothing secret: %d updates, %s", 3, "ok")
    text = out.getvalue()
    for secret in (TOKEN, OTHER, OTHER.split(":")[1], LINE_TOKEN):
        assert secret not in text
    assert "other bot: https://api.telegram.org/bot<token>/getUpdates" in text
    assert "encoded: /bot<token>/getMe" in text
    assert "'Bearer <secret>'" in text
    assert "network trouble\nTraceback" in text
    assert "httpx.ConnectError: cannot reach https://api.telegram.org/bot<token>/getMe" in text
    assert "nothing secret: 3 updates, ok" in text


def test_a_record_without_secrets_keeps_its_message_and_args() -> None:
    with cli_logging(_settings()) as out:
        [handler] = logging.getLogger().handlers
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s and %s", ("a", "b"), None)
        assert handler.filter(record)
        assert (record.msg, record.args) == ("%s and %s", ("a", "b"))
        handler.handle(record)
    assert out.getvalue().endswith("x: a and b\n")
