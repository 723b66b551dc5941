"""Numbers, money and dates the way Thai (and English) readers expect them."""

from __future__ import annotations

import html
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from handlers.i18n import Translator
from handlers.text_fit import fit, graphemes
from plan_data.fiscal import BANGKOK, BUDDHIST_ERA_OFFSET

MILLION = Decimal(1_000_000)
_LOCALES = {"th": Locale.parse("th_TH"), "en": Locale.parse("en_US")}  # parsed once


def esc(text: object) -> str:
    """Anything a person typed (or the plan holds) goes through here before it is shown."""
    return html.escape(str(text), quote=False)


@cache
def _pattern(pattern: str | None) -> NumberPattern:
    """Babel's number pattern, parsed once (parsing costs more than formatting)."""
    return parse_pattern(pattern or "#,##0.###")


def _format(value: Decimal | int, language: str, pattern: str | None = None) -> str:
    """`value` by a babel pattern in the language's locale; no pattern: every decimal shown."""
    # Keyed by the digits as written: 1.0 and 1.00 are equal Decimals but read differently.
    return _formatted(str(Decimal(value)), language, pattern)


@lru_cache(maxsize=8192)
def _formatted(digits: str, language: str, pattern: str | None) -> str:
    """A plan's figures come back in every answer: babel formats each one once per process."""
    return str(
        _pattern(pattern).apply(
            Decimal(digits), _LOCALES[language], decimal_quantization=pattern is not None
        )
    )


def number(value: Decimal | int, language: str, places: int | None = None) -> str:
    if places is not None:
        value = Decimal(value).quantize(Decimal(1).scaleb(-places))
        return _format(value, language, "#,##0." + "0" * places if places else "#,##0")
    return _format(value, language)


def money(baht: Decimal | int, language: str) -> str:
    """250,000 บาท; from a million up, at most 2 decimals of a million (41.35 ล้านบาท), as a
    reader takes a figure in. A balance someone checks reads in exact baht (`baht`)."""
    baht = Decimal(baht)
    if abs(baht) >= MILLION:
        millions = (baht / MILLION).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        shown = _format(millions, language, "#,##0.##")
        _ = Translator(language)
        return _("money_million_baht", amount=shown)
    return baht_exact(baht, language)


def baht_exact(baht: Decimal | int, language: str) -> str:
    """1,626,500 บาท: every baht (satang when there are any), for a balance or an amount typed."""
    baht = Decimal(baht)
    pattern = "#,##0" if baht == baht.to_integral_value() else "#,##0.00"
    shown = _format(baht, language, pattern)
    _ = Translator(language)
    return _("money_baht", amount=shown)


def percent(value: Decimal | None, language: str) -> str:
    if value is None:
        return "–"
    return _format(value, language, "#,##0.#") + "%"


def month_name(month: int, language: str, *, short: bool = False) -> str:
    """มกราคม (ม.ค. when short) in Thai; January (Jan) in English."""
    width = "abbreviated" if short else "wide"
    return str(_LOCALES[language].months["format"][width][month])


def day(
    value: date | datetime, language: str, *, with_time: bool = False, full: bool = False
) -> str:
    """Every date a person reads, in one shape: 11 ม.ค. 2564 (Buddhist era) in Thai, 11 Jan
    2021 in English; the month in full with `full` (11 มกราคม 2564, as a document writes it),
    Bangkok's hour with `with_time` (11 ม.ค. 2564 09:00)."""
    moment = value.astimezone(BANGKOK) if isinstance(value, datetime) else value
    year = moment.year + BUDDHIST_ERA_OFFSET if language == "th" else moment.year
    text = f"{moment.day} {month_name(moment.month, language, short=not full)} {year}"
    if with_time and isinstance(moment, datetime):
        text += f" {moment:%H:%M}"
    return text


# The same as `day(…, with_time=True)` for a spreadsheet's date cells, which stay dates (they
# sort and filter): 107 is the Thai Buddhist calendar, 041E the Thai locale (Excel's own code;
# LibreOffice reads it too), so a cell shows 11 ม.ค. 2564 09:00.
SPREADSHEET_TIME = {"th": "[$-107041E]d mmm yyyy hh:mm", "en": "d mmm yyyy hh:mm"}


def quantity(value: Decimal, unit: str, language: str, *, html: bool = True) -> str:
    """95%, 1,800 ราย, ระดับ 4 — a value with its unit, as a reader says it; the unit escaped
    for chat HTML unless `html` is off (a document's or a cell's plain text)."""
    shown = number(value, language)
    if unit == "percent":
        return f"{shown}%"
    if unit == "level":
        return f"{unit_label(unit, language)} {shown}"
    return f"{shown} {esc(unit) if html else unit}".strip()


def unit_label(unit: str, language: str) -> str:
    if unit == "percent":
        return "%"
    if unit == "level":
        _ = Translator(language)
        return _("unit_level")
    return unit


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters as a reader counts them (graphemes), with "…" when cut: at a
    word, never inside a Thai cluster (handlers/text_fit.fit)."""
    return fit(text, limit, graphemes)
