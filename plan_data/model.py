"""The plan of one fiscal year as plain objects: strategies, tactics, projects and their
sub-activities at any depth, indicators, budgets and the divisions and units responsible.

Built by storage from the database (or from a plan file); nothing here knows where it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal


def folded(name: str) -> str:
    """A name as it is compared: lower case, without spaces (Thai is typed without them)."""
    return "".join(name.lower().split())


@dataclass(frozen=True)
class Division:
    """A responsible party: a ฝ่าย, or a unit such as งานกฎหมาย that answers on its own."""

    key: str
    name_th: str
    name_en: str
    aliases: tuple[str, ...] = ()  # short names people type for it: ไอที, พีอาร์
    plans: bool = False  # the planning division: it hears who is late across the institute

    def known_as(self, name: str) -> bool:
        """Whether `name` is one of its aliases (case and spaces aside)."""
        return folded(name) in {folded(alias) for alias in self.aliases}


def division_by_alias(divisions: Iterable[Division], name: str) -> Division | None:
    """The division people call `name` for short; aliases are unique (the plan file's check)."""
    return next((d for d in divisions if d.known_as(name)), None)


def planning_division(divisions: Iterable[Division]) -> Division | None:
    """The division that plans, if the plan names one (at most one does)."""
    return next((d for d in divisions if d.plans), None)


@dataclass(frozen=True)
class Strategy:
    number: int
    name_th: str
    name_en: str


@dataclass(frozen=True)
class Tactic:
    number: str  # e.g. "1.1"
    strategy_number: int
    name_th: str
    name_en: str


@dataclass(frozen=True)
class Indicator:
    id: int
    project_code: str
    seq: int  # 1..n across the project, as /status lists it and /update takes it
    kind: str  # outcome | output
    number: int  # within its kind, as the plan numbers it
    text: str
    target: Decimal | None
    unit: str
    direction: str  # at_least | at_most | milestone
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    id: int
    code: str
    name_th: str
    name_en: str
    fiscal_year: int
    strategy_number: int | None  # None: recurring expenses
    tactic_number: str | None
    parent_code: str | None
    budget_gov: Decimal | None  # baht; None where the plan states no figure
    budget_own: Decimal | None
    division_keys: tuple[str, ...] = ()  # as the plan names them, lead first
    indicators: tuple[Indicator, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    fiscal_year: int
    projects: tuple[Project, ...]  # plan order: a parent before its sub-activities
    strategies: tuple[Strategy, ...] = ()
    tactics: tuple[Tactic, ...] = ()
    divisions: tuple[Division, ...] = ()
    recurring_name_th: str = ""
    recurring_name_en: str = ""
    _by_code: dict[str, Project] = field(default_factory=dict, compare=False, repr=False)
    _children: dict[str, tuple[Project, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        children: dict[str, list[Project]] = {}
        for project in self.projects:
            self._by_code[project.code] = project
            if project.parent_code is not None:
                children.setdefault(project.parent_code, []).append(project)
        self._children.update({code: tuple(kids) for code, kids in children.items()})

    def project(self, code: str) -> Project | None:
        return self._by_code.get(code)

    def children(self, project: Project) -> tuple[Project, ...]:
        return self._children.get(project.code, ())

    def parent(self, project: Project) -> Project | None:
        return self._by_code.get(project.parent_code) if project.parent_code else None

    def ancestors(self, project: Project) -> Iterator[Project]:
        """Parent, grandparent, … (nearest first)."""
        seen = {project.code}
        parent = self.parent(project)
        while parent is not None and parent.code not in seen:
            seen.add(parent.code)
            yield parent
            parent = self.parent(parent)

    def subtree(self, project: Project) -> Iterator[Project]:
        """The project and every sub-activity under it, at any depth, in plan order."""
        yield project
        for child in self.children(project):
            yield from self.subtree(child)

    def top(self, project: Project) -> Project:
        """The top-level project a sub-activity belongs to (itself when it is one)."""
        *_, top = (project, *self.ancestors(project))
        return top

    def is_top(self, project: Project) -> bool:
        return self.parent(project) is None

    def tops(self) -> Iterator[Project]:
        return (p for p in self.projects if self.is_top(p))

    def indicators(self) -> Iterator[Indicator]:
        for project in self.projects:
            yield from project.indicators

    def strategy(self, number: int) -> Strategy | None:
        return next((s for s in self.strategies if s.number == number), None)

    def tactics_of(self, number: int) -> tuple[Tactic, ...]:
        return tuple(t for t in self.tactics if t.strategy_number == number)

    def division(self, key: str) -> Division | None:
        return next((d for d in self.divisions if d.key == key), None)

    def codes(self) -> list[str]:
        return [p.code for p in self.projects]
