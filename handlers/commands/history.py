"""/history CODE: every change to a project, newest first, a page at a time."""

from __future__ import annotations

from decimal import Decimal

from handlers.buttons import HistoryPage, encode
from handlers.commands.common import group_refusal
from handlers.context import Context
from handlers.formatting import baht_exact, day, esc, quantity, shorten
from handlers.lookup import resolve
from handlers.naming import period_label
from handlers.request import Button, Reply

PAGE = 10
NOTE = 200  # characters of a note a history line shows
BUDGET = 3800  # characters of entries a page holds: a screen or two (dispatch fits the channel)


def history(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if not args:
        return [Reply(ctx._("history_usage"))]
    found = resolve(ctx, rest)
    if isinstance(found, Reply) and len(args) > 1:  # `/history STR114/64 extra`
        first = resolve(ctx, args[0])
        if isinstance(first, str):
            example = f"/history {first}"
            return [Reply(ctx._("extra_arguments", command="history", example=example))]
    if isinstance(found, Reply):
        return [found]
    project = ctx.plans().find(found)
    refused = group_refusal(ctx, project=project[1] if project else None)
    if refused is not None:
        return [refused]
    return [_page(ctx, found, 0)]


def history_button(ctx: Context, data: HistoryPage) -> list[Reply]:
    return [_page(ctx, data.code, data.offset, edit=True)]


def _page(ctx: Context, code: str, offset: int, edit: bool = False) -> Reply:
    items, total = ctx.uow.history.of_project(code, offset=offset, limit=PAGE)
    if total and not items:  # an old button past the end: show the last page
        offset = (total - 1) // PAGE * PAGE
        items, total = ctx.uow.history.of_project(code, offset=offset, limit=PAGE)
    if total == 0:
        return Reply(ctx._("history_empty", code=esc(code)))
    lang = ctx.language
    entries = []
    for item in items:
        when = day(item.at, lang, with_time=True)
        who = esc(item.by or "-")
        if item.kind == "spending":
            what = ctx._("history_spending", amount=baht_exact(item.value or 0, lang))
        elif item.reversal:
            what = ctx._("history_indicator_undo", number=item.seq)
        else:
            value = quantity(item.value or Decimal(0), item.unit, lang)
            what = ctx._("history_indicator", number=item.seq, value=value)
        if item.reversal and item.kind == "spending":
            what = ctx._("history_spending_undo", amount=baht_exact(-(item.value or 0), lang))
        note = f" — {esc(shorten(item.note, NOTE))}" if item.note and not item.reversal else ""
        late = " " + ctx._("history_late") if item.late and not item.reversal else ""
        entries.append(f"• {when} {who}: {what} ({period_label(ctx, item.period)}){late}{note}")
    while len(entries) > 1 and sum(len(e) + 1 for e in entries) > BUDGET:
        entries.pop()  # one Telegram message: the rest is on the next page
    shown = len(entries)
    title = ctx._(
        "history_title", code=esc(code), first=offset + 1, last=offset + shown, total=total
    )
    lines = [title, *entries]
    nav = []
    if offset > 0:
        nav.append(Button(ctx._("button_newer"), encode(HistoryPage(code, max(0, offset - PAGE)))))
    if offset + shown < total:
        nav.append(Button(ctx._("button_older"), encode(HistoryPage(code, offset + shown))))
    return Reply("\n".join(lines), buttons=(tuple(nav),) if nav else (), edit=edit)
