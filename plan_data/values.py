"""What a reported indicator value may be: the bounds every write of one is checked against."""

from __future__ import annotations

from decimal import Decimal

from plan_data.errors import Refusal
from plan_data.model import Indicator

MAX_VALUE = Decimal(10) ** 12
PLACES = Decimal("0.0001")  # values are kept to 4 decimals on every database
SUSPICIOUS_MULTIPLE = 10  # a value this many times the target is more likely a typo


def check_value(indicator: Indicator, value: Decimal, *, typed: str = "") -> Decimal:
    """The value, or a Refusal naming what is wrong with it."""
    shown = typed or str(value)
    if not value.is_finite():
        raise Refusal("value_unreasonable", value=shown)
    if value < 0:
        raise Refusal("negative_value")
    if (indicator.unit == "percent" or shown.strip().endswith("%")) and value > 100:
        raise Refusal("percent_over_100", value=shown)
    if indicator.unit == "level" and value > 5:
        raise Refusal("level_over_5", value=shown)
    if abs(value) >= MAX_VALUE or value != value.quantize(PLACES):
        raise Refusal("value_unreasonable", value=shown)
    return value


def far_above_target(indicator: Indicator, value: Decimal) -> bool:
    return bool(
        indicator.target
        and indicator.direction != "at_most"
        and value > indicator.target * SUSPICIOUS_MULTIPLE
    )


MAX_AMOUNT = Decimal(1_000_000_000)  # more than the institute's whole budget: a typo


def check_amount(amount: Decimal) -> Decimal:
    """Baht spent, or a Refusal: negative, zero, absurdly large, or fractions of a satang."""
    if not amount.is_finite():
        raise Refusal("absurd_amount")
    if amount < 0:
        raise Refusal("negative_amount")
    if amount == 0:
        raise Refusal("zero_amount")
    if amount > MAX_AMOUNT:
        raise Refusal("absurd_amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise Refusal("satang")
    return amount
