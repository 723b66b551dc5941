"""The rich menu's picture: six labelled tiles (2 rows of 3) with a simple drawn icon each,
2500×1686 px, drawn with Pillow in the Laksaman font shipped in handlers/fonts.

Thai needs shaping (tone marks above upper vowels, vowels below consonants): Pillow shapes with
libraqm, which its wheels bundle; where it is missing the basic layout is used and the marks
may sit less well, so `shaping()` says which one drew the picture.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont, features

from handlers.fonts import THAI_FONT_BOLD

WIDTH, HEIGHT = 2500, 1686
COLUMNS, ROWS = 3, 2
BACKGROUND = "#EEF2F7"
GAP = 18  # between tiles (inside each tappable area, so the areas still cover the picture)
RADIUS = 48
WHITE = "#FFFFFF"
LABEL_SIZE = 112

Draw = Callable[[ImageDraw.ImageDraw, tuple[int, int], int, str], None]


@dataclass(frozen=True)
class Tile:
    label: str  # in Thai, as the tile shows it
    colour: str  # the tile (white text and icon on it)
    icon: str  # a key of ICONS


def bounds(index: int) -> tuple[int, int, int, int]:
    """x, y, width, height of the tile at `index` (row by row): the picture split in six with no
    pixel left over, the same rectangles the menu's tappable areas use."""
    row, column = divmod(index, COLUMNS)
    x0, x1 = WIDTH * column // COLUMNS, WIDTH * (column + 1) // COLUMNS
    y0, y1 = HEIGHT * row // ROWS, HEIGHT * (row + 1) // ROWS
    return x0, y0, x1 - x0, y1 - y0


def shaping() -> str:
    return "raqm" if features.check("raqm") else "basic"


def _font(size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if shaping() == "raqm" else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(THAI_FONT_BOLD), size, layout_engine=engine)


