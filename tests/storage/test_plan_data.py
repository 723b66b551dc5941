"""The shipped FY2564 plan, loaded into SQLite and PostgreSQL, says what the seed table says."""

from __future__ import annotations

from decimal import Decimal

from plan_data import DEFAULT_PLAN
from storage.db.database import Database
from storage.plan_io.loader import read_plan_file
from storage.unit_of_work import UnitOfWork
from tests.support.project_status import ProjectStatus, project_status


def _status(db: Database, code: str) -> ProjectStatus:
    with db.session() as session:
        card = project_status(session, code)
    assert card is not None, code
    return card


def test_the_file_loads_with_exactly_the_seed_s_own_two_oddities() -> None:
    plan, check = read_plan_file(DEFAULT_PLAN)
    assert plan is not None
    assert len(list(plan.all_projects())) == 43
    warnings = [(w.record, w.field) for w in check.warnings]
    assert warnings == [
        ("project HRD111/63", "code"),
        ("recurring expenses", "declared_total.own"),
    ]
    recurring = check.warnings[1].message
    assert "own funds (เงินนอก) is 14.3400 million baht" in recurring
    assert "add up to 15.1900 million baht" in recurring
    assert "recurring expenses" in str(check.warnings[1])


def test_str111_budget_division_and_first_indicator(loaded: Database) -> None:
    card = _status(loaded, "STR111/64")
    assert card.name_th == "การวิเคราะห์ ตรวจสอบอัญมณีและเครื่องประดับ"
    assert card.budget.allocated_gov == Decimal("5315000")  # 5.3150 million baht
    assert card.budget.allocated_own is None
    assert [d.key for d in card.divisions] == ["gem_testing"]
    assert card.divisions[0].name_th == "ฝ่ายตรวจสอบอัญมณี"
    assert (card.strategy_number, card.tactic_number) == (1, "1.1")
    first = card.indicators[0]
    assert (first.seq, first.kind, first.number) == (1, "outcome", 1)
    assert (first.target, first.unit, first.direction, first.tags) == (
        Decimal(95),
        "percent",
        "at_least",
        ("สงป.",),
    )
    assert "Turnaround time 5 วัน" in first.text


def test_str114_targets(loaded: Database) -> None:
    card = _status(loaded, "STR114/64")
    assert card.budget.allocated_gov == Decimal("5000000")
    assert [d.key for d in card.divisions] == ["research"]
    assert [(i.kind, i.number, i.target, i.unit) for i in card.indicators] == [
        ("outcome", 1, Decimal(100), "percent"),
        ("output", 1, Decimal(150), "คน"),
        ("output", 2, Decimal(150), "คน"),
    ]


def test_sme111_is_a_parent_of_its_sub_activities(loaded: Database) -> None:
    card = _status(loaded, "SME111/64")
    # The seed has no SME111_3/64: its activities 3 to 6 carry _4 to _7.
    assert card.child_codes == (
        "SME111_1/64",
        "SME111_2/64",
        "SME111_4/64",
        "SME111_5/64",
        "SME111_6/64",
        "SME111_7/64",
    )
    # No figure on the parent row: 4.0000 + 0.5000 + 0.2000 + 2.5000 + 2.1121 + 1.0000
    assert card.budget.allocated_gov == Decimal("10312100")
    child = _status(loaded, "SME111_2/64")
    assert child.parent_code == "SME111/64"
    assert child.budget.allocated_gov == Decimal("500000")
    assert [d.key for d in child.divisions] == ["business"]


def test_sec113_children_and_their_budgets(loaded: Database) -> None:
    card = _status(loaded, "SEC113/64")
    assert card.child_codes == ("SEC113_1/64", "SEC113_2/64", "SEC113_3/64", "SEC113_4/64")
    assert card.budget.allocated_gov == Decimal("19314300")  # 13.3070+3.2500+2.0073+0.7500
    assert _status(loaded, "SEC113_1/64").budget.allocated_gov == Decimal("13307000")
    assert card.strategy_number == 5


def test_recurring_items_keep_their_seed_codes_and_own_funds(loaded: Database) -> None:
    hrd = _status(loaded, "HRD111/63")  # the seed's own suffix, kept as printed
    assert hrd.budget.allocated_gov == Decimal("41345400")
    assert hrd.strategy_number is None
    assert [d.key for d in hrd.divisions] == ["admin"]
    rev = _status(loaded, "REV112/64")
    assert (rev.budget.allocated_gov, rev.budget.allocated_own) == (None, Decimal("3573000"))
    # The row runs on after a page break: output 2 and 3 are further down the seed.
    assert [(i.kind, i.number, i.target, i.unit, i.direction) for i in rev.indicators] == [
        ("outcome", 1, Decimal(80), "percent", "at_least"),
        ("output", 1, Decimal(81), "คน", "milestone"),
        ("output", 2, Decimal(100), "percent", "milestone"),
        ("output", 3, Decimal(5), "percent", "at_most"),  # turnover: lower is better
    ]


def test_the_database_gives_back_the_file_s_plan(loaded: Database) -> None:
    from_file, _check = read_plan_file(DEFAULT_PLAN)
    with UnitOfWork(loaded) as uow:
        from_db = uow.plan_store.read(2564)
    assert from_db == from_file
    assert from_db is not None and {d.key: d for d in from_db.divisions}["it"].aliases == ("ไอที",)
