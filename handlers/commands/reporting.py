"""/update (by command or guided with buttons), /spend and /undo: the writes people make."""

from __future__ import annotations

import secrets
from decimal import Decimal

from handlers.commands.common import (
    join_split_code,
    may_report,
    name_of,
    period_label,
    refused_write,
    resolve,
)
from handlers.context import Context
from handlers.dispatch import TEXT_FLOWS, button, command
from handlers.formatting import day, esc, money, number, percent, quantity, shorten
from handlers.parsing import InputError, clean_note, parse_amount, parse_number, take_amount
from handlers.request import Button, Reply
from storage import entries, people
from storage.calendar import load_calendar
from storage.status import IndicatorStatus, ProjectStatus, project_status

SUSPICIOUS_MULTIPLE = 10  # a value this many times the target is more likely a typo
MAX_PROJECT_BUTTONS = 12
LABEL = 48  # characters a button shows on a phone


def report_period(ctx: Context, fiscal_year: int) -> str:
    """The period a report made now counts for, as the reporting calendar says: after a
    quarter ends and until its due date, the quarter that ended."""
    return load_calendar(fiscal_year).period_for_report(ctx.now).key


def _card(ctx: Context, code: str) -> ProjectStatus:
    with ctx.db.session() as session:
        card = project_status(session, code)
    assert card is not None
    return card


def _indicator(ctx: Context, card: ProjectStatus, typed: str) -> IndicatorStatus:
    try:
        seq = int(parse_number(typed))
    except (InputError, ValueError):
        raise InputError("indicator_not_number", text=typed, count=len(card.indicators)) from None
    for indicator in card.indicators:
        if indicator.seq == seq:
            return indicator
    if not card.indicators:
        raise InputError("project_has_no_indicators", code=card.code)
    raise InputError(
        "indicator_out_of_range", number=typed, code=card.code, count=len(card.indicators)
    )


def _value(indicator: IndicatorStatus, typed: str) -> Decimal:
    value = parse_number(typed)
    if value < 0:
        raise InputError("negative_value")
    if (indicator.unit == "percent" or typed.strip().endswith("%")) and value > 100:
        raise InputError("percent_over_100", value=typed)
    if indicator.unit == "level" and value > 5:
        raise InputError("level_over_5", value=typed)
    if abs(value) >= Decimal(10) ** 12 or value != value.quantize(Decimal("0.0001")):
        raise InputError("value_unreasonable", value=typed)
    return value


