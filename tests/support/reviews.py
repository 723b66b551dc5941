"""Reviews and evidence as test set-up, through the write services: a planner (or admin) who did
not report verifies or returns the report under review, and the reporter attaches files.

`review_scenario` adds to tests/support/planning_scenario.py (reported by its planner, Malee):
an admin (Preecha) verifies STR111/64 indicator 1 and STR114/64 indicator 1, returns STR111/64
indicator 2 with RETURN_REASON, and Malee attaches two files to STR114/64 indicator 2 and one
to STR111/64 indicator 1. STR111/64 indicators 3 and 4 and STR114/64 indicator 2 wait.
"""

from __future__ import annotations

from datetime import datetime

from handlers.context import Services
from plan_data.evidence import IncomingFile
from plan_data.fiscal import BANGKOK
from plan_data.review import ReviewState
from storage.repositories import people
from storage.repositories.evidence import EntryRef
from storage.services import evidence
from storage.services.review import review
from storage.unit_of_work import UnitOfWork

AT = datetime(2021, 1, 10, 15, 0, tzinfo=BANGKOK)
PNG = b"\x89PNG\r\n\x1a\n" + b"picture" * 50
PDF = b"%PDF-1.4\n" + b"minutes" * 50
RETURN_REASON = "ขอรายชื่อผู้เข้าร่วม <b>ทั้งหมด</b>"
REVIEWER = "7003"


def report_id(uow: UnitOfWork, code: str, seq: int, period: str = "2564-Q1") -> int:
    """The id of the report under review for indicator `seq` of `code` in `period`."""
    found = uow.plans().find(code)
    assert found is not None, code
    indicator = next(i for i in found[1].indicators if i.seq == seq)
    return uow.reviews.current([indicator.id], period)[(indicator.id, period)].report_id


def judge(
    services: Services,
    reviewer: people.PersonView,
    code: str,
    seq: int,
    state: ReviewState,
    reason: str = "",
) -> None:
    with UnitOfWork(services.db) as uow:
        review(uow, reviewer, report_id(uow, code, seq), state, reason=reason, at=AT)


def attach(
    services: Services,
    person: people.PersonView,
    code: str,
    seq: int,
    content: bytes,
    name: str,
    kind: str,
) -> None:
    with UnitOfWork(services.db) as uow:
        entry = EntryRef("value", report_id(uow, code, seq))
        evidence.attach(
            uow,
            person,
            IncomingFile(name, kind, len(content), content),
            entry,
            channel="telegram",
            at=AT,
            max_bytes=10_000,
        )


def reviewer(services: Services) -> people.PersonView:
    with UnitOfWork(services.db) as uow:
        person = uow.people.add("telegram", REVIEWER, "admin", None, "Preecha")
    return person


def review_scenario(services: Services) -> None:
    """Reviews and files on top of planning_scenario.fill (which must have run)."""
    from tests.support.planning_scenario import PLANNER

    admin = reviewer(services)
    with UnitOfWork(services.db) as uow:
        malee = uow.people.find("telegram", PLANNER)
    assert malee is not None
    judge(services, admin, "STR111/64", 1, ReviewState.VERIFIED)
    judge(services, admin, "STR114/64", 1, ReviewState.VERIFIED)
    judge(services, admin, "STR111/64", 2, ReviewState.RETURNED, RETURN_REASON)
    attach(services, malee, "STR114/64", 2, PNG, "photo.png", "image/png")
    attach(services, malee, "STR114/64", 2, PDF, "list.pdf", "application/pdf")
    attach(services, malee, "STR111/64", 1, PDF, "list.pdf", "application/pdf")
