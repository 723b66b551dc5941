"""Replies in LINE's terms: plain text within LINE's sizes, buttons as quick replies, and a
reply's card (handlers/cards.py) as a Flex bubble with its buttons in the footer.

LINE shows no HTML, takes at most 5 messages per call, 5000 UTF-16 units per text, 13 quick-reply
items with labels of 20 characters (graphemes) and postback data of 300 (the text, label and
data sizes are the channel's declared `messages`, bot/channels.py). A Flex message has an
altText of at most 400 characters (what notifications and the chat list show) and a bubble of at
most 30 KB of JSON as sent; a card keeps to 12 rows, and when it has more (or would be too big)
the full text follows it. Pictures go by https URL only, so an attachment is published through a
`MediaStore` when the bot has a public address.

Messages are plain JSON-ready dicts, posted as they are (bot/line_sender.post_messages): no
round trip through the SDK's pydantic models on every reply. tests/unit/test_line_render.py and
the conformance test validate what is built here against the SDK's models and LINE's limits.
Every cut goes through handlers/text_fit, so Thai is never cut inside a cluster.
"""

from __future__ import annotations

import html
import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.channels import LINE
from bot.file_links import FileLinks
from bot.line_files import files_out, pictures_possible
from handlers.i18n import Translator
from handlers.request import Attachment, Button, Card, CardRow, Reply
from handlers.text_fit import fit as fit_text
from handlers.text_fit import fit_button, graphemes, split, utf16

Message = dict[str, Any]  # one LINE message object, JSON-ready

log = logging.getLogger(__name__)

MAX_MESSAGES = 5
MAX_TEXT = LINE.messages.text
MAX_QUICK_REPLY = 13
MAX_LABEL = LINE.messages.button_label
MAX_POSTBACK_DATA = LINE.messages.button_data
MAX_DISPLAY_TEXT = 300
MAX_ALT_TEXT = 400
MAX_BUBBLE_BYTES = 30_000  # LINE refuses a bubble over 30 KB of JSON (measured as we send it)
MAX_CARD_ROWS = 12
MAX_CARD_BUTTONS = 4  # a footer of ours; the card's other buttons ride as quick replies
MAX_CARD_TEXT = 400  # one text of a card (a long indicator shows 3 lines of it anyway)
TAG = re.compile(r"</?(?:b|i|code|u|s|pre)>")


def plain(text: str) -> str:
    """HTML-lite (<b>, <i>, <code>, escaped entities) to the plain text LINE shows."""
    return html.unescape(TAG.sub("", text))


def fit(text: str, limit: int) -> str:
    """At most `limit` UTF-16 units (LINE counts texts that way), ending in … when cut, never
    inside a Thai cluster."""
    return fit_text(text, limit, utf16, collapse=False)


def label(text: str) -> str:
    """A button label within LINE's 20 characters (graphemes); a project code kept whole."""
    return fit_button(text, MAX_LABEL, graphemes) or "…"


