"""A plan with known reports and spending, shared by the /summary, /chart and spreadsheet tests.

As of 11 Jan 2021 09:00 (the `services` clock) the period reported on is 2564-Q1 (Q2 has begun,
but Q1's reports are due until 15 Jan), 92/365 of the year has passed by Q1's end, and the
summary compares spending with Q1's cumulative disbursement target, 32 %.

    STR111/64 (S1, gem_testing, 5,315,000): spent 1,500,000 + 500,000 in Q1
      1. 95 % rate, reported 96            -> on track
      2. 85 % rate, reported 80            -> behind (a rate is not pro-rated)
      3. 21,200 samples, 4,000 then 6,000  -> on track (6,000 ≥ 21,200 × 92/365 = 5,343.6)
      4. 158 clients, reported 30          -> behind (30 < 39.8)
    STR112/64 (S1): indicator 1 reported 99, then undone -> not reported
    STR114/64 (S2, research, 5,000,000): spent 2,000,000
      1. milestone 100 %, reported 30      -> on track (30 ≥ 25.2)
      2. 150 people, reported 40           -> on track (40 ≥ 37.8)
      3. 150 people, reported 150 for Q2   -> not reported for Q1
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from handlers.context import Services
from plan_data.fiscal import BANGKOK
from storage.services import reporting as services_
from storage.unit_of_work import UnitOfWork
from tests.support.entries import add_spending, add_value
from tests.support.handler_helpers import register

PLANNER, MEMBER = "7001", "7002"


def moment(month: int, day: int, hour: int = 10) -> datetime:
    year = 2020 if month >= 10 else 2021
    return datetime(year, month, day, hour, 0, tzinfo=BANGKOK)


def fill(services: Services) -> None:
    planner = register(services, PLANNER, "planner", "planning", "Malee")
    pid = planner.id
    register(services, MEMBER, "member", "research", "Somchai")
    with services.db.session() as session:

        def value(code: str, seq: int, amount: str, at: datetime, period: str = "2564-Q1") -> None:
            add_value(
                session,
                code=code,
                seq=seq,
                value=Decimal(amount),
                period=period,
                person_id=pid,
                channel="telegram",
                at=at,
            )

        def spend(code: str, amount: str, at: datetime, note: str = "") -> None:
            add_spending(
                session,
                code=code,
                amount=Decimal(amount),
                period="2564-Q1",
                person_id=pid,
                channel="telegram",
                note=note,
                at=at,
            )

        spend("STR111/64", "1500000", moment(12, 1), "ค่าครุภัณฑ์")
        spend("STR111/64", "500000", moment(12, 15))
        spend("STR114/64", "2000000", moment(12, 20))
        value("STR111/64", 1, "96", moment(12, 2))
        value("STR111/64", 2, "80", moment(12, 3))
        value("STR111/64", 3, "4000", moment(12, 4))
        value("STR111/64", 3, "6000", moment(1, 5))
        value("STR111/64", 4, "30", moment(1, 6))
        value("STR114/64", 1, "30", moment(1, 7))
        value("STR114/64", 2, "40", moment(1, 8))
        value("STR114/64", 3, "150", moment(1, 9), period="2564-Q2")
        value("STR112/64", 1, "99", moment(1, 10))
    with UnitOfWork(services.db) as uow:
        undone = services_.undo_last(uow, planner, channel="telegram", at=moment(1, 11))
        assert undone is not None and undone.code == "STR112/64"
