"""Reading what people type: numbers with Thai digits and separators, baht amounts, notes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from plan_data.codes import THAI_DIGITS
from plan_data.errors import Refusal
from plan_data.values import check_amount

MILLION_WORDS = ("ล้านบาท", "ล้าน", "ลบ.", "ลบ", "million", "mb", "m")
BAHT_WORDS = ("บาท", "baht", "thb", "฿")
MAX_TEXT = 1000
MAX_NOTE = 300


class InputError(Refusal):
    """Input that cannot be used; `key` names the message to show, `values` fill it in."""


@dataclass(frozen=True)
class Command:
    name: str  # lower case, no slash, no @botname
    args: list[str]
    rest: str  # the text after the command, as typed


def clean_text(text: str) -> str:
    """Refuse what cannot be a message a person typed; fold odd spacing."""
    if len(text) > MAX_TEXT:
        raise InputError("too_long", limit=MAX_TEXT)
    bad = [
        c for c in text if unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") and c not in "\n\t"
    ]
    if bad:
        raise InputError("unreadable")
    return unicodedata.normalize("NFC", text).strip()


def split_command(text: str, aliases: dict[str, str]) -> Command | None:
    """`/status@planbot STR114/64`, `status STR114/64` and `สถานะ STR114/64` are the same."""
    stripped = text.strip()
    if not stripped:
        return None
    head, _, rest = stripped.partition(" ")
    if "\n" in head:
        head, _, more = head.partition("\n")
        rest = more + " " + rest
    name = head.lstrip("/").split("@")[0].lower()
    name = aliases.get(name, name)
    return Command(name, rest.split(), rest.strip())


def parse_number(text: str) -> Decimal:
    """`21,200`, `๒๑,๒๐๐`, `95%`, `4.5` -> Decimal; InputError('not_a_number') otherwise."""
    compact = text.translate(THAI_DIGITS).replace(",", "").replace("_", "").strip()
    compact = compact.removesuffix("%").removeprefix("ร้อยละ").strip()
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", compact):
        raise InputError("not_a_number", text=text)
    try:
        return Decimal(compact)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules this out
        raise InputError("not_a_number", text=text) from exc


def parse_amount(text: str) -> Decimal:
    """Baht from `250000`, `250,000`, `0.25ล้าน`, `1.5 ล้านบาท`, `๒๕๐,๐๐๐ บาท`."""
    lowered = text.translate(THAI_DIGITS).lower().replace(" ", "")
    factor = Decimal(1)
    for word in MILLION_WORDS:
        if lowered.endswith(word) and len(lowered) > len(word):
            lowered, factor = lowered[: -len(word)], Decimal(1_000_000)
            break
    else:
        for word in BAHT_WORDS:
            if lowered.endswith(word):
                lowered = lowered[: -len(word)]
                break
        lowered = lowered.removeprefix("฿")
    try:
        amount = parse_number(lowered) * factor
    except InputError:
        raise InputError("not_an_amount", text=text) from None
    try:
        check_amount(amount)
    except Refusal as refusal:
        raise InputError(refusal.key, **refusal.values) from None
    return amount.quantize(Decimal("0.01")) if amount % 1 else amount.quantize(Decimal(1))


def take_amount(args: list[str]) -> tuple[str, list[str]]:
    """The amount may be typed with a space before its unit: `0.25 ล้าน`, `250,000 บาท`."""
    if len(args) >= 2 and args[1].lower() in (*MILLION_WORDS, *BAHT_WORDS):
        return args[0] + args[1], args[2:]
    return args[0], args[1:]


def clean_note(words: list[str]) -> str:
    note = " ".join(words).strip()
    if len(note) > MAX_NOTE:
        raise InputError("note_too_long", limit=MAX_NOTE)
    return note
