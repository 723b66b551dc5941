"""Small pieces several commands share: finding a project, who may report, labels."""

from __future__ import annotations

from handlers.context import Context
from handlers.formatting import esc, month_name, shorten
from handlers.i18n import Translator
from handlers.request import Reply
from handlers.texts import unknown_code
from plan_data import codes
from plan_data.calendar import parse_period_key
from plan_data.model import Division, Plan, Project
from plan_data.roles import Role, group_may_show
from plan_data.roles import may_report as role_may_report

KIND_KEYS = {"outcome": "kind_outcome", "output": "kind_output"}


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


def may_report(ctx: Context, code: str) -> bool:
    person = ctx.person
    found = ctx.plans().find(code)
    if person is None or found is None:
        return False
    plan, project = found
    return role_may_report(Role(person.role), person.division_key, plan, project)


def refused_write(ctx: Context, code: str) -> Reply:
    person = ctx.person
    division = (
        (person.division_name_th if ctx.language == "th" else person.division_name_en)
        if person
        else ""
    )
    return Reply(ctx._("not_your_project", code=esc(code), division=esc(division or "-")))


def period_name(_: Translator, period_key: str) -> str:
    """ไตรมาส 1/2564, or ตุลาคม 2564 for a monthly period; the key itself when unknown."""
    name = parse_period_key(period_key)
    if name is None:
        return esc(period_key)
    if name.month is None:
        return _("period_quarter", quarter=name.quarter, year=name.fiscal_year)
    return _("period_month", month=month_name(name.month, _.language), year=name.fiscal_year)


def period_label(ctx: Context, period_key: str) -> str:
    return period_name(ctx._, period_key)


def name_of(ctx: Context, name_th: str, name_en: str) -> str:
    return esc(name_en if ctx.language == "en" and name_en else name_th)


def division_keys_text(ctx: Context) -> str:
    return ", ".join(d.key for d in ctx.plans().divisions)


def find_division(ctx: Context, text: str) -> Division | None:
    """A division by its key, or by a Thai or English name (or a unique part of one)."""
    wanted = text.strip().lower().removeprefix("ฝ่าย")
    if not wanted:
        return None
    divisions = ctx.plans().divisions
    for d in divisions:
        if wanted in (d.key, d.name_th.lower().removeprefix("ฝ่าย"), d.name_en.lower()):
            return d
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


def group_refusal(
    ctx: Context, *, division: str | None = None, project: Project | None = None
) -> Reply | None:
    """In a group chat, figures are shown only for the division the group is linked to: the
    reply that says so, or None where the figures may be shown (always in a private chat).
    Ask with the division asked about, the project asked about, or neither (a whole-plan
    view, never shown in a group)."""
    if not ctx.request.is_group:
        return None
    linked = ctx.chat_division
    if linked is None:
        return Reply(ctx._("group_not_linked"))
    found = ctx.plans().find(project.code) if project is not None else None
    if group_may_show(linked, division, found[0] if found else None, project):
        return None
    named = ctx.plans().division(linked)
    name = name_of(ctx, named.name_th, named.name_en) if named else esc(linked)
    return Reply(ctx._("group_only_division", division=name))
