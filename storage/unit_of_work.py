"""One unit of work per request: one session, one transaction, committed once at the end and
rolled back on any error, so a write, its permission check and its update claim stand or fall
together. Repositories hang off it; callers never build queries."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import event
from sqlalchemy.orm import Session

from plan_data.figures import Report
from plan_data.review import ReviewMark, ReviewState
from storage.db.database import Database
from storage.repositories.evidence import EntryRef, EvidenceRepository
from storage.repositories.figures import FiguresRepository
from storage.repositories.flows import FlowsRepository
from storage.repositories.plans import PlanLibrary, plan_library
from storage.repositories.reviews import ReviewsRepository


class UnitOfWork:
    def __init__(self, db: Database | None = None, *, session: Session | None = None) -> None:
        """A new unit of work on `db`; or one over a session someone else commits (`session`),
        for the command line and tests that already hold one."""
        if session is None:
            assert db is not None
            session = db.new_session()
        self.session: Session = session
        self.figures = FiguresRepository(self.session)
        self.evidence = EvidenceRepository(self.session)
        self.reviews = ReviewsRepository(self.session)
        self.flows = FlowsRepository(self.session)
        # The entries this unit of work recorded, in order (a file sent with the command is
        # attached to the last one).
        self.recorded: list[EntryRef] = []
        self._plans: PlanLibrary | None = None
        self._done = False
        self._flushed = False
        event.listen(self.session, "after_flush", self._note_flush)

    def _note_flush(self, *_args: object) -> None:
        self._flushed = True

    @property
    def wrote(self) -> bool:
        """Whether this unit of work has written anything (flushed or pending)."""
        session = self.session
        return (
            self._flushed
            or bool(session.info.get("wrote"))  # a core statement of a repository wrote
            or bool(session.new or session.deleted or session.dirty)
        )

    def plans(self) -> PlanLibrary:
        """The loaded plans (read once per unit of work, shared between requests)."""
        if self._plans is None:
            self._plans = plan_library(self.session)
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
            indicator_id: ReviewMark(ReviewState(report.review), report.reason,
                                     files.get(indicator_id, 0))
            for indicator_id, report in latest.items()
        }  # fmt: skip

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the request that may fail alone: on an error only its own writes are taken
        back, and the error goes on to the caller."""
        with self.session.begin_nested():
            yield

    def commit(self) -> None:
        self.session.commit()
        self.session.info.pop("wrote", None)
        self._done = True

    def rollback(self) -> None:
        self.session.rollback()
        self.recorded.clear()
        self._flushed = False
        self.session.info.pop("wrote", None)

    def close(self) -> None:
        if not self._done:
            self.session.rollback()
        self.session.close()

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
