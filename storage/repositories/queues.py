"""The update claims as a repository of the unit of work (`uow.claims`), so the webhook and
the workers hold no session of their own. The statements are those of
storage/db/update_claims.py (read its docstring);
a method that writes marks the unit of work as written, so it commits when its block ends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.db import update_claims


class _Repository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _wrote(self) -> None:
        self._session.info["wrote"] = True  # a core statement: the unit of work commits it


class ClaimsRepository(_Repository):
    def first_time(self, channel: str, event_id: str, *, at: datetime | None = None) -> bool:
        self._wrote()
        return update_claims.first_time(self._session, channel, event_id, at=at)

    def forget_before(self, channel: str, before: datetime) -> int:
        self._wrote()
        return update_claims.forget_before(self._session, channel, before)

    def ping(self) -> bool:
        return update_claims.ping(self._session)
