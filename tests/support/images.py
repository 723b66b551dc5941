"""Real pictures for tests (Telegram and LINE read their dimensions, so bytes that merely start
like a JPEG are not a photo any more)."""

from __future__ import annotations

from functools import cache
from io import BytesIO

from PIL import Image


@cache
def jpeg(width: int = 64, height: int = 48, shade: int = 0) -> bytes:
    """A JPEG of that size; a different `shade` gives different bytes."""
    out = BytesIO()
    Image.new("RGB", (width, height), (shade % 256, 120, 200)).save(out, "JPEG", quality=80)
    return out.getvalue()


@cache
def png(width: int = 64, height: int = 48) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (30, 60, 90)).save(out, "PNG")
    return out.getvalue()
