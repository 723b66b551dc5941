"""What every command handler gets: the request, who is asking, their language, and storage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from handlers.i18n import Translator
from handlers.request import Request
from storage.db.database import Database
from storage.people import PersonView


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """Long-lived things, made once at start-up by bot/ and shared by every request."""

    db: Database
    clock: Callable[[], datetime] = system_clock
    bot_username: str | None = None  # for Telegram deep links in invites
    channels: tuple[str, ...] = ("telegram",)
    extras: dict[str, object] = field(default_factory=dict)


@dataclass
class Context:
    request: Request
    services: Services
    person: PersonView | None
    _: Translator
    now: datetime

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def language(self) -> str:
        return self._.language

    @property
    def role(self) -> str | None:
        return self.person.role if self.person else None
