"""Reading what people type: numbers with Thai digits and separators, baht amounts, notes."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact, InvalidOperation
from functools import cache

from plan_data.errors import Refusal
from plan_data.values import check_amount, whole_exponent

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


# Numbers as a Thai reader means them ------------------------------------------------------------
#
# A number is digits (Thai or Arabic) with its thousands grouped by commas or (no-break) spaces,
# optionally followed by Thai multiplier words (`2.5 แสน`, `1 ล้าน 5 แสน`), or it is written out
# in Thai words (`สองแสนห้าหมื่น`, read by pythainlp). Whatever could be read two ways is refused
# with a sentence that says what to type instead: a number is read as exactly what was meant or
# not at all, and never as a smaller number followed by a note.

POWERS = {"สิบ": 1, "ร้อย": 2, "พัน": 3, "หมื่น": 4, "แสน": 5, "ล้าน": 6}
PERCENT_SUFFIXES = ("%", "เปอร์เซ็นต์", "เปอร์เซนต์", "percent")
PERCENT_PREFIX = "ร้อยละ"
MINUS_SIGNS = ("-", "\u2212", "\u2013")
_WORD_DIGITS = ("หนึ่ง", "เอ็ด", "สอง", "ยี่", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
_WORD_TOKEN = re.compile("|".join((*_WORD_DIGITS, *POWERS)))
_MULTIPLIER = re.compile("(" + "|".join(POWERS) + ")")
_EXPONENT = re.compile(r"[0-9.]\s*e\s*[-+]?\s*[0-9]", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9][0-9, ]*(\.[0-9]*)?|\.[0-9]+")
_EXACT = Context(prec=2000, traps=[Inexact, InvalidOperation])  # exact or an error, never rounded


@dataclass(frozen=True)
class Number:
    value: Decimal  # exactly as typed: `1.50` keeps its two decimals, `2.5 แสน` is 250000
    percent: bool  # typed with %, ร้อยละ or เปอร์เซ็นต์


def _ascii_digits(text: str) -> str:
    """Thai (and any other script's) decimal digits as 0-9; every kind of space as one space."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if unicodedata.category(char) == "Nd":
            out.append(str(unicodedata.decimal(char)))
        elif char.isspace():
            out.append(" ")
        else:
            out.append(char)
    return " ".join("".join(out).split())


def read_number(text: str, *, amount: bool = False) -> Number:
    """What a person typed as a number, or InputError saying why it cannot be used.

    `amount`: baht, where `ล้านบาท`, `ลบ.`, `m` mean a million and `บาท`, `฿` may stand beside
    the number, and a percent is not an amount."""
    s = _ascii_digits(text).lower()
    wrong = "not_an_amount" if amount else "not_a_number"
    is_percent = False
    if amount:
        s = _strip_baht(s)
    else:
        for suffix in PERCENT_SUFFIXES:
            if s.endswith(suffix):
                s, is_percent = s.removesuffix(suffix).strip(), True
                break
        if s.startswith(PERCENT_PREFIX) and not is_percent:
            s, is_percent = s.removeprefix(PERCENT_PREFIX).strip(), True
    s = s.removesuffix(".") if s[-2:-1].isdigit() else s  # `150.` at the end of a sentence
    negative = s.startswith(MINUS_SIGNS) or s.startswith("ลบ")
    if negative:
        s = s[1:].strip() if s.startswith(MINUS_SIGNS) else s.removeprefix("ลบ").strip()
    elif s.startswith("+"):
        s = s[1:].strip()
    if not s:
        raise InputError(wrong, text=text)
    if _EXPONENT.search(s):
        raise InputError("number_exponent", text=text)
    if re.search("[0-9]", s):
        value = _digits_and_multipliers(s, text, wrong)
    else:
        value = _thai_words(s, text, wrong)
    if negative:
        raise InputError("negative_amount" if amount else "negative_value")
    return Number(value, is_percent)


def _strip_baht(s: str) -> str:
    s = s.removeprefix("฿").strip()
    for word in BAHT_WORDS:
        if s.endswith(word) and len(s) > len(word):
            s = s.removesuffix(word).strip()
            break
    for word in MILLION_WORDS:
        before = s.removesuffix(word).rstrip()
        if s.endswith(word) and word != "ล้าน" and before[-1:].isdigit():
            return before + " ล้าน"  # `1.5m`, `2 ลบ.`: the multiplier ล้าน, read by its rules
    return s


def _digits(chunk: str, text: str, wrong: str) -> Decimal:
    """`250000`, `250,000`, `250 000`, `1,500.25`: thousands grouped exactly or not at all."""
    if chunk.count(".") > 1:  # `1.500.000`
        raise InputError("number_grouping", text=text)
    if not _DIGITS.fullmatch(chunk):
        raise InputError(wrong, text=text)
    whole, _, fraction = chunk.partition(".")
    separators = set(whole) & {",", " "}
    if len(separators) > 1:
        raise InputError("number_grouping", text=text)
    if separators:
        groups = whole.split(separators.pop())
        first, rest = groups[0], groups[1:]
        if not 1 <= len(first) <= 3 or first.startswith("0") or any(len(g) != 3 for g in rest):
            raise InputError("number_grouping", text=text)
        whole = "".join(groups)
    return Decimal((whole or "0") + ("." + fraction if fraction else ""))


def _digits_and_multipliers(s: str, text: str, wrong: str) -> Decimal:
    """`250000`, `2.5 แสน`, `1.2ล้าน`, `1 ล้าน 5 แสน`: each multiplier smaller than the one
    before, each part smaller than the multiplier before it, a fraction only in the last part,
    and nothing after the last multiplier (`2 แสน 5` could be 200,005 or 250,000)."""
    pieces = [p.strip() for p in _MULTIPLIER.split(s)]
    if len(pieces) == 1:
        return _digits(s, text, wrong)
    if pieces[-1]:
        raise InputError("number_unclear", text=text)
    total, previous = Decimal(0), None
    pairs = list(zip(pieces[0::2], pieces[1::2], strict=False))
    for index, (chunk, word) in enumerate(pairs):
        if not chunk:
            raise InputError("number_unclear" if index else wrong, text=text)
        coefficient = _digits(chunk, text, wrong)
        power = POWERS[word]
        part = coefficient.scaleb(power, _EXACT)
        last = index == len(pairs) - 1
        if previous is not None and (power >= previous or part >= Decimal(10) ** previous):
            raise InputError("number_unclear", text=text)
        if coefficient != coefficient.to_integral_value() and not last:
            raise InputError("number_unclear", text=text)
        total, previous = _EXACT.add(total, part), power
    return whole_exponent(total)


def _thai_words(s: str, text: str, wrong: str) -> Decimal:
    """`สองแสนห้าหมื่น`, `หนึ่งล้านห้าแสน`, `สิบเอ็ด` (pythainlp reads them). Refused: a lone
    multiplier (`ล้าน`), and the spoken short forms that read two ways (`แสนห้า` is 150,000 in
    speech but 100,005 as written; `ร้อยห้า` 150 or 105)."""
    words = s.replace(" ", "")
    if words == "ศูนย์":
        return Decimal(0)
    tokens = _WORD_TOKEN.findall(words)
    if "".join(tokens) != words or (len(tokens) == 1 and POWERS.get(words, 0) >= 2):
        raise InputError(wrong, text=text)  # a lone `ล้าน` is a unit without its number
    for index, token in enumerate(tokens):
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        before = tokens[index - 1] if index else ""
        if token == "ยี่" and after != "สิบ":
            raise InputError(wrong, text=text)
        ends_block = after in ("", "ล้าน")  # the units of a number, or of its millions
        if token == "เอ็ด" and not (ends_block and before in POWERS):
            raise InputError(wrong, text=text)
        if token in _WORD_DIGITS and token != "เอ็ด" and ends_block and POWERS.get(before, 0) >= 2:
            raise InputError("number_unclear", text=text)
    try:
        return Decimal(_thaiword_to_num()(words))
    except ValueError:
        raise InputError(wrong, text=text) from None


@cache
def _thaiword_to_num() -> Callable[[str], int]:
    # pythainlp reads number words with its bundled word lists; read-only and offline, so it
    # never creates ~/pythainlp-data or downloads anything. Imported on first use.
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from pythainlp.util import thaiword_to_num

    return thaiword_to_num


def parse_number(text: str) -> Decimal:
    """`21,200`, `๒๑,๒๐๐`, `95%`, `4.5`, `3 หมื่น`, `สามหมื่น` -> Decimal; InputError otherwise."""
    return read_number(text).value


def parse_amount(text: str) -> Decimal:
    """Baht from `250000`, `250,000`, `250 000`, `0.25ล้าน`, `1.5 ล้านบาท`, `2.5 แสน`,
    `๒๕๐,๐๐๐ บาท`, `สองแสนห้าหมื่น`."""
    amount = read_number(text, amount=True).value
    try:
        check_amount(amount)
    except Refusal as refusal:
        raise InputError(refusal.key, **refusal.values) from None
    return amount.quantize(Decimal("0.01")) if amount % 1 else amount.quantize(Decimal(1))


def _numeric(word: str, units: tuple[str, ...]) -> bool:
    """Whether a word continues the number before it: a digit group, a multiplier, number words,
    a unit (`บาท`, `%`), or number words with their unit (`แสนบาท`). Then it is part of that
    number, never the start of a note (`พันธมิตร` is a word, not พัน)."""
    s = _ascii_digits(word).lower()
    if s in units or s[:1].isdigit() or s[:1] in ",.":
        return True
    for unit in units:
        if s.endswith(unit) and len(s) > len(unit):
            s = s.removesuffix(unit)
            break
    return bool(s) and "".join(_WORD_TOKEN.findall(s)) == s


def take_number(args: list[str], *, amount: bool = False) -> tuple[str, list[str]]:
    """The words that make up the number at the start of `args`, as one string, and the rest
    (the note). Spaced groups (`1 500 000`), multipliers (`2.5 แสน`) and units (`250,000 บาท`,
    `80 %`, `ร้อยละ 80`) belong to the number; so does any digit right after it, so `1 50` is
    refused as unclear rather than read as 1 with the note `50`."""
    units = (*MILLION_WORDS, *BAHT_WORDS) if amount else PERCENT_SUFFIXES
    taken = 1
    if args[0].lower() in (PERCENT_PREFIX, "฿") and len(args) > 1:
        taken = 2
    while taken < len(args) and _numeric(args[taken], units):
        taken += 1
    return " ".join(args[:taken]), args[taken:]


def starts_with_number(args: list[str], *, amount: bool = False) -> bool:
    """Whether `args` begin with what could be a number (`150`, `๒๕๐,๐๐๐`, `2.5 แสน`,
    `สามหมื่น`, `ร้อยละ 80`, `฿5000`), read or refused later by read_number: the shape of a
    command's value, not a word of a sentence (`ได้ 130`, `ไป 5000`)."""
    if not args:
        return False
    first = _ascii_digits(args[0]).lower()
    if first in (PERCENT_PREFIX, "฿") or first.startswith(("฿", "+", *MINUS_SIGNS)):
        return True
    units = (*MILLION_WORDS, *BAHT_WORDS) if amount else PERCENT_SUFFIXES
    return first not in units and _numeric(first, units)


def take_amount(args: list[str]) -> tuple[str, list[str]]:
    """The amount may be typed with spaces: `0.25 ล้าน`, `250,000 บาท`, `250 000`, `2.5 แสน`."""
    return take_number(args, amount=True)


def clean_note(words: list[str]) -> str:
    note = " ".join(words).strip()
    if len(note) > MAX_NOTE:
        raise InputError("note_too_long", limit=MAX_NOTE)
    return note


_QUARTER_WORD = re.compile(r"^(?:(\d{4})-)?(?:q|ไตรมาส(?:ที่)?)([1-4])$", re.IGNORECASE)
_QUARTER_ALONE = ("ไตรมาส", "ไตรมาสที่", "q")


def take_quarter(words: list[str]) -> tuple[tuple[int | None, int] | None, list[str]]:
    """A quarter named right after a value (`130 Q2`, `130 ไตรมาส 2`, `130 2564-Q2`):
    ((fiscal year or None, quarter), the words after it), or (None, words) when none is."""
    if not words:
        return None, words
    first = words[0].translate(_ARABIC)
    found = _QUARTER_WORD.match(first)
    if found:
        year = int(found.group(1)) if found.group(1) else None
        return (year, int(found.group(2))), words[1:]
    if first.lower() in _QUARTER_ALONE and len(words) > 1:
        number = words[1].translate(_ARABIC)
        if number in ("1", "2", "3", "4"):
            return (None, int(number)), words[2:]
    return None, words


_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
