"""The review state of reported values: the newest review row of a report, or submitted when it
has none. Only the newest report that counts for an indicator and period is under review."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from plan_data.review import ReviewState
from storage.db.models import IndicatorReport, Person, ReportReview

_REVERSAL = aliased(IndicatorReport)
_NEWER = aliased(IndicatorReport)
_COUNTS = (
    IndicatorReport.reverses_id.is_(None),
    IndicatorReport.value.is_not(None),
    ~exists().where(_REVERSAL.reverses_id == IndicatorReport.id),
)
# No newer report that counts for the same indicator and period.
_NEWEST = ~exists().where(
    _NEWER.indicator_id == IndicatorReport.indicator_id,
    _NEWER.period == IndicatorReport.period,
    _NEWER.id > IndicatorReport.id,
    _NEWER.reverses_id.is_(None),
    _NEWER.value.is_not(None),
    ~exists().where(_REVERSAL.reverses_id == _NEWER.id),
)
_LAST_REVIEW = select(func.max(ReportReview.id)).group_by(ReportReview.report_id)


@dataclass(frozen=True)
class ReviewedReport:
    """A report under review, with what a reviewer needs to judge it."""

    report_id: int
    indicator_id: int
    period: str
    value: Decimal
    reporter_id: int | None
    reporter_name: str
    created_at: datetime
    state: ReviewState
    reason: str


class ReviewsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, report_id: int, state: ReviewState, reason: str, reviewer_id: int,
            at: datetime) -> int:  # fmt: skip
        row = ReportReview(report_id=report_id, state=state.value, reason=reason,
                           reviewer_id=reviewer_id, created_at=at)  # fmt: skip
        self.session.add(row)
        self.session.flush()
        return row.id

    def report(self, report_id: int) -> ReviewedReport | None:
        """The report if it still counts and is the newest for its indicator and period."""
        found = self._reports(IndicatorReport.id == report_id)
        return found[0] if found else None

    def current(
        self, indicator_ids: Collection[int], period: str | None = None
    ) -> dict[tuple[int, str], ReviewedReport]:
        """(indicator id, period) -> the report under review there, with its state."""
        if not indicator_ids:
            return {}
        condition: ColumnElement[bool] = IndicatorReport.indicator_id.in_(list(indicator_ids))
        if period is not None:
            condition = and_(condition, IndicatorReport.period == period)
        return {(r.indicator_id, r.period): r for r in self._reports(condition)}

    def in_state(self, state: ReviewState, indicator_ids: Collection[int] | None = None,
                 period: str | None = None) -> list[ReviewedReport]:  # fmt: skip
        """Reports under review in `state`, oldest first (all indicators when ids is None)."""
        condition: ColumnElement[bool] = IndicatorReport.id.is_not(None)
        if indicator_ids is not None:
            if not indicator_ids:
                return []
            condition = IndicatorReport.indicator_id.in_(list(indicator_ids))
        if period is not None:
            condition = and_(condition, IndicatorReport.period == period)
        return [r for r in self._reports(condition) if r.state is state]

    def _reports(self, condition: ColumnElement[bool]) -> list[ReviewedReport]:
        rows = self.session.execute(
            select(
                IndicatorReport.id, IndicatorReport.indicator_id, IndicatorReport.period,
                IndicatorReport.value, IndicatorReport.person_id, Person.display_name,
                IndicatorReport.created_at, ReportReview.state, ReportReview.reason,
            )
            .outerjoin(Person, Person.id == IndicatorReport.person_id)
            .outerjoin(
                ReportReview,
                and_(ReportReview.report_id == IndicatorReport.id,
                     ReportReview.id.in_(_LAST_REVIEW)),
            )
            .where(condition, *_COUNTS, _NEWEST)
            .order_by(IndicatorReport.id)
        ).all()  # fmt: skip
        return [
            ReviewedReport(
                int(r[0]),
                int(r[1]),
                str(r[2]),
                r[3] or Decimal(0),
                r[4],
                r[5] or "",
                r[6],
                ReviewState(r[7]) if r[7] else ReviewState.SUBMITTED,
                r[8] or "",
            )
            for r in rows
        ]
