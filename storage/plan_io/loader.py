"""Reading a plan file and writing it to the database (idempotently); `uow.plan_store` reads it
back (storage/plan_io/queries.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from storage.db.database import Database
from storage.db.models import (
    Division,
    FiscalYear,
    Indicator,
    Project,
    ProjectDivision,
    Strategy,
    Tactic,
)
from storage.db.types import BAHT_PER_MILLION
from storage.plan_io.document import (
    DivisionDoc,
    IndicatorDoc,
    PlanDoc,
    ProjectDoc,
    RecurringDoc,
    Total,
    Validation,
    check_division_names,
    parse_plan,
)

MILLION_PLACES = Decimal("0.0001")
# The C parser when PyYAML has it (about 8x faster); the same safe subset of YAML either way.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LoadResult:
    validation: Validation
    plan: PlanDoc | None = None
    written: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def read_plan_file(path: Path) -> tuple[PlanDoc | None, Validation]:
    """Parse and validate a YAML or .xlsx plan file; never touches the database."""
    name = str(path)
    if path.suffix.lower() == ".xlsx":
        from storage.plan_io.xlsx import read_plan_xlsx

        return read_plan_xlsx(path)
    check = Validation(name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        check.error("the file", "", "does not exist")
        return None, check
    except (OSError, UnicodeDecodeError) as exc:
        check.error("the file", "", f"cannot be read as UTF-8 text: {exc}")
        return None, check
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        problem = getattr(exc, "problem", None) or str(exc)
        check.error("the file", "", f"is not valid YAML at {where}: {problem}")
        return None, check
    plan, parsed = parse_plan(data, name)
    return plan, parsed


def load_plan_file(db: Database, path: Path) -> LoadResult:
    plan, check = read_plan_file(path)
    result = LoadResult(check, plan)
    if plan is None:
        return result
    with db.session() as session:
        _check_other_years(session, plan, check)
        _check_other_divisions(session, plan, check)
        if check.errors:
            result.plan = None
            return result
        result.counts = write_plan(session, plan)
    result.written = True
    return result


def _check_other_years(session: Session, plan: PlanDoc, check: Validation) -> None:
    """A code is unique across years; one already in another year's plan is refused by name
    before anything is written."""
    codes = {project.code for project, _p, _s, _t in plan.all_projects()}
    taken = session.execute(
        select(Project.code, FiscalYear.year)
        .join(FiscalYear, FiscalYear.id == Project.fiscal_year_id)
        .where(Project.code.in_(codes), FiscalYear.year != plan.fiscal_year)
    ).all()
    for code, year in sorted(taken):
        check.error(f"project {code}", "code", f"already belongs to the plan of fiscal year {year}")


def _check_other_divisions(session: Session, plan: PlanDoc, check: Validation) -> None:
    """Divisions stay in the database across years: one the file does not list keeps its
    names and aliases, so an alias in the file may not be one of them (nor the reverse)."""
    listed = {d.key for d in plan.divisions}
    stored = [
        division_doc(row)
        for row in session.scalars(select(Division).order_by(Division.id))
        if row.key not in listed
    ]
    check_division_names(plan.divisions, check, stored)


def division_doc(row: Division) -> DivisionDoc:
    """A division as a plan file states it (`uow.plan_store.read` gives it back the same)."""
    return DivisionDoc(row.key, row.name_th, row.name_en, tuple(row.aliases), row.plans)


def to_baht(million: Decimal | None) -> Decimal | None:
    return None if million is None else million * BAHT_PER_MILLION


def to_million(baht: Decimal | None) -> Decimal | None:
    return None if baht is None else (baht / BAHT_PER_MILLION).quantize(MILLION_PLACES)


def _set(row: Any, **values: Any) -> None:
    """Assign only what differs, so reloading the same file leaves rows untouched."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def write_plan(session: Session, plan: PlanDoc) -> dict[str, int]:
    """Upsert the plan by its natural keys; rows that left the plan are retired, not deleted,
    so reports and spending stay attached to their codes. When anything changed, the fiscal
    year's revision moves, so cached plan models rebuild."""
    changed = False

    def note_changes(flushing: Session, _context: Any, _instances: Any) -> None:
        nonlocal changed
        changed = changed or bool(
            flushing.new
            or flushing.deleted
            or any(flushing.is_modified(row) for row in flushing.dirty)
        )

    event.listen(session, "before_flush", note_changes)
    try:
        counts = _write_plan(session, plan)
        session.flush()
    finally:
        event.remove(session, "before_flush", note_changes)
    if changed:
        year = session.scalar(select(FiscalYear).where(FiscalYear.year == plan.fiscal_year))
        assert year is not None
        year.revision += 1
        session.flush()
    return counts


