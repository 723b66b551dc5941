"""The /chart picture: spending against the cumulative quarterly target, and indicator progress.

Drawn headless with matplotlib's Agg canvas (no pyplot, no display, no global figure state),
portrait and 1080 px wide so it fills a phone screen. Every text uses the Laksaman font shipped
in handlers/fonts, registered from that path, so Thai renders with no system font installed.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

from handlers.commands.common import period_name
from handlers.fonts import THAI_FONT, THAI_FONT_BOLD
from handlers.formatting import number
from handlers.i18n import Translator
from plan_data.chart import ChartData, ProgressBar

WIDTH_PX, HEIGHT_PX, DPI = 1080, 1350, 100
GREEN, ORANGE, GREY, BLUE, RED = "#2e7d32", "#ef6c00", "#bdbdbd", "#1565c0", "#c62828"
MILLION = Decimal(1_000_000)
_REGISTERED: list[Path] = []


def thai_fonts() -> tuple[FontProperties, FontProperties]:
    """Regular and bold properties pointing at the shipped files (registered once)."""
    if not _REGISTERED:
        for path in (THAI_FONT, THAI_FONT_BOLD):
            font_manager.fontManager.addfont(str(path))
            _REGISTERED.append(path)
    return FontProperties(fname=str(THAI_FONT)), FontProperties(fname=str(THAI_FONT_BOLD))


def render_png(data: ChartData, _: Translator) -> bytes:
    figure = build_figure(data, _)
    buffer = BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)  # type: ignore[no-untyped-call]
    return buffer.getvalue()


def build_figure(data: ChartData, _: Translator) -> Figure:
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    top, bottom = figure.subplots(2, 1, height_ratios=(1, 1.15))
    figure.suptitle(_title(data, _), fontsize=19, fontweight="bold")
    _spending(top, data, _)
    if data.per_indicator:
        _indicator_progress(bottom, data.bars, _)
    else:
        _group_progress(bottom, data.bars, _)
    _use_shipped_font(figure)
    return figure


def _title(data: ChartData, _: Translator) -> str:
    scope = data.scope
    name = data.name_en if _.language == "en" and data.name_en else data.name_th
    if scope.kind == "all":
        head = _("chart_title_all", year=data.frame.fiscal_year)
    elif scope.kind == "strategy":
        head = _("chart_title_strategy", number=scope.key[1:])
    elif scope.kind == "division":
        head = name
        name = ""
    else:
        head = scope.key
    period = period_name(_, data.frame.period_key)
    lines = [head, *textwrap.wrap(name, 60)[:2], _("chart_as_of", period=period)]
    return "\n".join(line for line in lines if line)


def _spending(axes, data: ChartData, _: Translator) -> None:  # type: ignore[no-untyped-def]
    lang = _.language
    labels = [f"Q{p.quarter}" for p in data.quarters]
    spent = [float(p.spent / MILLION) if p.reached else 0.0 for p in data.quarters]
    target = [float(p.target / MILLION) for p in data.quarters]
    bars = axes.bar(labels, spent, color=BLUE, width=0.55, label=_("chart_spent"))
    axes.plot(labels, target, color=RED, marker="o", linewidth=2.5, label=_("chart_target"))
    allocated = float(data.budget.allocated / MILLION)
    if allocated:
        axes.axhline(allocated, color=GREY, linestyle="--", linewidth=1.5)
        axes.annotate(
            _("chart_allocated", amount=number(data.budget.allocated / MILLION, lang, 2)),
            (0.01, allocated),
            xycoords=("axes fraction", "data"),
            va="bottom",
            fontsize=12,
            color="#616161",
        )
    for bar, point in zip(bars, data.quarters, strict=True):
        if point.reached and data.budget.allocated:
            share = point.spent / data.budget.allocated * 100
            axes.annotate(
                f"{number(share, lang, 1)}%",
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=13,
            )
    for label, point in zip(labels, data.quarters, strict=True):
        axes.annotate(
            f"{number(point.target_percent, lang, 0)}%",
            (label, float(point.target / MILLION)),
            textcoords="offset points",
            xytext=(14, -4),
            color=RED,
            fontsize=12,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1},
        )
    axes.set_title(_("chart_spending_title"), fontsize=16, loc="left")
    axes.set_ylabel(_("chart_million_baht"), fontsize=13)
    axes.set_ylim(0, max([allocated, *spent, *target, 0.001]) * 1.45)
    axes.tick_params(labelsize=13)
    axes.legend(loc="upper left", fontsize=12, frameon=False)
    axes.grid(axis="y", alpha=0.3)


def _indicator_progress(axes, bars: tuple[ProgressBar, ...], _: Translator) -> None:  # type: ignore[no-untyped-def]
    labels = [_("chart_indicator", number=b.label) for b in bars]
    values = [min(float(b.progress_percent or 0), 150.0) for b in bars]
    colours = [_colour(b) for b in bars]
    positions = list(range(len(bars)))[::-1]
    axes.barh(positions, values, color=colours, height=0.6)
    for y, bar in zip(positions, bars, strict=True):
        if bar.expected_percent is not None:
            axes.plot([float(bar.expected_percent)] * 2, [y - 0.38, y + 0.38], color="black")
        shown = (
            _("chart_not_reported")
            if bar.counts.not_reported
            else (
                f"{number(bar.progress_percent, _.language, 1)}%"
                if bar.progress_percent is not None
                else "✓"
            )
        )
        axes.annotate(shown, (min(float(bar.progress_percent or 0), 150.0), y), xytext=(4, 0),
                      textcoords="offset points", va="center", fontsize=12)  # fmt: skip
    axes.set_yticks(positions, labels, fontsize=13)
    axes.set_xlim(0, 165)
    axes.axvline(100, color=GREY, linestyle=":")
    axes.set_xlabel(_("chart_progress_axis"), fontsize=13)
    axes.set_title(_("chart_progress_title"), fontsize=16, loc="left")
    _legend(axes, _)
    if not bars:
        axes.text(0.5, 0.5, _("chart_no_indicators"), ha="center", transform=axes.transAxes)


def _group_progress(axes, bars: tuple[ProgressBar, ...], _: Translator) -> None:  # type: ignore[no-untyped-def]
    labels = [_("summary_recurring") if b.label == "recurring" else b.label for b in bars]
    positions = list(range(len(bars)))[::-1]
    on = [b.counts.on_track for b in bars]
    behind = [b.counts.behind for b in bars]
    missing = [b.counts.not_reported for b in bars]
    axes.barh(positions, on, color=GREEN, height=0.6)
    axes.barh(positions, behind, left=on, color=ORANGE, height=0.6)
    lefts = [a + b for a, b in zip(on, behind, strict=True)]
    axes.barh(positions, missing, left=lefts, color=GREY, height=0.6)
    for y, bar in zip(positions, bars, strict=True):
        c = bar.counts
        axes.annotate(f"{c.reported}/{c.total}", (c.total, y), xytext=(4, 0),
                      textcoords="offset points", va="center", fontsize=12)  # fmt: skip
    axes.set_yticks(positions, labels, fontsize=13)
    axes.set_xlim(0, max([b.counts.total for b in bars] + [1]) * 1.18)
    axes.set_xlabel(_("chart_indicator_count"), fontsize=13)
    axes.set_title(_("chart_progress_title"), fontsize=16, loc="left")
    _legend(axes, _)
    if not bars:
        axes.text(0.5, 0.5, _("chart_no_indicators"), ha="center", transform=axes.transAxes)


def _legend(axes, _: Translator) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.patches import Patch

    handles = [
        Patch(color=GREEN, label=_("chart_on_track")),
        Patch(color=ORANGE, label=_("chart_behind")),
        Patch(color=GREY, label=_("chart_missing")),
    ]
    axes.legend(handles=handles, loc="lower right", bbox_to_anchor=(1, 1), ncol=3,
                fontsize=12, frameon=False)  # fmt: skip


def _colour(bar: ProgressBar) -> str:
    if bar.counts.on_track:
        return GREEN
    return ORANGE if bar.counts.behind else GREY


def _use_shipped_font(figure: Figure) -> None:
    """Point every text at the shipped Thai font, keeping its size and weight."""
    regular, bold = thai_fonts()
    for text in figure.findobj(Text):
        size, weight = text.get_fontsize(), text.get_fontweight()
        heavy = weight == "bold" or (isinstance(weight, int) and weight >= 600)
        text.set_fontproperties((bold if heavy else regular).copy())
        text.set_fontsize(size)


def fonts_used(figure: Figure) -> set[str]:
    """The font files the texts of a figure resolve to (for checks and tests)."""
    return {
        font_manager.findfont(t.get_fontproperties()) for t in figure.findobj(Text) if t.get_text()
    }
