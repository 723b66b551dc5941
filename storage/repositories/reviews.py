"""The review state of reported values: the newest review row of a report, or submitted when it
has none. Only the newest report that counts for an indicator and period is under review."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, select
from sqlalchemy.orm import Session, aliased

from plan_data.review import ReviewState
from storage.db.models import IndicatorReport, Person, ReportReview

_REVERSAL = aliased(IndicatorReport)
_COUNTS = (
    IndicatorReport.reverses_id.is_(None),
    IndicatorReport.value.is_not(None),
    ~exists().where(_REVERSAL.reverses_id == IndicatorReport.id),
)
# The newest report that counts per indicator and period (walked down the (indicator_id, id)
# index); a caller adds which indicators and periods.
_NEWEST_IDS = (
    select(func.max(IndicatorReport.id))
    .where(*_COUNTS)
    .group_by(IndicatorReport.indicator_id, IndicatorReport.period)
    .correlate(None)  # its own scan of the reports, never the enclosing query's row
)
# A report's newest review (its state; none: submitted), found through the (report_id, id)
# index. figures.latest joins it too, so /status gets the state with the value.
LAST_REVIEW = (
    select(ReportReview.id)
    .where(ReportReview.report_id == IndicatorReport.id)
    .order_by(ReportReview.id.desc())
    .limit(1)
    .correlate(IndicatorReport)
    .scalar_subquery()
)


_REPORT_COLUMNS = (
    select(
        IndicatorReport.id, IndicatorReport.indicator_id, IndicatorReport.period,
        IndicatorReport.value, IndicatorReport.person_id, Person.display_name,
        IndicatorReport.created_at, ReportReview.state, ReportReview.reason,
    )
    .outerjoin(Person, Person.id == IndicatorReport.person_id)
    .outerjoin(ReportReview, ReportReview.id == LAST_REVIEW)
    .order_by(IndicatorReport.id)
)  # fmt: skip
_OF_INDICATORS = IndicatorReport.indicator_id.in_(bindparam("indicator_ids", expanding=True))
_IN_PERIOD = IndicatorReport.period == bindparam("period")
# Built once, as in figures.py: building a statement costs more than running it for a card.
_CURRENT = _REPORT_COLUMNS.where(IndicatorReport.id.in_(_NEWEST_IDS.where(_OF_INDICATORS)))
_CURRENT_IN_PERIOD = _REPORT_COLUMNS.where(
    IndicatorReport.id.in_(_NEWEST_IDS.where(_OF_INDICATORS, _IN_PERIOD))
)


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
        row = self.session.execute(
            select(IndicatorReport.indicator_id, IndicatorReport.period).where(
                IndicatorReport.id == report_id
            )
        ).first()
        if row is None:
            return None
        found = self._reports(
            and_(IndicatorReport.indicator_id == row[0], IndicatorReport.period == row[1])
        )
        return found[0] if found and found[0].report_id == report_id else None

    def current(
        self, indicator_ids: Collection[int], period: str | None = None
    ) -> dict[tuple[int, str], ReviewedReport]:
        """(indicator id, period) -> the report under review there, with its state."""
        if not indicator_ids:
            return {}
        params: dict[str, object] = {"indicator_ids": list(indicator_ids)}
        if period is not None:
            params["period"] = period
        statement = _CURRENT if period is None else _CURRENT_IN_PERIOD
        rows = self.session.connection().execute(statement, params)
        return {(r.indicator_id, r.period): r for r in map(_reviewed, rows)}

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
        statement = _REPORT_COLUMNS.where(IndicatorReport.id.in_(_NEWEST_IDS.where(condition)))
        return [_reviewed(row) for row in self.session.execute(statement)]


def _reviewed(r: Any) -> ReviewedReport:
    return ReviewedReport(
        int(r[0]), int(r[1]), str(r[2]), r[3] or Decimal(0), r[4], r[5] or "", r[6],
        ReviewState(r[7]) if r[7] else ReviewState.SUBMITTED, r[8] or "",
    )  # fmt: skip
