"""The records a plan document is made of, and the problems found in one.

Independent of where the plan came from (YAML or a spreadsheet); storage/plan_io/document.py builds
them from a file's data and validates it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

KINDS = ("outcome", "output")
DIRECTIONS = ("at_least", "at_most", "milestone")
CODE_PATTERN = re.compile(r"^[A-Z]{2,6}\d{2,4}(_\d+)?/\d{2}$")
DIVISION_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Problem:
    level: str  # error | warning
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.record}" + (f", field '{self.field}'" if self.field else "")
        return f"{self.level}: {where}: {self.message}"


@dataclass(frozen=True)
class DivisionDoc:
    key: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class IndicatorDoc:
    kind: str
    number: int
    text: str
    target: Decimal | None
    unit: str
    direction: str
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectDoc:
    code: str
    name_th: str
    name_en: str
    activities: tuple[str, ...]
    budget_gov: Decimal | None  # million baht
    budget_own: Decimal | None
    divisions: tuple[str, ...]
    indicators: tuple[IndicatorDoc, ...]
    notes: tuple[str, ...] = ()
    children: tuple[ProjectDoc, ...] = ()


@dataclass(frozen=True)
class Total:
    gov: Decimal | None
    own: Decimal | None


@dataclass(frozen=True)
class TacticDoc:
    number: str
    name_th: str
    name_en: str
    declared_total: Total | None
    projects: tuple[ProjectDoc, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class StrategyDoc:
    number: int
    name_th: str
    name_en: str
    declared_total: Total | None
    tactics: tuple[TacticDoc, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecurringDoc:
    name_th: str
    name_en: str
    declared_total: Total | None
    projects: tuple[ProjectDoc, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanDoc:
    fiscal_year: int
    source: str
    divisions: tuple[DivisionDoc, ...]
    strategies: tuple[StrategyDoc, ...]
    recurring: RecurringDoc | None

    def all_projects(
        self,
    ) -> Iterator[tuple[ProjectDoc, ProjectDoc | None, int | None, str | None]]:
        """Every project and sub-activity with (parent, strategy number, tactic number)."""

        def walk(
            project: ProjectDoc, parent: ProjectDoc | None, strategy: int | None, tactic: str | None
        ) -> Iterator[tuple[ProjectDoc, ProjectDoc | None, int | None, str | None]]:
            yield project, parent, strategy, tactic
            for child in project.children:
                yield from walk(child, project, strategy, tactic)

        for strategy in self.strategies:
            for tactic in strategy.tactics:
                for project in tactic.projects:
                    yield from walk(project, None, strategy.number, tactic.number)
        if self.recurring:
            for project in self.recurring.projects:
                yield from walk(project, None, None, None)


@dataclass
class Validation:
    file: str
    problems: list[Problem] = field(default_factory=list)

    def error(self, record: str, fld: str, message: str) -> None:
        self.problems.append(Problem("error", self.file, record, fld, message))

    def warning(self, record: str, fld: str, message: str) -> None:
        self.problems.append(Problem("warning", self.file, record, fld, message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


def add_optional(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """Sum two figures where None means "the plan states none" (not zero)."""
    if a is None and b is None:
        return None
    return (a or Decimal(0)) + (b or Decimal(0))


def rolled_up(
    gov: Decimal | None, own: Decimal | None, parts: Iterable[tuple[Decimal | None, Decimal | None]]
) -> tuple[Decimal | None, Decimal | None]:
    """A parent's own figure for each budget source where the plan states one, else what its
    parts add up to: the one rule the loader's totals, /status, /budget, /due and /summary share."""
    parts = list(parts)
    if gov is None:
        for part_gov, _ in parts:
            gov = add_optional(gov, part_gov)
    if own is None:
        for _, part_own in parts:
            own = add_optional(own, part_own)
    return gov, own
