"""Column types that keep money and measured values exact on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

SATANG_PER_BAHT = 100
BAHT_PER_MILLION = Decimal(1_000_000)


class Baht(TypeDecorator[Decimal]):
    """Baht as a Decimal in Python, whole satang (an integer) in the database.

    SQLite has no exact decimal type, and sums must stay exact, so money is stored as integers
    and SQL `sum()` over this column still comes back as exact baht.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        satang = Decimal(value) * SATANG_PER_BAHT
        if satang != satang.to_integral_value():
            raise ValueError(f"amount {value} has fractions of a satang")
        return int(satang)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / SATANG_PER_BAHT).quantize(Decimal("0.01"))


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal kept as its text, for indicator targets and reported values (never summed)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite forgets the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
