"""The review of a reported value: submitted, then verified or returned with a reason. A new
report on the same indicator and period starts as submitted again; a reversed report leaves
review altogether. Nobody reviews their own report."""

from __future__ import annotations

from enum import StrEnum

from plan_data.errors import Refusal
from plan_data.roles import Role


class ReviewState(StrEnum):
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    RETURNED = "returned"


REVIEWERS = frozenset({Role.PLANNER, Role.ADMIN})
MAX_REASON = 500  # characters of a return reason


def check_review(
    role: Role, reviewer_id: int, reporter_id: int | None, state: ReviewState, reason: str = ""
) -> str:
    """The reason to keep (trimmed), or a Refusal: not a reviewer, one's own report, a return
    without a reason, or a report that is no longer waiting for review."""
    if role not in REVIEWERS:
        raise Refusal("review_not_allowed")
    if reporter_id is not None and reporter_id == reviewer_id:
        raise Refusal("review_own_report")
    reason = " ".join(reason.split())
    if state is ReviewState.RETURNED and not reason:
        raise Refusal("review_reason_needed")
    if len(reason) > MAX_REASON:
        raise Refusal("review_reason_too_long", limit=MAX_REASON)
    return reason
