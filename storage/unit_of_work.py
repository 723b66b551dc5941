"""One unit of work per request: one session, one transaction, committed once at the end and
rolled back on any error, so a write, its permission check and its update claim stand or fall
together. Every repository hangs off it (`uow.people`, `uow.dues`, `uow.outbox`, …) and the session is
its own: callers never hold a session or build a query."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import event
from sqlalchemy.orm import Session

from plan_data.figures import Report
from plan_data.review import ReviewMark, ReviewState
from storage.db.database import Database
from storage.db.update_claims import ClaimsRepository
from storage.inbox import InboxRepository
from storage.outbox import OutboxRepository
from storage.plan_io.queries import PlanStore
from storage.repositories.dues import DuesRepository
from storage.repositories.evidence import EntryRef, EvidenceRepository
from storage.repositories.figures import FiguresRepository
from storage.repositories.flows import FlowsRepository
from storage.repositories.history import HistoryRepository
from storage.repositories.people import PeopleRepository
from storage.repositories.plans import PlanLibrary, plan_library
from storage.repositories.reviews import ReviewsRepository


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: object) -> None:
    """A flush wrote: the unit of work commits. One listener for every session (listening per
    session cost as much as a short read)."""
    session.info["wrote"] = True


class UnitOfWork:
    def __init__(self, db: Database | None = None, *, session: Session | None = None) -> None:
        """A new unit of work on `db`; or one over a session someone else commits (`session`),
        for the command line and tests that already hold one."""
        if session is None:
            assert db is not None
            session = db.new_session()
        # Storage's own: services and repositories use it, callers never do (the entry points
        # in bot/ and handlers/ reach the database only through the repositories below).
        self._session: Session = session
        self.figures = FiguresRepository(session)
        self.evidence = EvidenceRepository(session)
        self.reviews = ReviewsRepository(session)
        self.flows = FlowsRepository(session)
        self.people = PeopleRepository(session)
        self.dues = DuesRepository(session)
        self.history = HistoryRepository(session)
        self.inbox = InboxRepository(session)
        self.outbox = OutboxRepository(session)
        self.claims = ClaimsRepository(session)
        self.plan_store = PlanStore(session)
        # The entries this unit of work recorded, in order (a file sent with the command is
        # attached to the last one).
        self.recorded: list[EntryRef] = []
        self._plans: PlanLibrary | None = None
        self._done = False

    @property
    def wrote(self) -> bool:
        """Whether this unit of work has written anything (flushed or pending)."""
        session = self._session
        return (
            bool(session.info.get("wrote"))  # flushed, or a core statement of a repository wrote
            or bool(session.new or session.deleted or session.dirty)
        )

    def plans(self) -> PlanLibrary:
        """The loaded plans (read once per unit of work, shared between requests)."""
        if self._plans is None:
            self._plans = plan_library(self._session)
        return self._plans

    def review_marks(self, periods: Mapping[int, str]) -> dict[int, ReviewMark]:
        """Indicator id -> the review of its value for the period given for it, and the files
        attached to its reports that count: two statements, none when nothing is asked."""
        if not periods:
            return {}
        ids = list(periods)
        one = set(periods.values())
        current = self.reviews.current(ids, next(iter(one)) if len(one) == 1 else None)
        files = self.evidence.counts_by_indicator(ids)
        marks = {}
        for indicator_id, period in periods.items():
            found = current.get((indicator_id, period))
            state, reason = (found.state, found.reason) if found else (ReviewMark().state, "")
            marks[indicator_id] = ReviewMark(state, reason, files.get(indicator_id, 0))
        return marks

    def marks_of_latest(self, latest: Mapping[int, Report]) -> dict[int, ReviewMark]:
        """The same for the values a card shows (`figures.latest`), whose review came with them:
        one statement, for the files."""
        if not latest:
            return {}
        files = self.evidence.counts_by_indicator(list(latest))
        return {
            indicator_id: ReviewMark(
                ReviewState(report.review), report.reason, files.get(indicator_id, 0)
            )
            for indicator_id, report in latest.items()
        }

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the request that may fail alone: on an error only its own writes are taken
        back, and the error goes on to the caller."""
        with self._session.begin_nested():
            yield

    def commit(self) -> None:
        self._session.commit()
        self._session.info.pop("wrote", None)
        self._done = True

    def rollback(self) -> None:
        self._session.rollback()
        self.recorded.clear()
        self._session.info.pop("wrote", None)

    def close(self) -> None:
        if not self._done:
            self._session.rollback()
        self._session.close()

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if kind is None and not self._done and self.wrote:
                self.commit()  # a read-only request commits nothing
            elif kind is not None:
                self.rollback()
        finally:
            self.close()
