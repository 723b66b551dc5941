"""Charts drawn on the server as inline SVG: no script, no library, sharp on any screen. Each
takes figures already computed (handlers.dashboard) and only places them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from markupsafe import Markup, escape

GREEN, AMBER, GREY, RED, NAVY = "#2e7d32", "#e09100", "#9e9e9e", "#c62828", "#1a3d6d"


def _pct(value: float | Decimal) -> float:
    return max(0.0, min(100.0, float(value)))


def budget_bar(share: float, overspent: bool, label: str) -> Markup:
    """Spent as a share of the allocation (full and red when past it)."""
    width = _pct(share * 100)
    colour = RED if overspent else NAVY
    return Markup(
        '<svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(label)}"><rect width="100" height="8" rx="2" fill="#e3e8ef"/>'
        f'<rect width="{width:.2f}" height="8" rx="2" fill="{colour}"/></svg>'
    )


class Target(Protocol):
    label: str
    target: Decimal  # cumulative percent
    current: bool


def target_chart(spent: Decimal, quarters: Sequence[Target], label: str) -> Markup:
    """Percent spent against each quarter's cumulative disbursement target: a bar up to what
    was spent, a tick and label at every quarter's target, the current one bold."""
    bar = _pct(spent)
    parts = [
        f'<svg class="chart" viewBox="0 0 320 84" role="img" aria-label="{escape(label)}">',
        '<rect x="10" y="22" width="300" height="18" rx="3" fill="#e3e8ef"/>',
        f'<rect x="10" y="22" width="{bar * 3:.1f}" height="18" rx="3" fill="{NAVY}"/>',
    ]
    for index, quarter in enumerate(quarters):
        name, target, current = quarter.label, quarter.target, quarter.current
        x = 10 + _pct(target) * 3
        weight = "700" if current else "400"
        colour = RED if current and spent < target else "#37474f"
        y = 62 if index % 2 == 0 else 78  # alternate rows: close targets do not overlap
        parts.append(
            f'<line x1="{x:.1f}" y1="16" x2="{x:.1f}" y2="46" stroke="{colour}" '
            f'stroke-width="{2 if current else 1}" stroke-dasharray="3 2"/>'
        )
        anchor = "end" if x > 280 else "start" if x < 40 else "middle"
        parts.append(
            f'<text x="{x:.1f}" y="{y}" font-size="12" font-weight="{weight}" '
            f'text-anchor="{anchor}" fill="{colour}">{escape(name)} '
            f"{float(target):g}%</text>"
        )
    parts.append(
        f'<text x="10" y="13" font-size="13" fill="{NAVY}" font-weight="700">'
        f"{float(spent):g}%</text></svg>"
    )
    return Markup("".join(parts))


def verdict_bar(on_track: int, behind: int, not_reported: int, label: str) -> Markup:
    """Indicators by verdict as one stacked bar: on track, behind, not reported."""
    total = on_track + behind + not_reported
    parts = [
        f'<svg class="bar stack" viewBox="0 0 100 10" preserveAspectRatio="none" '
        f'role="img" aria-label="{escape(label)}">'
    ]
    x = 0.0
    for count, colour in ((on_track, GREEN), (behind, AMBER), (not_reported, GREY)):
        if total and count:
            width = 100 * count / total
            parts.append(f'<rect x="{x:.2f}" width="{width:.2f}" height="10" fill="{colour}"/>')
            x += width
    if not total:
        parts.append('<rect width="100" height="10" fill="#e3e8ef"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
