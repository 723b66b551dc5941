"""What was reported against the plan, as the domain needs it: money spent per project, and
indicator values. Storage fills it with what a question needs; the rules read it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class Report:
    """An indicator value that counts: neither a reversal nor taken back by one."""

    value: Decimal
    period: str
    by: str
    at: datetime
    channel: str
    note: str = ""
    review: str = "submitted"  # plan_data.review.ReviewState of this report: its newest review
    reason: str = ""  # why it was returned, when it was


@dataclass(frozen=True)
class Note:
    """What a reporter wrote beside a value or an amount that counts, for one project."""

    project_id: int
    indicator_id: int | None  # None: a note on spending
    text: str
    by: str
    at: datetime
    amount: Decimal | None = None  # baht, for a note on spending


@dataclass(frozen=True)
class Figures:
    """Spending (baht) per project id, optionally per (project id, period key), and indicator
    values per indicator id: the newest of any period (`latest`) and the newest of the period
    being judged (`in_period`); the reporters' notes of the period per project id (`notes`)."""

    spent: Mapping[int, Decimal] = field(default_factory=dict)
    spent_by_period: Mapping[tuple[int, str], Decimal] = field(default_factory=dict)
    latest: Mapping[int, Report] = field(default_factory=dict)
    in_period: Mapping[int, Decimal] = field(default_factory=dict)
    # per project id, oldest first
    notes: Mapping[int, tuple[Note, ...]] = field(default_factory=dict)
    # indicator ids whose value of the period was recorded after the period's deadline
    late: frozenset[int] = frozenset()


NO_FIGURES = Figures()
