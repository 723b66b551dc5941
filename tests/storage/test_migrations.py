"""Upgrading a database made by an older planbot: the schema moves and what the code used to
hold as constants is filled in, so the upgraded bot behaves as before (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select, text

from storage.db.database import Database
from storage.db.models import Division
from storage.repositories.plans import plan_library

DIVISIONS_0008 = [
    ("research", "ฝ่ายวิจัยและพัฒนา", "Research and Development Division"),
    ("pr", "ฝ่ายประชาสัมพันธ์", "Public Relations Division"),
    ("planning", "ฝ่ายนโยบายและแผน", "Policy and Planning Division"),
    ("it", "ฝ่ายเทคโนโลยีสารสนเทศ", "Information Technology Division"),
    ("legal", "งานกฎหมาย", "Legal Affairs Unit"),
    ("internal_audit", "ตรวจสอบภายใน", "Internal Audit Unit"),
]


def test_0009_gives_an_older_database_the_aliases_and_the_planning_division(
    any_url: str,
) -> None:
    db = Database(any_url, migrate=False)
    db.migrate(to="0008")
    with db.engine.begin() as connection:
        for key, name_th, name_en in DIVISIONS_0008:
            connection.execute(
                text("INSERT INTO divisions (key, name_th, name_en) VALUES (:key, :th, :en)"),
                {"key": key, "th": name_th, "en": name_en},
            )
    db.migrate()
    with db.session() as session:
        rows = {d.key: (d.aliases, d.plans) for d in session.scalars(select(Division))}
        library = plan_library(session)
    assert rows == {
        "research": ([], False),
        "pr": (["พีอาร์"], False),
        "planning": ([], True),
        "it": (["ไอที"], False),
        "legal": (["กฎหมาย"], False),
        "internal_audit": (["ตรวจสอบภายใน"], False),
    }
    found = library.division_by_alias("ไอที")
    planning = library.planning_division()
    assert found is not None and found.key == "it"
    assert planning is not None and planning.key == "planning"
    db.dispose()


def test_0009_on_a_database_without_divisions_changes_no_row(any_url: str) -> None:
    db = Database(any_url, migrate=False)
    db.migrate(to="0008")
    db.migrate()
    with db.session() as session:
        assert list(session.scalars(select(Division))) == []
        assert plan_library(session).planning_division() is None
    db.dispose()
