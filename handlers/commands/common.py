"""Small pieces several commands share: finding a project, who may report, labels."""

from __future__ import annotations

import re

from handlers.context import Context
from handlers.formatting import esc
from handlers.request import Reply
from handlers.texts import unknown_code
from storage import lookup, people
from storage.status import project_division_keys

SPLIT_CODE_HEAD = re.compile(r"^[A-Za-z]{2,6}$")
SPLIT_CODE_TAIL = re.compile(r"^[0-9๐-๙]{2,4}(_[0-9๐-๙]+)?(/[0-9๐-๙]{2,4})?$")
KIND_KEYS = {"outcome": "kind_outcome", "output": "kind_output"}


def resolve(ctx: Context, typed: str) -> str | Reply:
    """The exact project code for what was typed, or a reply saying what exists instead."""
    with ctx.db.session() as session:
        found = lookup.resolve_code(session, typed)
    if found.code is None:
        return Reply(unknown_code(ctx._, typed, found.suggestions))
    return found.code


def join_split_code(args: list[str]) -> list[str]:
    """`STR 114/64 2 150` is `STR114/64 2 150`: people put a space inside the code."""
    if len(args) >= 2 and SPLIT_CODE_HEAD.match(args[0]) and SPLIT_CODE_TAIL.match(args[1]):
        return [args[0] + args[1], *args[2:]]
    return args


def may_report(ctx: Context, code: str) -> bool:
    person = ctx.person
    if person is None:
        return False
    if person.role in ("planner", "admin"):
        return True
    with ctx.db.session() as session:
        return person.division_key in project_division_keys(session, code)


def refused_write(ctx: Context, code: str) -> Reply:
    person = ctx.person
    division = (
        (person.division_name_th if ctx.language == "th" else person.division_name_en)
        if person
        else ""
    )
    return Reply(ctx._("not_your_project", code=esc(code), division=esc(division or "-")))


def period_label(ctx: Context, period_key: str) -> str:
    year, _, quarter = period_key.partition("-Q")
    return ctx._("period_quarter", quarter=quarter, year=year) if quarter else period_key


def name_of(ctx: Context, name_th: str, name_en: str) -> str:
    return esc(name_en if ctx.language == "en" and name_en else name_th)


def unknown_division(ctx: Context, typed: str) -> Reply:
    with ctx.db.session() as session:
        keys = ", ".join(d.key for d in people.divisions(session))
    return Reply(ctx._("unknown_division", division=esc(typed[:40]), keys=keys))


def division_asked(ctx: Context, typed: str, which_message: str) -> people.DivisionView | Reply:
    """The division typed (key or Thai/English name), else the person's own; otherwise a reply
    saying what to type."""
    with ctx.db.session() as session:
        if typed:
            division = people.find_division(session, typed)
        else:
            key = ctx.person.division_key if ctx.person else None
            division = people.find_division(session, key) if key else None
    if division is not None:
        return division
    return unknown_division(ctx, typed) if typed else Reply(ctx._(which_message))
