"""/status CODE (the project card), /projects [division] and /find WORDS."""

from __future__ import annotations

from handlers.commands.common import KIND_KEYS, division_asked, name_of, period_label, resolve
from handlers.context import Context
from handlers.dispatch import button, command
from handlers.formatting import day, esc, money, percent, quantity
from handlers.paging import split_message
from handlers.request import Button, Reply
from storage import lookup
from storage.due import ProjectDue, project_due
from storage.status import IndicatorStatus, ProjectStatus, project_status


@command("status", "Project card: budget, spending, indicators")
def status(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if not args:
        return [Reply(ctx._("status_usage"))]
    typed = rest
    found = resolve(ctx, typed)
    if isinstance(found, Reply):
        if len(args) > 1:  # `/status STR114/64 extra` — try the first word alone
            first = resolve(ctx, args[0])
            if isinstance(first, str):
                return [
                    Reply(ctx._("extra_arguments", command="status", example=f"/status {first}"))
                ]
        return [found]
    with ctx.db.session() as session:
        card = project_status(session, found)
        due = project_due(session, found, ctx.now)
    assert card is not None
    text = render_status(ctx, card, due)
    parts = split_message(text)
    buttons = (
        (
            Button(ctx._("button_update"), f"upd:s:{card.code}"),
            Button(ctx._("button_history"), f"his:{card.code}:0"),
        ),
    )
    return [Reply(p, buttons=buttons if i == len(parts) - 1 else ()) for i, p in enumerate(parts)]


def render_status(ctx: Context, card: ProjectStatus, due: ProjectDue | None) -> str:
    _, lang = ctx._, ctx.language
    lines = [f"<b>{esc(card.code)}</b> {name_of(ctx, card.name_th, card.name_en)}"]
    if card.strategy_number is not None:
        place = _("status_strategy", number=card.strategy_number)
        if card.tactic_number:
            place += " · " + _("status_tactic", number=esc(card.tactic_number))
        lines.append(place)
    else:
        lines.append(_("status_recurring"))
    if card.parent_code:
        lines.append(_("status_parent", code=esc(card.parent_code)))
    if card.child_codes:
        lines.append(_("status_children", codes=", ".join(esc(c) for c in card.child_codes)))
    divisions = ", ".join(name_of(ctx, d.name_th, d.name_en) for d in card.divisions)
    lines.append(_("status_divisions", divisions=divisions))
    lines.append("")
    budget = card.budget
    sources = []
    if budget.allocated_gov is not None:
        sources.append(_("source_gov", amount=money(budget.allocated_gov, lang)))
    if budget.allocated_own is not None:
        sources.append(_("source_own", amount=money(budget.allocated_own, lang)))
    if sources:
        lines.append(
            _("status_budget", amount=money(budget.allocated, lang), sources=", ".join(sources))
        )
    else:
        lines.append(_("status_no_budget"))
    lines.append(
        _(
            "status_spent",
            spent=money(budget.spent, lang),
            percent=percent(budget.percent_spent, lang),
            remaining=money(budget.remaining, lang),
        )
    )
    if budget.remaining < 0:
        lines.append(_("status_overspent"))
    lines.append("")
    if card.indicators:
        lines.append(f"<b>{_('status_indicators')}</b>")
        for indicator in card.indicators:
            lines.extend(_indicator_lines(ctx, indicator))
    else:
        lines.append(_("status_no_indicators"))
    if due is not None:
        lines.append("")
        period = period_label(ctx, due.period.key)
        if due.overdue_until is not None:
            lines.append(
                _(
                    "status_overdue",
                    period=period,
                    date=day(due.due, lang),
                    until=day(due.overdue_until, lang),
                )
            )
        else:
            lines.append(_("status_next_due", period=period, date=day(due.due, lang)))
    return "\n".join(lines)


def _indicator_lines(ctx: Context, indicator: IndicatorStatus) -> list[str]:
    _, lang = ctx._, ctx.language
    kind = _(KIND_KEYS.get(indicator.kind, indicator.kind))
    tags = f" [{esc(', '.join(indicator.tags))}]" if indicator.tags else ""
    head = f"{indicator.seq}. ({kind}) {esc(indicator.text)}{tags}"
    if indicator.target is not None:
        head += " — " + _(
            "target_" + indicator.direction, target=quantity(indicator.target, indicator.unit, lang)
        )
    lines = [head]
    latest = indicator.latest
    if latest is None:
        lines.append("   " + _("not_reported_yet"))
    else:
        shown = quantity(latest.value, indicator.unit, lang)
        progress = indicator.progress_percent
        progress_text = f" ({percent(progress, lang)})" if progress is not None else ""
        lines.append(
            "   "
            + _(
                "latest_value",
                value=shown.strip(),
                progress=progress_text,
                period=period_label(ctx, latest.period),
                by=esc(latest.by or "-"),
                date=day(latest.at, lang),
            )
        )
    return lines


@command("projects", "My division's projects, or another division's")
def projects(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    from storage.budgets import division_budget

    division = division_asked(ctx, rest, "projects_which_division")
    if isinstance(division, Reply):
        return [division]
    with ctx.db.session() as session:
        lines_data = division_budget(session, division.key) or []
    lang = ctx.language
    lines = [f"<b>{name_of(ctx, division.name_th, division.name_en)}</b>"]
    *rows, total = lines_data if lines_data else [None]
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


@command("find", "Find projects by Thai or English words")
def find(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if not args:
        return [Reply(ctx._("find_usage"))]
    with ctx.db.session() as session:
        exact = lookup.resolve_code(session, rest)
        hits = lookup.search_projects(session, rest)
    if exact.code and all(h.code != exact.code for h in hits):
        return status(ctx, [exact.code], exact.code)
    if not hits:
        return [Reply(ctx._("find_nothing", words=esc(rest[:60])))]
    lines = [ctx._("find_title", words=esc(rest[:60]))]
    lines += [f"• <code>{esc(h.code)}</code> {name_of(ctx, h.name_th, h.name_en)}" for h in hits]
    buttons = tuple((Button(h.code, f"sta:{h.code}"),) for h in hits[:5])
    return [Reply("\n".join(lines), buttons=buttons)]


@button("sta")
def status_button(ctx: Context, parts: list[str]) -> list[Reply]:
    code = ":".join(parts)
    return status(ctx, [code], code)
