"""What each dashboard page shows, read through the same paths as chat: /summary's
plan_summary, /budget's rollup lines, /status's project card, /late's dues. The pages get
figures already formatted the way chat writes them (handlers.formatting), so a number on the
page is the same text as in the chat; bot/web only lays them out."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from handlers.commands.planning import summary_of
from handlers.commands.status import VERDICT_KEYS, ProjectCard, project_card
from handlers.context import MemberContext
from handlers.formatting import day, esc, money, percent, quantity
from handlers.naming import name_of, period_label
from plan_data.model import Indicator, Plan, Project
from plan_data.money import Budget
from plan_data.progress import IndicatorCounts, Verdict, progress_percent
from plan_data.review import NO_MARK
from plan_data.roles import reads_everything
from plan_data.rollup import RECURRING, accountable_projects, project_budget, strategy_key
from plan_data.summary import PlanSummary, SummaryLine, verdicts


@dataclass(frozen=True)
class Money:
    """A budget as the chat writes it, and the shares a bar draws."""

    allocated: str
    spent: str
    remaining: str
    percent: str
    spent_share: float  # 0..1 of the allocation (1 when overspent)
    overspent: bool


@dataclass(frozen=True)
class Counts:
    total: int
    on_track: int
    behind: int
    not_reported: int
    returned: int = 0
    verified: int = 0
    waiting: int = 0


@dataclass(frozen=True)
class Row:
    """One strategy, division or project: a link, its money and its indicator counts."""

    key: str
    label: str
    name: str
    href: str
    money: Money
    counts: Counts
    target: str  # the period's cumulative disbursement target
    gap: Decimal | None  # percent spent minus the target (negative: behind)
    share_on_track: Decimal = Decimal(1)


@dataclass(frozen=True)
class Late:
    division: str
    href: str
    missing: int
    state: str  # open | due_today | overdue
    days_left: int
    due: str


@dataclass(frozen=True)
class Quarter:
    label: str
    target: Decimal  # cumulative percent
    current: bool


@dataclass(frozen=True)
class Overview:
    period: str
    as_of: str
    money: Money
    target: str
    target_value: Decimal
    spent_value: Decimal
    quarters: tuple[Quarter, ...]
    counts: Counts
    strategies: tuple[Row, ...]
    divisions: tuple[Row, ...]
    late: tuple[Late, ...]
    late_title_mine: bool  # the list is the person's own division's (not a planner)
    review_waiting: int | None  # None: not a planner (no queue)


def money_of(budget: Budget, lang: str) -> Money:
    share = (
        1.0
        if budget.overspent
        else (float(budget.spent / budget.allocated) if budget.allocated else 0.0)
    )
    return Money(
        money(budget.allocated, lang),
        money(budget.spent, lang),
        money(budget.remaining, lang),
        percent(budget.percent_spent, lang),
        max(0.0, min(1.0, share)),
        budget.overspent,
    )


def counts_of(counts: IndicatorCounts, line: SummaryLine | None = None) -> Counts:
    reviews = line.reviews if line is not None else None
    return Counts(
        counts.total,
        counts.on_track,
        counts.behind,
        counts.not_reported,
        reviews.returned if reviews else 0,
        reviews.verified if reviews else 0,
        reviews.waiting if reviews else 0,
    )


def strategy_label(ctx: MemberContext, key: str) -> str:
    if key == RECURRING:
        return ctx._("summary_recurring")
    return ctx._("summary_strategy", number=key[1:])


def _row(ctx: MemberContext, line: SummaryLine, label: str, href: str) -> Row:
    lang = ctx.language
    return Row(
        line.key,
        label,
        name_of(ctx, line.name_th, line.name_en),
        href,
        money_of(line.budget, lang),
        counts_of(line.indicators, line),
        percent(line.target_percent, lang),
        line.gap_points,
        line.indicators.share_on_track,
    )


def overview(ctx: MemberContext) -> Overview | None:
    """The overview: the whole plan as /summary sees it, and who is late as /late (planners)
    or /due (everyone else, their own division) sees it."""
    plan, found = ctx.plan(), summary_of(ctx)
    if plan is None or found is None:
        return None
    result: PlanSummary = found
    lang, total, frame = ctx.language, found.total, found.frame
    calendar = ctx.calendar(plan.fiscal_year)
    current = calendar.period(frame.period_key)
    quarters = tuple(
        Quarter(
            ctx._("dash_quarter", quarter=number),
            target,
            current is not None and current.quarter == number,
        )
        for number, target in sorted(calendar.quarter_targets().items())
    )
    strategies = tuple(
        _row(ctx, line, strategy_label(ctx, line.key), f"strategy/{line.key}")
        for line in result.strategies
    )
    divisions = tuple(
        _row(ctx, line, name_of(ctx, line.name_th, line.name_en), f"division/{line.key}")
        for line in result.divisions
    )
    planner = reads_everything(ctx.member_role)
    mine = None if planner else ctx.person.division_key
    late = []
    if planner or mine:
        for due in ctx.uow.dues.at(ctx.now, mine):
            if due.missing:
                late.append(
                    Late(
                        name_of(ctx, due.division.name_th, due.division.name_en),
                        f"division/{due.division.key}",
                        len(due.missing),
                        due.state,
                        due.days_left,
                        day(due.period.internal_due, lang),
                    )
                )
    late.sort(key=lambda item: (item.days_left, -item.missing))
    # The period's values still waiting, as /summary counts them (the queue page lists all).
    waiting = total.reviews.waiting if planner else None
    return Overview(
        period=period_label(ctx, frame.period_key),
        as_of=day(ctx.now, lang, with_time=True),
        money=money_of(total.budget, lang),
        target=percent(frame.target_percent, lang),
        target_value=frame.target_percent,
        spent_value=total.budget.percent_spent or Decimal(0),
        quarters=quarters,
        counts=counts_of(total.indicators, total),
        strategies=strategies,
        divisions=divisions,
        late=tuple(late),
        late_title_mine=not planner,
        review_waiting=waiting,
    )


# -- a strategy's or a division's projects ----------------------------------------------------
@dataclass(frozen=True)
class Group:
    kind: str  # strategy | division
    key: str
    title: str
    name: str
    period: str
    total: Row
    projects: tuple[Row, ...]
    sort: str  # behind | code | money


SORTS = ("behind", "code", "money")


def group(ctx: MemberContext, kind: str, key: str, sort: str) -> Group | None:
    """A strategy's top-level projects or a division's accountable ones, each rolled up with
    its sub-activities, with the indicator counts /summary gives them."""
    plan, found = ctx.plan(), summary_of(ctx)
    if plan is None or found is None:
        return None
    lines = found.strategies if kind == "strategy" else found.divisions
    line = next((item for item in lines if item.key == key), None)
    if line is None:
        return None
    if kind == "strategy":
        projects = [p for p in plan.tops() if strategy_key(plan, p) == key]
        title = strategy_label(ctx, key)
    else:
        projects = accountable_projects(plan, key)
        title = name_of(ctx, line.name_th, line.name_en)
    rows = _project_rows(ctx, plan, projects, found)
    sort = sort if sort in SORTS else "behind"
    if sort == "code":
        rows.sort(key=lambda r: r.key)
    elif sort == "money":
        rows.sort(key=lambda r: r.money.spent_share)
    else:
        rows.sort(key=lambda r: (r.share_on_track, r.gap if r.gap is not None else Decimal(0)))
    total = _row(ctx, line, title, "")
    return Group(
        kind,
        key,
        title,
        name_of(ctx, line.name_th, line.name_en) if kind == "strategy" else line.key,
        period_label(ctx, found.frame.period_key),
        total,
        tuple(rows),
        sort,
    )


def _project_rows(
    ctx: MemberContext, plan: Plan, projects: list[Project], found: PlanSummary
) -> list[Row]:
    lang, frame = ctx.language, found.frame
    figures = ctx.uow.figures.for_summary(frame.period_key)
    judged: dict[int, Verdict] = {
        item.indicator.id: item.verdict for item in verdicts(plan, figures, frame)
    }
    rows = []
    for project in projects:
        counts = IndicatorCounts()
        for part in plan.subtree(project):
            for indicator in part.indicators:
                counts = counts.add(judged[indicator.id])
        budget = project_budget(plan, project, figures)
        spent = budget.percent_spent
        gap = None if spent is None else spent - frame.target_percent
        rows.append(
            Row(
                project.code,
                project.code,
                name_of(ctx, project.name_th, project.name_en),
                f"project/{project.code}",
                money_of(budget, lang),
                counts_of(counts),
                percent(frame.target_percent, lang),
                gap,
                counts.share_on_track,
            )
        )
    return rows


# -- a project --------------------------------------------------------------------------------
@dataclass(frozen=True)
class IndicatorView:
    seq: int
    text: str
    target: str
    latest: str
    latest_period: str
    by: str
    progress: float | None  # 0..1 of the target
    verdict: str  # done | on_track | behind | not_reported
    verdict_text: str
    review: str  # "" | submitted | verified | returned
    reason: str
    evidence: int


@dataclass(frozen=True)
class HistoryItem:
    when: str
    what: str
    who: str


@dataclass(frozen=True)
class ProjectView:
    code: str
    name: str
    place: str
    divisions: str
    parent: str
    children: tuple[tuple[str, str], ...]  # code, name
    money: Money
    period: str
    indicators: tuple[IndicatorView, ...]
    history: tuple[HistoryItem, ...] = field(default=())


def project(ctx: MemberContext, code: str) -> ProjectView | None:
    """The figures /status gives, indicator by indicator, with the history of the period."""
    found = ctx.plans().find(code)
    if found is None:
        return None
    card = project_card(ctx, found[1].code)
    if card is None:
        return None
    card = replace(card, marks=ctx.uow.marks_of_latest(card.figures.latest))
    plan, item = card.plan, card.project
    if item.strategy_number is not None:
        place = ctx._("status_strategy", number=item.strategy_number)
        if item.tactic_number:
            place += " · " + ctx._("status_tactic", number=esc(item.tactic_number))
    else:
        place = ctx._("status_recurring")
    divisions = [plan.division(key) for key in item.division_keys]
    return ProjectView(
        code=item.code,
        name=name_of(ctx, item.name_th, item.name_en),
        place=place,
        divisions=", ".join(name_of(ctx, d.name_th, d.name_en) for d in divisions if d),
        parent=item.parent_code or "",
        children=tuple((c.code, name_of(ctx, c.name_th, c.name_en)) for c in plan.children(item)),
        money=money_of(card.budget, ctx.language),
        period=period_label(ctx, card.frame.period_key),
        indicators=tuple(_indicator(ctx, card, i) for i in item.indicators),
        history=_history(ctx, item.code, card),
    )


def _indicator(ctx: MemberContext, card: ProjectCard, indicator: Indicator) -> IndicatorView:
    lang = ctx.language
    latest = card.figures.latest.get(indicator.id)
    mark = card.marks.get(indicator.id, NO_MARK)
    verdict = card.verdict(indicator)
    progress = progress_percent(indicator, latest.value) if latest is not None else None
    target = ""
    if indicator.target is not None:
        target = ctx._(
            "target_" + indicator.direction, target=quantity(indicator.target, indicator.unit, lang)
        )
    return IndicatorView(
        seq=indicator.seq,
        text=indicator.text,
        target=target,
        latest=quantity(latest.value, indicator.unit, lang).strip() if latest else "",
        latest_period=period_label(ctx, latest.period) if latest else "",
        by=(latest.by or "-") if latest else "",
        progress=None if progress is None else max(0.0, min(1.0, float(progress) / 100)),
        verdict=verdict.value,
        verdict_text=ctx._(VERDICT_KEYS[verdict], period=period_label(ctx, card.frame.period_key)),
        review=mark.state.value if latest is not None else "",
        reason=mark.reason,
        evidence=mark.evidence,
    )


HISTORY = 30  # newest entries a project page lists


def _history(ctx: MemberContext, code: str, card: ProjectCard) -> tuple[HistoryItem, ...]:
    """The project's entries of the period being reported on, newest first, worded as
    /history words them (its catalog lines; a text in them is escaped HTML)."""
    lang, shown = ctx.language, []
    items, _total = ctx.uow.history.of_project(code, offset=0, limit=HISTORY * 4)
    for item in items:
        if item.period != card.frame.period_key:
            continue
        if item.kind == "spending":
            key = "history_spending_undo" if item.reversal else "history_spending"
            amount = -(item.value or 0) if item.reversal else item.value or 0
            what = ctx._(key, amount=money(amount, lang))
        elif item.reversal:
            what = ctx._("history_indicator_undo", number=item.seq)
        else:
            value = quantity(item.value or Decimal(0), item.unit, lang)
            what = ctx._("history_indicator", number=item.seq, value=value)
        shown.append(HistoryItem(day(item.at, lang, with_time=True), what, item.by or "-"))
    return tuple(shown[:HISTORY])
