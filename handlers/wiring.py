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
    router.command("start", start_help.start, "Welcome; join with an invite code", roles=None,
                   in_groups=False)  # fmt: skip
    router.command("help", start_help.help_command, "What I can do here", roles=None)
    router.command("status", status.status, "Project card: budget, spending, indicators")
    router.command("projects", projects.projects, "My division's projects, or another division's")
    router.command("find", projects.find, "Find projects by Thai or English words")
    router.command("update", reporting.update, "Report an indicator value: /update CODE N VALUE")
    router.command("spend", spending.spend, "Record spending in baht: /spend CODE AMOUNT")
    router.command("undo", reporting.undo, "Take back my last entry")
    router.command("budget", budget.budget,
                   "Allocated, spent, remaining: /budget [CODE|S1..S6|division|all]")  # fmt: skip
    router.command("history", history.history, "The change log of a project")
    router.command("due", due.due, "What my division must report, and by when")
    router.command("late", due.late, "Who has not reported yet (planners)", roles=PLANNING)
    router.command("summary", planning.summary, "The whole plan at a glance for the current period")
    router.command("dashboard", dashboard.dashboard, "The plan at a glance in a page (a personal link)")
    router.command("chart", planning.chart,
                   "A picture of spending and progress: /chart [CODE|S1..S6|division|all]")  # fmt: skip
    router.command("export", planning.export,
                   "The plan's figures as a spreadsheet (planning division)", roles=PLANNING)  # fmt: skip
    router.command("report", report.report,
                   "The quarterly report as a Word document: /report [2564-Q1]",
                   roles=PLANNING)  # fmt: skip
    router.command("evidence", evidence.evidence,
                   "Evidence files of a project or indicator: /evidence CODE [N]")  # fmt: skip
    router.command("review", review.review,
                   "Verify or return reported values: /review [division|CODE]",
                   roles=PLANNING, in_groups=False)  # fmt: skip
    router.command("invite", admin.invite, "Create an invite: /invite DIVISION [ROLE]",
                   roles=MANAGERS)  # fmt: skip
    router.command("link", admin.link, "Link this group to a division: /link DIVISION",
                   roles=LINKERS)  # fmt: skip
    router.command("lang", admin.lang, "Language: /lang th or /lang en", roles=None)

    router.button(ShowStatus, status.status_button)
    router.button(HistoryPage, history.history_button)
    router.button(RunCommand, intents.run_button)
    router.button(RunSuggested, suggested.run_suggested)
    for kind in (PickProject, ReportOn, PickIndicator, ConfirmUpdate, CancelUpdate, PickValue):
        router.button(kind, reporting.update_button)
    for spend_kind in (ConfirmSpend, CancelSpend):
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
