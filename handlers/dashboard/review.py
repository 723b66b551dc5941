"""The dashboard's review queue: each waiting report with its evidence, and the verdict given
from the page through the same service and notices as chat's ✅ / ↩️ (handlers.commands.review),
so the one-verdict rule holds here too."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.commands.evidence import entry_name
from handlers.commands.review import tell_the_reporter
from handlers.context import MemberContext
from handlers.formatting import day, esc, quantity
from handlers.naming import name_of, period_label
from plan_data.review import ReviewState
from plan_data.roles import may_see_evidence, reads_everything
from storage.repositories.evidence import EntryRef, StoredFile
from storage.services import review as service

QUEUE_SHOWN = 50  # reports listed on one page (the count says how many wait in all)


@dataclass(frozen=True)
class EvidenceLink:
    file_id: int
    name: str
    image: bool
    href: str


@dataclass(frozen=True)
class QueueItem:
    report_id: int
    code: str
    project: str
    seq: int
    indicator: str
    value: str
    target: str
    who: str
    when: str
    period: str
    files: tuple[EvidenceLink, ...]


@dataclass(frozen=True)
class Queue:
    waiting: int
    items: tuple[QueueItem, ...]


def may_review(ctx: MemberContext) -> bool:
    return reads_everything(ctx.member_role)


def queue(ctx: MemberContext) -> Queue:
    """The reports waiting for review in the current plan, oldest first, as /review lists them."""
    plan = ctx.plan()
    if plan is None:
        return Queue(0, ())
    by_id = {i.id: (p, i) for p in plan.projects for i in p.indicators}
    waiting = ctx.uow.reviews.in_state(ReviewState.SUBMITTED, list(by_id))
    lang, items = ctx.language, []
    for report in waiting[:QUEUE_SHOWN]:
        project, indicator = by_id[report.indicator_id]
        files = ctx.uow.evidence.files_of(EntryRef("value", report.report_id))
        target = quantity(indicator.target, indicator.unit, lang) if indicator.target else "-"
        items.append(
            QueueItem(
                report.report_id,
                project.code,
                name_of(ctx, project.name_th, project.name_en),
                indicator.seq,
                indicator.text,
                quantity(report.value, indicator.unit, lang).strip(),
                target,
                report.reporter_name or "-",
                day(report.created_at, lang, with_time=True),
                period_label(ctx, report.period),
                tuple(_link(report.report_id, f) for f in files),
            )
        )
    return Queue(len(waiting), tuple(items))


def _link(report_id: int, stored: StoredFile) -> EvidenceLink:
    name = stored.filename or f"evidence_{stored.file_id}"
    return EvidenceLink(
        stored.file_id,
        name,
        stored.content_type.startswith("image/"),
        f"evidence/{report_id}/{stored.file_id}",
    )


def evidence_file(ctx: MemberContext, report_id: int, file_id: int) -> StoredFile | None:
    """A file of a report, if this person may see the report's evidence (as in chat)."""
    report = ctx.uow.reviews.report(report_id)
    plan = ctx.plan()
    if report is None or plan is None:
        return None
    project = next(
        (p for p in plan.projects if any(i.id == report.indicator_id for i in p.indicators)), None
    )
    if project is None or not may_see_evidence(
        ctx.member_role, ctx.person.division_key, plan, project
    ):
        return None
    files = ctx.uow.evidence.files_of(EntryRef("value", report_id))
    return next((f for f in files if f.file_id == file_id), None)


def judge(ctx: MemberContext, report_id: int, verdict: str, reason: str) -> str:
    """Verify or return one report; the sentence chat answers with. A report no longer waiting
    (or one's own, or a return without a reason) raises the service's Refusal."""
    state = ReviewState.VERIFIED if verdict == "verify" else ReviewState.RETURNED
    done = service.review(ctx.uow, ctx.person, report_id, state, reason=reason, at=ctx.now)
    entry = entry_name(ctx, done.info)
    if state is ReviewState.RETURNED:
        tell_the_reporter(ctx, done)
        return ctx._("review_returned_done", entry=entry, reason=esc(done.reason))
    unit = done.info.indicator.unit if done.info.indicator else ""
    value = quantity(done.report.value, unit, ctx.language)
    return ctx._("review_verified_done", entry=entry, value=value)
