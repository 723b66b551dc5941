"""The plan as JSON for other tools: one flat list of projects with their indicators."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from storage.plan_io.document import PlanDoc


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}"


def plan_to_json(plan: PlanDoc) -> dict[str, Any]:
    names = {d.key: d for d in plan.divisions}
    projects = []
    for project, parent, strategy, tactic in plan.all_projects():
        projects.append(
            {
                "code": project.code,
                "name": project.name_th,
                "name_en": project.name_en,
                "parent": parent.code if parent else None,
                "strategy": strategy,
                "tactic": tactic,
                "divisions": [
                    {"key": key, "name": names[key].name_th, "name_en": names[key].name_en}
                    for key in project.divisions
                    if key in names
                ],
                "budget_gov": _money(project.budget_gov),
                "budget_own": _money(project.budget_own),
                "activities": list(project.activities),
                "indicators": [
                    {
                        "number": i.number,
                        "kind": i.kind,
                        "text": i.text,
                        "target": None if i.target is None else str(i.target),
                        "unit": i.unit,
                        "direction": i.direction,
                        "tags": list(i.tags),
                    }
                    for i in project.indicators
                ],
                "notes": list(project.notes),
            }
        )
    divisions = [
        {
            "key": d.key,
            "name": d.name_th,
            "name_en": d.name_en,
            "aliases": list(d.aliases),
            "plans": d.plans,
        }
        for d in plan.divisions
    ]
    return {"fiscal_year": plan.fiscal_year, "divisions": divisions, "projects": projects}
