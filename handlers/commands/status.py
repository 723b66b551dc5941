"""/status CODE: the project card (the card itself is shared with /spend and LINE)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from handlers.buttons import HistoryPage, PickIndicator, ReportOn, ShowStatus, encode
from handlers.cards import fraction, percent_fraction, plain
from handlers.commands.common import KIND_KEYS, group_refusal, may_report
from handlers.context import Context
from handlers.formatting import baht_exact, day, esc, money, percent, quantity, shorten
from handlers.lookup import join_split_code, resolve
from handlers.naming import name_of, period_label
from handlers.paging import split_message
from handlers.request import BudgetBar, Button, Card, CardRow, Reply, VerdictKey
from handlers.review_marks import legend, mark_text
from handlers.text_fit import fit_label, graphemes
from plan_data.calendar import Deadline, ReportingCalendar
from plan_data.codes import THAI_DIGITS
from plan_data.due import seq_ranges
from plan_data.figures import Figures
from plan_data.model import Indicator, Plan, Project
from plan_data.money import Budget
from plan_data.progress import RATE_UNITS, TimeFrame, Verdict, frame_at, judge, progress_percent
from plan_data.review import NO_MARK, ReviewMark, ReviewState
from plan_data.rollup import accountable_projects, project_budget


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
    # indicator id -> the review of its latest value (of that value's period) and its files
    marks: Mapping[int, ReviewMark] = field(default_factory=dict)
    # periods closed unreported: (period key, the numbers of the indicators never reported)
    missed: tuple[tuple[str, tuple[int, ...]], ...] = ()

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
    card = ProjectCard(
        plan,
        project,
        project_budget(plan, project, figures),
        figures,
        None,
        frame,
        calendar.closed(ctx.now),
    )
    missed = []
    for period in calendar.missed_periods(ctx.now):
        reported = ctx.uow.figures.in_period_of(period.key, ids)
        seqs = tuple(i.seq for i in project.indicators if i.id not in reported)
        if seqs:
            missed.append((period.key, seqs))
    return replace(card, deadline=_deadline(calendar, card, ctx.now), missed=tuple(missed))


def missed_line(ctx: Context, card: ProjectCard) -> str | None:
    """The quarters that closed with this project's indicators unreported, on one line."""
    if not card.missed:
        return None
    items = [
        ctx._("status_missed_item", period=period_label(ctx, key), numbers=seq_ranges(seqs))
        for key, seqs in card.missed
    ]
    return ctx._("status_missed", periods=" · ".join(items))


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


MAX_PROJECT_BUTTONS = 12
LABEL = 48  # characters a button shows on a phone


def my_projects(ctx: Context) -> list[Project]:
    """The projects of the division asking (a group's linked division), for a pick list."""
    plan = ctx.plan()
    key = ctx.chat_division if ctx.request.is_group else None
    key = key or (ctx.person.division_key if ctx.person else None)
    return accountable_projects(plan, key) if plan and key else []


