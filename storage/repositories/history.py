"""The change log of a project: every entry, reversals included, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from storage.db.models import Indicator, IndicatorReport, Person, Project, SpendingEntry
from storage.repositories.base import Repository


@dataclass(frozen=True)
class HistoryItem:
    kind: str  # indicator | spending
    at: datetime
    by: str
    channel: str
    seq: int | None
    value: Decimal | None
    period: str
    note: str
    reversal: bool
    unit: str = ""  # the indicator's unit
    order: tuple[int, int] = (0, 0)  # (the person's entry number, row id): ties on the clock
    late: bool = False  # recorded after its period's deadline


class HistoryRepository(Repository):
    """Projects' change logs, as the unit of work's `uow.history`."""

    def of_project(
        self, code: str, *, offset: int = 0, limit: int = 10
    ) -> tuple[list[HistoryItem], int]:
        """A project's change log, newest first, one page of it, and how many entries there
        are."""
        session = self._session
        project = session.scalar(select(Project).where(Project.code == code))
        if project is None:
            return [], 0
        ids = [
            project.id,
            *session.scalars(select(Project.id).where(Project.parent_id == project.id)),
        ]
        items: list[HistoryItem] = []
        reports = session.execute(
            select(IndicatorReport, Indicator.seq, Person.display_name, Indicator.unit)
            .join(Indicator, Indicator.id == IndicatorReport.indicator_id)
            .outerjoin(Person, Person.id == IndicatorReport.person_id)
            .where(Indicator.project_id.in_(ids))
        ).all()
        for report, seq, name, unit in reports:
            items.append(
                HistoryItem(
                    "indicator",
                    report.created_at,
                    name or "",
                    report.channel,
                    seq,
                    report.value,
                    report.period,
                    report.note,
                    report.reverses_id is not None,
                    unit,
                    (report.person_seq or 0, report.id),
                    report.late,
                )
            )
        spending = session.execute(
            select(SpendingEntry, Person.display_name)
            .outerjoin(Person, Person.id == SpendingEntry.person_id)
            .where(SpendingEntry.project_id.in_(ids))
        ).all()
        for entry, name in spending:
            items.append(
                HistoryItem(
                    "spending",
                    entry.created_at,
                    name or "",
                    entry.channel,
                    None,
                    entry.amount,
                    entry.period,
                    entry.note,
                    entry.reverses_id is not None,
                    "",
                    (entry.person_seq or 0, entry.id),
                )
            )
        items.sort(key=lambda i: (i.at, i.order), reverse=True)  # newest first, always
        return items[offset : offset + limit], len(items)
