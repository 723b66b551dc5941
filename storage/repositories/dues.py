"""What is due, read through the one model (plan_data.due), and who should hear about it: the
chats linked to a division, members' private chats, and the planning division (as the plan
flags it) and admins for the late summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from plan_data.calendar import ReportingCalendar, ReportingPeriod
from plan_data.due import DivisionDue, division_dues
from plan_data.figures import Figures
from plan_data.fiscal import local_day
from plan_data.review import ReviewState
from storage.db.models import Chat, Division, Person
from storage.plan_io.calendar_file import load_calendar
from storage.repositories.figures import FiguresRepository
from storage.repositories.plans import plan_library
from storage.repositories.reviews import ReviewsRepository

CalendarSource = Callable[[int], ReportingCalendar]


@dataclass(frozen=True)
class ChatTarget:
    channel: str
    chat_id: str
    is_group: bool
    language: str | None  # the person's /lang for a private chat; None for a group
    platform_language: str | None  # their chat app's language (private chat); None for a group
    label: str  # who it is, for previews and logs


def open_periods(
    session: Session, at: datetime, calendars: CalendarSource = load_calendar
) -> list[tuple[int, ReportingPeriod]]:
    """(fiscal year, period) for every loaded plan whose calendar is collecting reports."""
    result = []
    for year in plan_library(session).years:
        period = calendars(year).open_period(at)
        if period is not None:
            result.append((year, period))
    return result


def dues_at(
    session: Session,
    at: datetime,
    division_key: str | None = None,
    calendars: CalendarSource = load_calendar,
) -> list[DivisionDue]:
    """One DivisionDue per division with projects (or only `division_key`'s), per open plan
    year — including divisions with nothing due, so callers can say so. A value a reviewer
    returned is owed again."""
    library = plan_library(session)
    figures = FiguresRepository(session)
    spent: Figures | None = None
    result: list[DivisionDue] = []
    for year, period in open_periods(session, at, calendars):
        spent = spent or figures.for_money()
        reported = set(figures.in_period(period.key))
        returned = {
            r.indicator_id: r.reason
            for r in ReviewsRepository(session).in_state(ReviewState.RETURNED, None, period.key)
        }
        window = calendars(year).reminder_window_days
        plan = library.plans[year]
        result.extend(
            division_dues(
                plan, period, local_day(at), reported, spent, division_key, window, returned
            )
        )
    return result


def missed_at(
    session: Session,
    at: datetime,
    division_key: str | None = None,
    calendars: CalendarSource = load_calendar,
) -> list[DivisionDue]:
    """The closed periods of each loaded plan year that are not over yet, per division (or only
    `division_key`), where indicators were never reported: nobody can report them any more, so
    they are shown to the division and the planners rather than forgotten."""
    library = plan_library(session)
    figures = FiguresRepository(session)
    result: list[DivisionDue] = []
    for year in library.years:
        calendar = calendars(year)
        for period in calendar.missed_periods(at):
            reported = set(figures.in_period(period.key))
            spent = figures.for_money()
            dues = division_dues(
                library.plans[year], period, local_day(at), reported, spent, division_key
            )
            result.extend(d for d in dues if d.missing)
    return result


def division_chats(session: Session, division_key: str) -> list[ChatTarget]:
    """Where a division's reminders go: groups linked to it, and its members' private chats."""
    division = session.scalar(select(Division).where(Division.key == division_key))
    if division is None:
        return []
    linked = session.scalars(
        select(Chat)
        .where(Chat.division_id == division.id, Chat.blocked_at.is_(None))
        .order_by(Chat.id)
    )
    targets = [
        ChatTarget(c.channel, c.external_id, c.is_group, None, None, f"group of {division_key}")
        for c in linked
    ]
    members = select(Person.id).where(Person.division_id == division.id)
    return _dedupe(targets + _private_chats(session, Person.id.in_(members)))


def late_summary_chats(session: Session) -> list[ChatTarget]:
    """The planning division's chats (the one the plan flags, if any), and the private chats
    of planners and admins."""
    planning = plan_library(session).planning_division()
    targets = division_chats(session, planning.key) if planning else []
    targets += _private_chats(session, or_(Person.role == "admin", Person.role == "planner"))
    return _dedupe(targets)


def _private_chats(session: Session, who: ColumnElement[bool]) -> list[ChatTarget]:
    rows = session.execute(
        select(Chat, Person)
        .join(Person, Person.id == Chat.person_id)
        .where(who, Chat.is_group.is_(False), Chat.blocked_at.is_(None))
        .order_by(Chat.id)
    ).all()
    return [
        ChatTarget(
            chat.channel,
            chat.external_id,
            False,
            person.language,
            person.platform_language,
            f"{person.role} {person.display_name or person.external_id}".strip(),
        )
        for chat, person in rows
    ]


def _dedupe(targets: list[ChatTarget]) -> list[ChatTarget]:
    seen: set[tuple[str, str]] = set()
    result = []
    for target in targets:
        if (target.channel, target.chat_id) not in seen:
            seen.add((target.channel, target.chat_id))
            result.append(target)
    return result


def person_chats(session: Session, person_id: int) -> list[ChatTarget]:
    """A person's own (private) chats, on every channel they use."""
    return _dedupe(_private_chats(session, Person.id == person_id))


def division_groups(session: Session, division_key: str) -> list[ChatTarget]:
    """The group chats linked to a division."""
    return [t for t in division_chats(session, division_key) if t.is_group]


class DuesRepository:
    """What is due and who hears of it, as the unit of work's `uow.dues`."""

    def __init__(self, session: Session, calendars: CalendarSource = load_calendar) -> None:
        self._session = session
        self._calendars = calendars

    def open_periods(self, at: datetime) -> list[tuple[int, ReportingPeriod]]:
        return open_periods(self._session, at, self._calendars)

    def at(self, at: datetime, division_key: str | None = None) -> list[DivisionDue]:
        return dues_at(self._session, at, division_key, self._calendars)

    def missed(self, at: datetime, division_key: str | None = None) -> list[DivisionDue]:
        return missed_at(self._session, at, division_key, self._calendars)

    def division_chats(self, division_key: str) -> list[ChatTarget]:
        return division_chats(self._session, division_key)

    def late_summary_chats(self) -> list[ChatTarget]:
        return late_summary_chats(self._session)

    def person_chats(self, person_id: int) -> list[ChatTarget]:
        return person_chats(self._session, person_id)

    def division_groups(self, division_key: str) -> list[ChatTarget]:
        return division_groups(self._session, division_key)