def chunks(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Long text split at line ends (then words, never inside a cluster) into pieces LINE
    accepts; never an empty message."""
    return split(text, limit, markup=False) or ["…"]


def _action(choice: Button) -> dict[str, Any]:
    return {
        "type": "postback",
        "label": label(choice.label),
        "data": choice.data,
        "displayText": fit(choice.label, MAX_DISPLAY_TEXT),
    }


def quick_reply(buttons: Iterable[tuple[Button, ...]]) -> dict[str, Any] | None:
    """Button rows flattened into LINE quick-reply items (LINE's limits applied)."""
    items: list[dict[str, Any]] = []
    flat = [choice for row in buttons for choice in row if not choice.is_link]  # in the text
    for choice in flat:
        if len(choice.data) > MAX_POSTBACK_DATA:
            log.warning("button data longer than LINE allows, left out: %.40s…", choice.data)
            continue
        if len(items) == MAX_QUICK_REPLY:
            log.warning("%d buttons, LINE shows %d", len(flat), MAX_QUICK_REPLY)
            break
        items.append({"type": "action", "action": _action(choice)})
    return {"items": items} if items else None


def text_message(text: str) -> Message:
    return {"type": "text", "text": text}


def image_message(url: str) -> Message:
    return {"type": "image", "originalContentUrl": url, "previewImageUrl": url}


@dataclass
class MediaStore:
    """Attachments kept in memory for a while and served at PUBLIC_URL/media/<token>/<name>,
    because LINE fetches pictures by URL. One process only: behind several instances a shared
    store is needed (the hook is `publish`). Kept evidence files need no store: `links` signs
    links to them in the database (bot/file_links.py)."""

    public_url: str | None
    keep_seconds: float = 3600.0
    clock: Callable[[], float] = time.monotonic
    links: FileLinks | None = None

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
    """Every Reply as LINE messages, in order; quick replies ride on each reply's last text. A
    reply with a card is a Flex message; its text follows only when the card could not hold
    everything (then its later parts too)."""
    _ = Translator(language)
    messages: list[Message] = []
    card_was_whole = False
    for reply in replies:
        if reply.beside_card and card_was_whole:
            continue
        card_was_whole = False
        extra: tuple[Button, ...] = ()  # card buttons beyond the footer: quick replies
        if reply.card is not None:
            flex, card_was_whole = card_message(reply.card, _)
            extra = footer_overflow(reply.card)
            messages.append(flex)
            if card_was_whole and reply.image is None and reply.document is None:
                alone = _files_alone(reply, media, _)
                messages.extend(alone)
                quick = quick_reply([extra])  # the footer holds the reply's own buttons
                if quick is not None:
                    (alone or [flex])[-1]["quickReply"] = quick
                continue
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
        links = media.links if media else None
        possible = pictures_possible(reply.files, links)
        room = MAX_MESSAGES - (image_url is not None)  # what one reply to LINE can carry
        if text.strip() or possible < len(reply.files) or possible > room:
            room -= 1  # a text goes first
        out = files_out(reply.files, links, _, room)
        text = "\n\n".join(part for part in (text.strip(), "\n".join(out.lines)) if part)
        pieces = chunks(text) if text else []
        tail: list[Message] = [text_message(piece) for piece in pieces]
        if image_url is not None:
            tail.append(image_message(image_url))
        tail.extend(picture.to_dict() for picture in out.pictures)
        quick = quick_reply(reply.buttons or [extra])
        if quick is not None and (tail or messages):
            (tail or messages)[-1]["quickReply"] = quick
        messages.extend(tail)
    return messages


def _files_alone(reply: Reply, media: MediaStore | None, _: Translator) -> list[Message]:
    """The files of a reply whose card was drawn whole: a text for those not shown as pictures,
    then the pictures (room is left for the card and that text)."""
    out = files_out(reply.files, media.links if media else None, _, MAX_MESSAGES - 2)
    texts = chunks("\n".join(out.lines)) if out.lines else []
    return [*(text_message(piece) for piece in texts), *(p.to_dict() for p in out.pictures)]


# -- cards as Flex bubbles ---------------------------------------------------------------------
NAVY, WHITE, INK, GREY, TRACK = "#1A3D6D", "#FFFFFF", "#222222", "#666666", "#E6E9EE"
SUBTITLE = "#D5E1F0"
VERDICT_COLOURS = {
    "done": "#1B7F3B",
    "on_track": "#2E7D32",
    "behind": "#E65100",
    "not_reported": "#8A8A8A",
    "overspent": "#C62828",
}
SPENT_COLOUR = "#1E88E5"


def sent_size(value: Any) -> int:
    """Bytes of `value` as we post it (UTF-8, Thai unescaped): what LINE's size limits count."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def card_message(card: Card, _: Translator) -> tuple[Message, bool]:
    """The card as a Flex message, and whether it holds all of the card (at most
    MAX_CARD_ROWS rows, within LINE's size as sent): when not, the caller sends the text too."""
    shown = min(len(card.rows), MAX_CARD_ROWS)
    while True:
        bubble = _bubble(card, shown, _)
        size = sent_size(bubble)
        if size <= MAX_BUBBLE_BYTES or shown == 0:
            break
        shown -= 1
    if size > MAX_BUBBLE_BYTES:  # even without rows: the header and notes alone
        bubble = _bubble(Card(card.title, card.subtitle, card.alt_text, buttons=card.buttons), 0, _)
    alt_text = fit(" ".join(card.alt_text.split()) or card.title or "…", MAX_ALT_TEXT)
    message = {"type": "flex", "altText": alt_text, "contents": bubble}
    return message, shown == len(card.rows) and size <= MAX_BUBBLE_BYTES


def _footer(card: Card) -> list[Button]:
    return [b for b in card.buttons if len(b.data) <= MAX_POSTBACK_DATA]


def footer_overflow(card: Card) -> tuple[Button, ...]:
    """The card's buttons its footer has no room for (sent as quick replies, never dropped)."""
    return tuple(_footer(card)[MAX_CARD_BUTTONS:])


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "text", "text": fit(text, MAX_CARD_TEXT), "wrap": True, **style}


def _box(layout: str, contents: list[dict[str, Any]], **style: Any) -> dict[str, Any]:
    return {"type": "box", "layout": layout, "contents": contents, **style}


def bar(
    filled: float, colour: str, *, height: str = "8px", flex: int | None = None
) -> dict[str, Any]:
    """A progress bar: a rounded track holding two filler boxes whose flex values are the filled
    and the empty share (in hundredths), so LINE draws the proportion itself."""
    hundredths = max(0, min(100, round(filled * 100)))
    parts = []
    if hundredths:
        parts.append(
            _box("vertical", [{"type": "filler"}], flex=hundredths, backgroundColor=colour)
        )
    if hundredths < 100:
        parts.append(_box("vertical", [{"type": "filler"}], flex=100 - hundredths))
    style: dict[str, Any] = {"height": height, "backgroundColor": TRACK, "cornerRadius": "4px"}
    if flex is not None:
        style["flex"] = flex
    return _box("horizontal", parts, **style)


def _budget(card: Card) -> list[dict[str, Any]]:
    money = card.budget
    if money is None:
        return []
    head: list[dict[str, Any]] = [
        _text(money.allocated, size="sm", weight="bold", color=INK, flex=1)
    ]
    red = VERDICT_COLOURS["overspent"]
    if money.overspent and money.overspent_label:
        badge = {"size": "sm", "weight": "bold", "color": red, "align": "end", "flex": 0}
        head.append(_text(money.overspent_label, **badge))
    fill = red if money.overspent else SPENT_COLOUR
    figures = [
        _text(money.spent, size="xs", color=GREY, flex=1),
        _text(
            money.remaining, size="xs", color=red if money.overspent else GREY, align="end", flex=1
        ),
    ]
    return [
        _box("horizontal", head, spacing="sm"),
        bar(money.spent_fraction, fill, height="12px"),
        _box("horizontal", figures, spacing="sm"),
    ]


def _row(row: CardRow) -> dict[str, Any]:
    colour = VERDICT_COLOURS.get(row.verdict or "", GREY)
    line: list[dict[str, Any]] = []
    if row.progress is not None:
        line.append(bar(row.progress, colour, flex=3))
    if row.verdict_label:
        badge = {"size": "xs", "weight": "bold", "color": colour, "align": "end", "flex": 2}
        line.append(_text(row.verdict_label, **badge))
    contents = [_text(row.label, size="sm", color=INK, maxLines=3)]
    if line:
        contents.append(_box("horizontal", line, spacing="md", alignItems="center"))
    if row.value:
        contents.append(_text(row.value, size="xs", color=GREY))
    return _box("vertical", contents, spacing="xs", margin="lg")


def _bubble(card: Card, rows: int, _: Translator) -> dict[str, Any]:
    header = [_text(card.title or "…", size="lg", weight="bold", color=WHITE)]
    if card.subtitle:
        header.append(_text(card.subtitle, size="sm", color=SUBTITLE, maxLines=3))
    body: list[dict[str, Any]] = _budget(card)
    if card.rows_title or rows:
        if body:
            body.append({"type": "separator", "margin": "lg"})
        if card.rows_title:
            body.append(_text(card.rows_title, size="sm", weight="bold", color=INK, margin="lg"))
        body.extend(_row(row) for row in card.rows[:rows])
    if rows < len(card.rows):
        more = _("line_card_more", count=len(card.rows) - rows)
        body.append(_text(more, size="xs", color=GREY, margin="lg"))
    if card.notes:
        body.append({"type": "separator", "margin": "lg"})
        body.extend(_text(note, size="xs", color=GREY, margin="md") for note in card.notes)
    bubble: dict[str, Any] = {
        "type": "bubble",
        "size": "giga",
        "header": _box("vertical", header, backgroundColor=NAVY, paddingAll="16px", spacing="xs"),
        "body": _box("vertical", body or [_text(card.alt_text or "…", size="sm")], spacing="sm"),
    }
    usable = _footer(card)[:MAX_CARD_BUTTONS]
    buttons = [_button(b, i == 0) for i, b in enumerate(usable)]
    if buttons:
        layout = "horizontal" if len(buttons) <= 2 else "vertical"
        bubble["footer"] = _box(layout, buttons, spacing="sm")
    return bubble


def _button(choice: Button, first: bool) -> dict[str, Any]:
    action = _action(choice)
    style = {"style": "primary", "color": NAVY} if first else {"style": "secondary"}
    return {"type": "button", "action": action, "height": "sm", **style}


def batches(messages: list[Message], limit: int = MAX_MESSAGES) -> list[list[Message]]:
    """LINE takes at most five messages per reply or push."""
    return [messages[i : i + limit] for i in range(0, len(messages), limit)]
