"""/projects [division]: a division's projects and their money; /find WORDS: projects by
Thai or English words (an exact code goes straight to its card)."""

from __future__ import annotations

from handlers.buttons import ShowStatus, encode
from handlers.commands.common import division_asked, group_refusal, name_of
from handlers.commands.status import status
from handlers.context import Context
from handlers.formatting import esc, money, percent, shorten
from handlers.paging import split_message
from handlers.request import Button, Reply
from plan_data import codes
from plan_data.rollup import division_lines


def projects(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    division = division_asked(ctx, rest, "projects_which_division")
    if isinstance(division, Reply):
        return [division]
    refused = group_refusal(ctx, division=division.key)
    if refused is not None:
        return [refused]
    plan = ctx.plan()
    lines_data = (
        division_lines(plan, division.key, ctx.uow.figures.for_money()) if plan else None
    ) or []
    lang = ctx.language
    lines = [f"<b>{name_of(ctx, division.name_th, division.name_en)}</b>"]
    rows, total = lines_data[:-1], lines_data[-1] if lines_data else None
    for row in rows:
        lines.append(
            f"• <code>{esc(row.key)}</code> {name_of(ctx, row.name_th, row.name_en)} — "
            + ctx._(
                "projects_line",
                spent=money(row.budget.spent, lang),
                allocated=money(row.budget.allocated, lang),
                percent=percent(row.budget.percent_spent, lang),
            )
        )
    if not rows:
        lines.append(ctx._("projects_none"))
    elif total is not None:
        lines.append(
            ctx._(
                "projects_total",
                spent=money(total.budget.spent, lang),
                allocated=money(total.budget.allocated, lang),
            )
        )
    return [Reply(p) for p in split_message("\n".join(lines))]


def find(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if not args:
        return [Reply(ctx._("find_usage"))]
    library = ctx.plans()
    plan = ctx.plan()
    exact = codes.resolve_code(rest, library.codes(), plan.fiscal_year if plan else None)
    hits = codes.search_projects([library.plans[y] for y in reversed(library.years)], rest)
    if exact.code and all(h.code != exact.code for h in hits):
        return status(ctx, [exact.code], exact.code)
    if not hits:
        return [Reply(ctx._("find_nothing", words=esc(shorten(rest, 60))))]
    lines = [ctx._("find_title", words=esc(shorten(rest, 60)))]
    lines += [f"• <code>{esc(h.code)}</code> {name_of(ctx, h.name_th, h.name_en)}" for h in hits]
    buttons = tuple((Button(h.code, encode(ShowStatus(h.code))),) for h in hits[:5])
    return [Reply("\n".join(lines), buttons=buttons)]
