"""The records a plan document is made of, and the problems found in one.

Independent of where the plan came from (YAML or a spreadsheet); storage/plan_io/document.py builds
them from a file's data and validates it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

KINDS = ("outcome", "output")
DIRECTIONS = ("at_least", "at_most", "milestone")
DIVISION_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class DivisionDoc:
    key: str
    name_th: str
    name_en: str
    aliases: tuple[str, ...] = ()  # short names people type for it (ไอที)
    plans: bool = False  # the planning division (at most one)


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
