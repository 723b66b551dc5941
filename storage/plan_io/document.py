"""The plan as a validated document, independent of where it came from (YAML or a spreadsheet).

Validation collects every problem before anything is written, naming the file, the record and
the field, so the planning division can fix a whole file in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from plan_data.codes import is_code
from plan_data.model import folded
from plan_data.money import rolled_up
from plan_data.validation import Problem, Validation, read_decimal
from storage.plan_io.records import (
    DIRECTIONS,
    DIVISION_KEY_PATTERN,
    KINDS,
    DivisionDoc,
    IndicatorDoc,
    PlanDoc,
    ProjectDoc,
    RecurringDoc,
    StrategyDoc,
    TacticDoc,
    Total,
)

__all__ = [
    "DIRECTIONS",
    "KINDS",
    "DivisionDoc",
    "IndicatorDoc",
    "PlanDoc",
    "Problem",
    "ProjectDoc",
    "RecurringDoc",
    "StrategyDoc",
    "TacticDoc",
    "Total",
    "Validation",
    "check_declared_totals",
    "check_division_names",
    "parse_plan",
    "project_allocation",
    "read_decimal",
]


class _Reader:
    """Reads one mapping of the file, reporting a missing field or a wrong type by name."""

    def __init__(self, check: Validation, record: str, data: Any, allowed: set[str]) -> None:
        self.check, self.record = check, record
        self.ok = isinstance(data, dict)
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        if not self.ok:
            check.error(record, "", f"expected a mapping of fields, got {type(data).__name__}")
        for key in self.data:
            if key not in allowed:
                check.error(record, str(key), "unknown field (a typo?)")

    def _missing(self, name: str, required: bool) -> bool:
        if name not in self.data:
            if required and self.ok:
                self.check.error(self.record, name, "missing")
            return True
        return False

    def text(self, name: str, *, required: bool = True, empty_ok: bool = False) -> str:
        if self._missing(name, required):
            return ""
        value = self.data[name]
        if not isinstance(value, str):
            self.check.error(self.record, name, f"must be text, got {value!r}")
            return ""
        if not value.strip() and not empty_ok:
            self.check.error(self.record, name, "must not be empty")
        return value.strip()

    def integer(self, name: str) -> int:
        if self._missing(name, True):
            return 0
        value = self.data[name]
        if isinstance(value, bool) or not isinstance(value, int):
            self.check.error(self.record, name, f"must be a whole number, got {value!r}")
            return 0
        return value

    def flag(self, name: str) -> bool:
        """A yes/no field that may be left out (no)."""
        if self._missing(name, False):
            return False
        value = self.data[name]
        if not isinstance(value, bool):
            self.check.error(self.record, name, f"must be true or false, got {value!r}")
            return False
        return value

    def decimal(
        self, name: str, *, required: bool = True, negative_ok: bool = False
    ) -> Decimal | None:
        if self._missing(name, required):
            return None
        return read_decimal(self.check, self.record, name, self.data[name], negative_ok)

    def strings(self, name: str, *, required: bool = True) -> tuple[str, ...]:
        if self._missing(name, required):
            return ()
        value = self.data[name]
        if value is None and not required:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.check.error(self.record, name, f"must be a list of texts, got {value!r}")
            return ()
        return tuple(v.strip() for v in value)

    def items(self, name: str, *, required: bool = True) -> list[Any]:
        if self._missing(name, required):
            return []
        value = self.data[name]
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.check.error(self.record, name, f"must be a list, got {type(value).__name__}")
            return []
        return value


def _total(check: Validation, record: str, data: Any) -> Total | None:
    if data is None:
        return None
    reader = _Reader(check, f"{record} declared_total", data, {"gov", "own"})
    return Total(reader.decimal("gov"), reader.decimal("own"))


PROJECT_FIELDS = {
    "code",
    "name_th",
    "name_en",
    "activities",
    "budget_gov",
    "budget_own",
    "divisions",
    "indicators",
    "notes",
    "children",
}
DIVISION_FIELDS = {"key", "name_th", "name_en", "aliases", "plans"}
INDICATOR_FIELDS = {"kind", "number", "text", "target", "unit", "direction", "tags", "notes"}


def _indicator(check: Validation, record: str, data: Any) -> IndicatorDoc:
    reader = _Reader(check, record, data, INDICATOR_FIELDS)
    kind = reader.text("kind")
    if kind and kind not in KINDS:
        check.error(record, "kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    direction = reader.text("direction")
    if direction and direction not in DIRECTIONS:
        check.error(
            record, "direction", f"must be one of {', '.join(DIRECTIONS)}, got {direction!r}"
        )
    target = reader.decimal("target")
    unit = reader.text("unit", empty_ok=True)
    if target is not None and not unit:
        check.error(record, "unit", "must be given when there is a target")
    return IndicatorDoc(
        kind=kind,
        number=reader.integer("number"),
        text=reader.text("text"),
        target=target,
        unit=unit,
        direction=direction,
        tags=reader.strings("tags"),
        notes=reader.strings("notes", required=False),
    )


def _project(check: Validation, data: Any, where: str) -> ProjectDoc:
    code = data.get("code") if isinstance(data, dict) else None
    record = f"project {code}" if isinstance(code, str) and code else f"a project in {where}"
    reader = _Reader(check, record, data, PROJECT_FIELDS)
    code = reader.text("code")
    if code and not is_code(code):
        check.error(record, "code", f"{code!r} is not a project code like STR114/64 or SME111_5/64")
    indicators = tuple(
        _indicator(check, f"{record} indicator #{i + 1}", item)
        for i, item in enumerate(reader.items("indicators"))
    )
    seen: set[tuple[str, int]] = set()
    for indicator in indicators:
        if (indicator.kind, indicator.number) in seen:
            check.error(record, "indicators", f"{indicator.kind} {indicator.number} appears twice")
        seen.add((indicator.kind, indicator.number))
    return ProjectDoc(
        code=code,
        name_th=reader.text("name_th"),
        name_en=reader.text("name_en", required=False, empty_ok=True),
        activities=reader.strings("activities", required=False),
        budget_gov=reader.decimal("budget_gov"),
        budget_own=reader.decimal("budget_own"),
        divisions=reader.strings("divisions"),
        indicators=indicators,
        notes=reader.strings("notes", required=False),
        children=tuple(
            _project(check, c, record) for c in reader.items("children", required=False)
        ),
    )


def parse_plan(data: Any, file: str) -> tuple[PlanDoc | None, Validation]:
    """Turn loaded YAML (or the same structure from a spreadsheet) into a PlanDoc, or problems."""
    check = Validation(file)
    top = _Reader(
        check, "the file", data, {"fiscal_year", "source", "divisions", "strategies", "recurring"}
    )
    if not top.ok:
        return None, check
    year = top.integer("fiscal_year")
    if year and not 2400 <= year <= 2700:
        check.error("the file", "fiscal_year", f"{year} is not a Buddhist-era year like 2564")
    divisions = []
    for i, item in enumerate(top.items("divisions")):
        key = item.get("key") if isinstance(item, dict) else None
        reader = _Reader(check, f"division {key or '#' + str(i + 1)}", item, DIVISION_FIELDS)
        division = DivisionDoc(
            reader.text("key"),
            reader.text("name_th"),
            reader.text("name_en"),
            reader.strings("aliases", required=False),
            reader.flag("plans"),
        )
        if division.key and not DIVISION_KEY_PATTERN.match(division.key):
            check.error(reader.record, "key", "must be short lowercase ASCII, like gem_testing")
        divisions.append(division)
    strategies = []
    for item in top.items("strategies"):
        number = item.get("number") if isinstance(item, dict) else "?"
        record = f"strategy {number}"
        reader = _Reader(
            check,
            record,
            item,
            {"number", "name_th", "name_en", "declared_total", "tactics", "notes"},
        )
        tactics = []
        for t_item in reader.items("tactics"):
            t_record = f"tactic {t_item.get('number') if isinstance(t_item, dict) else '?'}"
            t_reader = _Reader(
                check,
                t_record,
                t_item,
                {"number", "name_th", "name_en", "declared_total", "projects", "notes"},
            )
            tactics.append(
                TacticDoc(
                    number=str(t_reader.data.get("number", "")) if t_reader.ok else "",
                    name_th=t_reader.text("name_th"),
                    name_en=t_reader.text("name_en", required=False, empty_ok=True),
                    declared_total=_total(check, t_record, t_reader.data.get("declared_total")),
                    projects=tuple(
                        _project(check, p, t_record) for p in t_reader.items("projects")
                    ),
                    notes=t_reader.strings("notes", required=False),
                )
            )
        strategies.append(
            StrategyDoc(
                number=reader.integer("number"),
                name_th=reader.text("name_th"),
                name_en=reader.text("name_en", required=False, empty_ok=True),
                declared_total=_total(check, record, reader.data.get("declared_total")),
                tactics=tuple(tactics),
                notes=reader.strings("notes", required=False),
            )
        )
    recurring = None
    if top.data.get("recurring") is not None:
        reader = _Reader(
            check,
            "recurring expenses",
            top.data["recurring"],
            {"name_th", "name_en", "declared_total", "projects", "notes"},
        )
        recurring = RecurringDoc(
            name_th=reader.text("name_th"),
            name_en=reader.text("name_en", required=False, empty_ok=True),
            declared_total=_total(check, "recurring expenses", reader.data.get("declared_total")),
            projects=tuple(
                _project(check, p, "recurring expenses") for p in reader.items("projects")
            ),
            notes=reader.strings("notes", required=False),
        )
    plan = PlanDoc(
        year,
        top.text("source", required=False, empty_ok=True),
        tuple(divisions),
        tuple(strategies),
        recurring,
    )
    _check_references(plan, check)
    return (None if check.errors else plan), check


def _check_references(plan: PlanDoc, check: Validation) -> None:
    keys = [d.key for d in plan.divisions]
    for key in {k for k in keys if keys.count(k) > 1}:
        check.error(f"division {key}", "key", "appears twice")
    check_division_names(plan.divisions, check)
    numbers = [s.number for s in plan.strategies]
    for number in {n for n in numbers if numbers.count(n) > 1}:
        check.error(f"strategy {number}", "number", "appears twice")
    for strategy in plan.strategies:
        tactics = [t.number for t in strategy.tactics]
        for number in {n for n in tactics if tactics.count(n) > 1}:  # type: ignore[assignment]
            check.error(
                f"tactic {number}", "number", f"appears twice in strategy {strategy.number}"
            )
        if "" in tactics:
            check.error(f"a tactic of strategy {strategy.number}", "number", "missing")
    known = set(keys)
    seen: set[str] = set()
    suffix = f"/{plan.fiscal_year % 100:02d}"
    for project, _parent, _s, _t in plan.all_projects():
        record = f"project {project.code}"
        if project.code in seen:
            check.error(record, "code", "appears twice in the file")
        seen.add(project.code)
        if project.code and not project.code.endswith(suffix):
            check.warning(
                record, "code", f"year suffix is not {suffix} (fiscal year {plan.fiscal_year})"
            )
        if not project.divisions:
            check.error(record, "divisions", "names no responsible division")
        for key in project.divisions:
            if key not in known:
                check.error(
                    record,
                    "divisions",
                    f"unknown division {key!r}; known: {', '.join(sorted(known))}",
                )
    check_declared_totals(plan, check)


NAME_FIELDS = {"key": "key", "name_th": "Thai name", "name_en": "English name"}


def _names(division: DivisionDoc) -> dict[str, str]:
    """What a sentence may call a division besides its aliases, each with its field: its key
    and names (a Thai name also without its leading ฝ่าย), compared as aliases are."""
    thai = folded(division.name_th)
    names = {
        folded(division.name_en): "name_en",
        thai.removeprefix("ฝ่าย"): "name_th",
        thai: "name_th",
        division.key: "key",
    }
    return {name: field for name, field in names.items() if name}


def check_division_names(
    divisions: Sequence[DivisionDoc], check: Validation, stored: Sequence[DivisionDoc] = ()
) -> None:
    """A short name means one division: an alias is no other division's alias, key or name, or
    a question that uses it could mean either. `stored`: the database's divisions this file does
    not list, which keep their names. At most one division plans."""
    in_database = {d.key for d in stored}

    def which(key: str) -> str:
        return f"division {key}" + (" (in the database, not in this file)" * (key in in_database))

    owners: dict[str, str] = {}
    for division in stored:
        for alias in division.aliases:
            owners.setdefault(folded(alias), division.key)
    for division in divisions:
        for name, field in _names(division).items():
            if name in owners:
                check.error(
                    f"division {division.key}",
                    field,
                    f"{name!r} is an alias of {which(owners[name])}",
                )
    for division in divisions:
        record = f"division {division.key}"
        for alias in division.aliases:
            name = folded(alias)
            if not name:
                check.error(record, "aliases", "an alias must not be empty")
                continue
            owner = owners.setdefault(name, division.key)
            if owner != division.key:
                check.error(record, "aliases", f"{alias!r} is also an alias of {which(owner)}")
            for other in (*divisions, *stored):
                named = _names(other).get(name)
                if other.key != division.key and named is not None:
                    check.error(
                        record,
                        "aliases",
                        f"{alias!r} is the {NAME_FIELDS[named]} of {which(other.key)}",
                    )
    planning = [d.key for d in divisions if d.plans]
    for key in planning[1:]:
        check.error(
            f"division {key}",
            "plans",
            f"only one division may plan; division {planning[0]} already does",
        )


def project_allocation(project: ProjectDoc) -> Total:
    """A project's own figure where it has one; otherwise what its children add up to."""
    parts = [project_allocation(child) for child in project.children]
    gov, own = rolled_up(project.budget_gov, project.budget_own, ((p.gov, p.own) for p in parts))
    return Total(gov, own)


