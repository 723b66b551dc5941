"""Money as the plan states it and as people spend it: exact Decimal baht, never float."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
BAHT_PER_MILLION = Decimal(1_000_000)


def add_optional(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """Sum two figures where None means "the plan states none" (not zero)."""
    if a is None and b is None:
        return None
    return (a or ZERO) + (b or ZERO)


def rolled_up(
    gov: Decimal | None, own: Decimal | None, parts: Iterable[tuple[Decimal | None, Decimal | None]]
) -> tuple[Decimal | None, Decimal | None]:
    """A parent's own figure for each budget source where the plan states one, else what its
    parts add up to."""
    parts = list(parts)
    if gov is None:
        for part_gov, _ in parts:
            gov = add_optional(gov, part_gov)
    if own is None:
        for _, part_own in parts:
            own = add_optional(own, part_own)
    return gov, own


@dataclass(frozen=True)
class Budget:
    """Baht. `allocated_*` is None where the plan states no figure for that source."""

    allocated_gov: Decimal | None
    allocated_own: Decimal | None
    spent: Decimal

    @property
    def allocated(self) -> Decimal:
        return (self.allocated_gov or ZERO) + (self.allocated_own or ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def overspent(self) -> bool:
        return self.remaining < 0

    @property
    def percent_spent(self) -> Decimal | None:
        if not self.allocated:
            return None
        return (self.spent / self.allocated * 100).quantize(Decimal("0.1"))

    def after_spending(self, amount: Decimal) -> Budget:
        """The budget once `amount` more is spent: `.overspent` says whether that goes past
        what is allocated (a /spend asks first)."""
        return Budget(self.allocated_gov, self.allocated_own, self.spent + amount)

    def __add__(self, other: Budget) -> Budget:
        return Budget(
            add_optional(self.allocated_gov, other.allocated_gov),
            add_optional(self.allocated_own, other.allocated_own),
            self.spent + other.spent,
        )


NO_BUDGET = Budget(None, None, ZERO)


def sum_budgets(budgets: Iterable[Budget]) -> Budget:
    total = NO_BUDGET
    for budget in budgets:
        total = total + budget
    return total