def render_menu(tiles: list[Tile], *, kind: str = "PNG") -> bytes:
    """The picture as PNG (or JPEG) bytes, well under LINE's 1 MB."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font = _font(LABEL_SIZE)
    for index, tile in enumerate(tiles):
        x, y, w, h = bounds(index)
        box = (x + GAP, y + GAP, x + w - GAP, y + h - GAP)
        draw.rounded_rectangle(box, radius=RADIUS, fill=tile.colour)
        centre_x = x + w // 2
        icon_centre = (centre_x, y + int(h * 0.40))
        radius = int(h * 0.20)
        draw.ellipse(_around(icon_centre, radius), fill=_mix(tile.colour, WHITE, 0.22))
        ICONS[tile.icon](draw, icon_centre, radius, tile.colour)
        _label(draw, tile.label, font, (centre_x, y + int(h * 0.78)), w - 2 * GAP - 60)
    buffer = BytesIO()
    if kind == "JPEG":
        image.save(buffer, "JPEG", quality=88, optimize=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _label(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont,
    centre: tuple[int, int],
    room: int,
) -> None:
    """The label centred across, shrunk to fit; its line box (the font's ascent, which holds
    the tone marks, and descent, which holds the lower vowels) centred down, so every label
    in a row stands on the same baseline whatever marks it has."""
    while True:
        left, _top, right, _bottom = draw.textbbox((0, 0), text, font=font, anchor="ls")
        if right - left <= room or font.size <= 40:
            break
        font = _font(int(font.size * 0.9))
    ascent, descent = font.getmetrics()
    x = centre[0] - (left + right) // 2
    baseline = centre[1] + (ascent - descent) // 2
    draw.text((x, baseline), text, font=font, fill=WHITE, anchor="ls")


# -- icons: white shapes inside the tile's lighter circle, centred on `c`, `r` its radius -------
def _around(c: tuple[float, float], r: float) -> tuple[float, float, float, float]:
    return (c[0] - r, c[1] - r, c[0] + r, c[1] + r)


def _mix(colour: str, other: str, share: float) -> str:
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02X}" for x, y in zip(a, b, strict=True))


def _bars(draw: ImageDraw.ImageDraw, c: tuple[int, int], r: int, colour: str) -> None:
    """Project status: three rising bars on a base line."""
    base, width = c[1] + r * 0.45, r * 0.24
    for i, height in enumerate((0.45, 0.75, 1.05)):
        left = c[0] - r * 0.55 + i * r * 0.40
        draw.rounded_rectangle(
            (left, base - r * height, left + width, base), radius=int(width / 3), fill=WHITE
        )
    draw.line((c[0] - r * 0.68, base + 8, c[0] + r * 0.68, base + 8), fill=WHITE, width=10)


def _report(draw: ImageDraw.ImageDraw, c: tuple[int, int], r: int, colour: str) -> None:
    """Report: a sheet with lines, and a tick."""
    sheet = (c[0] - r * 0.48, c[1] - r * 0.62, c[0] + r * 0.42, c[1] + r * 0.62)
    draw.rounded_rectangle(sheet, radius=16, fill=WHITE)
    for i in range(3):
        y = c[1] - r * 0.32 + i * r * 0.24
        draw.line((c[0] - r * 0.30, y, c[0] + r * 0.24, y), fill=colour, width=9)
    tick = [
        (c[0] + r * 0.02, c[1] + r * 0.38),
        (c[0] + r * 0.22, c[1] + r * 0.58),
        (c[0] + r * 0.66, c[1] + r * 0.08),
    ]
    draw.line(tick, fill=colour, width=30, joint="curve")
    draw.line(tick, fill=WHITE, width=14, joint="curve")


def _coin(draw: ImageDraw.ImageDraw, c: tuple[int, int], r: int, colour: str) -> None:
    """Spending: a coin with the baht sign."""
    draw.ellipse(_around(c, r * 0.66), fill=WHITE)
    draw.ellipse(_around(c, r * 0.52), outline=colour, width=8)
    font = _font(int(r * 0.78))
    left, top, right, bottom = draw.textbbox((0, 0), "฿", font=font, anchor="ls")
    draw.text(
        (c[0] - (left + right) // 2, c[1] - (top + bottom) // 2),
        "฿",
        font=font,
        fill=colour,
        anchor="ls",
    )


def _clock(draw: ImageDraw.ImageDraw, c: tuple[int, int], r: int, colour: str) -> None:
    """Due: a clock face with hands at ten to two... of the deadline."""
    draw.ellipse(_around(c, r * 0.66), fill=WHITE)
    for hour in range(12):
        angle = math.radians(hour * 30)
        outer, inner = r * 0.56, r * (0.46 if hour % 3 else 0.40)
        draw.line(
            (
                c[0] + inner * math.sin(angle),
                c[1] - inner * math.cos(angle),
                c[0] + outer * math.sin(angle),
                c[1] - outer * math.cos(angle),
            ),
            fill=colour,
            width=7,
        )
    draw.line((c[0], c[1], c[0], c[1] - r * 0.36), fill=colour, width=14)
    draw.line((c[0], c[1], c[0] + r * 0.28, c[1] + r * 0.12), fill=colour, width=14)
    draw.ellipse(_around(c, 14), fill=colour)


def _pie(draw: ImageDraw.ImageDraw, c: tuple[int, int], r: int, colour: str) -> None:
    """Summary: a pie with one slice pulled out."""
    draw.pieslice(_around(c, r * 0.64), start=-30, end=240, fill=WHITE)
    out = (c[0] + r * 0.08, c[1] - r * 0.05)
    draw.pieslice(_around(out, r * 0.64), start=240, end=330, fill=_mix(WHITE, colour, 0.35))


def _question(draw: ImageDraw.ImageDraw, c: tuple[int, int], r: int, colour: str) -> None:
    """Help: a question mark on a white disc."""
    draw.ellipse(_around(c, r * 0.66), fill=WHITE)
    font = _font(int(r * 1.0))
    left, top, right, bottom = draw.textbbox((0, 0), "?", font=font, anchor="ls")
    draw.text(
        (c[0] - (left + right) // 2, c[1] - (top + bottom) // 2),
        "?",
        font=font,
        fill=colour,
        anchor="ls",
    )


ICONS: dict[str, Draw] = {
    "status": _bars,
    "report": _report,
    "spend": _coin,
    "due": _clock,
    "summary": _pie,
    "help": _question,
}
