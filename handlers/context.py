"""What every command handler gets: the request, who is asking, their language, the clock's
"now", and the request's one unit of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from handlers.dashboard.signing import DashboardLinks
from handlers.i18n import Translator
from handlers.request import Request
from plan_data.calendar import ReportingCalendar
from plan_data.evidence import DEFAULT_MAX_BYTES
from plan_data.fiscal import local_day
from plan_data.model import Plan
from plan_data.quarterly import DEFAULT_OPTIONS, ReportOptions
from plan_data.roles import Role
from storage.db.database import Database
from storage.plan_io.calendar_file import load_calendar
from storage.repositories.people import PersonView
from storage.repositories.plans import PlanLibrary
from storage.unit_of_work import UnitOfWork


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """Long-lived things, made once at start-up by bot/ and shared by every request."""

    db: Database
    clock: Callable[[], datetime] = system_clock
    bot_username: str | None = None  # for Telegram deep links in invites
    evidence_max_bytes: int = DEFAULT_MAX_BYTES
    report: ReportOptions = DEFAULT_OPTIONS  # the quarterly report's signers and digits
    dashboard: DashboardLinks | None = None  # where the dashboard is served, and its secret


@dataclass
class Context:
    request: Request
    services: Services
    uow: UnitOfWork
    person: PersonView | None
    _: Translator
    now: datetime
    chat_division: str | None = None  # the division a group chat is linked to

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def language(self) -> str:
        return self._.language

    @property
    def role(self) -> Role | None:
        return Role(self.person.role) if self.person else None

    def plans(self) -> PlanLibrary:
        return self.uow.plans()

    def plan(self) -> Plan | None:
        """The current fiscal year's plan (see plan_data.fiscal.current_fiscal_year)."""
        return self.uow.plans().current(local_day(self.now))

    def calendar(self, fiscal_year: int) -> ReportingCalendar:
        return load_calendar(fiscal_year)


@dataclass
class MemberContext(Context):
    """A registered person's request: `person` is known."""

    person: PersonView

    @property
    def member_role(self) -> Role:
        return Role(self.person.role)
