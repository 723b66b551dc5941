"""/due (what my division owes, by when) and /late (who has not reported; planners and admins)."""

from __future__ import annotations

from handlers.buttons import RunCommand, encode
from handlers.commands.common import group_refusal
from handlers.context import Context
from handlers.due_view import missed_lines, render_due_answer, render_late_answer
from handlers.formatting import esc
from handlers.lookup import division_asked
from handlers.reminders import render_due
from handlers.request import Button, Reply
from plan_data.due import institute_due
from plan_data.roles import reads_everything


def due(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    division = division_asked(ctx, rest, "due_which_division")
    if isinstance(division, Reply):
        return [division]
    refused = group_refusal(ctx, division=division.key)
    if refused is not None:
        return [refused]
    dues = ctx.uow.dues.at(ctx.now, division.key)
    planner = ctx.role is not None and reads_everything(ctx.role)
    missed_now = ctx.uow.dues.missed(ctx.now, division.key)
    missed = missed_lines(ctx._, missed_now, per_division=True, planner=planner)
    open_now = bool(dues) or bool(ctx.uow.dues.open_periods(ctx.now))
    if not open_now:
        return [Reply("\n".join([ctx._("due_no_period"), *missed]))]
    if not dues:
        name = division.name_en if ctx.language == "en" else division.name_th
        return [Reply(ctx._("due_no_projects", division=esc(name)))]
    replies = []
    for found in dues:
        if not found.anything_due:
            replies.append(Reply(render_due(ctx._, found)))
            continue
        answer = render_due_answer(ctx._, found)
        replies.append(Reply(answer.text, buttons=answer.buttons + _dashboard_row(ctx)))
    if missed and replies:  # periods that closed unreported: said under the answer
        last = replies[-1]
        replies[-1] = Reply("\n".join([last.text, *missed]), buttons=last.buttons)
    return replies


def late(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if args:
        return [Reply(ctx._("extra_arguments", command="late", example="/late"))]
    refused = group_refusal(ctx)
    if refused is not None:
        return [refused]
    dues = ctx.uow.dues.at(ctx.now)
    planner = ctx.role is not None and reads_everything(ctx.role)
    missed = missed_lines(ctx._, ctx.uow.dues.missed(ctx.now), per_division=False, planner=planner)
    if not dues:
        return [Reply("\n".join([ctx._("due_no_period"), *missed]))]
    answer = render_late_answer(ctx._, institute_due(dues))
    return [Reply("\n".join([answer.text, *missed]), buttons=answer.buttons)]


def _dashboard_row(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    """The whole picture one tap away, where the dashboard is served and not in a group."""
    if ctx.services.dashboard is None or ctx.request.is_group or ctx.person is None:
        return ()
    return ((Button(ctx._("dashboard_open_app"), encode(RunCommand("dashboard"))),),)