def _sum(projects: tuple[ProjectDoc, ...], name: str) -> Decimal:
    """`name` is a Total field: gov or own."""
    return sum((getattr(project_allocation(p), name) or Decimal(0) for p in projects), Decimal(0))


def _compare(
    check: Validation, record: str, declared: Total | None, projects: tuple[ProjectDoc, ...]
) -> None:
    if declared is None:
        return
    for name, label in (("gov", "government budget (งปม.)"), ("own", "own funds (เงินนอก)")):
        stated = getattr(declared, name)
        summed = _sum(projects, name)
        if (stated or Decimal(0)) != summed:
            shown = "none (-)" if stated is None else f"{stated} million baht"
            check.warning(
                record,
                f"declared_total.{name}",
                f"declared total of {label} is {shown} but its items add up to {summed} million baht",
            )


def check_declared_totals(plan: PlanDoc, check: Validation) -> None:
    for strategy in plan.strategies:
        everything = tuple(p for t in strategy.tactics for p in t.projects)
        _compare(check, f"strategy {strategy.number}", strategy.declared_total, everything)
        for tactic in strategy.tactics:
            _compare(check, f"tactic {tactic.number}", tactic.declared_total, tactic.projects)
    if plan.recurring:
        _compare(
            check, "recurring expenses", plan.recurring.declared_total, plan.recurring.projects
        )
