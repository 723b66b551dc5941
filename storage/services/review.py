"""Verifying or returning a reported value, with the checks in the write's transaction: who may
review, never one's own report, a reason for a return, and only a report still waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from plan_data.errors import Refusal
from plan_data.review import ReviewState, check_reason, check_reviewer
from plan_data.roles import Role
from storage.repositories.evidence import EntryRef
from storage.repositories.people import PersonView
from storage.repositories.reviews import ReviewedReport
from storage.services.evidence import EntryInfo, entry_info
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Reviewed:
    review_id: int
    report: ReviewedReport
    info: EntryInfo
    state: ReviewState
    reason: str


def reviewable(
    uow: UnitOfWork, reviewer: PersonView, report_id: int
) -> tuple[ReviewedReport, EntryInfo]:
    """The report if it is still the one under review for its indicator and period, and this
    reviewer may judge it (asked before a return's reason is typed, and again at the write)."""
    report = uow.reviews.report(report_id)
    info = entry_info(uow, EntryRef("value", report_id)) if report else None
    if report is None or info is None or info.indicator is None:
        raise Refusal("review_gone")
    if report.state is not ReviewState.SUBMITTED:
        _judged_already(uow, report_id)
    check_reviewer(Role(reviewer.role), reviewer.id, report.reporter_id, report.state)
    return report, info


def _judged_already(uow: UnitOfWork, report_id: int) -> None:
    """Refuse, naming the verdict that stands and who gave it."""
    verdict = uow.reviews.verdict(report_id)
    if verdict is None:
        raise Refusal("review_gone")
    verified = verdict.state is ReviewState.VERIFIED
    key = "review_already_verified_by" if verified else "review_already_returned_by"
    raise Refusal(key, by=verdict.reviewer_name, at=verdict.at)


def review(
    uow: UnitOfWork,
    reviewer: PersonView,
    report_id: int,
    state: ReviewState,
    *,
    reason: str = "",
    at: datetime,
) -> Reviewed:
    if state is ReviewState.SUBMITTED:
        raise ValueError("a review verifies or returns")
    report, info = reviewable(uow, reviewer, report_id)
    reason = check_reason(state, reason)
    review_id = uow.reviews.add(report_id, state, reason, reviewer.id, at)
    if review_id is None:  # another planner's verdict got there first
        _judged_already(uow, report_id)
    assert review_id is not None
    return Reviewed(review_id, report, info, state, reason)