def _write_plan(session: Session, plan: PlanDoc) -> dict[str, int]:
    year = session.scalar(select(FiscalYear).where(FiscalYear.year == plan.fiscal_year))
    if year is None:
        year = FiscalYear(year=plan.fiscal_year)
        session.add(year)
    recurring = plan.recurring or RecurringDoc("", "", None, ())
    total = recurring.declared_total or Total(None, None)
    _set(
        year,
        source=plan.source,
        recurring_name_th=recurring.name_th,
        recurring_name_en=recurring.name_en,
        recurring_declared_gov=to_baht(total.gov),
        recurring_declared_own=to_baht(total.own),
        notes=list(recurring.notes),
    )
    session.flush()

    divisions = {d.key: d for d in session.scalars(select(Division))}
    listed = {doc.key for doc in plan.divisions}
    planning = any(doc.plans for doc in plan.divisions)
    for doc in plan.divisions:
        row = divisions.get(doc.key) or Division(key=doc.key)
        _set(
            row,
            name_th=doc.name_th,
            name_en=doc.name_en,
            aliases=list(doc.aliases),
            plans=doc.plans,
        )
        session.add(row)
        divisions[doc.key] = row
    for key, row in divisions.items():
        if planning and row.plans and key not in listed:
            row.plans = False  # the file names the one division that plans now
    session.flush()

    strategies = {
        s.number: s
        for s in session.scalars(select(Strategy).where(Strategy.fiscal_year_id == year.id))
    }
    tactics = {
        (t.strategy_id, t.number): t
        for t in session.scalars(
            select(Tactic).join(Strategy).where(Strategy.fiscal_year_id == year.id)
        )
    }
    existing = {
        p.code: p
        for p in session.scalars(
            select(Project)
            .where(Project.fiscal_year_id == year.id)
            .options(selectinload(Project.division_links), selectinload(Project.indicators))
        )
    }
    seen: set[str] = set()
    position = 0

    def put_project(
        doc: ProjectDoc, parent: Project | None, strategy: Strategy | None, tactic: Tactic | None
    ) -> None:
        nonlocal position
        position += 1
        row = existing.get(doc.code) or Project(code=doc.code, fiscal_year_id=year.id)
        _set(
            row,
            parent_id=parent.id if parent else None,
            strategy_id=strategy.id if strategy else None,
            tactic_id=tactic.id if tactic else None,
            position=position,
            name_th=doc.name_th,
            name_en=doc.name_en,
            activities=list(doc.activities),
            budget_gov=to_baht(doc.budget_gov),
            budget_own=to_baht(doc.budget_own),
            notes=list(doc.notes),
            retired=False,
        )
        if row.id is None:
            session.add(row)
            session.flush()
        wanted = [(divisions[key].id, i) for i, key in enumerate(doc.divisions)]
        if [(link.division_id, link.position) for link in row.division_links] != wanted:
            row.division_links.clear()
            session.flush()
            row.division_links.extend(ProjectDivision(division_id=d, position=i) for d, i in wanted)
        _put_indicators(session, row, doc.indicators)
        seen.add(doc.code)
        for child in doc.children:
            put_project(child, row, strategy, tactic)

    for s_doc in plan.strategies:
        strategy = strategies.get(s_doc.number) or Strategy(
            fiscal_year_id=year.id, number=s_doc.number
        )
        total = s_doc.declared_total or Total(None, None)
        _set(
            strategy,
            name_th=s_doc.name_th,
            name_en=s_doc.name_en,
            declared_gov=to_baht(total.gov),
            declared_own=to_baht(total.own),
            notes=list(s_doc.notes),
        )
        session.add(strategy)
        session.flush()
        for t_doc in s_doc.tactics:
            tactic = tactics.get((strategy.id, t_doc.number)) or Tactic(
                strategy_id=strategy.id, number=t_doc.number
            )
            t_total = t_doc.declared_total or Total(None, None)
            _set(
                tactic,
                name_th=t_doc.name_th,
                name_en=t_doc.name_en,
                declared_gov=to_baht(t_total.gov),
                declared_own=to_baht(t_total.own),
                notes=list(t_doc.notes),
            )
            session.add(tactic)
            session.flush()
            for p_doc in t_doc.projects:
                put_project(p_doc, None, strategy, tactic)
    for p_doc in recurring.projects:
        put_project(p_doc, None, None, None)
    for code, project in existing.items():
        if code not in seen and not project.retired:
            project.retired = True
    session.flush()
    return {
        "projects": len(seen),
        "divisions": len(plan.divisions),
        "strategies": len(plan.strategies),
    }


def _put_indicators(session: Session, project: Project, docs: tuple[IndicatorDoc, ...]) -> None:
    existing = {(i.kind, i.number): i for i in project.indicators}
    ordered = sorted(docs, key=lambda d: (d.kind != "outcome", d.number))
    for seq, doc in enumerate(ordered, start=1):
        row = existing.pop((doc.kind, doc.number), None)
        if row is None:
            row = Indicator(project_id=project.id, kind=doc.kind, number=doc.number, seq=seq)
            session.add(row)
        _set(
            row,
            seq=seq,
            text=doc.text,
            target=doc.target,
            unit=doc.unit,
            direction=doc.direction,
            tags=list(doc.tags),
            notes=list(doc.notes),
            retired=False,
        )
    for row in existing.values():
        if not row.retired:
            _set(row, retired=True, seq=1000 + row.id)
