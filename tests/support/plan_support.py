"""Helpers for the plan and storage tests: plan files made to order and a full dump of the
database, so "nothing changed" is checked row by row, ids included."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from plan_data import DEFAULT_PLAN
from storage.db.database import Database
from storage.db.models import Base

PLAN_TABLES = (
    "fiscal_years",
    "divisions",
    "strategies",
    "tactics",
    "projects",
    "project_divisions",
    "indicators",
    "indicator_reports",
    "spending_entries",
)


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every plan table (and the entries hanging off it), ordered by key."""
    result = {}
    with db.engine.connect() as connection:
        for name in PLAN_TABLES:
            table = Base.metadata.tables[name]
            rows = connection.execute(select(table).order_by(*table.primary_key.columns))
            result[name] = [tuple(row) for row in rows]
    return result


@cache
def _shipped() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PLAN.read_text(encoding="utf-8"))


def shipped_plan() -> dict[str, Any]:
    """A fresh copy of the shipped FY2564 plan as plain data, to change and write out."""
    return copy.deepcopy(_shipped())


def write_yaml(directory: Path, data: Any, name: str = "plan.yaml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def find_project(data: dict[str, Any], code: str) -> dict[str, Any]:
    """The record of `code` anywhere in a plan's data (strategies, children, recurring)."""

    def walk(projects: list[dict[str, Any]]) -> dict[str, Any] | None:
        for project in projects:
            if project["code"] == code:
                return project
            found = walk(project.get("children") or [])
            if found is not None:
                return found
        return None

    groups = [t["projects"] for s in data["strategies"] for t in s["tactics"]]
    groups.append(data["recurring"]["projects"])
    for projects in groups:
        found = walk(projects)
        if found is not None:
            return found
    raise KeyError(code)


def project(code: str, gov: str | None, own: str | None = None, **extra: Any) -> dict[str, Any]:
    """A minimal valid project record."""
    return {
        "code": code,
        "name_th": f"โครงการ {code}",
        "budget_gov": gov,
        "budget_own": own,
        "divisions": ["planning"],
        "indicators": [],
        **extra,
    }


def small_plan(
    *,
    strategy_total: dict[str, str | None] | None = None,
    tactic_total: dict[str, str | None] | None = None,
    recurring_total: dict[str, str | None] | None = None,
) -> dict[str, Any]:
    """One strategy with one tactic of two projects (one a parent of two sub-activities), and
    one recurring item: gov 1.5000 + 2.2500 (0.2500 + 2.0000), own 0.5000; recurring own 3.0000."""
    return {
        "fiscal_year": 2565,
        "divisions": [{"key": "planning", "name_th": "ฝ่ายนโยบายและแผน", "name_en": "Planning"}],
        "strategies": [
            {
                "number": 1,
                "name_th": "ยุทธศาสตร์ทดสอบ",
                "declared_total": strategy_total,
                "tactics": [
                    {
                        "number": "1.1",
                        "name_th": "กลยุทธ์ทดสอบ",
                        "declared_total": tactic_total,
                        "projects": [
                            project("AAA111/65", "1.5000", "0.5000"),
                            project(
                                "AAA112/65",
                                None,
                                children=[
                                    project("AAA112_1/65", "0.2500"),
                                    project("AAA112_2/65", "2.0000"),
                                ],
                            ),
                        ],
                    }
                ],
            }
        ],
        "recurring": {
            "name_th": "ค่าใช้จ่ายประจำพื้นฐาน",
            "declared_total": recurring_total,
            "projects": [project("REV111/65", None, "3.0000")],
        },
    }