@command("update", "Report an indicator value: /update CODE N VALUE")
def update(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if not args:
        return _choose_project(ctx)
    args = join_split_code(args)
    found = resolve(ctx, args[0])
    if isinstance(found, Reply):
        return [found]
    if not may_report(ctx, found):
        return [refused_write(ctx, found)]
    card = _card(ctx, found)
    if len(args) == 1:
        return [_choose_indicator(ctx, card)]
    indicator = _indicator(ctx, card, args[1])
    if len(args) == 2:
        return [_ask_value(ctx, card, indicator)]
    value = _value(indicator, args[2])
    note = clean_note(args[3:])
    return [_record(ctx, card, indicator, value, note)]


def _record(
    ctx: Context, card: ProjectStatus, indicator: IndicatorStatus, value: Decimal, note: str
) -> Reply:
    assert ctx.person is not None
    period = report_period(ctx, card.fiscal_year)
    with ctx.db.session() as session:
        done = entries.record_indicator_value(
            session,
            code=card.code,
            seq=indicator.seq,
            value=value,
            period=period,
            person_id=ctx.person.id,
            channel=ctx.request.channel,
            note=note,
            at=ctx.now,
        )
        people.set_flow(session, ctx.person.id, None)
    lang = ctx.language
    text = ctx._(
        "update_recorded",
        code=esc(card.code),
        number=indicator.seq,
        value=quantity(value, indicator.unit, lang),
        period=period_label(ctx, period),
    )
    if indicator.target and indicator.direction != "at_most":
        share = (value / indicator.target * 100).quantize(Decimal("0.1"))
        text += "\n" + ctx._(
            "update_progress",
            target=quantity(indicator.target, indicator.unit, lang),
            percent=percent(share, lang),
        )
        if value > indicator.target * SUSPICIOUS_MULTIPLE:
            text += "\n" + ctx._("update_check_large", multiple=SUSPICIOUS_MULTIPLE)
    if done.previous is not None and done.previous != value:
        text += "\n" + ctx._(
            "update_replaces", previous=quantity(done.previous, indicator.unit, lang)
        )
    return Reply(text)


def _choose_project(ctx: Context) -> list[Reply]:
    person = ctx.person
    assert person is not None
    codes: list[tuple[str, str]] = []
    if person.division_key:
        from storage.budgets import division_budget

        with ctx.db.session() as session:
            lines = division_budget(session, person.division_key) or []
        codes = [(line.key, line.name_th) for line in lines[:-1]]
    if not codes:
        return [Reply(ctx._("update_usage"))]
    buttons = tuple(
        (Button(shorten(f"{code} {name}", LABEL), f"upd:p:{code}"),)
        for code, name in codes[:MAX_PROJECT_BUTTONS]
    )
    return [Reply(ctx._("update_pick_project"), buttons=buttons)]


def _choose_indicator(ctx: Context, card: ProjectStatus, edit: bool = False) -> Reply:
    if not card.indicators:
        return Reply(ctx._("project_has_no_indicators", code=esc(card.code)), edit=edit)
    buttons = tuple(
        (Button(shorten(f"{i.seq}. {i.text}", LABEL), f"upd:i:{card.code}:{i.seq}"),)
        for i in card.indicators
    )
    header = f"<b>{esc(card.code)}</b> {name_of(ctx, card.name_th, card.name_en)}\n"
    return Reply(header + ctx._("update_pick_indicator"), buttons=buttons, edit=edit)


def _ask_value(
    ctx: Context, card: ProjectStatus, indicator: IndicatorStatus, edit: bool = False
) -> Reply:
    assert ctx.person is not None
    state = {
        "flow": "update",
        "step": "value",
        "code": card.code,
        "seq": indicator.seq,
        "nonce": secrets.token_hex(4),
        "seen": seen(indicator),
    }
    with ctx.db.session() as session:
        people.set_flow(session, ctx.person.id, state)
    lang = ctx.language
    target = ""
    if indicator.target is not None:
        target = ctx._(
            "target_" + indicator.direction, target=quantity(indicator.target, indicator.unit, lang)
        )
    text = ctx._(
        "update_ask_value",
        code=esc(card.code),
        number=indicator.seq,
        text=esc(indicator.text),
        target=target,
    )
    return Reply(
        text, buttons=((Button(ctx._("button_cancel"), f"upd:no:{state['nonce']}"),),), edit=edit
    )


def _typed_value(ctx: Context, state: dict[str, object], text: str) -> list[Reply]:
    assert ctx.person is not None
    code, seq = str(state.get("code")), str(state.get("seq"))
    card = _card(ctx, code)
    indicator = _indicator(ctx, card, seq)
    words = text.split()
    value = _value(indicator, words[0])
    note = clean_note(words[1:])
    nonce = secrets.token_hex(4)
    with ctx.db.session() as session:
        people.set_flow(
            session,
            ctx.person.id,
            {**state, "step": "confirm", "value": str(value), "note": note, "nonce": nonce},
        )
    shown = quantity(value, indicator.unit, ctx.language)
    period = period_label(ctx, report_period(ctx, card.fiscal_year))
    buttons = (
        (
            Button(ctx._("button_confirm"), f"upd:ok:{nonce}"),
            Button(ctx._("button_cancel"), f"upd:no:{nonce}"),
        ),
    )
    return [
        Reply(
            ctx._(
                "update_confirm", value=shown, number=indicator.seq, code=esc(code), period=period
            ),
            buttons=buttons,
        )
    ]


TEXT_FLOWS["update"] = _typed_value


def seen(indicator: IndicatorStatus) -> str:
    """What the indicator's latest report was when a person started; changed = someone else
    reported in the meantime."""
    latest = indicator.latest
    return f"{latest.value}|{latest.by}|{latest.at.isoformat()}" if latest else ""


def _changed_meanwhile(ctx: Context, state: dict[str, object], indicator: IndicatorStatus) -> Reply:
    """Someone reported this indicator while this person was typing: say so, write nothing, and
    offer to record their value anyway."""
    assert ctx.person is not None and indicator.latest is not None
    nonce = secrets.token_hex(4)
    with ctx.db.session() as session:
        people.set_flow(session, ctx.person.id, {**state, "nonce": nonce, "seen": seen(indicator)})
    latest, lang = indicator.latest, ctx.language
    text = ctx._(
        "update_changed_meanwhile",
        by=esc(latest.by or "-"),
        value=quantity(latest.value, indicator.unit, lang),
        date=day(latest.at, lang, with_time=True),
        mine=quantity(Decimal(str(state["value"])), indicator.unit, lang),
    )
    buttons = (
        (
            Button(ctx._("button_confirm"), f"upd:ok:{nonce}"),
            Button(ctx._("button_cancel"), f"upd:no:{nonce}"),
        ),
    )
    return Reply(text, buttons=buttons, edit=True)


@button("upd")
def update_button(ctx: Context, parts: list[str]) -> list[Reply]:
    assert ctx.person is not None
    step, *rest = parts or [""]
    if step in ("p", "s", "i"):
        code = rest[0] if rest else ""
        card = _card_or_none(ctx, code)
        if card is None:
            return [Reply(ctx._("button_expired"))]
        if not may_report(ctx, code):
            return [refused_write(ctx, code)]
        if step in ("p", "s"):
            return [_choose_indicator(ctx, card, edit=step == "p")]
        try:
            indicator = _indicator(ctx, card, rest[1] if len(rest) > 1 else "")
        except InputError:
            return [Reply(ctx._("button_expired"))]
        return [_ask_value(ctx, card, indicator, edit=True)]
    with ctx.db.session() as session:
        state = people.get_flow(session, ctx.person.id)
    nonce = rest[0] if rest else ""
    if state is None or state.get("nonce") != nonce:
        return [Reply(ctx._("button_expired"))]
    if step == "no":
        with ctx.db.session() as session:
            people.set_flow(session, ctx.person.id, None)
        return [Reply(ctx._("update_cancelled"), edit=True)]
    if step == "ok" and state.get("step") == "confirm":
        card = _card(ctx, str(state["code"]))
        indicator = _indicator(ctx, card, str(state["seq"]))
        if state.get("seen") is not None and seen(indicator) != state.get("seen"):
            return [_changed_meanwhile(ctx, state, indicator)]
        reply = _record(
            ctx, card, indicator, Decimal(str(state["value"])), str(state.get("note", ""))
        )
        return [Reply(reply.text, edit=True)]
    return [Reply(ctx._("button_expired"))]


def _card_or_none(ctx: Context, code: str) -> ProjectStatus | None:
    with ctx.db.session() as session:
        return project_status(session, code)


@command("spend", "Record spending in baht: /spend CODE AMOUNT")
def spend(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    assert ctx.person is not None
    args = join_split_code(args)
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
    card = _card(ctx, found)
    period = report_period(ctx, card.fiscal_year)
    with ctx.db.session() as session:
        entries.record_spending(
            session,
            code=found,
            amount=amount,
            period=period,
            person_id=ctx.person.id,
            channel=ctx.request.channel,
            note=note,
            at=ctx.now,
        )
        after = project_status(session, found)
    assert after is not None
    lang = ctx.language
    budget = after.budget
    text = ctx._(
        "spend_recorded",
        amount=money(amount, lang),
        code=esc(found),
        period=period_label(ctx, period),
    )
    text += "\n" + ctx._(
        "status_spent",
        spent=money(budget.spent, lang),
        percent=percent(budget.percent_spent, lang),
        remaining=money(budget.remaining, lang),
    )
    if budget.remaining < 0:
        text += "\n" + ctx._("status_overspent")
    return [Reply(text)]


@command("undo", "Take back my last entry")
def undo(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    assert ctx.person is not None
    if args:
        return [Reply(ctx._("extra_arguments", command="undo", example="/undo"))]
    with ctx.db.session() as session:
        undone = entries.undo_last(session, ctx.person.id, ctx.request.channel)
    if undone is None:
        return [Reply(ctx._("undo_nothing"))]
    lang = ctx.language
    if undone.kind == "spending":
        return [
            Reply(ctx._("undo_spending", amount=money(undone.value, lang), code=esc(undone.code)))
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
