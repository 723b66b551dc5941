"""Reloading: the same file changes nothing; a corrected plan keeps reports and spending on
their codes; a project taken out of the plan is retired, never deleted."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from plan_data import DEFAULT_PLAN
from storage.db.database import Database
from storage.db.models import Project
from storage.plan_io.loader import load_plan_file
from storage.repositories.plans import plan_library
from tests.support.entries import add_spending, add_value
from tests.support.plan_support import dump, find_project, shipped_plan, write_yaml
from tests.support.project_status import project_status


def _report_and_spend(db: Database) -> None:
    with db.session() as session:
        add_value(
            session,
            code="STR111/64",
            seq=3,
            value=Decimal(5000),
            period="2564-Q1",
            person_id=None,
            channel="console",
        )
        add_spending(
            session,
            code="STR111/64",
            amount=Decimal("1250000.50"),
            period="2564-Q1",
            person_id=None,
            channel="console",
        )
        add_spending(
            session,
            code="SME111_2/64",
            amount=Decimal(100000),
            period="2564-Q1",
            person_id=None,
            channel="console",
        )


def test_loading_the_same_file_twice_changes_no_row(loaded: Database) -> None:
    _report_and_spend(loaded)
    before = dump(loaded)
    result = load_plan_file(loaded, DEFAULT_PLAN)
    assert result.written
    assert dump(loaded) == before


def test_a_corrected_plan_keeps_reports_and_spending_on_their_codes(
    loaded: Database, tmp_path: Path
) -> None:
    _report_and_spend(loaded)
    data = shipped_plan()
    str111 = find_project(data, "STR111/64")
    str111["budget_gov"] = "5.4000"
    str111["name_en"] = "Gem and jewellery analysis and testing (corrected)"
    # A new outcome indicator moves the outputs down: the report must follow its indicator.
    str111["indicators"].insert(
        2,
        {
            "kind": "outcome",
            "number": 3,
            "text": "ตัวชี้วัดใหม่",
            "target": "10",
            "unit": "percent",
            "direction": "at_least",
            "tags": [],
        },
    )
    find_project(data, "SME111_2/64")["budget_gov"] = "0.6000"
    result = load_plan_file(loaded, write_yaml(tmp_path, data))
    assert result.written, result.validation.errors
    with loaded.session() as session:
        card = project_status(session, "STR111/64")
        parent = project_status(session, "SME111/64")
    assert card is not None and parent is not None
    assert card.budget.allocated_gov == Decimal("5400000")
    assert card.budget.spent == Decimal("1250000.50")
    assert card.name_en.endswith("(corrected)")
    by_seq = {i.seq: i for i in card.indicators}
    assert (by_seq[3].kind, by_seq[3].number, by_seq[3].latest) == ("outcome", 3, None)
    assert (by_seq[4].kind, by_seq[4].number) == ("output", 1)
    assert by_seq[4].latest is not None and by_seq[4].latest.value == Decimal(5000)
    # The parent rolls up the corrected child budget and the child's spending.
    assert parent.budget.allocated_gov == Decimal("10412100")
    assert parent.budget.spent == Decimal(100000)


def test_a_project_removed_from_the_plan_is_retired_not_deleted(
    loaded: Database, tmp_path: Path
) -> None:
    _report_and_spend(loaded)
    with loaded.session() as session:
        old_id = session.scalar(select(Project.id).where(Project.code == "STR111/64"))
    data = shipped_plan()
    tactic = data["strategies"][0]["tactics"][0]
    tactic["projects"] = [p for p in tactic["projects"] if p["code"] != "STR111/64"]
    assert load_plan_file(loaded, write_yaml(tmp_path, data, "without.yaml")).written
    with loaded.session() as session:
        row = session.scalar(select(Project).where(Project.code == "STR111/64"))
        assert row is not None and row.retired and row.id == old_id
        assert project_status(session, "STR111/64") is None
        assert "STR111/64" not in plan_library(session).codes()
    tables = dump(loaded)
    assert len(tables["spending_entries"]) == 2 and len(tables["indicator_reports"]) == 1
    # Put back, it is the same row with its spending still attached.
    assert load_plan_file(loaded, DEFAULT_PLAN).written
    with loaded.session() as session:
        card = project_status(session, "STR111/64")
        new_id = session.scalar(select(Project.id).where(Project.code == "STR111/64"))
    assert new_id == old_id
    assert card is not None and card.budget.spent == Decimal("1250000.50")
    assert card.indicators[2].latest is not None


def test_removing_an_indicator_retires_it_and_renumbers_the_rest(
    loaded: Database, tmp_path: Path
) -> None:
    data = shipped_plan()
    str114 = find_project(data, "STR114/64")
    str114["indicators"] = [i for i in str114["indicators"] if i["kind"] != "outcome"]
    assert load_plan_file(loaded, write_yaml(tmp_path, data)).written
    with loaded.session() as session:
        card = project_status(session, "STR114/64")
    assert card is not None
    assert [(i.seq, i.kind, i.number) for i in card.indicators] == [
        (1, "output", 1),
        (2, "output", 2),
    ]


def test_a_reload_moves_aliases_and_the_planning_flag(loaded: Database, tmp_path: Path) -> None:
    data = shipped_plan()
    for division in data["divisions"]:
        if division["key"] == "research":
            division["aliases"] = ["อาร์แอนด์ดี"]
        if division["key"] == "training":
            division["plans"] = True
        if division["key"] == "planning":
            del division["plans"]
    assert load_plan_file(loaded, write_yaml(tmp_path, data)).written
    with loaded.session() as session:
        library = plan_library(session)
    research, training = library.division_by_alias("อาร์แอนด์ดี"), library.planning_division()
    assert research is not None and research.key == "research"
    assert training is not None and training.key == "training"
    assert [d.key for d in library.divisions if d.plans] == ["training"]


def test_a_division_left_out_of_the_file_keeps_its_aliases_and_its_flag_moves(
    loaded: Database, tmp_path: Path
) -> None:
    data = shipped_plan()
    data["fiscal_year"] = 2565
    data["strategies"], data["recurring"] = [], None
    data["divisions"] = [
        {"key": "office", "name_th": "สำนักงาน", "name_en": "Office", "plans": True},
    ]
    before = dump(loaded)
    taken = {**data["divisions"][0], "aliases": ["ไอที"]}
    result = load_plan_file(loaded, write_yaml(tmp_path, {**data, "divisions": [taken]}))
    assert not result.written
    assert [str(p).split(": ", 2)[2] for p in result.validation.errors] == [
        "division office, field 'aliases': "
        "'ไอที' is also an alias of division it (in the database, not in this file)"
    ]
    assert dump(loaded) == before
    assert load_plan_file(loaded, write_yaml(tmp_path, data)).written
    with loaded.session() as session:
        library = plan_library(session)
    it, office = library.division_by_alias("ไอที"), library.planning_division()
    assert it is not None and it.key == "it"  # not in the file: kept as it was
    assert office is not None and office.key == "office"
    assert [d.key for d in library.divisions if d.plans] == ["office"]
