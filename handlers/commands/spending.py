"""/spend: money spent on a project, in baht. Spending past the (rolled-up) budget is asked
about first; the write goes through storage.services, which checks the rules again."""

from __future__ import annotations

from decimal import Decimal

from handlers import flows
from handlers.buttons import CancelSpend, ConfirmSpend, encode
from handlers.commands.common import may_report, refused_write
from handlers.commands.evidence import attach_button
from handlers.commands.status import my_projects, project_card, spent_line
from handlers.context import MemberContext
from handlers.flows import SpendConfirm
from handlers.formatting import esc, money
from handlers.lookup import join_split_code, resolve
from handlers.naming import period_label
from handlers.parsing import clean_note, parse_amount, take_amount
from handlers.request import Button, Reply
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
    note = clean_note(note_words)
    card = project_card(ctx, found)
    assert card is not None
    if card.budget.after_spending(amount).overspent:
        return [_ask_overspend(ctx, found, card.budget, amount, note)]
    return [_spent(ctx, found, amount, note)]


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
    ctx: MemberContext, code: str, amount: Decimal, note: str, *, edit: bool = False
) -> Reply:
    done = services.record_spending(
        ctx.uow,
        ctx.person,
        code=code,
        amount=amount,
        channel=ctx.request.channel,
        at=ctx.now,
        note=note,
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
    ctx: MemberContext, code: str, budget: Budget, amount: Decimal, note: str
) -> Reply:
    """Spending past the (rolled-up) budget: ask first; nothing is written until the confirm."""
    services.writable(ctx.uow, ctx.person, code, ctx.now)  # a closed year is refused now
    nonce = flows.expect(
        ctx, SpendConfirm(flows.chat_of(ctx), flows.new_nonce(), code, str(amount), note)
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
    return Reply(text, buttons=buttons)


def spend_button(ctx: MemberContext, data: ConfirmSpend | CancelSpend) -> list[Reply]:
    flow = flows.take(ctx, SpendConfirm, data.nonce)  # a double tap: only one press gets it
    if flow is None:
        return [Reply(ctx._("button_used"))]
    if isinstance(data, CancelSpend):
        return [Reply(ctx._("update_cancelled"), edit=True)]
    if not may_report(ctx, flow.code):
        return [refused_write(ctx, flow.code)]
    # record_spending checks permission, period, closed year and bounds again, now
    return [_spent(ctx, flow.code, Decimal(flow.amount), flow.note, edit=True)]
