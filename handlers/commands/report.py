"""/report [period]: the quarterly report to the board as an editable Word document (planners and
admins; refused in a group, like /export). Without a period: the period being reported on now."""

from __future__ import annotations

from handlers.commands.common import group_refusal
from handlers.context import Context
from handlers.formatting import day, esc, shorten
from handlers.naming import period_label
from handlers.request import Attachment, Reply
from plan_data.progress import frame_at


def report(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    from handlers.outputs.board_report import (  # python-docx and matplotlib load on first use
        MIME,
        find_period,
        quarterly_docx,
        report_filename,
    )

    refused = group_refusal(ctx)
    if refused is not None:
        return [refused]
    plan = ctx.plan()
    if plan is None:
        return [Reply(ctx._("planning_no_plan"))]
    library = ctx.plans()
    calendars = [ctx.calendar(year) for year in reversed(library.years)]
    typed = rest.strip()
    if typed:
        period = find_period(calendars, typed, plan.fiscal_year)
        if period is None:
            valid = ", ".join(p.key for c in reversed(calendars) for p in c.periods)
            return [
                Reply(ctx._("report_unknown_period", period=esc(shorten(typed, 40)), periods=valid))
            ]
        plan = library.plans.get(period.fiscal_year, plan)
    else:
        calendar = ctx.calendar(plan.fiscal_year)
        found = calendar.period(frame_at(calendar, ctx.now).period_key)
        assert found is not None
        period = found
    calendar = ctx.calendar(plan.fiscal_year)
    content = quarterly_docx(ctx.uow, plan, calendar, period, ctx._, ctx.now, ctx.services.report)
    if len(content) > ctx.request.traits.messages.file_bytes:
        return [Reply(ctx._("report_too_large", size=len(content) // 1_000_000))]
    caption = ctx._(
        "report_caption",
        period=period_label(ctx, period.key),
        date=day(ctx.now, ctx.language, with_time=True),
    )
    document = Attachment(report_filename(period.key), content, MIME)
    return [Reply(caption, document=document)]
