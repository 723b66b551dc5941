"""People, chats and reports set up through storage, for the reminder and delivery tests."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from plan_data.fiscal import BANGKOK
from storage.db.database import Database
from storage.db.models import Division, Indicator, Project, ProjectDivision
from storage.unit_of_work import UnitOfWork
from tests.support.entries import add_spending, add_value
from tests.support.project_status import project_status

JAN_11 = datetime(2021, 1, 11, 9, 0, tzinfo=BANGKOK)  # Monday, Q1 overdue since 7 Jan


def member(
    db: Database,
    user_id: int,
    division: str | None,
    role: str = "member",
    language: str | None = None,
    name: str = "",
) -> int:
    """Someone registered whose private chat with the bot is known (chat id = user id)."""
    with UnitOfWork(db) as uow:
        person = uow.people.add("telegram", str(user_id), role, division, name or f"user{user_id}")
        uow.people.remember_chat("telegram", str(user_id), is_group=False, person_id=person.id)
        if language:
            uow.people.set_language(person.id, language)
        return person.id


def group(db: Database, chat_id: int, division: str) -> None:
    """A group chat linked to a division (as /link does)."""
    with UnitOfWork(db) as uow:
        linker = uow.people.find("telegram", "linker")
        if linker is None:
            linker = uow.people.add("telegram", "linker", "admin", None, "Linker")
        uow.people.link_chat("telegram", str(chat_id), division, linker.id)


def report_everything(db: Database, division: str, period: str, at: datetime) -> int:
    """Report every indicator of a division's projects for `period`, and spend its budgets
    in full, so the division owes nothing. Returns how many indicators were reported."""
    with db.session() as session:
        projects = session.scalars(
            select(Project)
            .join(ProjectDivision, ProjectDivision.project_id == Project.id)
            .join(Division, Division.id == ProjectDivision.division_id)
            .where(Division.key == division)
        ).all()
        count = 0
        for project in projects:
            for indicator in session.scalars(
                select(Indicator).where(Indicator.project_id == project.id)
            ):
                add_value(
                    session,
                    code=project.code,
                    seq=indicator.seq,
                    value=Decimal(1),
                    period=period,
                    person_id=None,
                    channel="telegram",
                    at=at,
                )
                count += 1
            card = project_status(session, project.code)
            allocated = card.budget.allocated if card else 0
            if allocated:
                add_spending(
                    session,
                    code=project.code,
                    amount=Decimal(allocated),
                    period=period,
                    person_id=None,
                    channel="telegram",
                    at=at,
                )
    return count


def at(text: str) -> datetime:
    """A Bangkok moment from '2021-01-11 09:00'."""
    return datetime.fromisoformat(text).replace(tzinfo=BANGKOK)
