"""/update (by command or guided with buttons), /spend and /undo: the writes people make.
Every write goes through storage.services, which checks the rules in the same transaction."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from handlers import flows
from handlers.buttons import (
    ButtonData,
    CancelUpdate,
    ConfirmUpdate,
    PickIndicator,
    PickProject,
    PickValue,
    ReportOn,
    encode,
)
from handlers.commands.common import may_report, refused_write
from handlers.commands.evidence import attach_button
from handlers.context import MemberContext
from handlers.flows import GuidedUpdate
from handlers.formatting import baht_exact, day, esc, number, percent, quantity, shorten
from handlers.lookup import join_split_code, resolve
from handlers.naming import name_of, period_label
from handlers.parsing import (
    InputError,
    Number,
    clean_note,
    read_number,
    take_number,
    take_quarter,
)
from handlers.request import Button, Reply
from handlers.text_fit import fit_label, graphemes
from plan_data.errors import Refusal
from plan_data.figures import Report
from plan_data.model import Indicator, Project
from plan_data.review import ReviewState
from plan_data.rollup import accountable_projects
from plan_data.values import SUSPICIOUS_MULTIPLE, check_value, far_above_target, share_of_target
from storage.repositories.evidence import EntryRef
from storage.services import reporting as services

MAX_PROJECT_BUTTONS = 12
LABEL = 48  # characters a button shows on a phone


def _project(ctx: MemberContext, code: str) -> Project | None:
    found = ctx.plans().find(code)
    return found[1] if found else None


def _indicator(project: Project, typed: str) -> Indicator:
    try:
        number = read_number(typed).value
        seq = int(number) if number == number.to_integral_value() else -1
    except (InputError, ValueError, ArithmeticError):
        raise InputError(
            "indicator_not_number", text=typed, count=len(project.indicators)
        ) from None
    for indicator in project.indicators:
        if indicator.seq == seq:
            return indicator
    if not project.indicators:
        raise InputError("project_has_no_indicators", code=project.code)
    raise InputError(
        "indicator_out_of_range", number=typed, code=project.code, count=len(project.indicators)
    )


def _latest(ctx: MemberContext, indicator: Indicator) -> Report | None:
    return ctx.uow.figures.latest([indicator.id]).get(indicator.id)


def update(ctx: MemberContext, args: list[str], rest: str) -> list[Reply]:
    if not args:
        return _choose_project(ctx)
    args = join_split_code(args)
    found = resolve(ctx, args[0])
    if isinstance(found, Reply):
        return [found]
    if not may_report(ctx, found):
        return [refused_write(ctx, found)]
    project = _project(ctx, found)
    assert project is not None
    if len(args) == 1:
        return [_choose_indicator(ctx, project)]
    indicator = _indicator(project, args[1])
    if len(args) == 2:
        return [_ask_value(ctx, project, indicator)]
    typed, note_words = take_number(args[2:])
    number = read_number(typed)
    quarter, note_words = take_quarter(note_words)
    note = clean_note(note_words)
    period = _named_period(ctx, project, quarter)
    flow = GuidedUpdate(
        flows.chat_of(ctx),
        "",
        project.code,
        indicator.seq,
        "value",
        seen(_latest(ctx, indicator)),
        period=period,
    )
    return [_propose(ctx, flow, project, indicator, number, typed, note, guided=False)]


def _named_period(
    ctx: MemberContext, project: Project, quarter: tuple[int | None, int] | None
) -> str:
    """The period key a typed quarter names ("" for none), checked now: a head naming a closed
    quarter is told at once that only the planning division records it."""
    if quarter is None:
        return ""
    found = ctx.plans().find(project.code)
    year = quarter[0] or (found[0].fiscal_year if found else 0)
    key = f"{year}-Q{quarter[1]}"
    services.writable(ctx.uow, ctx.person, project.code, ctx.now, key)
    return key


def _propose(
    ctx: MemberContext,
    flow: GuidedUpdate,
    project: Project,
    indicator: Indicator,
    number: Number,
    typed: str,
    note: str,
    *,
    guided: bool,
) -> Reply:
    """A typed value: record it, or ask first — which number a % means on an indicator that
    counts people or reports, a value far above the target, and (guided) always."""
    if number.percent and indicator.unit not in ("percent", ""):
        return _ask_percent(ctx, flow, project, indicator, number, typed, note)
    value = check_value(indicator, number.value, typed=typed, percent=number.percent)
    large = far_above_target(indicator, value)
    if guided or large:
        return _ask_confirm(ctx, replace(flow, note=note), project, indicator, value)
    return _record(ctx, project, indicator, value, note, typed=typed, period=flow.period)


def _record(
    ctx: MemberContext,
    project: Project,
    indicator: Indicator,
    value: Decimal,
    note: str,
    *,
    typed: str = "",
    period: str = "",
) -> Reply:
    done = services.record_value(
        ctx.uow,
        ctx.person,
        code=project.code,
        seq=indicator.seq,
        value=value,
        channel=ctx.request.channel,
        at=ctx.now,
        note=note,
        typed=typed,
        period_key=period or None,
    )
    flows.drop(ctx)
    lang = ctx.language
    text = ctx._(
        "update_recorded",
        code=esc(project.code),
        number=indicator.seq,
        value=quantity(value, indicator.unit, lang),
        period=period_label(ctx, done.period),
    )
    if indicator.target and indicator.direction != "at_most":
        share = (value / indicator.target * 100).quantize(Decimal("0.1"))
        text += "\n" + ctx._(
            "update_progress",
            target=quantity(indicator.target, indicator.unit, lang),
            percent=percent(share, lang),
        )
    if done.previous is not None and done.previous != value:
        text += "\n" + ctx._(
            "update_replaces", previous=quantity(done.previous, indicator.unit, lang)
        )
    if done.late:
        text += "\n" + ctx._("update_recorded_late")
    return Reply(text, buttons=attach_button(ctx, EntryRef("value", done.report_id)))


def _choose_project(ctx: MemberContext) -> list[Reply]:
    plan = ctx.plan()
    key = ctx.person.division_key
    projects = accountable_projects(plan, key) if plan and key else []
    if not projects:
        return [Reply(ctx._("update_usage"))]
    buttons = tuple(
        (Button(fit_label(p.code, p.name_th, LABEL, graphemes), encode(PickProject(p.code))),)
        for p in projects[:MAX_PROJECT_BUTTONS]
    )
    return [Reply(ctx._("update_pick_project"), buttons=buttons)]


def _choose_indicator(ctx: MemberContext, project: Project, edit: bool = False) -> Reply:
    if not project.indicators:
        return Reply(ctx._("project_has_no_indicators", code=esc(project.code)), edit=edit)
    buttons = tuple(
        (Button(shorten(f"{i.seq}. {i.text}", LABEL), encode(PickIndicator(project.code, i.seq))),)
        for i in project.indicators
    )
    header = f"<b>{esc(project.code)}</b> {name_of(ctx, project.name_th, project.name_en)}\n"
    return Reply(header + ctx._("update_pick_indicator"), buttons=buttons, edit=edit)


def _ask_value(
    ctx: MemberContext,
    project: Project,
    indicator: Indicator,
    edit: bool = False,
    returned: Report | None = None,
) -> Reply:
    flow = flows.expect(
        ctx,
        GuidedUpdate(
            flows.chat_of(ctx),
            flows.new_nonce(),
            project.code,
            indicator.seq,
            "value",
            seen(_latest(ctx, indicator)),
        ),
    )
    lang = ctx.language
    target = ""
    if indicator.target is not None:
        target = ctx._(
            "target_" + indicator.direction, target=quantity(indicator.target, indicator.unit, lang)
        )
    text = ctx._(
        "update_ask_value",
        code=esc(project.code),
        number=indicator.seq,
        text=esc(indicator.text),
        target=target,
    )
    if returned is not None:
        text = (
            ctx._(
                "update_returned_before",
                value=quantity(returned.value, indicator.unit, lang),
                reason=esc(returned.reason),
            )
            + "\n"
            + text
        )
    cancel = Button(ctx._("button_cancel"), encode(CancelUpdate(flow.nonce)))
    return Reply(text, buttons=((cancel,),), edit=edit)


def typed_value(ctx: MemberContext, flow: GuidedUpdate, text: str) -> list[Reply]:
    project = _project(ctx, flow.code)
    if project is None:
        flows.drop(ctx)
        return [Reply(ctx._("button_expired"))]
    indicator = _indicator(project, str(flow.seq))
    typed, note_words = take_number(text.split())
    number = read_number(typed)
    note = clean_note(note_words)
    return [_propose(ctx, flow, project, indicator, number, typed, note, guided=True)]


def _ask_confirm(
    ctx: MemberContext,
    flow: GuidedUpdate,
    project: Project,
    indicator: Indicator,
    value: Decimal,
    *,
    edit: bool = False,
) -> Reply:
    """Record `value`? Nothing is written until the confirm button; a value far above the target
    says so."""
    *_, period_key = services.writable(
        ctx.uow, ctx.person, project.code, ctx.now, flow.period or None
    )
    nonce = flows.again(ctx, flow, step="confirm", value=str(value)).nonce
    text = ctx._(
        "update_confirm",
        value=quantity(value, indicator.unit, ctx.language),
        number=indicator.seq,
        code=esc(project.code),
        period=period_label(ctx, period_key),
    )
    if far_above_target(indicator, value):
        text = ctx._("update_confirm_large", multiple=SUSPICIOUS_MULTIPLE) + "\n" + text
    return Reply(text, buttons=_confirm_buttons(ctx, nonce), edit=edit)


def _confirm_buttons(ctx: MemberContext, nonce: str) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(ctx._("button_confirm"), encode(ConfirmUpdate(nonce))),
            Button(ctx._("button_cancel"), encode(CancelUpdate(nonce))),
        ),
    )


def _ask_percent(
    ctx: MemberContext,
    flow: GuidedUpdate,
    project: Project,
    indicator: Indicator,
    number: Number,
    typed: str,
    note: str,
) -> Reply:
    """`80%` on an indicator counted in คน: 80% of the target, or 80 คน? Two buttons; nothing
    is written until one is pressed. Refused when only one of the two could be recorded."""
    lang = ctx.language
    try:
        plain = check_value(indicator, number.value, typed=typed.rstrip("%").strip())
        share = share_of_target(indicator, plain)
        if share is None:
            raise Refusal("unit_not_percent")
        share = check_value(indicator, share)
    except Refusal:
        raise InputError(
            "unit_not_percent", value=typed, unit=indicator.unit, number=indicator.seq
        ) from None
    services.writable(ctx.uow, ctx.person, project.code, ctx.now, flow.period or None)
    nonce = flows.again(
        ctx, flow, step="percent", share=str(share), plain=str(plain), note=note
    ).nonce
    shown_percent = percent(plain, lang)
    shown_share = quantity(share, indicator.unit, lang)
    shown_plain = quantity(plain, indicator.unit, lang)
    text = ctx._(
        "update_percent_which",
        typed=esc(typed),
        number=indicator.seq,
        code=esc(project.code),
        percent=shown_percent,
        target=quantity(indicator.target or Decimal(0), indicator.unit, lang),
        share=shown_share,
        plain=shown_plain,
    )
    label = ctx._("button_share_of_target", value=shown_share, percent=shown_percent)
    buttons = (
        (
            Button(label, encode(PickValue(nonce, share=True))),
            Button(shown_plain, encode(PickValue(nonce, share=False))),
        ),
    )
    return Reply(text, buttons=buttons)


def seen(latest: Report | None) -> str:
    """What the indicator's latest report was when a person started; changed = someone else
    reported in the meantime."""
    return f"{latest.value}|{latest.by}|{latest.at.isoformat()}" if latest else ""


def _changed_meanwhile(
    ctx: MemberContext, flow: GuidedUpdate, indicator: Indicator, latest: Report
) -> Reply:
    """Someone reported this indicator while this person was typing: say so, write nothing, and
    offer to record their value anyway."""
    nonce = flows.again(ctx, flow, step="confirm", seen=seen(latest)).nonce
    lang = ctx.language
    text = ctx._(
        "update_changed_meanwhile",
        by=esc(latest.by or "-"),
        value=quantity(latest.value, indicator.unit, lang),
        date=day(latest.at, lang, with_time=True),
        mine=quantity(Decimal(flow.value), indicator.unit, lang),
    )
    buttons = (
        (
            Button(ctx._("button_confirm"), encode(ConfirmUpdate(nonce))),
            Button(ctx._("button_cancel"), encode(CancelUpdate(nonce))),
        ),
    )
    return Reply(text, buttons=buttons, edit=True)


def update_button(ctx: MemberContext, data: ButtonData) -> list[Reply]:
    if isinstance(data, PickProject | ReportOn | PickIndicator):
        project = _project(ctx, data.code)
        if project is None:
            return [Reply(ctx._("button_expired"))]
        if not may_report(ctx, data.code):
            return [refused_write(ctx, data.code)]
        if not isinstance(data, PickIndicator):
            return [_choose_indicator(ctx, project, edit=isinstance(data, PickProject))]
        try:
            indicator = _indicator(project, str(data.seq))
        except InputError:
            return [Reply(ctx._("button_expired"))]
        latest = _latest(ctx, indicator)
        if latest is not None and latest.review == ReviewState.RETURNED.value:
            # "✏️ รายงานใหม่" under a return notice: the notice stays, the prompt says why
            return [_ask_value(ctx, project, indicator, returned=latest)]
        return [_ask_value(ctx, project, indicator, edit=True)]
    if not isinstance(data, ConfirmUpdate | CancelUpdate | PickValue):
        return [Reply(ctx._("button_expired"))]
    flow = flows.take(ctx, GuidedUpdate, data.nonce)  # a double tap: only one press gets it
    if flow is None:
        return [Reply(ctx._("button_used"))]
    if isinstance(data, CancelUpdate):
        return [Reply(ctx._("update_cancelled"), edit=True)]
    project = _project(ctx, flow.code)
    if project is None:
        return [Reply(ctx._("button_expired"))]
    indicator = _indicator(project, str(flow.seq))
    if isinstance(data, PickValue) and flow.step == "percent":
        value = check_value(indicator, Decimal(flow.share if data.share else flow.plain))
        if far_above_target(indicator, value):
            return [_ask_confirm(ctx, flow, project, indicator, value, edit=True)]
        return [_confirmed(ctx, replace(flow, value=str(value)), project, indicator)]
    if isinstance(data, ConfirmUpdate) and flow.step == "confirm":
        return [_confirmed(ctx, flow, project, indicator)]
    return [Reply(ctx._("button_expired"))]


def _confirmed(
    ctx: MemberContext, flow: GuidedUpdate, project: Project, indicator: Indicator
) -> Reply:
    """The person chose this value: record it, unless someone reported the indicator while they
    were choosing (then say so and ask again)."""
    latest = _latest(ctx, indicator)
    if seen(latest) != flow.seen and latest:
        return _changed_meanwhile(ctx, flow, indicator, latest)
    reply = _record(ctx, project, indicator, Decimal(flow.value), flow.note, period=flow.period)
    return replace(reply, edit=True)


def undo(ctx: MemberContext, args: list[str], rest: str) -> list[Reply]:
    if args:
        return [Reply(ctx._("extra_arguments", command="undo", example="/undo"))]
    undone = services.undo_last(ctx.uow, ctx.person, channel=ctx.request.channel, at=ctx.now)
    if undone is None:
        return [Reply(ctx._("undo_nothing"))]
    lang = ctx.language
    if undone.kind == "spending":
        return [
            Reply(
                ctx._("undo_spending", amount=baht_exact(undone.value, lang), code=esc(undone.code))
            )
        ]
    return [
        Reply(
            ctx._(
                "undo_indicator",
                value=number(undone.value, lang),
                number=undone.seq,
                code=esc(undone.code),
                period=period_label(ctx, undone.period),
            )
        )
    ]
