"""Keeping replies within a phone screen and Telegram's 4096 characters."""

from __future__ import annotations

LIMIT = 3500  # under Telegram's 4096, leaving room for the HTML tags a channel may add


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Split at blank lines, then lines, then spaces; a part is never cut inside a word."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for block in text.split("\n"):
        candidate = f"{current}\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(block) > limit:
            cut = block.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            parts.append(block[:cut])
            block = block[cut:].lstrip()
        current = block
    if current:
        parts.append(current)
    return parts
