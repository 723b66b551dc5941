"""Problems found in a plan or calendar file, each naming the file, the record and the field."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any


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


def read_decimal(
    check: Validation, record: str, name: str, value: Any, negative_ok: bool = False
) -> Decimal | None:
    """A number from a file as an exact Decimal, or None with the problem recorded."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        check.error(record, name, f"must be a number, got {value!r}")
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        check.error(record, name, f"must be a number, got {value!r}")
        return None
    if not number.is_finite():
        check.error(record, name, f"must be a finite number, got {value!r}")
        return None
    if number < 0 and not negative_ok:
        check.error(record, name, f"must not be negative, got {value}")
        return None
    return number
