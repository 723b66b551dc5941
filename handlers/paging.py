"""Keeping replies within a phone screen, and within what one message of the channel holds."""

from __future__ import annotations

from dataclasses import replace

from handlers.request import Reply
from handlers.text_fit import split, visible_utf16

# Visible UTF-16 units: a phone screen or two, whatever the channel. A channel whose messages
# hold less (its declared MessageLimits.text) has its replies split further by `within`.
LIMIT = 3500


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Telegram HTML in parts of at most `limit` visible UTF-16 units (as Telegram counts): cut at
    lines, then words, never inside a Thai cluster, a tag or an entity; the tags open at a cut
    are closed there and reopened in the next part (handlers/text_fit.split)."""
    return split(text, limit) or [text]


def within(replies: list[Reply], limit: int) -> list[Reply]:
    """Each reply whose text is longer than one message of the channel holds (`limit` visible
    UTF-16 units, the request's `traits.messages.text`) as several that fit, in order: the first
    keeps the card and an edit, the last the buttons and the files, and the parts after a card
    are `beside_card`. Dispatch applies it to every answer, so no command need know the sizes."""
    out: list[Reply] = []
    for reply in replies:
        parts = split_message(reply.text, limit) if visible_utf16(reply.text) > limit else []
        if len(parts) < 2:
            out.append(reply)
            continue
        last = len(parts) - 1
        for number, part in enumerate(parts):
            first, final = number == 0, number == last
            out.append(
                replace(
                    reply,
                    text=part,
                    buttons=reply.buttons if final else (),
                    image=reply.image if final else None,
                    document=reply.document if final else None,
                    files=reply.files if final else (),
                    edit=reply.edit and first,
                    card=reply.card if first else None,
                    beside_card=reply.beside_card or (not first and reply.card is not None),
                )
            )
    return out
