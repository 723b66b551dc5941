"""/due (what my division owes, by when) and /late (who has not reported; planners and admins)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.commands.common import division_asked, group_refusal
from handlers.context import Context
from handlers.due_view import render_due_answer, render_late_answer
from handlers.formatting import esc
from handlers.reminders import render_due
from handlers.request import Reply
from plan_data.due import institute_due
from storage.repositories.dues import dues_at


def due(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    division = division_asked(ctx, rest, "due_which_division")
    if isinstance(division, Reply):
        return [division]
    refused = group_refusal(ctx, division=division.key)
    if refused is not None:
        return [refused]
    session = ctx.uow.session
    dues = dues_at(session, ctx.now, division.key)
    open_now = bool(dues) or _any_open(session, ctx.now)
    if not open_now:
        return [Reply(ctx._("due_no_period"))]
    if not dues:
        name = division.name_en if ctx.language == "en" else division.name_th
        return [Reply(ctx._("due_no_projects", division=esc(name)))]
    replies = []
    for found in dues:
        if not found.anything_due:
            replies.append(Reply(render_due(ctx._, found)))
            continue
        answer = render_due_answer(ctx._, found)
        replies.append(Reply(answer.text, buttons=answer.buttons))
    return replies


def _any_open(session: Session, at: datetime) -> bool:
    from storage.repositories.dues import open_periods

    return bool(open_periods(session, at))


def late(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if args:
        return [Reply(ctx._("extra_arguments", command="late", example="/late"))]
    refused = group_refusal(ctx)
    if refused is not None:
        return [refused]
    session = ctx.uow.session
    dues = dues_at(session, ctx.now)
    if not dues:
        return [Reply(ctx._("due_no_period"))]
    answer = render_late_answer(ctx._, institute_due(dues))
    return [Reply(answer.text, buttons=answer.buttons)]
