"""`/review [division|CODE]`: planners and admins verify reported values or return them with a
reason; a return is told to the reporter's own chats and the division's groups, with a button
to report again. The rules (who, never one's own, a reason) are in storage/services/review.py."""

from __future__ import annotations

from handlers import flows
from handlers.buttons import (
    EvidencePage,
    EvidenceShow,
    PickIndicator,
    ReviewCancel,
    ReviewReturn,
    ReviewVerify,
    encode,
)
from handlers.cards import plain
from handlers.commands.evidence import entry_name, files_reply
from handlers.context import MemberContext
from handlers.flows import ReturnReason
from handlers.formatting import day, esc, quantity, shorten
from handlers.i18n import Translator, language_of
from handlers.lookup import find_division, join_split_code, resolve
from handlers.naming import name_of, period_label
from handlers.request import Button, Card, CardRow, Reply
from plan_data.model import Indicator, Plan, Project
from plan_data.review import ReviewState
from plan_data.roles import may_see_evidence
from plan_data.rollup import responsible
from storage import outbox
from storage.repositories.reviews import ReviewedReport
from storage.services import review as service
from storage.services.evidence import EntryInfo

SHOWN = 5  # reports listed at once, each its own message with its buttons


def review(ctx: MemberContext, args: list[str], rest: str) -> list[Reply]:
    if ctx.request.is_group:
        return [Reply(ctx._("review_private_only"))]
    plan = ctx.plan()
    if plan is None:
        return [Reply(ctx._("review_none", scope=""))]
    args = join_split_code(args)
    scope = _scope(ctx, plan, " ".join(args))
    if isinstance(scope, Reply):
        return [scope]
    projects, scope_text = scope
    by_id = {i.id: (p, i) for p in projects for i in p.indicators}
    waiting = ctx.uow.reviews.in_state(ReviewState.SUBMITTED, list(by_id))
    if not waiting:
        return [Reply(ctx._("review_none", scope=scope_text))]
    # the indicator's files, as /status's 📎 counts them and the 📎 button shows them: a file
    # sent with a value that was then replaced still stands behind the indicator
    files = ctx.uow.evidence.counts_by_indicator({r.indicator_id for r in waiting})
    header = ctx._("review_header", count=len(waiting), scope=scope_text)
    if len(waiting) > SHOWN:
        header += "\n" + ctx._("review_more", count=len(waiting) - SHOWN)
    replies = [Reply(header)]
    for report in waiting[:SHOWN]:
        project, indicator = by_id[report.indicator_id]
        replies.append(_item(ctx, project, indicator, report, files.get(report.indicator_id, 0)))
    return replies


def _scope(ctx: MemberContext, plan: Plan, typed: str) -> tuple[list[Project], str] | Reply:
    """The projects to review: all, a division's, or one project with its sub-activities."""
    if not typed:
        return list(plan.projects), ""
    division = find_division(ctx, typed)
    if division is not None:
        name = esc(name_of(ctx, division.name_th, division.name_en))
        mine = [p for p in plan.projects if division.key in responsible(plan, p)]
        return mine, ctx._("review_scope", name=name)
    found = resolve(ctx, typed.split()[0])
    if isinstance(found, Reply):
        example = plan.divisions[0].key if plan.divisions else "research"
        return Reply(ctx._("review_scope_unknown", typed=esc(shorten(typed, 40)), example=example))
    located = ctx.plans().find(found)
    assert located is not None
    return list(located[0].subtree(located[1])), ctx._("review_scope", name=esc(found))


def _item(
    ctx: MemberContext, project: Project, indicator: Indicator, report: ReviewedReport, files: int
) -> Reply:
    lang = ctx.language
    target = quantity(indicator.target, indicator.unit, lang) if indicator.target else "-"
    text = ctx._(
        "review_item",
        code=esc(project.code),
        seq=indicator.seq,
        indicator=esc(shorten(indicator.text, 80)),
        value=quantity(report.value, indicator.unit, lang),
        target=target,
        who=esc(report.reporter_name or "-"),
        date=day(report.created_at, lang),
        files=files,
        period=period_label(ctx, report.period),
    )
    row = [
        Button(ctx._("review_verify"), encode(ReviewVerify(report.report_id))),
        Button(ctx._("review_return"), encode(ReviewReturn(report.report_id))),
    ]
    if files:
        row.append(
            Button(ctx._("review_evidence"), encode(EvidenceShow(project.code, indicator.seq)))
        )
    return Reply(text, buttons=(tuple(row),), card=_card(text, tuple(row)))


def _card(text: str, buttons: tuple[Button, ...]) -> Card:
    """The item as a card, so a channel that shows buttons only under the last message (LINE's
    quick replies) gives every listed report its own buttons."""
    title, *lines = plain(text).split("\n")
    rows = tuple(CardRow(label=line, value="") for line in lines)
    return Card(title=title, subtitle="", alt_text=title, rows=rows, buttons=buttons)


