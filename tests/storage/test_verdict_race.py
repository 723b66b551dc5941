"""One verdict per report, held by the database: two planners on two instances (two engines on
one database) judging the same report at the same moment, on a SQLite file and on PostgreSQL,
over several trials. Exactly one verdict row stands; the other planner is told who judged."""

from __future__ import annotations

import threading
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from plan_data.errors import Refusal
from plan_data.fiscal import BANGKOK
from plan_data.review import ReviewState
from storage.db.database import Database
from storage.db.models import ReportReview
from storage.repositories import people
from storage.services import reporting
from storage.services.review import review
from storage.unit_of_work import UnitOfWork

AT = datetime(2021, 1, 11, 9, 0, tzinfo=BANGKOK)
TRIALS = 5


def _person(db: Database, user: str, role: str, division: str, name: str) -> people.PersonView:
    with UnitOfWork(db) as uow:
        uow.people.add("telegram", user, role, division, name)
    with UnitOfWork(db) as uow:
        found = uow.people.find("telegram", user)
    assert found is not None
    return found


def test_two_planners_at_once_leave_one_verdict(loaded: Database) -> None:
    head = _person(loaded, "1", "head", "research", "Somchai")
    planners = [
        _person(loaded, "2", "planner", "planning", "Malee"),
        _person(loaded, "3", "planner", "planning", "Wichai"),
    ]
    other = Database(loaded.url, migrate=False)  # a second instance
    try:
        for trial in range(1, TRIALS + 1):
            with UnitOfWork(loaded) as uow:
                done = reporting.record_value(
                    uow,
                    head,
                    code="STR114/64",
                    seq=2,
                    value=Decimal(100 + trial),
                    channel="telegram",
                    at=AT,
                )
            start = threading.Barrier(2)
            outcomes: list[str] = []

            def judge(
                db: Database,
                planner: people.PersonView,
                state: ReviewState,
                start: threading.Barrier = start,
                report_id: int = done.report_id,
                outcomes: list[str] = outcomes,
            ) -> None:
                start.wait()
                try:
                    with UnitOfWork(db) as uow:
                        review(uow, planner, report_id, state, reason="ขอหลักฐาน", at=AT)
                    outcomes.append("judged")
                except Refusal as refusal:
                    outcomes.append(f"{refusal.key}:{refusal.values['by']}")

            states = (
                ReviewState.VERIFIED,
                ReviewState.RETURNED if trial % 2 else ReviewState.VERIFIED,
            )
            threads = [
                threading.Thread(target=judge, args=(db, p, s))
                for db, p, s in zip((loaded, other), planners, states, strict=True)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            with loaded.session() as session:
                verdicts = session.scalar(
                    select(func.count())
                    .select_from(ReportReview)
                    .where(ReportReview.report_id == done.report_id)
                )
            assert verdicts == 1, outcomes
            assert outcomes.count("judged") == 1, outcomes
            [lost] = [o for o in outcomes if o != "judged"]
            assert lost.startswith("review_already_") and lost.split(":")[1] in ("Malee", "Wichai")
    finally:
        other.dispose()
