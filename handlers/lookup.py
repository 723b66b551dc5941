"""What a person typed, found in the plan: a project code (with the codes that exist when it
is not one), a code typed with a space inside, a division by key or name. Commands and the
question reader (handlers.intents) find things the same way."""

from __future__ import annotations

from handlers.context import Context
from handlers.formatting import esc, shorten
from handlers.request import Reply
from handlers.texts import unknown_code
from plan_data import codes
from plan_data.model import Division, Plan, Project


def resolve(ctx: Context, typed: str) -> str | Reply:
    """The exact project code for what was typed, or a reply saying what exists instead."""
    library = ctx.plans()
    plan = ctx.plan()
    found = codes.resolve_code(typed, library.codes(), plan.fiscal_year if plan else None)
    if found.code is None:
        return Reply(unknown_code(ctx._, typed, found.suggestions))
    return found.code


def find_project(ctx: Context, code: str) -> tuple[Plan, Project] | None:
    return ctx.plans().find(code)


def join_split_code(args: list[str]) -> list[str]:
    """`STR 114/64 2 150` is `STR114/64 2 150`: people put a space inside the code."""
    if len(args) >= 2 and codes.is_split_code(args[0], args[1]):
        return [args[0] + args[1], *args[2:]]
    return args


def division_keys_text(ctx: Context) -> str:
    return ", ".join(d.key for d in ctx.plans().divisions)


def find_division(ctx: Context, text: str) -> Division | None:
    """A division by its key, by a Thai or English name (or a unique part of one), or by an
    alias the plan gives it (`ไอที`)."""
    wanted = text.strip().lower().removeprefix("ฝ่าย")
    if not wanted:
        return None
    divisions = ctx.plans().divisions
    for d in divisions:
        if wanted in (d.key, d.name_th.lower().removeprefix("ฝ่าย"), d.name_en.lower()):
            return d
    aliased = ctx.plans().division_by_alias(wanted)
    if aliased is not None:
        return aliased
    partial = [d for d in divisions if wanted in d.name_th.lower() or wanted in d.name_en.lower()]
    return partial[0] if len(partial) == 1 else None


def unknown_division(ctx: Context, typed: str) -> Reply:
    return Reply(
        ctx._("unknown_division", division=esc(shorten(typed, 40)), keys=division_keys_text(ctx))
    )


def division_asked(ctx: Context, typed: str, which_message: str) -> Division | Reply:
    """The division typed (key or Thai/English name), else the person's own; otherwise a reply
    saying what to type."""
    if typed:
        division = find_division(ctx, typed)
    else:
        key = ctx.person.division_key if ctx.person else None
        key = ctx.chat_division or key if ctx.request.is_group else key
        division = ctx.plans().division(key) if key else None
    if division is not None:
        return division
    return unknown_division(ctx, typed) if typed else Reply(ctx._(which_message))
