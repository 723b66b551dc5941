"""Time: reports are accepted until the period's external due date, a closed fiscal year is
read-only, and every write — /undo included — carries the bot's clock."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Request
from plan_data.fiscal import BANGKOK
from storage.db.models import IndicatorReport, SpendingEntry
from tests.support.catalog import contains, matches, th
from tests.support.handler_helpers import register


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T10:00").replace(tzinfo=BANGKOK)


def say_at(services: Services, moment: datetime, text: str) -> str:
    [reply] = dispatch(Request("telegram", "7", "7", text=text, at=moment), services)
    return reply.text


def test_q4_is_accepted_until_its_external_due_date_then_the_year_is_closed(
    services: Services,
) -> None:
    register(services, "7", "member", "research", "Somchai")
    q4 = th("period_quarter", quarter=4, year=2564)
    recorded = say_at(services, at("2021-10-15"), "/update STR114/64 1 40")
    assert contains(recorded, "update_recorded", period=q4), recorded
    refused = say_at(services, at("2021-10-20"), "/update STR114/64 1 50")
    assert matches(refused, "year_closed", year=2564, date="15 ต.ค. 2564"), refused
    assert say_at(services, at("2021-10-20"), "/spend STR114/64 1000") == refused
    with services.db.session() as session:
        values = list(session.scalars(select(IndicatorReport.value)))
        spent = list(session.scalars(select(SpendingEntry.amount)))
    assert values == [Decimal(40)] and spent == []


def test_undo_carries_the_bots_clock(services: Services) -> None:
    register(services, "7", "member", "research", "Somchai")
    say_at(services, at("2021-01-11"), "/spend STR114/64 1000 Q1")
    say_at(services, at("2021-01-12"), "/undo")
    with services.db.session() as session:
        stamps = list(session.scalars(select(SpendingEntry.created_at).order_by(SpendingEntry.id)))
    assert [s.astimezone(BANGKOK).date().isoformat() for s in stamps] == [
        "2021-01-11",
        "2021-01-12",
    ]
