"""How the quarterly report (handlers/outputs/board_report.py) writes numbers, dates and names: money
in millions to two places in tables and sentences (exact baht where a line is in baht), every
percentage with one decimal. Dates (`formatting.day(…, full=True)`) and quantities
(`formatting.quantity(…, html=False)`) are chat's own; a document read on paper wants every
figure in one shape."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from handlers.formatting import MILLION, number, quantity
from handlers.i18n import Translator
from plan_data.model import Indicator
from plan_data.progress import Verdict
from plan_data.quarterly import seq_ranges
from plan_data.review import ReviewState

DASH = "–"
REVIEW_IDS = {
    ReviewState.SUBMITTED: "qr_review_submitted",
    ReviewState.VERIFIED: "qr_review_verified",
    ReviewState.RETURNED: "qr_review_returned",
}
VERDICT_IDS = {
    Verdict.DONE: "qr_verdict_done",
    Verdict.ON_TRACK: "qr_verdict_on_track",
    Verdict.BEHIND: "qr_verdict_behind",
    Verdict.NOT_REPORTED: "qr_verdict_not_reported",
}
TARGET_IDS = {
    "at_least": "qr_target_at_least",
    "at_most": "qr_target_at_most",
    "milestone": "qr_target_milestone",
}


def baht(value: Decimal, language: str) -> str:
    """Exact baht, for a line that is in baht: 1,500,000.00."""
    return number(value, language, 2)


def millions(value: Decimal, language: str) -> str:
    """Baht as millions to two places, as the report's tables and sentences give money."""
    return number(value / MILLION, language, 2)


def percent1(value: Decimal | None, language: str) -> str:
    """A percentage with one decimal always (0.0, 35.7); a dash where there is none."""
    return DASH if value is None else number(value, language, 1)


def points(value: Decimal | None, language: str) -> str:
    """Percentage points against a target, signed: +5.6, −29.5, 0.0."""
    if value is None:
        return DASH
    shown = number(abs(value), language, 1)
    rounded = value.quantize(Decimal("0.1"))
    return f"+{shown}" if rounded > 0 else f"−{shown}" if rounded < 0 else shown


def target_text(indicator: Indicator, _: Translator) -> str:
    if indicator.target is None:
        return _("qr_no_target")
    shown = quantity(indicator.target, indicator.unit, _.language, html=False)
    return _(TARGET_IDS.get(indicator.direction, "qr_target_milestone"), target=shown)


def ranges(seqs: Iterable[int]) -> str:
    """1–12, 14, 16–17: indicator numbers as runs."""
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in seq_ranges(seqs))


def name_of(language: str, name_th: str, name_en: str) -> str:
    return name_en if language == "en" and name_en else name_th