def status(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if not args:
        return [_which_project(ctx)]
    one = _one_indicator(ctx, args)
    if one is not None:
        return [one]
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
    card = replace(card, marks=ctx.uow.marks_of_latest(card.figures.latest))
    parts = split_message(render_status(ctx, card))
    row = [Button(ctx._("button_history"), encode(HistoryPage(found, 0)))]
    if card.project.indicators and not card.closed and may_report(ctx, found):
        row.insert(0, Button(ctx._("button_update"), encode(ReportOn(found))))
    laid_out = status_card(ctx, card, tuple(row)) if ctx.request.traits.draws_cards else None
    return [
        Reply(
            p,
            buttons=(tuple(row),) if i == len(parts) - 1 else (),
            card=laid_out if i == 0 else None,
            beside_card=i > 0,
        )
        for i, p in enumerate(parts)
    ]


def _one_indicator(ctx: Context, args: list[str]) -> Reply | None:
    """`/status CODE N` (or the question "ตัวชี้วัดที่ 2 ของ STR114 ได้เท่าไหร่แล้ว"): that one
    indicator in three lines — what it is and its target, the latest value with when and by
    whom, the verdict — instead of the whole card. None when the words are not CODE N."""
    words = join_split_code(args)
    if len(words) != 2 or not words[1].translate(THAI_DIGITS).isdigit():
        return None
    found = resolve(ctx, words[0])
    if isinstance(found, Reply):
        return found
    card = project_card(ctx, found)
    assert card is not None
    refused = group_refusal(ctx, project=card.project)
    if refused is not None:
        return refused
    seq = int(words[1].translate(THAI_DIGITS))
    indicator = next((i for i in card.project.indicators if i.seq == seq), None)
    if indicator is None:
        count = len(card.project.indicators)
        return Reply(ctx._("status_no_such_indicator", code=esc(found), number=seq, count=count))
    card = replace(card, marks=ctx.uow.marks_of_latest(card.figures.latest))
    head, *rest = _indicator_lines(ctx, card, indicator)
    title = ctx._(
        "status_one_title", code=esc(found), number=seq, text=esc(shorten(indicator.text, 60))
    )
    target = head.partition(" — ")[2]
    lines = [title + (" — " + target if target else ""), *(line.strip() for line in rest)]
    row = [Button(ctx._("button_status_all"), encode(ShowStatus(found)))]
    if not card.closed and may_report(ctx, found):
        row.insert(0, Button(ctx._("button_update"), encode(PickIndicator(found, seq))))
    return Reply("\n".join(lines), buttons=(tuple(row),))


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
        explained = legend(ctx._, card.marks.values())
        if explained:
            lines.append(explained)
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
    missed = missed_line(ctx, card)
    if missed:
        lines.append(missed)
    return "\n".join(lines)


def _which_project(ctx: Context) -> Reply:
    """/status alone (the LINE menu's tile): my division's projects to pick from."""
    projects = my_projects(ctx)
    if not projects:
        return Reply(ctx._("status_usage"))
    buttons = tuple(
        (Button(fit_label(p.code, p.name_th, LABEL, graphemes), encode(ShowStatus(p.code))),)
        for p in projects[:MAX_PROJECT_BUTTONS]
    )
    return Reply(ctx._("status_pick_project"), buttons=buttons)


def status_card(ctx: Context, card: ProjectCard, buttons: tuple[Button, ...]) -> Card:
    """The project card laid out: money as a bar, each indicator with its progress and its
    verdict for the period being reported on (as /summary judges it)."""
    _, lang = ctx._, ctx.language
    project, budget = card.project, card.budget
    rows = tuple(_indicator_row(ctx, card, i) for i in project.indicators)
    fine = sum(row.verdict in ("done", "on_track") for row in rows)
    counts = {"code": project.code, "fine": fine, "total": len(rows)}
    if budget.overspent:
        alt = _("card_alt_status_overspent", amount=baht_exact(-budget.remaining, lang), **counts)
    else:
        spent = percent(budget.percent_spent, lang)
        left = baht_exact(budget.remaining, lang)
        alt = _("card_alt_status", percent=spent, remaining=left, **counts)
    notes = [plain(line) for line in _sources(ctx, budget)]
    explained = legend(_, card.marks.values())
    if explained:
        notes.append(plain(explained))
    due = card.deadline
    if due is not None:
        period = period_label(ctx, due.period.key)
        if due.overdue_until is not None:
            until = day(due.overdue_until, lang)
            notes.append(_("status_overdue", period=period, date=day(due.due, lang), until=until))
        else:
            notes.append(_("status_next_due", period=period, date=day(due.due, lang)))
    missed = missed_line(ctx, card)
    if missed:
        notes.append(missed)
    if rows:
        rows_title = _("card_indicators", period=period_label(ctx, card.frame.period_key))
    else:
        rows_title = _("status_no_indicators")
    return Card(
        title=project.code,
        subtitle=plain(name_of(ctx, project.name_th, project.name_en)),
        alt_text=plain(alt),
        budget=budget_bar(ctx, budget),
        rows_title=plain(rows_title),
        rows=rows,
        notes=tuple(plain(n) for n in notes),
        buttons=buttons,
    )


CARD_VERDICT_IDS: dict[VerdictKey, str] = {
    "done": "card_verdict_done",
    "on_track": "card_verdict_on_track",
    "behind": "card_verdict_behind",
    "not_reported": "card_verdict_not_reported",
    "overspent": "card_verdict_overspent",
}


def verdict_label(ctx: Context, key: VerdictKey) -> str:
    """A verdict in a word or two, as a card's badge shows it."""
    return ctx._(CARD_VERDICT_IDS[key])


def _indicator_row(ctx: Context, card: ProjectCard, indicator: Indicator) -> CardRow:
    _, lang = ctx._, ctx.language
    kind = _(KIND_KEYS.get(indicator.kind, indicator.kind))
    label = f"{indicator.seq}. ({kind}) {indicator.text}"
    latest = card.figures.latest.get(indicator.id)
    parts = []  # never reported: the verdict says so, the value line gives the target
    if latest is not None:
        shown = quantity(latest.value, indicator.unit, lang).strip()
        period = period_label(ctx, latest.period)
        marked = mark_text(_, card.marks.get(indicator.id, NO_MARK))  # plain() unescapes it
        latest_text = _("card_latest", value=shown, period=period, by=latest.by or "-")
        parts.append(f"{latest_text} {marked}" if marked else latest_text)
    if indicator.target is not None:
        target = quantity(indicator.target, indicator.unit, lang)
        parts.append(_("target_" + indicator.direction, target=target))
    progress = progress_percent(indicator, latest.value) if latest is not None else None
    key: VerdictKey = card.verdict(indicator).value
    returned = _returned(card, indicator)
    return CardRow(
        label=plain(label),
        value=plain(" · ".join(parts)),
        progress=(percent_fraction(progress) or 0.0) if indicator.target else None,
        verdict="behind" if returned else key,
        verdict_label=_("card_verdict_returned") if returned else verdict_label(ctx, key),
    )


def budget_bar(ctx: Context, budget: Budget) -> BudgetBar:
    """Allocated, spent and remaining as a card shows them (the bar full and red when
    overspent)."""
    _, lang = ctx._, ctx.language
    if budget.allocated_gov is None and budget.allocated_own is None and not budget.allocated:
        allocated = _("status_no_budget")
    else:
        allocated = _("card_allocated", amount=money(budget.allocated, lang))
    if budget.overspent:
        remaining = _("card_overspent_by", amount=baht_exact(-budget.remaining, lang))
    else:
        remaining = _("card_remaining", remaining=baht_exact(budget.remaining, lang))
    spent = _(
        "card_spent",
        spent=baht_exact(budget.spent, lang),
        percent=percent(budget.percent_spent, lang),
    )
    return BudgetBar(
        allocated=plain(allocated),
        spent=plain(spent),
        remaining=plain(remaining),
        spent_fraction=1.0 if budget.overspent else fraction(budget.spent, budget.allocated),
        overspent=budget.overspent,
        overspent_label=verdict_label(ctx, "overspent") if budget.overspent else "",
    )


def _sources(ctx: Context, budget: Budget) -> list[str]:
    lang = ctx.language
    sources = []
    if budget.allocated_gov is not None:
        sources.append(ctx._("source_gov", amount=money(budget.allocated_gov, lang)))
    if budget.allocated_own is not None:
        sources.append(ctx._("source_own", amount=money(budget.allocated_own, lang)))
    return [", ".join(sources)] if len(sources) > 1 else []


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
            spent=baht_exact(budget.spent, lang),
            percent=percent(budget.percent_spent, lang),
            over=baht_exact(-budget.remaining, lang),
        )
    return ctx._(
        "status_spent",
        spent=baht_exact(budget.spent, lang),
        percent=percent(budget.percent_spent, lang),
        remaining=baht_exact(budget.remaining, lang),  # a balance someone checks: every baht
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
            + _marked(ctx, card, indicator)
        )
    period = period_label(ctx, card.frame.period_key)
    if _returned(card, indicator):  # a reviewer sent it back: not on track, owed again
        lines.append("   " + _("verdict_returned", period=period))
        return lines
    verdict = card.verdict(indicator)
    lines.append("   " + _(VERDICT_KEYS[verdict], period=period))
    return lines


def _returned(card: ProjectCard, indicator: Indicator) -> bool:
    """Whether the value that counts for the period was returned by a reviewer."""
    mark = card.marks.get(indicator.id, NO_MARK)
    latest = card.figures.latest.get(indicator.id)
    return (
        mark.state is ReviewState.RETURNED
        and latest is not None
        and latest.period == card.frame.period_key
    )


def _marked(ctx: Context, card: ProjectCard, indicator: Indicator) -> str:
    """The marks after a value (its review and the files behind it), with a space before."""
    marked = mark_text(ctx._, card.marks.get(indicator.id, NO_MARK))
    return " " + marked if marked else ""


def status_button(ctx: Context, data: ShowStatus) -> list[Reply]:
    return status(ctx, [data.code], data.code)
