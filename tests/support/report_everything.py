"""A year in which every indicator of FY2564 is reported for 2564-Q4, as the quarterly report's
longest case (the Q4 report at 15 October 2021): each value on or past its target except every
fifth, which is half of it (behind); spending on every project with a budget (85 % of it, a few
at 40 %), a reporter's note on every tenth value, and three values returned with a reason by a
reviewer who did not report them.

Used by tests/handlers/test_report_layout.py and by bench/report_pages.py (the page counts).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from handlers.context import Services
from plan_data.fiscal import BANGKOK
from plan_data.review import ReviewState
from storage.services.review import review
from storage.unit_of_work import UnitOfWork
from tests.support.entries import add_spending, add_value

Q4_AT = datetime(2021, 10, 15, 9, 0, tzinfo=BANGKOK)
PERIOD = "2564-Q4"
REPORTER, REVIEWER = "7101", "7102"
RETURNED = (("STR111/64", 2), ("SME111_1/64", 1), ("REV121/64", 1))
REASON = "ขอเอกสารประกอบผลการดำเนินงานเพิ่มเติม"


def report_everything(services: Services, period: str = PERIOD) -> None:
    at = datetime(2021, 10, 5, 10, 0, tzinfo=BANGKOK)
    with UnitOfWork(services.db) as uow:
        plan = uow.plans().current(at.date())
        reporter = uow.people.add("telegram", REPORTER, "planner", "planning", "Malee")
        uow.people.add("telegram", REVIEWER, "admin", None, "Preecha")
    assert plan is not None
    with services.db.session() as session:
        count = 0
        for project in plan.projects:
            budget = (project.budget_gov or Decimal(0)) + (project.budget_own or Decimal(0))
            if budget and not plan.children(project):
                share = Decimal("0.40") if project.id % 7 == 0 else Decimal("0.85")
                add_spending(
                    session,
                    code=project.code,
                    amount=(budget * share).quantize(1),
                    period=period,
                    person_id=reporter.id,
                    at=at,
                )
            for indicator in project.indicators:
                count += 1
                target = indicator.target if indicator.target is not None else Decimal(1)
                value = target / 2 if count % 5 == 0 else target
                if indicator.direction == "at_most":
                    value = target * 2 if count % 5 == 0 else target
                note = "ดำเนินการครบตามแผน" if count % 10 == 0 else ""
                add_value(
                    session,
                    code=project.code,
                    seq=indicator.seq,
                    value=value,
                    period=period,
                    person_id=reporter.id,
                    note=note,
                    at=at,
                )
        session.commit()
    from tests.support.reviews import report_id

    with UnitOfWork(services.db) as uow:
        judge = uow.people.find("telegram", REVIEWER)
    assert judge is not None
    for code, seq in RETURNED:
        with UnitOfWork(services.db) as uow:
            review(
                uow,
                judge,
                report_id(uow, code, seq, period),
                ReviewState.RETURNED,
                reason=REASON,
                at=at,
            )
