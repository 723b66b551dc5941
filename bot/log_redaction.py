"""Secrets out of the logs. Telegram's Bot API carries the bot token in every request URL
(https://api.telegram.org/bot<TOKEN>/sendMessage), and httpx and python-telegram-bot log those
URLs at INFO and DEBUG. `RedactSecrets`, put on the root logger's handlers at start-up
(bot/cli.py), rewrites a record before any handler writes it: the configured token and anything
shaped like one become `bot<token>`, other configured secrets `<secret>`.

A filter on a handler sees every record that reaches that handler, whichever logger made it; a
filter on a logger would miss the records of its children (httpx, telegram.ext, ...).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# A Telegram bot token as it appears in a Bot API URL (the colon may be percent-encoded).
TOKEN_IN_URL = re.compile(r"bot\d+(?::|%3[Aa])[A-Za-z0-9_-]{30,}")
TOKEN_SHOWN = "bot<token>"
# A signed link's secret part in an address an access log writes: a dashboard link's token
# (/dashboard/open?t=...) and a file link's signature (/files/...?sig=...).
LINK_SECRET = re.compile(r"([?&](?:t|sig)=)[^\s\"'&]+")
LINK_SHOWN = r"\1<redacted>"
MIN_SECRET_LENGTH = 8  # shorter values would blank out ordinary words


class RedactSecrets(logging.Filter):
    """Replaces secrets in a record's message (its text with its args filled in), its exception
    text and its stack; the record is changed only when it holds one."""

    def __init__(self, token: str | None = None, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        replacements = {s: "<secret>" for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}
        if token:
            replacements[token] = "<token>"  # so "bot" + token becomes "bot<token>"
        # Longest first, so a secret that contains another is replaced whole.
        self.replacements = sorted(replacements.items(), key=lambda kv: -len(kv[0]))

    def redact(self, text: str) -> str:
        for secret, shown in self.replacements:
            text = text.replace(secret, shown)
        return LINK_SECRET.sub(LINK_SHOWN, TOKEN_IN_URL.sub(TOKEN_SHOWN, text))

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # args that do not fit the message: the handler reports that itself
            return True
        clean = self.redact(message)
        if clean != message:
            # The message with its args filled in, redacted; args cannot leak any more.
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(handlers: Iterable[logging.Handler], redactor: RedactSecrets) -> None:
    """Put `redactor` on each handler, in place of one an earlier start-up put there."""
    for handler in handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactSecrets)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
