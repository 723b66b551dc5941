"""What the planning division looks at: /summary (one screen, worst first), /chart (a PNG) and
/export (the spreadsheet, planners and admins only)."""

from __future__ import annotations

from handlers.buttons import RunCommand, encode
from handlers.commands.budget import looked_up, scope_refusal
from handlers.commands.common import group_refusal
from handlers.context import Context
from handlers.due_view import missed_compact
from handlers.formatting import day, esc, money, percent, shorten
from handlers.naming import name_of, period_label
from handlers.outputs.sheet_words import report_labels
from handlers.paging import split_message
from handlers.request import Attachment, Button, Reply
from plan_data.chart import ChartScope, chart_data
from plan_data.fiscal import local_day
from plan_data.progress import TimeFrame, frame_at
from plan_data.roles import reads_everything
from plan_data.summary import PlanSummary, SummaryLine, plan_summary
from storage.reports.xlsx import build_report


def _frame(ctx: Context) -> TimeFrame | None:
    plan = ctx.plan()
    return frame_at(ctx.calendar(plan.fiscal_year), ctx.now) if plan else None


def summary(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    refused = group_refusal(ctx)
    if refused is not None:
        return [refused]
    result = summary_of(ctx)
    if result is None:
        return [Reply(ctx._("planning_no_plan"))]
    buttons = _summary_buttons(ctx)
    return [Reply(part, buttons=buttons) for part in split_message(render_summary(ctx, result))]


def summary_of(ctx: Context) -> PlanSummary | None:
    """The current period's summary with its review counts: /summary and the dashboard."""
    plan, frame = ctx.plan(), _frame(ctx)
    if plan is None or frame is None:
        return None
    periods = {i.id: frame.period_key for p in plan.projects for i in p.indicators}
    marks = ctx.uow.review_marks(periods)
    return plan_summary(plan, ctx.uow.figures.for_summary(frame.period_key), frame, marks)


def _summary_buttons(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    """Where a planner goes next from the summary: who is late, the picture, the spreadsheet."""
    if ctx.role is None or not reads_everything(ctx.role) or ctx.request.is_group:
        return ()
    return (
        tuple(
            Button(ctx._(label), encode(RunCommand(command)))
            for label, command in (
                ("button_all_divisions", "late"),
                ("button_chart", "chart"),
                ("button_export", "export"),
            )
        ),
    )


def render_summary(ctx: Context, result: PlanSummary) -> str:
    """Header, the whole plan, then strategies and divisions, each worst first."""
    _, lang, frame = ctx._, ctx.language, result.frame
    total = result.total
    lines = [
        _("summary_title", period=period_label(ctx, frame.period_key)),
        _(
            "summary_indicators",
            reported=total.indicators.reported,
            total=total.indicators.total,
            on_track=total.indicators.on_track,
            behind=total.indicators.behind,
            missing=total.indicators.not_reported,
        ),
        _(
            "summary_money",
            spent=money(total.budget.spent, lang),
            allocated=money(total.budget.allocated, lang),
            percent=percent(total.budget.percent_spent, lang),
            target=percent(frame.target_percent, lang),
        ),
        *_reviews_and_missed(ctx, total),
        _("summary_legend"),
        _("summary_by_strategy"),
        *(_line(ctx, line, _strategy_label(ctx, line)) for line in result.strategies),
        _("summary_by_division_shared"),
        *(_line(ctx, line, name_of(ctx, line.name_th, line.name_en)) for line in result.divisions),
    ]
    return "\n".join(lines)


def _reviews_and_missed(ctx: Context, total: SummaryLine) -> list[str]:
    """The review line and the quarters that closed unreported, sharing one line when both
    are there (the summary stays on one screen)."""
    missed = missed_compact(ctx._, ctx.uow.dues.missed(ctx.now))
    found = [*_reviews_line(ctx, total), *([missed] if missed else [])]
    return [" · ".join(found)] if found else []


def _reviews_line(ctx: Context, total: SummaryLine) -> list[str]:
    """How the period's values stand in review, once any was reported."""
    counts = total.reviews
    if not counts.total:
        return []
    return [
        ctx._(
            "summary_reviews",
            verified=counts.verified,
            returned=counts.returned,
            waiting=counts.waiting,
        )
    ]


def _strategy_label(ctx: Context, line: SummaryLine) -> str:
    if line.key == "recurring":
        return ctx._("summary_recurring")
    return ctx._("summary_strategy", number=line.key[1:])


def _line(ctx: Context, line: SummaryLine, label: str) -> str:
    counts, lang = line.indicators, ctx.language
    if counts.total:
        indicators = ctx._(
            "summary_line_indicators",
            reported=counts.reported,
            total=counts.total,
            on_track=counts.on_track,
            behind=counts.behind,
            missing=counts.not_reported,
        )
    else:
        indicators = ctx._("summary_line_no_indicators")
    spent = ctx._(
        "summary_line_money",
        percent=percent(line.budget.percent_spent, lang),
        target=percent(line.target_percent, lang),
    )
    reviews = line.reviews
    if reviews.verified or reviews.returned:
        spent += " · " + ctx._(
            "summary_line_reviews", verified=reviews.verified, returned=reviews.returned
        )
    return f"• <b>{label}</b> {indicators} · {spent}"


def chart(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    from handlers.outputs.chart import render_png  # matplotlib loads on the first picture only

    plan, frame = ctx.plan(), _frame(ctx)
    if plan is None or frame is None:
        return [Reply(ctx._("planning_no_plan"))]
    scope = looked_up(ctx, rest)
    if scope is None:
        keys = ", ".join(d.key for d in ctx.plans().divisions)
        return [
            Reply(ctx._("chart_unknown_scope", scope=esc(shorten(rest.strip(), 40))) + "\n" + keys)
        ]
    refused = scope_refusal(ctx, scope)
    if refused is not None:
        return [refused]
    figures = ctx.uow.figures.for_chart(frame.period_key)
    found = ctx.plans().find(scope.key) if scope.kind == "project" else None
    chart_plan = found[0] if found else plan
    wanted = ChartScope(scope.kind, scope.key)
    periods = {i.id: frame.period_key for p in chart_plan.projects for i in p.indicators}
    marks = ctx.uow.review_marks(periods)  # a returned value is drawn as returned, not green
    data = chart_data(
        chart_plan, figures, wanted, frame, ctx.calendar(chart_plan.fiscal_year), marks
    )
    if data is None:
        return [Reply(ctx._("chart_unknown_scope", scope=esc(shorten(rest.strip(), 40))))]
    png = render_png(data, ctx._)
    filename = f"chart-{_slug(wanted)}-{frame.period_key}.png"
    caption = ctx._(
        "chart_caption",
        scope=_scope_name(ctx, wanted, data.name_th, data.name_en),
        period=period_label(ctx, frame.period_key),
    )
    return [Reply(caption, image=Attachment(filename, png, "image/png"))]


def _scope_name(ctx: Context, scope: ChartScope, name_th: str, name_en: str) -> str:
    if scope.kind == "all":
        return ctx._("chart_whole_plan")
    if scope.kind == "strategy":
        return ctx._("summary_strategy", number=scope.key[1:])
    if scope.kind == "project":
        return f"{esc(scope.key)} {name_of(ctx, name_th, name_en)}"
    return name_of(ctx, name_th, name_en)


def _slug(scope: ChartScope) -> str:
    key = scope.key.replace("/", "-") if scope.key else "all"
    return "".join(ch for ch in key if ch.isascii() and (ch.isalnum() or ch in "-_")) or "chart"


def export(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    refused = group_refusal(ctx)
    if refused is not None:
        return [refused]
    plan, frame = ctx.plan(), _frame(ctx)
    if plan is None or frame is None:
        return [Reply(ctx._("planning_no_plan"))]
    report = build_report(ctx.uow, plan, frame, ctx.now, report_labels())
    if len(report.content) > ctx.request.traits.messages.file_bytes:
        megabytes = len(report.content) // 1_000_000
        return [
            Reply(ctx._("export_too_large", size=megabytes, date=local_day(ctx.now).isoformat()))
        ]
    caption = ctx._(
        "export_caption",
        year=frame.fiscal_year,
        period=period_label(ctx, frame.period_key),
        date=day(ctx.now, ctx.language, with_time=True),
    )
    document = Attachment(report.filename, report.content, report.mime_type)
    return [Reply(caption, document=document)]
