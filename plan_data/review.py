"""The review of a reported value: submitted, then verified or returned with a reason. A new
report on the same indicator and period starts as submitted again; a reversed report leaves
review altogether. Nobody reviews their own report."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from plan_data.errors import Refusal
from plan_data.roles import Role


class ReviewState(StrEnum):
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    RETURNED = "returned"


REVIEWERS = frozenset({Role.PLANNER, Role.ADMIN})
MAX_REASON = 500  # characters of a return reason


def check_reviewer(
    role: Role, reviewer_id: int, reporter_id: int | None, current: ReviewState
) -> None:
    """A Refusal unless this person may judge this report now: a planner or admin, not its
    reporter, and the report still waiting (neither verified nor returned already)."""
    if role not in REVIEWERS:
        raise Refusal("review_not_allowed")
    if reporter_id is not None and reporter_id == reviewer_id:
        raise Refusal("review_own_report")
    if current is ReviewState.VERIFIED:
        raise Refusal("review_already_verified")
    if current is ReviewState.RETURNED:
        raise Refusal("review_already_returned")


def check_reason(state: ReviewState, reason: str) -> str:
    """The reason to keep (spaces tidied), or a Refusal: a return needs one, and a short one."""
    # Zero-width and other format characters are no reason: a reason of only them is empty.
    reason = " ".join("".join(c for c in reason if unicodedata.category(c) != "Cf").split())
    if state is ReviewState.RETURNED and not reason:
        raise Refusal("review_reason_needed")
    if len(reason) > MAX_REASON:
        raise Refusal("review_reason_too_long", limit=MAX_REASON)
    return reason


@dataclass(frozen=True)
class ReviewMark:
    """What a reader sees beside a reported value: where its review stands and how many files
    back it. The plain submitted state without files shows nothing."""

    state: ReviewState = ReviewState.SUBMITTED
    reason: str = ""  # why it was returned
    evidence: int = 0  # files attached to the indicator's reports that count

    @property
    def shown(self) -> bool:
        return self.state is not ReviewState.SUBMITTED or self.evidence > 0


NO_MARK = ReviewMark()


@dataclass(frozen=True)
class ReviewCounts:
    """Reports of a period by review state: verified, returned, and still waiting."""

    verified: int = 0
    returned: int = 0
    waiting: int = 0

    @property
    def total(self) -> int:
        return self.verified + self.returned + self.waiting

    def add(self, state: ReviewState) -> ReviewCounts:
        return ReviewCounts(
            self.verified + (state is ReviewState.VERIFIED),
            self.returned + (state is ReviewState.RETURNED),
            self.waiting + (state is ReviewState.SUBMITTED),
        )
