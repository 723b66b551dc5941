"""/status CODE (the project card), /projects [division] and /find WORDS."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from handlers.buttons import HistoryPage, ReportOn, ShowStatus, encode
from handlers.commands.common import (
    KIND_KEYS,
    division_asked,
    group_refusal,
    may_report,
    name_of,
    period_label,
    resolve,
)
from handlers.context import Context
from handlers.formatting import day, esc, money, percent, quantity
from handlers.paging import split_message
from handlers.request import Button, Reply
from plan_data import codes
from plan_data.calendar import Deadline, ReportingCalendar
from plan_data.figures import Figures
from plan_data.model import Indicator, Plan, Project
from plan_data.money import Budget
from plan_data.progress import RATE_UNITS, TimeFrame, Verdict, frame_at, judge, progress_percent
from plan_data.rollup import division_lines, project_budget


@dataclass(frozen=True)
class ProjectCard:
    """A project with what was reported on it: everything /status shows."""

    plan: Plan
    project: Project
    budget: Budget  # rolled up over its sub-activities
    figures: Figures  # spending of the subtree, latest values, and values of the frame's period
    deadline: Deadline | None  # None: nothing of this project is due (or it has no indicators)
    frame: TimeFrame
    closed: bool  # the fiscal year is closed: nothing more can be reported

    def verdict(self, indicator: Indicator) -> Verdict:
        """As /summary judges it: the value of the period being reported on, pro-rated."""
        return judge(indicator, self.figures.in_period.get(indicator.id), self.frame.year_share)

    @property
    def missing(self) -> bool:
        return any(i.id not in self.figures.in_period for i in self.project.indicators)


def project_card(ctx: Context, code: str) -> ProjectCard | None:
    found = ctx.plans().find(code)
    if found is None:
        return None
    plan, project = found
    calendar = ctx.calendar(plan.fiscal_year)
    frame = frame_at(calendar, ctx.now)
    ids = [i.id for i in project.indicators]
    subtree = [p.id for p in plan.subtree(project)]
    base = ctx.uow.figures.for_projects(subtree, ids)
    figures = replace(base, in_period=ctx.uow.figures.in_period_of(frame.period_key, ids))
    card = ProjectCard(plan, project, project_budget(plan, project, figures), figures, None,
                       frame, calendar.closed(ctx.now))  # fmt: skip
    return replace(card, deadline=_deadline(calendar, card, ctx.now))


def _deadline(calendar: ReportingCalendar, card: ProjectCard, now: datetime) -> Deadline | None:
    """The due date a card mentions: the overdue period only while something of it is still
    missing for this project, else the next due date; nothing for a project with no
    indicators."""
    if not card.project.indicators:
        return None
    deadline = calendar.next_deadline(now)
    if deadline is not None and deadline.overdue_until is not None and not card.missing:
        later = [p for p in calendar.periods if p.internal_due > deadline.due]
        return Deadline(later[0], later[0].internal_due, None) if later else None
    return deadline


def status(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if not args:
        return [Reply(ctx._("status_usage"))]
    found = resolve(ctx, rest)
    if isinstance(found, Reply):
        if len(args) > 1:  # `/status STR114/64 extra` — try the first word alone
            first = resolve(ctx, args[0])
            if isinstance(first, str):
                return [
                    Reply(ctx._("extra_arguments", command="status", example=f"/status {first}"))
                ]
        return [found]
    card = project_card(ctx, found)
    assert card is not None
    refused = group_refusal(ctx, project=card.project)
    if refused is not None:
        return [refused]
    parts = split_message(render_status(ctx, card))
    row = [Button(ctx._("button_history"), encode(HistoryPage(found, 0)))]
    if card.project.indicators and not card.closed and may_report(ctx, found):
        row.insert(0, Button(ctx._("button_update"), encode(ReportOn(found))))
    buttons = (tuple(row),)
    return [Reply(p, buttons=buttons if i == len(parts) - 1 else ()) for i, p in enumerate(parts)]


def render_status(ctx: Context, card: ProjectCard) -> str:
    _, lang = ctx._, ctx.language
    project, plan = card.project, card.plan
    lines = [f"<b>{esc(project.code)}</b> {name_of(ctx, project.name_th, project.name_en)}"]
    if project.strategy_number is not None:
        place = _("status_strategy", number=project.strategy_number)
        if project.tactic_number:
            place += " · " + _("status_tactic", number=esc(project.tactic_number))
        lines.append(place)
    else:
        lines.append(_("status_recurring"))
    if project.parent_code:
        lines.append(_("status_parent", code=esc(project.parent_code)))
    children = plan.children(project)
    if children:
        lines.append(_("status_children", codes=", ".join(esc(c.code) for c in children)))
    divisions = [plan.division(key) for key in project.division_keys]
    names = ", ".join(name_of(ctx, d.name_th, d.name_en) for d in divisions if d is not None)
    lines.append(_("status_divisions", divisions=names))
    lines.append("")
    lines.extend(budget_lines(ctx, card.budget))
    lines.append("")
    if project.indicators:
        lines.append(f"<b>{_('status_indicators')}</b>")
        for indicator in project.indicators:
            lines.extend(_indicator_lines(ctx, card, indicator))
    else:
        lines.append(_("status_no_indicators"))
    due = card.deadline
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


def budget_lines(ctx: Context, budget: Budget) -> list[str]:
    """Allocated by source, spent and remaining: the card's money block (also after /spend)."""
    _, lang = ctx._, ctx.language
    sources = []
    if budget.allocated_gov is not None:
        sources.append(_("source_gov", amount=money(budget.allocated_gov, lang)))
    if budget.allocated_own is not None:
        sources.append(_("source_own", amount=money(budget.allocated_own, lang)))
    lines = []
    if sources:
        lines.append(
            _("status_budget", amount=money(budget.allocated, lang), sources=", ".join(sources))
        )
    else:
        lines.append(_("status_no_budget"))
    lines.append(spent_line(ctx, budget))
    if budget.overspent:
        lines.append(_("status_overspent"))
    return lines


