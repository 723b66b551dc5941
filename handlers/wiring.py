"""Every command, button and guided flow, registered explicitly in one place."""

from __future__ import annotations

from functools import cache

from handlers import intents, suggested
from handlers.buttons import (
    CancelSpend,
    CancelUpdate,
    ConfirmSpend,
    ConfirmUpdate,
    DueList,
    EvidenceAnswer,
    EvidenceFor,
    EvidencePage,
    EvidenceShow,
    HistoryPage,
    PickIndicator,
    PickProject,
    PickValue,
    ReportNow,
    ReportOn,
    ReviewCancel,
    ReviewReturn,
    ReviewVerify,
    RunCommand,
    RunSuggested,
    ShowStatus,
    SpendQuarter,
    WalkSkip,
    WalkStop,
)
from handlers.commands import (
    admin,
    budget,
    dashboard,
    due,
    evidence,
    history,
    planning,
    projects,
    report,
    reporting,
    review,
    spending,
    start_help,
    status,
    walk,
)
from handlers.flows import GuidedUpdate, ReturnReason, Walk
from handlers.router import Router
from plan_data.roles import LINKERS, MANAGERS, PLANNING


@cache
def build_router() -> Router:
    router = Router()
    router.command("start", start_help.start, roles=None, in_groups=False)
    router.command("help", start_help.help_command, roles=None)
    router.command("status", status.status)
    router.command("projects", projects.projects)
    router.command("find", projects.find)
    router.command("update", reporting.update)
    router.command("spend", spending.spend)
    router.command("undo", reporting.undo)
    router.command("budget", budget.budget)
    router.command("history", history.history)
    router.command("due", due.due)
    router.command("late", due.late, roles=PLANNING)
    router.command("summary", planning.summary)
    router.command("dashboard", dashboard.dashboard)
    router.command("chart", planning.chart)
    router.command("export", planning.export, roles=PLANNING)
    router.command("report", report.report, roles=PLANNING)
    router.command("evidence", evidence.evidence)
    router.command("review", review.review, roles=PLANNING, in_groups=False)
    router.command("invite", admin.invite, roles=MANAGERS)
    router.command("link", admin.link, roles=LINKERS)
    router.command("lang", admin.lang, roles=None)

    router.button(ShowStatus, status.status_button)
    router.button(HistoryPage, history.history_button)
    router.button(RunCommand, intents.run_button)
    router.button(RunSuggested, suggested.run_suggested)
    for kind in (PickProject, ReportOn, PickIndicator, ConfirmUpdate, CancelUpdate, PickValue):
        router.button(kind, reporting.update_button)
    for spend_kind in (ConfirmSpend, CancelSpend, SpendQuarter):
        router.button(spend_kind, spending.spend_button)
    router.flow(GuidedUpdate, reporting.typed_value)
    router.button(EvidenceFor, evidence.evidence_for_button)
    router.button(EvidenceAnswer, evidence.answer_button)
    router.button(EvidenceShow, review.evidence_button)
    router.button(EvidencePage, evidence.evidence_page_button)
    router.button(ReviewVerify, review.verify_button)
    router.button(ReviewReturn, review.return_button)
    router.button(ReviewCancel, review.cancel_button)
    router.flow(ReturnReason, review.typed_reason)
    router.button(ReportNow, walk.report_now)
    router.button(WalkSkip, walk.walk_button)
    router.button(WalkStop, walk.walk_button)
    router.button(DueList, walk.see_all)
    router.flow(Walk, walk.typed_value)
    return router
