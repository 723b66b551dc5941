"""The review state of reported values: the newest review row of a report, or submitted when it
has none. Only the newest report that counts for an indicator and period is under review."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, select
from sqlalchemy.orm import aliased

from plan_data.review import ReviewState
from storage.db.models import IndicatorReport, Person, ReportReview
from storage.db.types import UTCDateTime
from storage.repositories.base import Repository, insert_for

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
        IndicatorReport.id,
        IndicatorReport.indicator_id,
        IndicatorReport.period,
        IndicatorReport.value,
        IndicatorReport.person_id,
        Person.display_name,
        IndicatorReport.created_at,
        ReportReview.state,
        ReportReview.reason,
    )
    .outerjoin(Person, Person.id == IndicatorReport.person_id)
    .outerjoin(ReportReview, ReportReview.id == LAST_REVIEW)
    .order_by(IndicatorReport.id)
)
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


@dataclass(frozen=True)
class Verdict:
    """The verdict that stands on a report: what, by whom, when."""

    state: ReviewState
    reviewer_name: str
    at: datetime


_ADDS: dict[str, Any] = {}


def _add_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT (report_id) DO NOTHING: the unique key on the report decides which
    of two simultaneous verdicts stands, not a check made before the insert."""
    if dialect not in _ADDS:
        _ADDS[dialect] = (
            insert_for(dialect)(ReportReview)
            .values(
                report_id=bindparam("report_id"),
                state=bindparam("state"),
                reason=bindparam("reason"),
                reviewer_id=bindparam("reviewer_id"),
                created_at=bindparam("created_at", type_=UTCDateTime()),
            )
            .on_conflict_do_nothing(index_elements=["report_id"])
            .returning(ReportReview.id)
        )
    return _ADDS[dialect]


class ReviewsRepository(Repository):
    def add(
        self, report_id: int, state: ReviewState, reason: str, reviewer_id: int, at: datetime
    ) -> int | None:
        """The new verdict's id, or None when another verdict on this report stands already
        (also one written at the same moment by someone else)."""
        found = self._run(
            _add_statement(self._dialect),
            {
                "report_id": report_id,
                "state": state.value,
                "reason": reason,
                "reviewer_id": reviewer_id,
                "created_at": at,
            },
        ).scalar()
        if found is None:
            return None
        self._wrote()
        return int(found)

    def verdict(self, report_id: int) -> Verdict | None:
        row = self._session.execute(
            select(ReportReview.state, Person.display_name, ReportReview.created_at)
            .outerjoin(Person, Person.id == ReportReview.reviewer_id)
            .where(ReportReview.report_id == report_id)
            .order_by(ReportReview.id)
            .limit(1)
        ).first()
        return Verdict(ReviewState(row[0]), row[1] or "-", row[2]) if row else None

    def report(self, report_id: int) -> ReviewedReport | None:
        """The report if it still counts and is the newest for its indicator and period."""
        row = self._session.execute(
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
        rows = self._run(statement, params)
        return {(r.indicator_id, r.period): r for r in map(_reviewed, rows)}

    def in_state(
        self,
        state: ReviewState,
        indicator_ids: Collection[int] | None = None,
        period: str | None = None,
    ) -> list[ReviewedReport]:
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
        return [_reviewed(row) for row in self._session.execute(statement)]


def _reviewed(r: Any) -> ReviewedReport:
    return ReviewedReport(
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
