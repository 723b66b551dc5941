"""/budget [CODE | S1..S6 | division | all]: allocated, spent and remaining, rolled up."""

from __future__ import annotations

import re

from handlers.commands.common import name_of
from handlers.context import Context
from handlers.dispatch import command
from handlers.formatting import esc, money, percent
from handlers.paging import split_message
from handlers.request import Reply
from storage import lookup, people
from storage.budgets import BudgetLine, division_budget, plan_budget, strategy_budget

STRATEGY = re.compile(r"^(?:s|ยุทธศาสตร์(?:ที่)?)\s*([0-9๐-๙])$", re.IGNORECASE)


@command("budget", "Allocated, spent, remaining: /budget [CODE|S1..S6|division|all]")
def budget(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    scope = rest.strip()
    with ctx.db.session() as session:
        if not scope:
            key = ctx.person.division_key if ctx.person else None
            if key and not (ctx.person and ctx.person.reads_everything):
                return _render(ctx, division_budget(session, key) or [], by_project=True)
            scope = "all"
        if scope.lower() in ("all", "ทั้งหมด"):
            return _render(ctx, plan_budget(session), title=ctx._("budget_whole_plan"))
        strategy = STRATEGY.match(scope)
        if strategy:
            number = int(strategy.group(1).translate(lookup.THAI_DIGITS))
            lines = strategy_budget(session, number)
            if lines is None:
                return [Reply(ctx._("unknown_strategy", number=number))]
            return _render(ctx, lines, title=ctx._("status_strategy", number=number))
        division = people.find_division(session, scope)
        if division is not None:
            return _render(ctx, division_budget(session, division.key) or [], by_project=True)
        found = lookup.resolve_code(session, scope)
        if found.code is not None:
            from storage.status import project_status

            card = project_status(session, found.code)
            assert card is not None
            line = BudgetLine(card.code, card.name_th, card.name_en, card.budget)
            return _render(ctx, [line], single=True)
        keys = ", ".join(d.key for d in people.divisions(session))
    return [Reply(ctx._("budget_unknown_scope", scope=esc(scope[:40]), keys=keys))]


def _render(
    ctx: Context,
    lines: list[BudgetLine],
    *,
    title: str = "",
    by_project: bool = False,
    single: bool = False,
) -> list[Reply]:
    lang = ctx.language
    if not lines:
        return [Reply(ctx._("projects_none"))]
    out = []
    *items, total = lines
    if single:
        items, total = [], lines[0]
    heading = title or f"{esc(total.key)} {name_of(ctx, total.name_th, total.name_en)}"
    out.append(f"<b>{heading}</b>")
    for line in items:
        label = line.key if line.key not in ("recurring",) else ctx._("status_recurring")
        name = name_of(ctx, line.name_th, line.name_en) if line.key != "recurring" else ""
        out.append(f"• <b>{esc(label)}</b> {name}")
        out.append("   " + _figures(ctx, line))
    out.append("")
    out.append(f"<b>{ctx._('budget_total')}</b> " + _figures(ctx, total))
    if total.budget.allocated_gov is not None or total.budget.allocated_own is not None:
        out.append(
            ctx._(
                "budget_sources",
                gov=money(total.budget.allocated_gov or 0, lang),
                own=money(total.budget.allocated_own or 0, lang),
            )
        )
    del by_project
    return [Reply(p) for p in split_message("\n".join(out))]


def _figures(ctx: Context, line: BudgetLine) -> str:
    lang, b = ctx.language, line.budget
    return ctx._(
        "budget_figures",
        allocated=money(b.allocated, lang),
        spent=money(b.spent, lang),
        remaining=money(b.remaining, lang),
        percent=percent(b.percent_spent, lang),
    )
