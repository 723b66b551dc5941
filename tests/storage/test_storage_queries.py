"""The queries the bot asks, on SQLite and PostgreSQL: forgiving code lookup, word search,
a project's status (a parent rolls up its children) and budget roll-ups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from plan_data import DEFAULT_PLAN, codes
from plan_data.figures import Figures
from plan_data.model import Plan
from plan_data.rollup import BudgetLine, division_lines, plan_lines, strategy_lines
from storage.db.database import Database
from storage.plan_io.loader import load_plan_file
from storage.repositories.figures import FiguresRepository
from storage.repositories.plans import plan_library
from storage.services import reporting as services
from storage.unit_of_work import UnitOfWork
from tests.support.entries import add_spending, add_value
from tests.support.project_status import project_status


def _current(session: Session) -> tuple[Plan, Figures]:
    library = plan_library(session)
    return library.plans[max(library.years)], FiguresRepository(session).for_money()


def plan_budget(session: Session) -> list[BudgetLine]:
    return plan_lines(*_current(session))


def strategy_budget(session: Session, number: int) -> list[BudgetLine] | None:
    plan, figures = _current(session)
    return strategy_lines(plan, number, figures)


def division_budget(session: Session, key: str) -> list[BudgetLine] | None:
    plan, figures = _current(session)
    return division_lines(plan, key, figures)


class lookup:
    CodeLookup = codes.CodeLookup

    @staticmethod
    def resolve_code(session: Session, typed: str) -> codes.CodeLookup:
        library = plan_library(session)
        return codes.resolve_code(typed, library.codes(), max(library.years))

    @staticmethod
    def search_projects(session: Session, words: str) -> list:
        library = plan_library(session)
        return codes.search_projects([library.plans[y] for y in library.years], words)


@pytest.fixture
def session(any_url: str) -> Iterator[Session]:
    db = Database(any_url)
    assert load_plan_file(db, DEFAULT_PLAN).written
    with db.session() as session:
        yield session
    db.dispose()


def _spend(session: Session, code: str, baht: str) -> None:
    add_spending(
        session,
        code=code,
        amount=Decimal(baht),
        period="2564-Q1",
        person_id=None,
        channel="console",
    )


def _lines(lines: list[BudgetLine] | None) -> dict[str, tuple[Decimal | None, ...]]:
    assert lines is not None
    return {
        line.key: (line.budget.allocated_gov, line.budget.allocated_own, line.budget.spent)
        for line in lines
    }


TYPED = [
    "STR114/64",
    "str114/64",
    "STR114",
    "STR 114/64",
    "str 114 / 64",
    "STR๑๑๔/๖๔",
    "STR114/2564",
]


def test_forgiving_code_lookup(session: Session) -> None:
    found = {typed: lookup.resolve_code(session, typed) for typed in TYPED}
    assert found == {typed: lookup.CodeLookup("STR114/64") for typed in TYPED}


def test_sub_activity_and_other_year_codes_are_found(session: Session) -> None:
    assert lookup.resolve_code(session, "sme111_2").code == "SME111_2/64"
    assert lookup.resolve_code(session, "HRD111").code == "HRD111/63"


def test_a_code_that_does_not_exist_gets_the_nearest(session: Session) -> None:
    assert lookup.resolve_code(session, "STR119/64") == lookup.CodeLookup(
        None, ("STR115/64", "STR114/64", "STR113/64")
    )
    assert lookup.resolve_code(session, "SME111_3/64").suggestions == (
        "SME111_2/64",
        "SME111_4/64",
        "SME111_1/64",
    )
    assert lookup.resolve_code(session, "STR141/64").suggestions[0] == "STR114/64"
    assert lookup.resolve_code(session, "XYZ").suggestions == ()


def test_search_by_thai_or_english_words(session: Session) -> None:
    def codes(words: str) -> list[str]:
        return [hit.code for hit in lookup.search_projects(session, words)]

    assert codes("symposium") == ["STR114/64"]
    assert codes("Mobile Lab") == codes("mobile lab") == ["SME111_7/64"]
    assert codes("ตรวจสอบ อัญมณี") == ["STR111/64"]
    assert codes("พิพิธภัณฑ์") == ["STR122/64"]
    assert codes("ไม่มีคำนี้เลย") == []
    assert len(codes("อัญมณี")) == 10  # at most a page of hits


def test_parent_status_rolls_up_its_children(session: Session) -> None:
    _spend(session, "SME111_2/64", "100000")
    _spend(session, "SME111_5/64", "250000.25")
    _spend(session, "SME111/64", "1000")
    parent = project_status(session, "SME111/64")
    child = project_status(session, "SME111_2/64")
    assert parent is not None and child is not None
    assert parent.budget.allocated_gov == Decimal("10312100")
    assert parent.budget.spent == Decimal("351000.25")
    assert parent.budget.remaining == Decimal("9961099.75")
    assert parent.budget.percent_spent == Decimal("3.4")
    assert (child.budget.spent, child.budget.remaining) == (Decimal(100000), Decimal(400000))


def test_status_shows_each_indicator_s_latest_value(session: Session) -> None:
    for value in ("10000", "12000"):
        add_value(
            session,
            code="STR111/64",
            seq=3,
            value=Decimal(value),
            period="2564-Q1",
            person_id=None,
            channel="console",
        )
    card = project_status(session, "STR111/64")
    assert card is not None
    latest = card.indicators[2].latest
    assert latest is not None and (latest.value, latest.period) == (Decimal(12000), "2564-Q1")
    assert card.indicators[2].progress_percent == Decimal("56.6")  # of 21,200 samples
    assert card.indicators[0].latest is None


def test_budget_for_the_whole_plan(session: Session) -> None:
    _spend(session, "STR111/64", "500000")
    _spend(session, "SEC113_1/64", "300000")
    lines = _lines(plan_budget(session))
    assert list(lines) == ["S1", "S2", "S3", "S4", "S5", "S6", "recurring", "total"]
    assert lines["S1"] == (Decimal("9160600"), None, Decimal(500000))
    assert lines["S5"] == (Decimal("21314300"), None, Decimal(300000))
    assert lines["S6"][:2] == (Decimal("200000"), Decimal("4860000"))
    assert lines["recurring"][:2] == (Decimal("48380500"), Decimal("15190000"))
    assert lines["total"] == (Decimal("139364100"), Decimal("20050000"), Decimal(800000))


def test_budget_by_strategy_lists_its_tactics(session: Session) -> None:
    _spend(session, "SME111_6/64", "2112.10")
    lines = _lines(strategy_budget(session, 3))
    assert lines == {
        "3.1": (Decimal("24088100"), None, Decimal("2112.10")),
        "3.2": (Decimal("1200000"), None, Decimal(0)),
        "S3": (Decimal("25288100"), None, Decimal("2112.10")),
    }
    assert strategy_budget(session, 9) is None


def test_budget_by_division_includes_sub_activities_it_alone_runs(session: Session) -> None:
    _spend(session, "SME111_2/64", "40000")
    lines = _lines(division_budget(session, "business"))
    assert list(lines) == [
        "SME111_2/64",
        "SME111_7/64",
        "SEC111_2/64",
        "BAS132/64",
        "BAS131/64",
        "SEC113/64",
        "business",
    ]
    assert lines["SME111_2/64"] == (Decimal(500000), None, Decimal(40000))
    assert lines["SEC113/64"][0] == Decimal("19314300")  # the parent, its children inside
    assert lines["business"] == (Decimal("26514300"), None, Decimal(40000))


def test_budget_by_division_counts_a_parent_once(session: Session) -> None:
    _spend(session, "SME111_1/64", "70000")
    lines = _lines(division_budget(session, "planning"))
    assert list(lines) == ["SME111/64", "SEC111/64", "BAS121/64", "planning"]
    assert lines["SME111/64"] == (Decimal("10312100"), None, Decimal(70000))
    assert lines["planning"] == (Decimal("17239100"), None, Decimal(70000))
    assert division_budget(session, "nobody") is None


def test_an_undone_report_no_longer_counts_as_the_latest(session: Session) -> None:
    uow = UnitOfWork(session=session)
    person = uow.people.add("console", "7", "member", "gem_testing", "Malee")
    for value in ("20000", "21000"):
        add_value(
            session,
            code="STR111/64",
            seq=3,
            value=Decimal(value),
            period="2564-Q1",
            person_id=person.id,
            channel="console",
        )
    undone = services.undo_last(uow, person, channel="console", at=datetime.now(UTC))
    assert undone is not None and undone.value == Decimal(21000)
    card = project_status(session, "STR111/64")
    assert card is not None
    latest = card.indicators[2].latest
    assert latest is not None
    assert (latest.value, latest.by) == (Decimal(20000), "Malee")
