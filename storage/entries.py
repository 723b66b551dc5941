"""Writing what people report: indicator values and spending, append-only, with who/when/how."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session, aliased

from storage.db.models import Indicator, IndicatorReport, Person, Project, SpendingEntry


@dataclass(frozen=True)
class RecordedValue:
    report_id: int
    code: str
    seq: int
    indicator_text: str
    value: Decimal
    unit: str
    target: Decimal | None
    period: str
    previous: Decimal | None  # the value it replaces for the same period, if any


@dataclass(frozen=True)
class RecordedSpending:
    entry_id: int
    code: str
    amount: Decimal
    period: str


@dataclass(frozen=True)
class Undone:
    kind: str  # indicator | spending
    code: str
    seq: int | None
    value: Decimal
    period: str


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


def _is_reversed(
    session: Session, model: type[IndicatorReport] | type[SpendingEntry], row_id: int
) -> bool:
    return session.scalar(select(model.id).where(model.reverses_id == row_id).limit(1)) is not None


def record_indicator_value(
    session: Session,
    *,
    code: str,
    seq: int,
    value: Decimal,
    period: str,
    person_id: int | None,
    channel: str,
    note: str = "",
    at: datetime | None = None,
) -> RecordedValue:
    project = session.scalar(select(Project).where(Project.code == code))
    indicator = session.scalar(
        select(Indicator).where(
            Indicator.project_id == (project.id if project else -1),
            Indicator.seq == seq,
            Indicator.retired.is_(False),
        )
    )
    if project is None or indicator is None:
        raise LookupError(f"{code} has no indicator {seq}")
    from storage.status import latest_report

    before = latest_report(session, indicator.id, period)
    report = IndicatorReport(
        indicator_id=indicator.id,
        period=period,
        value=value,
        note=note,
        person_id=person_id,
        channel=channel,
    )
    if at is not None:
        report.created_at = at
    session.add(report)
    session.flush()
    return RecordedValue(
        report.id,
        code,
        seq,
        indicator.text,
        value,
        indicator.unit,
        indicator.target,
        period,
        before.value if before else None,
    )


def record_spending(
    session: Session,
    *,
    code: str,
    amount: Decimal,
    period: str,
    person_id: int | None,
    channel: str,
    note: str = "",
    at: datetime | None = None,
) -> RecordedSpending:
    project = session.scalar(select(Project).where(Project.code == code))
    if project is None:
        raise LookupError(code)
    entry = SpendingEntry(
        project_id=project.id,
        amount=amount,
        period=period,
        note=note,
        person_id=person_id,
        channel=channel,
    )
    if at is not None:
        entry.created_at = at
    session.add(entry)
    session.flush()
    return RecordedSpending(entry.id, code, amount, period)


def undo_last(session: Session, person_id: int, channel: str) -> Undone | None:
    """Reverse the person's newest entry that is neither a reversal nor already reversed."""
    report_reversal = aliased(IndicatorReport)
    spend_reversal = aliased(SpendingEntry)
    reports = (
        select(IndicatorReport.id, IndicatorReport.created_at, literal("indicator").label("kind"))
        .where(IndicatorReport.person_id == person_id, IndicatorReport.reverses_id.is_(None))
        .where(
            ~select(report_reversal.id)
            .where(report_reversal.reverses_id == IndicatorReport.id)
            .exists()
        )
    )
    spending = (
        select(SpendingEntry.id, SpendingEntry.created_at, literal("spending").label("kind"))
        .where(SpendingEntry.person_id == person_id, SpendingEntry.reverses_id.is_(None))
        .where(
            ~select(spend_reversal.id)
            .where(spend_reversal.reverses_id == SpendingEntry.id)
            .exists()
        )
    )
    both = union_all(reports, spending).subquery()
    newest = session.execute(
        select(both.c.id, both.c.kind).order_by(both.c.created_at.desc(), both.c.id.desc()).limit(1)
    ).first()
    if newest is None:
        return None
    row_id, kind = newest
    if kind == "indicator":
        report = session.get(IndicatorReport, row_id)
        assert report is not None
        indicator = session.get(Indicator, report.indicator_id)
        assert indicator is not None
        project = session.get(Project, indicator.project_id)
        session.add(
            IndicatorReport(
                indicator_id=report.indicator_id,
                period=report.period,
                value=None,
                note="undo",
                person_id=person_id,
                channel=channel,
                reverses_id=report.id,
            )
        )
        session.flush()
        return Undone(
            "indicator",
            project.code if project else "",
            indicator.seq,
            report.value or Decimal(0),
            report.period,
        )
    entry = session.get(SpendingEntry, row_id)
    assert entry is not None
    project = session.get(Project, entry.project_id)
    session.add(
        SpendingEntry(
            project_id=entry.project_id,
            amount=-entry.amount,
            period=entry.period,
            note="undo",
            person_id=person_id,
            channel=channel,
            reverses_id=entry.id,
        )
    )
    session.flush()
    return Undone("spending", project.code if project else "", None, entry.amount, entry.period)


def project_history(
    session: Session, code: str, *, offset: int = 0, limit: int = 10
) -> tuple[list[HistoryItem], int]:
    """A project's change log, newest first, one page of it, and how many entries there are."""
    project = session.scalar(select(Project).where(Project.code == code))
    if project is None:
        return [], 0
    ids = [project.id, *session.scalars(select(Project.id).where(Project.parent_id == project.id))]
    items: list[HistoryItem] = []
    reports = session.execute(
        select(IndicatorReport, Indicator.seq, Person.display_name)
        .join(Indicator, Indicator.id == IndicatorReport.indicator_id)
        .outerjoin(Person, Person.id == IndicatorReport.person_id)
        .where(Indicator.project_id.in_(ids))
    ).all()
    for report, seq, name in reports:
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
            )
        )
    items.sort(key=lambda i: i.at, reverse=True)
    return items[offset : offset + limit], len(items)
