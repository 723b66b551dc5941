"""/projects [division]: a division's projects and their money; /find WORDS: projects by
Thai or English words (an exact code goes straight to its card)."""

from __future__ import annotations

from handlers.buttons import ShowStatus, encode
from handlers.commands.common import group_refusal
from handlers.commands.status import status
from handlers.context import Context
from handlers.formatting import esc, money, percent, shorten
from handlers.lookup import division_asked
from handlers.naming import name_of
from handlers.paging import split_message
from handlers.request import Button, Reply
from handlers.scope import read_scope
from handlers.words import search_terms
from plan_data import codes
from plan_data.rollup import BudgetLine, division_lines, strategy_project_lines

# Particles and the words around a search, left out of it (as handlers.intents.FILLER).
SEARCH_FILLER = frozenset(
    (
        "ครับ",
        "ค่ะ",
        "คะ",
        "นะ",
        "นะคะ",
        "จ้า",
        "หน่อย",
        "ด้วย",
        "ที่",
        "ของ",
        "เรื่อง",
        "เกี่ยวกับ",
        "โครงการ",
        "งาน",
        "the",
        "a",
        "an",
        "of",
        "about",
        "project",
        "projects",
    )
)


def projects(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    """A strategy's projects (`S2`, `ยุทธศาสตร์ที่ 2`), a division's, or my division's."""
    plan = ctx.plan()
    scope = read_scope(rest)
    if scope.kind == "strategy":
        refused = group_refusal(ctx)
        if refused is not None:
            return [refused]
        number = int(scope.key[1:])
        lines_data = (
            strategy_project_lines(plan, number, ctx.uow.figures.for_money()) if plan else None
        )
        if not lines_data:
            return [Reply(ctx._("projects_no_strategy", strategy=esc(scope.key)))]
        head = lines_data[-1]
        title = ctx._("summary_strategy", number=number)
        return _listed(
            ctx, f"<b>{title}</b> {name_of(ctx, head.name_th, head.name_en)}", lines_data
        )
    division = division_asked(ctx, rest, "projects_which_division")
    if isinstance(division, Reply):
        return [division]
    refused = group_refusal(ctx, division=division.key)
    if refused is not None:
        return [refused]
    lines_data = (
        division_lines(plan, division.key, ctx.uow.figures.for_money()) if plan else None
    ) or []
    return _listed(ctx, f"<b>{name_of(ctx, division.name_th, division.name_en)}</b>", lines_data)


def _listed(ctx: Context, title: str, lines_data: list[BudgetLine]) -> list[Reply]:
    """One line per project with its money, then the total."""
    lang = ctx.language
    lines = [title]
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
    terms = search_terms(rest, SEARCH_FILLER)
    hits = codes.search_projects([library.plans[y] for y in reversed(library.years)], terms)
    if exact.code and all(h.code != exact.code for h in hits):
        return status(ctx, [exact.code], exact.code)
    if not hits:
        return [Reply(ctx._("find_nothing", words=esc(shorten(rest, 60))))]
    lines = [ctx._("find_title", words=esc(shorten(rest, 60)))]
    lines += [f"• <code>{esc(h.code)}</code> {name_of(ctx, h.name_th, h.name_en)}" for h in hits]
    buttons = tuple((Button(h.code, encode(ShowStatus(h.code))),) for h in hits[:5])
    return [Reply("\n".join(lines), buttons=buttons)]
