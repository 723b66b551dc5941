"""/budget [CODE | S1..S6 | division | all]: allocated, spent and remaining, rolled up."""

from __future__ import annotations

from handlers.buttons import HistoryPage, ShowStatus, encode
from handlers.cards import fraction, plain
from handlers.commands.common import group_refusal
from handlers.commands.status import budget_bar, verdict_label
from handlers.context import Context
from handlers.formatting import esc, money, percent, shorten
from handlers.lookup import division_keys_text, find_division, resolve
from handlers.naming import name_of
from handlers.paging import split_message
from handlers.request import Button, Card, CardRow, Reply
from handlers.scope import Scope, read_scope
from plan_data.roles import reads_everything
from plan_data.rollup import (
    RECURRING,
    BudgetLine,
    division_lines,
    plan_lines,
    project_budget,
    strategy_lines,
)


def looked_up(ctx: Context, typed: str) -> Scope | None:
    """What was typed, resolved against the plan: a division (key or name) before a code;
    nothing typed is my division (the whole plan for planners). None: nothing matches."""
    scope = read_scope(typed)
    if scope.kind == "mine" and ctx.request.is_group and ctx.chat_division:
        return Scope("division", ctx.chat_division)
    if scope.kind == "mine":
        person = ctx.person
        role = ctx.role
        if person and person.division_key and role is not None and not reads_everything(role):
            return Scope("division", person.division_key)
        return Scope("all")
    if scope.kind != "words":
        return scope
    division = find_division(ctx, scope.key)
    if division is not None:
        return Scope("division", division.key)
    code = resolve(ctx, scope.key)
    return Scope("project", code) if isinstance(code, str) else None


def scope_refusal(ctx: Context, scope: Scope) -> Reply | None:
    """In a group, only the linked division's figures (see common.group_refusal)."""
    if scope.kind == "division":
        return group_refusal(ctx, division=scope.key)
    found = ctx.plans().find(scope.key) if scope.kind == "project" else None
    return group_refusal(ctx, project=found[1] if found else None)


def budget(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    plan = ctx.plan()
    scope = looked_up(ctx, rest)
    if plan is None:
        return [Reply(ctx._("planning_no_plan"))]
    if scope is None:
        keys = division_keys_text(ctx)
        return [
            Reply(ctx._("budget_unknown_scope", scope=esc(shorten(rest.strip(), 40)), keys=keys))
        ]
    refused = scope_refusal(ctx, scope)
    if refused is not None:
        return [refused]
    figures = ctx.uow.figures.for_money()
    if scope.kind == "all":
        return _render(ctx, plan_lines(plan, figures), title=ctx._("budget_whole_plan"))
    if scope.kind == "strategy":
        number = int(scope.key[1:])
        lines = strategy_lines(plan, number, figures)
        if lines is None:
            return [Reply(ctx._("unknown_strategy", number=number))]
        return _render(ctx, lines, title=ctx._("status_strategy", number=number))
    if scope.kind == "division":
        return _render(ctx, division_lines(plan, scope.key, figures) or [])
    return _render(ctx, [_project_line(ctx, scope.key)], single=True)


def _project_line(ctx: Context, code: str) -> BudgetLine:
    found = ctx.plans().find(code)
    assert found is not None
    plan, project = found
    figures = ctx.uow.figures.for_projects([p.id for p in plan.subtree(project)], [])
    return BudgetLine(
        project.code, project.name_th, project.name_en, project_budget(plan, project, figures)
    )


def _render(
    ctx: Context, lines: list[BudgetLine], *, title: str = "", single: bool = False
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
        recurring = line.key == RECURRING
        label = ctx._("status_recurring") if recurring else line.key
        name = "" if recurring else name_of(ctx, line.name_th, line.name_en)
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
    parts = split_message("\n".join(out))
    card = budget_card(ctx, items, total, title, single=single)
    buttons = (card.buttons,) if card.buttons else ()
    return [
        Reply(
            p,
            buttons=buttons if i == len(parts) - 1 else (),
            card=card if i == 0 else None,
            beside_card=i > 0,
        )
        for i, p in enumerate(parts)
    ]


def budget_card(
    ctx: Context, items: list[BudgetLine], total: BudgetLine, title: str, *, single: bool
) -> Card:
    """The same figures laid out: the total as a bar, each line below it with its own bar; a
    project's card offers its status and history."""
    lang, b = ctx.language, total.budget
    rows = tuple(_row(ctx, line) for line in items)
    name = plain(name_of(ctx, total.name_th, total.name_en))
    buttons: tuple[Button, ...] = ()
    if single:  # a project: its code and name, and where to go from here
        title, subtitle = total.key, name
        buttons = (
            Button(ctx._("button_status"), encode(ShowStatus(total.key))),
            Button(ctx._("button_history"), encode(HistoryPage(total.key, 0))),
        )
    elif title:  # the whole plan, or a strategy and its name
        title, subtitle = plain(title), name
    else:  # a division: its name, and the key people type
        title, subtitle = name or total.key, total.key if name else ""
    notes: tuple[str, ...] = ()
    if b.allocated_gov is not None or b.allocated_own is not None:
        gov, own = money(b.allocated_gov or 0, lang), money(b.allocated_own or 0, lang)
        notes = (plain(ctx._("budget_sources", gov=gov, own=own)),)
    alt = ctx._(
        "card_alt_budget",
        title=title,
        spent=money(b.spent, lang),
        allocated=money(b.allocated, lang),
        percent=percent(b.percent_spent, lang),
    )
    return Card(
        title=title,
        subtitle=subtitle,
        alt_text=plain(alt),
        budget=budget_bar(ctx, b),
        rows=rows,
        notes=notes,
        buttons=buttons,
    )


def _row(ctx: Context, line: BudgetLine) -> CardRow:
    lang, b = ctx.language, line.budget
    recurring = line.key == RECURRING
    label = ctx._("status_recurring") if recurring else f"{line.key} {line.name_th}"
    if not recurring and ctx.language == "en" and line.name_en:
        label = f"{line.key} {line.name_en}"
    value = ctx._(
        "card_spent_of",
        spent=money(b.spent, lang),
        allocated=money(b.allocated, lang),
        percent=percent(b.percent_spent, lang),
    )
    return CardRow(
        label=plain(label),
        value=plain(value),
        progress=1.0 if b.overspent else fraction(b.spent, b.allocated),
        verdict="overspent" if b.overspent else None,
        verdict_label=verdict_label(ctx, "overspent") if b.overspent else "",
    )


def _figures(ctx: Context, line: BudgetLine) -> str:
    lang, b = ctx.language, line.budget
    return ctx._(
        "budget_figures",
        allocated=money(b.allocated, lang),
        spent=money(b.spent, lang),
        remaining=money(b.remaining, lang),
        percent=percent(b.percent_spent, lang),
    )
