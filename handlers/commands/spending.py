"""/spend: money spent on a project, in baht. Spending past the (rolled-up) budget is asked
about first; the write goes through storage.services, which checks the rules again."""

from __future__ import annotations

from decimal import Decimal

from handlers import flows
from handlers.buttons import CancelSpend, ConfirmSpend, SpendQuarter, encode
from handlers.commands.common import may_report, refused_write
from handlers.commands.evidence import attach_button
from handlers.commands.status import my_projects, project_card, spent_line
from handlers.context import MemberContext
from handlers.flows import SpendConfirm
from handlers.formatting import day, esc, money
from handlers.lookup import join_split_code, resolve
from handlers.naming import period_label
from handlers.parsing import clean_note, parse_amount, take_amount, take_quarter
from handlers.request import Button, Reply
from plan_data.calendar import ReportingPeriod
from plan_data.money import Budget
from plan_data.rollup import project_budget
from storage.repositories.evidence import EntryRef
from storage.services import reporting as services

MAX_PROJECT_BUTTONS = 12


def spend(ctx: MemberContext, args: list[str], rest: str) -> list[Reply]:
    args = join_split_code(args)
    if not args:
        return [_spend_help(ctx)]
    if len(args) < 2:
        return [Reply(ctx._("spend_usage"))]
    found = resolve(ctx, args[0])
    if isinstance(found, Reply):
        return [found]
    if not may_report(ctx, found):
        return [refused_write(ctx, found)]
    typed, note_words = take_amount(args[1:])
    amount = parse_amount(typed)
    quarter, note_words = take_quarter(note_words)  # `/spend CODE 50000 Q2`: no question
    note = clean_note(note_words)
    card = project_card(ctx, found)
    assert card is not None
    year = card.plan.fiscal_year
    period = f"{quarter[0] or year}-Q{quarter[1]}" if quarter else ""
    services.writable(ctx.uow, ctx.person, found, ctx.now, period or None, money=True)
    periods = ctx.calendar(year).open_for_reports(ctx.now)
    if not period and len(periods) > 1:  # inside a grace window: which quarter is it for?
        return [_ask_quarter(ctx, found, amount, note, periods)]
    return [_spend_or_ask(ctx, found, amount, note, period)]


def _spend_or_ask(
    ctx: MemberContext, code: str, amount: Decimal, note: str, period: str, edit: bool = False
) -> Reply:
    """Record it, or ask first when it takes the project past its budget."""
    card = project_card(ctx, code)
    assert card is not None
    if card.budget.after_spending(amount).overspent:
        return _ask_overspend(ctx, code, card.budget, amount, note, period, edit=edit)
    return _spent(ctx, code, amount, note, period=period, edit=edit)


def _ask_quarter(
    ctx: MemberContext,
    code: str,
    amount: Decimal,
    note: str,
    periods: tuple[ReportingPeriod, ...],
) -> Reply:
    """Two quarters take reports (the one that ended is inside its grace window): one button
    each; nothing is written until one is pressed, and only one press counts."""
    flow = flows.expect(
        ctx, SpendConfirm(flows.chat_of(ctx), flows.new_nonce(), code, str(amount), note)
    )
    first, second = periods[0], periods[-1]
    calendar = ctx.calendar(first.fiscal_year)
    text = ctx._(
        "spend_which_quarter",
        amount=money(amount, ctx.language),
        code=esc(code),
        first=period_label(ctx, first.key),
        until=day(calendar.report_deadline(first), ctx.language),
        second=period_label(ctx, second.key),
    )
    buttons = (
        tuple(
            Button(period_label(ctx, p.key), encode(SpendQuarter(flow.nonce, p.key)))
            for p in periods
        ),
        (Button(ctx._("button_cancel"), encode(CancelSpend(flow.nonce))),),
    )
    return Reply(text, buttons=buttons)


def _spend_help(ctx: MemberContext) -> Reply:
    """/spend alone (the LINE menu's tile): how to type it, and what my projects have left."""
    lines = [ctx._("spend_usage")]
    projects = my_projects(ctx)[:MAX_PROJECT_BUTTONS]
    if projects:
        figures = ctx.uow.figures.for_money()
        plan = ctx.plan()
        assert plan is not None
        lines += ["", ctx._("spend_my_projects")]
        for project in projects:
            left = money(project_budget(plan, project, figures).remaining, ctx.language)
            lines.append(ctx._("spend_project_left", code=esc(project.code), remaining=left))
    return Reply("\n".join(lines))


def _spent(
    ctx: MemberContext,
    code: str,
    amount: Decimal,
    note: str,
    *,
    period: str = "",
    edit: bool = False,
) -> Reply:
    done = services.record_spending(
        ctx.uow,
        ctx.person,
        code=code,
        amount=amount,
        channel=ctx.request.channel,
        at=ctx.now,
        note=note,
        period_key=period or None,
    )
    flows.drop(ctx)
    card = project_card(ctx, code)
    assert card is not None
    lang = ctx.language
    text = ctx._(
        "spend_recorded",
        amount=money(amount, lang),
        code=esc(code),
        period=period_label(ctx, done.period),
    )
    text += "\n" + spent_line(ctx, card.budget)
    if card.budget.overspent:
        text += "\n" + ctx._("status_overspent")
    buttons = attach_button(ctx, EntryRef("spending", done.entry_id))
    return Reply(text, buttons=buttons, edit=edit)


def _ask_overspend(
    ctx: MemberContext,
    code: str,
    budget: Budget,
    amount: Decimal,
    note: str,
    period: str = "",
    *,
    edit: bool = False,
) -> Reply:
    """Spending past the (rolled-up) budget: ask first; nothing is written until the confirm."""
    services.writable(ctx.uow, ctx.person, code, ctx.now, period or None, money=True)
    nonce = flows.expect(
        ctx, SpendConfirm(flows.chat_of(ctx), flows.new_nonce(), code, str(amount), note, period)
    ).nonce
    lang = ctx.language
    text = ctx._(
        "spend_confirm_over",
        amount=money(amount, lang),
        code=esc(code),
        allocated=money(budget.allocated, lang),
        spent=money(budget.spent, lang),
        over=money(-budget.after_spending(amount).remaining, lang),
    )
    buttons = (
        (
            Button(ctx._("button_confirm"), encode(ConfirmSpend(nonce))),
            Button(ctx._("button_cancel"), encode(CancelSpend(nonce))),
        ),
    )
    return Reply(text, buttons=buttons, edit=edit)


def spend_button(
    ctx: MemberContext, data: ConfirmSpend | CancelSpend | SpendQuarter
) -> list[Reply]:
    flow = flows.take(ctx, SpendConfirm, data.nonce)  # a double tap: only one press gets it
    if flow is None:
        return [Reply(ctx._("button_used"))]
    if isinstance(data, CancelSpend):
        return [Reply(ctx._("update_cancelled"), edit=True)]
    if not may_report(ctx, flow.code):
        return [refused_write(ctx, flow.code)]
    if isinstance(data, SpendQuarter):
        if flow.period:  # a quarter button on a flow that is past choosing one
            return [Reply(ctx._("button_expired"))]
        return [
            _spend_or_ask(ctx, flow.code, Decimal(flow.amount), flow.note, data.period, edit=True)
        ]
    # record_spending checks permission, period, closed year and bounds again, now
    return [_spent(ctx, flow.code, Decimal(flow.amount), flow.note, period=flow.period, edit=True)]
