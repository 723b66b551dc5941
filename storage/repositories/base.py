"""What every repository of the unit of work shares: the unit of work's session, held privately
(callers ask the repository, never the session), and the mark that a core statement wrote."""

from __future__ import annotations

from sqlalchemy.orm import Session


class Repository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _wrote(self) -> None:
        """A core statement wrote (the ORM notices its own writes): the unit of work commits
        when its block ends."""
        self._session.info["wrote"] = True
