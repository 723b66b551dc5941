"""Replies in LINE's terms: plain text within LINE's sizes, buttons as quick replies.

LINE shows no HTML, takes at most 5 messages per call, 5000 characters per text, 13 quick-reply
items with labels of 20 characters and postback data of 300. Pictures go by https URL only, so
an attachment is published through a `MediaStore` when the bot has a public address.
"""

from __future__ import annotations

import html
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from linebot.v3.messaging import (
    ImageMessage,
    Message,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
)

from handlers.i18n import Translator
from handlers.request import Attachment, Button, Reply

log = logging.getLogger(__name__)

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK_REPLY = 13
MAX_LABEL = 20
MAX_POSTBACK_DATA = 300
MAX_DISPLAY_TEXT = 300
TAG = re.compile(r"</?(?:b|i|code|u|s|pre)>")


def plain(text: str) -> str:
    """HTML-lite (<b>, <i>, <code>, escaped entities) to the plain text LINE shows."""
    return html.unescape(TAG.sub("", text))


def fit(text: str, limit: int) -> str:
    """At most `limit` UTF-16 units (LINE counts that way), ending in … when cut."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        size = len(char.encode("utf-16-le")) // 2
        if used + size > limit - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"


def chunks(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Long text split at line ends into pieces LINE accepts; never an empty message."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()] or ["…"]


def quick_reply(buttons: Iterable[tuple[Button, ...]]) -> QuickReply | None:
    """Button rows flattened into LINE quick-reply items (LINE's limits applied)."""
    items: list[QuickReplyItem] = []
    flat = [choice for row in buttons for choice in row]
    for choice in flat:
        if len(choice.data) > MAX_POSTBACK_DATA:
            log.warning("button data longer than LINE allows, left out: %.40s…", choice.data)
            continue
        if len(items) == MAX_QUICK_REPLY:
            log.warning("%d buttons, LINE shows %d", len(flat), MAX_QUICK_REPLY)
            break
        action = PostbackAction(
            label=fit(choice.label, MAX_LABEL),
            data=choice.data,
            displayText=fit(choice.label, MAX_DISPLAY_TEXT),
        )
        items.append(QuickReplyItem(action=action))
    return QuickReply(items=items) if items else None


@dataclass
class MediaStore:
    """Attachments kept in memory for a while and served at PUBLIC_URL/media/<token>/<name>,
    because LINE fetches pictures by URL. One process only: behind several instances a shared
    store is needed (the hook is `publish`)."""

    public_url: str | None
    keep_seconds: float = 3600.0
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._items: dict[str, tuple[Attachment, float]] = {}

    def publish(self, attachment: Attachment) -> str | None:
        """The https address LINE can fetch the attachment from, or None without a public URL."""
        if not self.public_url:
            return None
        self._forget_old()
        token = secrets.token_urlsafe(16)
        self._items[token] = (attachment, self.clock() + self.keep_seconds)
        name = re.sub(r"[^A-Za-z0-9._-]", "_", attachment.filename) or "file"
        return f"{self.public_url.rstrip('/')}/media/{token}/{name}"

    def get(self, token: str) -> Attachment | None:
        item = self._items.get(token)
        if item is None or item[1] < self.clock():
            return None
        return item[0]

    def _forget_old(self) -> None:
        now = self.clock()
        for token in [t for t, (_a, until) in self._items.items() if until < now]:
            del self._items[token]


def render(replies: Iterable[Reply], media: MediaStore | None, language: str) -> list[Message]:
    """Every Reply as LINE messages, in order; quick replies ride on each reply's last text."""
    _ = Translator(language)
    messages: list[Message] = []
    for reply in replies:
        text = plain(reply.text).strip()
        image_url = None
        for attachment, is_image in ((reply.image, True), (reply.document, False)):
            if attachment is None:
                continue
            url = media.publish(attachment) if media else None
            if url is None:
                text += "\n\n" + _("line_no_public_url", filename=attachment.filename)
            elif is_image and attachment.mime_type in ("image/png", "image/jpeg"):
                image_url = url
            else:
                text += "\n\n" + _("line_file_link", filename=attachment.filename, url=url)
        pieces = chunks(text.strip()) if text.strip() else []
        quick = quick_reply(reply.buttons)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1 and image_url is None
            messages.append(TextMessage(text=piece, quickReply=quick if last else None))
        if image_url is not None:
            messages.append(
                ImageMessage(
                    originalContentUrl=image_url, previewImageUrl=image_url, quickReply=quick
                )
            )
    return messages


def batches(messages: list[Message], limit: int = MAX_MESSAGES) -> list[list[Message]]:
    """LINE takes at most five messages per reply or push."""
    return [messages[i : i + limit] for i in range(0, len(messages), limit)]
