"""What Telegram refuses in a file or a caption, checked before sending (Bot API: a photo is at
most 10 MB, its width and height together at most 10000 px, at most 20 times longer one way than
the other; a caption holds 1024 UTF-16 units after its HTML is parsed). A picture outside those
limits goes as a document, which Telegram takes whole (a long phone screenshot, a receipt strip)."""

from __future__ import annotations

import logging
from io import BytesIO

from PIL import Image, UnidentifiedImageError

from bot.channels import TELEGRAM
from handlers.text_fit import fit_html, visible_utf16

log = logging.getLogger(__name__)
PHOTO_TYPES = ("image/jpeg", "image/png")
PHOTO_MOST_BYTES = 10 * 1024 * 1024
PHOTO_MOST_SIDES = 10_000  # width + height
PHOTO_MOST_RATIO = 20
CAPTION_MOST = TELEGRAM.messages.caption


def fits_as_photo(content: bytes, mime_type: str) -> bool:
    """Whether sendPhoto takes this picture; anything else is sent as a document."""
    if mime_type not in PHOTO_TYPES or len(content) > PHOTO_MOST_BYTES:
        return False
    try:
        with Image.open(BytesIO(content)) as image:  # reads the header only
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError):
        log.info("a picture whose size could not be read goes as a document")
        return False
    if width < 1 or height < 1:
        return False
    return width + height <= PHOTO_MOST_SIDES and max(width, height) / min(width, height) <= (
        PHOTO_MOST_RATIO
    )


def caption_fits(text: str) -> bool:
    return visible_utf16(text) <= CAPTION_MOST


def caption(text: str) -> str | None:
    """A caption Telegram takes (cut between Thai clusters, tags closed), or None for no text."""
    return fit_html(text, CAPTION_MOST) or None