# -- buttons and the reason ------------------------------------------------------------------
def verify_button(ctx: MemberContext, data: ReviewVerify) -> list[Reply]:
    done = service.review(ctx.uow, ctx.person, data.report, ReviewState.VERIFIED, at=ctx.now)
    value = _value(ctx, done.info, done.report)
    return [
        Reply(
            ctx._("review_verified_done", entry=entry_name(ctx, done.info), value=value), edit=True
        )
    ]


def return_button(ctx: MemberContext, data: ReviewReturn) -> list[Reply]:
    """Ask for the reason; the checks that need none (who, own report, still waiting) first."""
    _report, info = service.reviewable(ctx.uow, ctx.person, data.report)
    flows.expect(ctx, ReturnReason(flows.chat_of(ctx), flows.new_nonce(), data.report))
    cancel = Button(ctx._("review_cancel"), encode(ReviewCancel(data.report)))
    return [Reply(ctx._("review_ask_reason", entry=entry_name(ctx, info)), buttons=((cancel,),))]


def cancel_button(ctx: MemberContext, data: ReviewCancel) -> list[Reply]:
    flows.drop(ctx)
    return [Reply(ctx._("review_cancelled"), edit=True)]


def evidence_button(ctx: MemberContext, data: EvidenceShow) -> list[Reply]:
    found = ctx.plans().find(data.code)
    indicator = next((i for i in found[1].indicators if i.seq == data.seq), None) if found else None
    if found is None or indicator is None:
        return [Reply(ctx._("button_expired"))]
    if not may_see_evidence(ctx.member_role, ctx.person.division_key, *found):
        return [Reply(ctx._("evidence_not_allowed", code=esc(data.code)))]
    what = ctx._("evidence_entry_value", code=esc(data.code), seq=data.seq)
    files = ctx.uow.evidence.files_for([indicator.id])
    page = lambda at: EvidencePage(data.code, data.seq, at)  # noqa: E731
    return [files_reply(ctx, files, what, page=page)]


def typed_reason(ctx: MemberContext, flow: ReturnReason, text: str) -> list[Reply]:
    """The reason for a return, typed after ↩️ (taken once: the same reason sent twice at once
    returns the report once; another planner's verdict first is said by name)."""
    if flows.take(ctx, ReturnReason, flow.nonce) is None:
        return [Reply(ctx._("flow_answered"))]
    done = service.review(
        ctx.uow, ctx.person, flow.report, ReviewState.RETURNED, reason=text, at=ctx.now
    )
    tell_the_reporter(ctx, done)
    text = ctx._("review_returned_done", entry=entry_name(ctx, done.info), reason=esc(done.reason))
    return [Reply(text)]


def _value(ctx: MemberContext, info: EntryInfo, report: ReviewedReport) -> str:
    unit = info.indicator.unit if info.indicator else ""
    return quantity(report.value, unit, ctx.language)


def tell_the_reporter(ctx: MemberContext, done: service.Reviewed) -> None:
    """The reporter's own chats and the groups of the project's divisions hear of the return,
    with a button to report again (outbox: delivered once, like a reminder)."""
    info, dues = done.info, ctx.uow.dues
    assert info.indicator is not None
    targets = dues.person_chats(done.report.reporter_id) if done.report.reporter_id else []
    for key in responsible(info.plan, info.project):
        targets += dues.division_groups(key)
    messages, seen = [], set()
    for target in targets:
        if (target.channel, target.chat_id) in seen:
            continue
        seen.add((target.channel, target.chat_id))
        _ = Translator(language_of(target))
        text = _(
            "review_returned_notice",
            entry=_("evidence_entry_value", code=esc(info.project.code), seq=info.indicator.seq),
            indicator=esc(shorten(info.indicator.text, 120)),
            value=quantity(done.report.value, info.indicator.unit, _.language),
            reason=esc(done.reason),
        )
        payload: dict[str, object] = {
            "parse_mode": "HTML",
            "kind": "returned",
            "is_group": target.is_group,
        }
        if target.is_group:  # a guided flow runs in a private chat: a group gets the command
            text += "\n" + _(
                "review_report_again_typed", code=esc(info.project.code), seq=info.indicator.seq
            )
        else:
            again = encode(PickIndicator(info.project.code, info.indicator.seq))
            payload["buttons"] = [[_("review_report_again"), again]]
        messages.append(
            outbox.NewMessage(
                f"returned:{done.review_id}:{target.channel}:{target.chat_id}",
                target.channel,
                target.chat_id,
                text,
                payload,
            )
        )
    ctx.uow.outbox.enqueue(messages, now=ctx.now)
