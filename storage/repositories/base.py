"""What every repository of the unit of work shares: the unit of work's session, held privately
(callers ask the repository, never the session), the mark that a core statement wrote, and the
way prebuilt statements are run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_for(dialect: str) -> Callable[..., Any]:
    """The INSERT that knows ON CONFLICT, for the database at hand (PostgreSQL or SQLite)."""
    return (postgresql if dialect == "postgresql" else sqlite).insert


class Repository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _wrote(self) -> None:
        """A core statement wrote (the ORM notices its own writes): the unit of work commits
        when its block ends."""
        self._session.info["wrote"] = True

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    def _run(self, statement: Any, params: Mapping[str, Any] | None = None) -> Any:
        """A prebuilt core statement, straight on the connection: for plain column queries and
        writes the ORM layer adds nothing but time (several run on every message)."""
        return self._session.connection().execute(statement, params or {})
