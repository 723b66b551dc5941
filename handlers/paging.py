"""Keeping replies within a phone screen and Telegram's 4096 characters."""

from __future__ import annotations

from handlers.text_fit import split

LIMIT = 3500  # visible UTF-16 units, under Telegram's 4096: a phone screen or two


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Telegram HTML in parts of at most `limit` visible UTF-16 units (as Telegram counts): cut at
    lines, then words, never inside a Thai cluster, a tag or an entity; the tags open at a cut
    are closed there and reopened in the next part (handlers/text_fit.split)."""
    return split(text, limit) or [text]
