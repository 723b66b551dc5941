""" "Report now" from a reminder: every missing indicator of the division, one after another —
the indicator with its target and latest value, one typed number, then the next; skip and stop
as buttons. And "see all": the division's full list, a page at a time."""

from __future__ import annotations

from dataclasses import replace

from handlers import flows
from handlers.buttons import DueList, ReportNow, WalkSkip, WalkStop, encode
from handlers.commands.common import group_refusal
from handlers.context import MemberContext
from handlers.flows import Walk
from handlers.formatting import esc, quantity, shorten
from handlers.naming import period_label
from handlers.parsing import clean_note, parse_number, take_number
from handlers.reminders import render_due
from handlers.request import Button, Reply
from handlers.review_marks import REASON_SHOWN
from plan_data.due import DivisionDue, MissingIndicator
from storage.services import reporting

PAGE_ITEMS = 10


def _due(ctx: MemberContext, division: str, period: str) -> DivisionDue | None:
    found = ctx.uow.dues.at(ctx.now, division)
    return next((d for d in found if d.period.key == period), None)


def report_now(ctx: MemberContext, data: ReportNow) -> list[Reply]:
    if ctx.request.is_group:
        return [Reply(ctx._("walk_in_private"))]
    due = _due(ctx, data.division, data.period)
    if due is None or not due.missing:
        return [Reply(ctx._("walk_nothing", period=period_label(ctx, data.period)))]
    walk = Walk(
        flows.chat_of(ctx),
        "",
        data.period,
        items=tuple((item.code, item.seq) for item in due.missing),
        # why a reviewer returned a value: said again when it is asked for
        returned=tuple((f"{i.code}#{i.seq}", i.returned) for i in due.missing if i.returned),
    )
    return [_ask(ctx, walk)]


def _ask(ctx: MemberContext, walk: Walk) -> Reply:
    """Show the current item, or the end; the walk is saved with a fresh nonce."""
    if walk.index >= len(walk.items):
        flows.drop(ctx)
        return Reply(ctx._("walk_done", recorded=walk.recorded, skipped=walk.skipped))
    code, seq = walk.items[walk.index]
    found = ctx.plans().find(code)
    indicator = next((i for i in found[1].indicators if i.seq == seq), None) if found else None
    if indicator is None:  # the plan changed meanwhile: go on with the next one
        return _ask(ctx, replace(walk, index=walk.index + 1, skipped=walk.skipped + 1))
    nonce = flows.again(ctx, walk).nonce
    lang = ctx.language
    if indicator.target is not None:
        goal = quantity(indicator.target, indicator.unit, lang)
        target = ctx._("target_" + indicator.direction, target=goal)
    else:
        target = ctx._("walk_no_target")
    latest = ctx.uow.figures.latest([indicator.id]).get(indicator.id)
    shown = (
        f"{quantity(latest.value, indicator.unit, lang)} ({period_label(ctx, latest.period)})"
        if latest
        else ctx._("walk_none_yet")
    )
    text = ctx._(
        "walk_item",
        index=walk.index + 1,
        count=len(walk.items),
        code=esc(code),
        number=seq,
        text=esc(indicator.text),
        target=target,
        latest=shown,
        period=period_label(ctx, walk.period),
    )
    reason = walk.reason(code, seq)
    if reason:
        head, _newline, tail = text.partition("\n")
        said = ctx._("walk_returned", reason=esc(shorten(str(reason), REASON_SHOWN)))
        text = f"{head}\n{said}\n{tail}"
    buttons = (
        (
            Button(ctx._("button_skip"), encode(WalkSkip(nonce))),
            Button(ctx._("button_stop"), encode(WalkStop(nonce))),
        ),
    )
    return Reply(text, buttons=buttons)


def typed_value(ctx: MemberContext, walk: Walk, text: str) -> list[Reply]:
    """A number for the current item: recorded through the write service, then the next. The
    walk is taken first, so one item's answer sent twice at once is recorded once."""
    if walk.index >= len(walk.items) or flows.take(ctx, Walk, walk.nonce) is None:
        return [Reply(ctx._("flow_answered"))]
    code, seq = walk.items[walk.index]
    typed, rest = take_number(text.split())
    value = parse_number(typed)
    done = reporting.record_value(
        ctx.uow,
        ctx.person,
        code=str(code),
        seq=int(seq),
        value=value,
        channel=ctx.request.channel,
        at=ctx.now,
        note=clean_note(rest),
        typed=typed,
    )
    saved = Reply(
        ctx._(
            "update_recorded",
            code=esc(code),
            number=seq,
            value=quantity(value, done.indicator.unit, ctx.language),
            period=period_label(ctx, done.period),
        )
    )
    following = replace(walk, index=walk.index + 1, recorded=walk.recorded + 1)
    return [saved, _ask(ctx, following)]


def walk_button(ctx: MemberContext, data: WalkSkip | WalkStop) -> list[Reply]:
    walk = flows.take(ctx, Walk, data.nonce)  # a double tap: only one press moves on
    if walk is None:
        return [Reply(ctx._("button_used"))]
    if isinstance(data, WalkStop):
        return [Reply(ctx._("walk_done", recorded=walk.recorded, skipped=walk.skipped))]
    return [_ask(ctx, replace(walk, index=walk.index + 1, skipped=walk.skipped + 1))]


def see_all(ctx: MemberContext, data: DueList) -> list[Reply]:
    refused = group_refusal(ctx, division=data.division)
    if refused is not None:
        return [refused]
    found = ctx.uow.dues.at(ctx.now, data.division)
    if not found:
        return [Reply(ctx._("due_no_period"))]
    due = found[0]
    pages = max(1, -(-len(due.missing) // PAGE_ITEMS))
    page = min(max(data.page, 0), pages - 1)
    first = page * PAGE_ITEMS
    shown = due.missing[first : first + PAGE_ITEMS]
    text = render_due(ctx._, _with_missing(due, shown), page_of=(first, len(due.missing)))
    nav = []
    if page > 0:
        nav.append(Button(ctx._("button_previous"), encode(DueList(data.division, page - 1))))
    if page + 1 < pages:
        nav.append(Button(ctx._("button_next"), encode(DueList(data.division, page + 1))))
    return [Reply(text, buttons=(tuple(nav),) if nav else ())]


def _with_missing(due: DivisionDue, missing: tuple[MissingIndicator, ...]) -> DivisionDue:
    return replace(due, missing=missing)
