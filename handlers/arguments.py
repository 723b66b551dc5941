"""The shapes of commands' arguments, for a command word typed without a slash: `สถานะ
STR114/64` runs /status, while `งบ STR114 เหลือเท่าไหร่` is a sentence read as a question
(`CommandSpec.takes`, declared with each command in handlers.wiring)."""

from __future__ import annotations

import re

from handlers.context import Context
from handlers.intents import FILLER
from handlers.lookup import find_division, join_split_code
from handlers.parsing import starts_with_number
from handlers.scope import read_scope
from plan_data import codes

PERIOD_WORD = re.compile(r"^(?:[0-9]{4}-)?[QqMm][0-9]{1,2}$")


def one_code(ctx: Context, args: list[str]) -> bool:
    return len(join_split_code(args)) <= 1


def code_and_number(ctx: Context, args: list[str]) -> bool:
    """`CODE`, or `CODE N` (one indicator)."""
    args = join_split_code(args)
    return len(args) <= 1 or (len(args) == 2 and args[1].translate(codes.THAI_DIGITS).isdigit())


def scope(ctx: Context, args: list[str]) -> bool:
    rest = " ".join(args)
    return (
        len(join_split_code(args)) <= 1
        or read_scope(rest).kind in ("all", "strategy")
        or find_division(ctx, rest) is not None
    )


def division_or_mine(ctx: Context, args: list[str]) -> bool:
    return len(args) <= 1 or find_division(ctx, " ".join(args)) is not None


def group(ctx: Context, args: list[str]) -> bool:
    """A strategy (`S2`, `ยุทธศาสตร์ที่ 2`), a division, or nothing."""
    return division_or_mine(ctx, args) or read_scope(" ".join(args)).kind == "strategy"


def search_words(ctx: Context, args: list[str]) -> bool:
    """Words to search for; not a sentence about searching (`find projects about gems`)."""
    return not args or args[0].lower() not in FILLER


def nothing(ctx: Context, args: list[str]) -> bool:
    return not args


def period(ctx: Context, args: list[str]) -> bool:
    """Nothing, or one period key (`2564-Q1`, `Q1`)."""
    if not args:
        return True
    return len(args) == 1 and PERIOD_WORD.match(args[0].translate(codes.THAI_DIGITS)) is not None


def update(ctx: Context, args: list[str]) -> bool:
    """`CODE`, `CODE N`, `CODE N VALUE [note]` (nothing: the guided update)."""
    args = join_split_code(args)
    if len(args) <= 1:
        return True
    number = args[1].translate(codes.THAI_DIGITS)
    return number.isdigit() and (len(args) == 2 or starts_with_number(args[2:]))


def spend(ctx: Context, args: list[str]) -> bool:
    """`CODE AMOUNT [note]` (fewer words: the command's usage)."""
    args = join_split_code(args)
    return len(args) <= 1 or starts_with_number(args[1:], amount=True)