def spent_line(ctx: Context, budget: Budget) -> str:
    """Spent and remaining; past the budget it says by how much ("เกินงบ …")."""
    lang = ctx.language
    if budget.overspent:
        return ctx._(
            "status_spent_over",
            spent=money(budget.spent, lang),
            percent=percent(budget.percent_spent, lang),
            over=money(-budget.remaining, lang),
        )
    return ctx._(
        "status_spent",
        spent=money(budget.spent, lang),
        percent=percent(budget.percent_spent, lang),
        remaining=money(budget.remaining, lang),
    )


VERDICT_KEYS = {
    Verdict.DONE: "verdict_done",
    Verdict.ON_TRACK: "verdict_on_track",
    Verdict.BEHIND: "verdict_behind",
    Verdict.NOT_REPORTED: "verdict_not_reported",
}


def _indicator_lines(ctx: Context, card: ProjectCard, indicator: Indicator) -> list[str]:
    figures = card.figures
    _, lang = ctx._, ctx.language
    kind = _(KIND_KEYS.get(indicator.kind, indicator.kind))
    tags = f" [{esc(', '.join(indicator.tags))}]" if indicator.tags else ""
    head = f"{indicator.seq}. ({kind}) {esc(indicator.text)}{tags}"
    if indicator.target is not None:
        head += " — " + _(
            "target_" + indicator.direction, target=quantity(indicator.target, indicator.unit, lang)
        )
    lines = [head]
    latest = figures.latest.get(indicator.id)
    if latest is not None:
        shown = quantity(latest.value, indicator.unit, lang)
        rate = indicator.unit in RATE_UNITS  # a percent or a level is its own measure
        progress = None if rate else progress_percent(indicator, latest.value)
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
    verdict = card.verdict(indicator)
    lines.append(
        "   " + _(VERDICT_KEYS[verdict], period=period_label(ctx, card.frame.period_key))
    )
    return lines


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
        return [Reply(ctx._("find_nothing", words=esc(rest[:60])))]
    lines = [ctx._("find_title", words=esc(rest[:60]))]
    lines += [f"• <code>{esc(h.code)}</code> {name_of(ctx, h.name_th, h.name_en)}" for h in hits]
    buttons = tuple((Button(h.code, encode(ShowStatus(h.code))),) for h in hits[:5])
    return [Reply("\n".join(lines), buttons=buttons)]


def status_button(ctx: Context, data: ShowStatus) -> list[Reply]:
    return status(ctx, [data.code], data.code)
