"""Putting reports and spending straight into the database, as test set-up (the write services
with their checks are tested on their own)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db.models import Indicator, IndicatorReport, Project, SpendingEntry


def _project(session: Session, code: str) -> Project:
    project = session.scalar(select(Project).where(Project.code == code))
    assert project is not None, code
    return project


def add_spending(
    session: Session,
    *,
    code: str,
    amount: Decimal,
    period: str,
    person_id: int | None = None,
    channel: str = "console",
    note: str = "",
    at: datetime | None = None,
) -> int:
    entry = SpendingEntry(
        project_id=_project(session, code).id,
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
    return entry.id


def add_value(
    session: Session,
    *,
    code: str,
    seq: int,
    value: Decimal,
    period: str,
    person_id: int | None = None,
    channel: str = "console",
    note: str = "",
    at: datetime | None = None,
) -> int:
    indicator = session.scalar(
        select(Indicator).where(
            Indicator.project_id == _project(session, code).id, Indicator.seq == seq
        )
    )
    assert indicator is not None, (code, seq)
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
    return report.id


def spent(services: object, code: str = "STR114/64") -> Decimal:
    """What a project's card says was spent (rolled up), read as /status reads it."""
    from handlers.context import Services
    from tests.support.project_status import project_status

    assert isinstance(services, Services)
    with services.db.session() as session:
        card = project_status(session, code)
    assert card is not None
    return card.budget.spent
