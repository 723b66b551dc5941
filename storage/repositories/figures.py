"""What was reported, as `plan_data.figures.Figures`: spending per project and indicator values
that count (not a reversal, not taken back by one). Each question is one statement."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, select
from sqlalchemy.orm import aliased

from plan_data.figures import Figures, Note, Report
from storage.db.models import Indicator as IndicatorRow
from storage.db.models import IndicatorReport, Person, ReportReview, SpendingEntry
from storage.repositories.base import Repository
from storage.repositories.reviews import LAST_REVIEW

_REVERSAL = aliased(IndicatorReport)
_COUNTS = (
    IndicatorReport.reverses_id.is_(None),
    ~exists().where(_REVERSAL.reverses_id == IndicatorReport.id),
)

# Built once: building a statement costs as much as running it for one project.
_SPENT_ON = (
    select(SpendingEntry.project_id, func.sum(SpendingEntry.amount))
    .where(SpendingEntry.project_id.in_(bindparam("project_ids", expanding=True)))
    .group_by(SpendingEntry.project_id)
)
_SPENT_ALL = select(SpendingEntry.project_id, func.sum(SpendingEntry.amount)).group_by(
    SpendingEntry.project_id
)
_SPENT_BY_PERIOD = select(
    SpendingEntry.project_id, SpendingEntry.period, func.sum(SpendingEntry.amount)
).group_by(SpendingEntry.project_id, SpendingEntry.period)
# The newest report that counts, per indicator: walked from the newest id down the
# (indicator_id, id) index and stopped at the first one, so an indicator with a long history
# costs no more than one with a single report.
_NEWEST_OF = (
    select(IndicatorReport.id)
    .where(
        IndicatorReport.indicator_id == IndicatorRow.id,
        IndicatorReport.value.is_not(None),
        *_COUNTS,
    )
    .order_by(IndicatorReport.id.desc())
    .limit(1)
    .correlate(IndicatorRow)
    .scalar_subquery()
)
_LATEST = (
    select(
        IndicatorReport.indicator_id,
        IndicatorReport.value,
        IndicatorReport.period,
        Person.display_name,
        IndicatorReport.created_at,
        IndicatorReport.channel,
        IndicatorReport.note,
        ReportReview.state,
        ReportReview.reason,
    )
    .select_from(IndicatorRow)
    .join(IndicatorReport, IndicatorReport.id == _NEWEST_OF)
    .outerjoin(Person, Person.id == IndicatorReport.person_id)
    .outerjoin(ReportReview, ReportReview.id == LAST_REVIEW)  # its review state
    .where(IndicatorRow.id.in_(bindparam("indicator_ids", expanding=True)))
)
_NEWEST_IN_PERIOD = (
    select(func.max(IndicatorReport.id))
    .where(IndicatorReport.period == bindparam("period"), *_COUNTS)
    .group_by(IndicatorReport.indicator_id)
)
_IN_PERIOD = select(IndicatorReport.indicator_id, IndicatorReport.value).where(
    IndicatorReport.id.in_(_NEWEST_IN_PERIOD), IndicatorReport.value.is_not(None)
)
_LATE_IN_PERIOD = select(IndicatorReport.indicator_id).where(
    IndicatorReport.id.in_(_NEWEST_IN_PERIOD),
    IndicatorReport.value.is_not(None),
    IndicatorReport.late.is_(True),
)
_IN_PERIOD_OF = select(IndicatorReport.indicator_id, IndicatorReport.value).where(
    IndicatorReport.id.in_(
        _NEWEST_IN_PERIOD.where(
            IndicatorReport.indicator_id.in_(bindparam("indicator_ids", expanding=True))
        )
    ),
    IndicatorReport.value.is_not(None),
)


_SPENT_IN_PERIODS = (
    select(SpendingEntry.project_id, func.sum(SpendingEntry.amount))
    .where(SpendingEntry.period.in_(bindparam("periods", expanding=True)))
    .group_by(SpendingEntry.project_id)
)
_SPENDING_REVERSAL = aliased(SpendingEntry)
_VALUE_NOTES = (
    select(
        IndicatorRow.project_id,
        IndicatorReport.indicator_id,
        IndicatorReport.note,
        Person.display_name,
        IndicatorReport.created_at,
    )
    .join(IndicatorRow, IndicatorRow.id == IndicatorReport.indicator_id)
    .outerjoin(Person, Person.id == IndicatorReport.person_id)
    .where(IndicatorReport.period == bindparam("period"), IndicatorReport.note != "", *_COUNTS)
)
_SPENDING_NOTES = (
    select(
        SpendingEntry.project_id,
        SpendingEntry.amount,
        SpendingEntry.note,
        Person.display_name,
        SpendingEntry.created_at,
    )
    .outerjoin(Person, Person.id == SpendingEntry.person_id)
    .where(
        SpendingEntry.period == bindparam("period"),
        SpendingEntry.note != "",
        SpendingEntry.reverses_id.is_(None),
        ~exists().where(_SPENDING_REVERSAL.reverses_id == SpendingEntry.id),
    )
)


def _report(row: Any) -> Report:
    _indicator_id, value, period, name, at, channel, note, review, reason = row
    return Report(value, period, name or "", at, channel, note, review or "submitted", reason or "")


def counting_reports() -> Select[tuple[IndicatorReport]]:
    """Reports that count: not a reversal, and not taken back by one."""
    return select(IndicatorReport).where(*_COUNTS)  # type: ignore[return-value]


class FiguresRepository(Repository):
    def spent(self, project_ids: Collection[int] | None = None) -> dict[int, Decimal]:
        """Baht spent per project (all of them when no ids are given)."""
        if project_ids is None:
            rows = self._run(_SPENT_ALL)
        elif not project_ids:
            return {}
        else:
            rows = self._run(_SPENT_ON, {"project_ids": list(project_ids)})
        return {project_id: total or Decimal(0) for project_id, total in rows}

    def spent_by_period(self) -> dict[tuple[int, str], Decimal]:
        return {
            (project_id, period): total or Decimal(0)
            for project_id, period, total in self._run(_SPENT_BY_PERIOD)
        }

    def latest(self, indicator_ids: Collection[int]) -> dict[int, Report]:
        """The newest value that counts for each indicator, of any period, with who made it and
        where its review stands."""
        if not indicator_ids:
            return {}
        rows = self._run(_LATEST, {"indicator_ids": list(indicator_ids)})
        return {row[0]: _report(row) for row in rows}

    def in_period(self, period_key: str) -> dict[int, Decimal]:
        """Indicator id -> the newest value that counts for the period."""
        rows = self._run(_IN_PERIOD, {"period": period_key})
        return {indicator_id: value for indicator_id, value in rows}

    def late_in(self, period_key: str) -> frozenset[int]:
        """Indicator ids whose newest value of the period was recorded after its deadline."""
        return frozenset(row[0] for row in self._run(_LATE_IN_PERIOD, {"period": period_key}))

    def in_period_of(self, period_key: str, indicator_ids: Collection[int]) -> dict[int, Decimal]:
        """The same, for a few indicators (a project card)."""
        if not indicator_ids:
            return {}
        rows = self._run(
            _IN_PERIOD_OF, {"period": period_key, "indicator_ids": list(indicator_ids)}
        )
        return {indicator_id: value for indicator_id, value in rows}

    def spent_in(self, period_keys: Collection[str]) -> dict[int, Decimal]:
        """Baht spent per project, counting the entries recorded for these periods only."""
        if not period_keys:
            return {}
        rows = self._run(_SPENT_IN_PERIODS, {"periods": list(period_keys)})
        return {project_id: total or Decimal(0) for project_id, total in rows}

    def notes(self, period_key: str) -> dict[int, tuple[Note, ...]]:
        """Per project id, what reporters wrote beside the values and amounts of the period
        that count (an entry taken back, and its reversal, say nothing), oldest first."""
        found: list[Note] = [
            Note(project_id, indicator_id, text, name or "", at)
            for project_id, indicator_id, text, name, at in self._run(
                _VALUE_NOTES, {"period": period_key}
            )
        ]
        found += [
            Note(project_id, None, text, name or "", at, amount)
            for project_id, amount, text, name, at in self._run(
                _SPENDING_NOTES, {"period": period_key}
            )
        ]
        result: dict[int, list[Note]] = {}
        for note in sorted(found, key=lambda n: n.at):
            result.setdefault(note.project_id, []).append(note)
        return {project_id: tuple(notes) for project_id, notes in result.items()}

    def for_report(self, period_key: str, periods_through: Collection[str]) -> Figures:
        """What the quarterly report needs: spending recorded for the periods up to and
        including the one reported on (per project and per period, for the chart), the
        period's values and its notes."""
        wanted = set(periods_through)
        return Figures(
            spent=self.spent_in(periods_through),
            spent_by_period={
                key: amount for key, amount in self.spent_by_period().items() if key[1] in wanted
            },
            in_period=self.in_period(period_key),
            notes=self.notes(period_key),
            late=self.late_in(period_key),
        )

    def for_summary(self, period_key: str) -> Figures:
        """What the whole-plan views need: all spending and the period's values."""
        return Figures(spent=self.spent(), in_period=self.in_period(period_key))

    def for_projects(self, project_ids: Collection[int], indicator_ids: Collection[int]) -> Figures:
        """What a project card needs: its subtree's spending and each indicator's latest value."""
        return Figures(spent=self.spent(project_ids), latest=self.latest(indicator_ids))

    def for_money(self) -> Figures:
        """What budget views need: spending per project, all of it."""
        return Figures(spent=self.spent())

    def for_chart(self, period_key: str) -> Figures:
        """What /chart needs: spending in total and per period, and the period's values."""
        return Figures(
            spent=self.spent(),
            spent_by_period=self.spent_by_period(),
            in_period=self.in_period(period_key),
        )
