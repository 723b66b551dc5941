"""The /chart picture: spending against the cumulative quarterly target, and indicator progress.

Drawn headless with matplotlib's Agg canvas (no pyplot, no display, no global figure state),
portrait and 1080 px wide so it fills a phone screen. Every text uses the Laksaman font shipped
in handlers/fonts, registered from that path, so Thai renders with no system font installed.

Layout: a margin of MARGIN_IN all round; a title wrapped narrower when it measures too wide.
Labels whose room depends on the picture are placed after a first layout, measured: a spent
share above its column (above the target point when the point would be under it), a target
percent below and right of its point (right of the column when it would cover it), a value label
just beyond its bar's end (beyond the expected-by-now mark when the mark would cross it). The
percent axis runs to max(100 %, the largest value or mark) plus a little, and further until
every label fits. tests/handlers/test_chart_layout.py reads these back from drawn figures.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from handlers.fonts import THAI_FONT, THAI_FONT_BOLD
from handlers.formatting import number
from handlers.i18n import Translator
from handlers.naming import period_name
from plan_data.chart import ChartData, ProgressBar

WIDTH_PX, HEIGHT_PX, DPI = 1080, 1350, 100
GREEN, ORANGE, GREY, BLUE, RED = "#2e7d32", "#ef6c00", "#bdbdbd", "#1565c0", "#c62828"
MILLION = Decimal(1_000_000)
# Kept clear round every panel and the title (inches; 25 px), so that a phone's rounded corners
# and a chat app's crop never cut a label or an axis title.
MARGIN_IN = 0.25
TITLE_CHARS = 60  # a title line; narrower when the picture measures it too wide
BAR_WIDTH, BAR_HEIGHT = 0.55, 0.6  # quarter columns; progress rows
TARGET_OFFSET_PT = (7.0, -5.0)  # a target label from its point: right and below
LABEL_GAP_PT = 5.0  # between a bar's end (or its expected-by-now mark) and its value label
EDGE_PAD_PX = 10.0  # between a value label and the right edge of its axes
PERCENT_HEADROOM = 1.05  # the percent axis: 5 % beyond max(100 %, the largest value)
_REGISTERED: list[Path] = []


@dataclass
class _Row:
    """A value label of the progress panel, and what it must not cross."""

    label: Annotation
    y: float
    end: float  # where the bar ends
    mark: float | None = None  # the expected-by-now mark, when there is one


@dataclass
class _Column:
    """The spent-share label of a quarter's column, and the target point it must not cover."""

    label: Annotation
    x: float
    spent: float
    target: float


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
    """The figure, laid out with the shipped fonts; the labels that depend on the room they
    take are placed after a first layout, measured."""
    figure = Figure(
        figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI),
        dpi=DPI,
        layout=ConstrainedLayoutEngine(w_pad=MARGIN_IN, h_pad=MARGIN_IN, hspace=0.0),
    )
    canvas = FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, height_ratios=(1, 1.15))
    title = figure.suptitle(_title(data, _), fontsize=19, fontweight="bold")
    columns, targets, bars = _spending(top, data, _)
    if data.per_indicator:
        rows = _indicator_progress(bottom, data.bars, _)
    else:
        rows = _group_progress(bottom, data.bars, _)
    _use_shipped_font(figure)
    for _round in range(4):
        figure.draw_without_rendering()
        renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
        if _narrow_title(figure, title, data, _, renderer):
            continue
        _clear_target_points(top, columns, renderer)
        _clear_columns(targets, bars, columns, renderer)
        widened = _keep_inside(top, targets, renderer)
        widened |= _place_row_labels(bottom, rows, renderer)
        if not widened:  # a wider axis moves the layout a little: then measure again
            break
    return figure


def _narrow_title(
    figure: Figure, title: Text, data: ChartData, _: Translator, renderer: RendererBase
) -> bool:
    """Wrap the title narrower when a line of it is wider than the picture allows (True if it
    was: the layout is then measured again)."""
    room = figure.bbox.width - 2 * MARGIN_IN * figure.dpi
    wide = title.get_window_extent(renderer).width
    if wide <= room:
        return False
    longest = max(len(line) for line in title.get_text().splitlines())
    title.set_text(_title(data, _, int(longest * room / wide * 0.95)))
    return True


def _title(data: ChartData, _: Translator, width: int = TITLE_CHARS) -> str:
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
    named = textwrap.wrap(head, width) + textwrap.wrap(name, width)[:2]
    return "\n".join(line for line in [*named, _("chart_as_of", period=period)] if line)


def _spending(
    axes: Axes, data: ChartData, _: Translator
) -> tuple[list[_Column], list[Annotation], list[Rectangle]]:
    """Cumulative spending per quarter (columns) against the cumulative target (a line). Returns
    the spent-share labels, the target labels (placed once the layout is known) and the
    columns."""
    lang = _.language
    positions = list(range(len(data.quarters)))
    spent = [float(p.spent / MILLION) if p.reached else 0.0 for p in data.quarters]
    target = [float(p.target / MILLION) for p in data.quarters]
    bars = axes.bar(positions, spent, color=BLUE, width=BAR_WIDTH, label=_("chart_spent"))
    axes.plot(positions, target, color=RED, marker="o", linewidth=2.5, label=_("chart_target"))
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
    columns = []
    for x, bar, point in zip(positions, bars, data.quarters, strict=True):
        if point.reached and data.budget.allocated:
            share = point.spent / data.budget.allocated * 100
            label = axes.annotate(
                f"{number(share, lang, 1)}%",
                (x, bar.get_height()),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=13,
            )
            columns.append(_Column(label, x, bar.get_height(), float(point.target / MILLION)))
    targets = [
        # below and right of the point, where the line is not: it leaves upwards to the right
        axes.annotate(
            f"{number(point.target_percent, lang, 0)}%",
            (x, float(point.target / MILLION)),
            xytext=TARGET_OFFSET_PT,
            textcoords="offset points",
            ha="left",
            va="top",
            color=RED,
            fontsize=12,
        )
        for x, point in zip(positions, data.quarters, strict=True)
    ]
    axes.set_xticks(positions, [f"Q{p.quarter}" for p in data.quarters])
    axes.set_xlim(-0.5, len(positions) - 0.5)
    axes.set_title(_("chart_spending_title"), fontsize=16, loc="left")
    axes.set_ylabel(_("chart_million_baht"), fontsize=13)
    axes.set_ylim(0, max([allocated, *spent, *target, 0.001]) * 1.45)
    axes.tick_params(labelsize=13)
    axes.legend(loc="upper left", fontsize=12, frameon=False)
    axes.grid(axis="y", alpha=0.3)
    return columns, targets, list(bars)


def _indicator_progress(axes: Axes, bars: tuple[ProgressBar, ...], _: Translator) -> list[_Row]:
    """A project's indicators: progress as a percent of the full-year target, with a mark where
    it should be by now. The axis runs to max(100 %, the largest value or mark) and a little
    more; the value labels are placed after layout (`_place_row_labels`)."""
    labels = [_("chart_indicator", number=b.label) for b in bars]
    values = [float(b.progress_percent or 0) for b in bars]
    colours = [_colour(b) for b in bars]
    positions = list(range(len(bars)))[::-1]
    axes.barh(positions, values, color=colours, height=BAR_HEIGHT)
    rows = []
    for y, value, bar in zip(positions, values, bars, strict=True):
        mark = float(bar.expected_percent) if bar.expected_percent is not None else None
        if mark is not None:
            axes.plot([mark] * 2, [y - 0.38, y + 0.38], color="black", linewidth=1.5)
        shown = (
            _("chart_not_reported")
            if bar.counts.not_reported
            else (
                f"{number(bar.progress_percent, _.language, 1)}%"
                if bar.progress_percent is not None
                else "✓"
            )
        )
        rows.append(_Row(_value_label(axes, shown, value, y), y, value, mark))
    marks = [r.mark for r in rows if r.mark is not None]
    axes.set_yticks(positions, labels, fontsize=13)
    axes.set_xlim(0, max([100.0, *values, *marks]) * PERCENT_HEADROOM)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:g}%"))
    axes.axvline(100, color=GREY, linestyle=":")
    _finish_progress(axes, _, "chart_progress_axis", empty=not bars)
    return rows


def _group_progress(axes: Axes, bars: tuple[ProgressBar, ...], _: Translator) -> list[_Row]:
    labels = [_("summary_recurring") if b.label == "recurring" else b.label for b in bars]
    positions = list(range(len(bars)))[::-1]
    on = [b.counts.on_track for b in bars]
    behind = [b.counts.behind for b in bars]
    missing = [b.counts.not_reported for b in bars]
    axes.barh(positions, on, color=GREEN, height=BAR_HEIGHT)
    axes.barh(positions, behind, left=on, color=ORANGE, height=BAR_HEIGHT)
    lefts = [a + b for a, b in zip(on, behind, strict=True)]
    axes.barh(positions, missing, left=lefts, color=GREY, height=BAR_HEIGHT)
    rows = []
    for y, bar in zip(positions, bars, strict=True):
        c = bar.counts
        label = _value_label(axes, f"{c.reported}/{c.total}", c.total, y)
        rows.append(_Row(label, y, float(c.total)))
    axes.set_yticks(positions, labels, fontsize=13)
    axes.set_xlim(0, max([b.counts.total for b in bars] + [1]) * PERCENT_HEADROOM)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    _finish_progress(axes, _, "chart_indicator_count", empty=not bars)
    return rows


def _finish_progress(axes: Axes, _: Translator, axis_key: str, *, empty: bool) -> None:
    """What both progress panels end with: the axis words, the title, the legend, and a line
    saying so when there is nothing to draw."""
    axes.tick_params(axis="x", labelsize=12)
    axes.set_xlabel(_(axis_key), fontsize=13)
    axes.set_title(_("chart_progress_title"), fontsize=16, loc="left")
    _legend(axes, _)
    if empty:
        axes.text(0.5, 0.5, _("chart_no_indicators"), ha="center", transform=axes.transAxes)


def _value_label(axes: Axes, text: str, x: float, y: float) -> Annotation:
    return axes.annotate(
        text,
        (x, y),
        xytext=(LABEL_GAP_PT, 0),
        textcoords="offset points",
        va="center",
        fontsize=12,
        bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1},
    )


# -- placing labels once the layout is known ----------------------------------------------------
def _place_row_labels(axes: Axes, rows: list[_Row], renderer: RendererBase) -> bool:
    """Each value label just beyond its bar's end, or beyond the expected-by-now mark when the
    mark would cross it; the axis widened until every label fits inside it. True if the axis
    was widened (the layout is then measured again)."""
    if not rows:
        return False
    width = axes.bbox.width
    gap = LABEL_GAP_PT * axes.figure.dpi / 72
    limit = start_limit = axes.get_xlim()[1]
    for _round in range(5):
        needed = limit
        for row in rows:
            label_width = row.label.get_window_extent(renderer).width
            anchor = row.end
            if row.mark is not None and row.mark > row.end:
                left = row.end / limit * width + gap
                if row.mark / limit * width <= left + label_width + gap:
                    anchor = row.mark  # the mark would cross the label: go beyond it
            row.label.xy = (anchor, row.y)
            room = width - gap - label_width - EDGE_PAD_PX
            needed = max(needed, anchor * width / max(room, width * 0.2))
        if needed <= limit * 1.0001:
            break
        limit = needed
    axes.set_xlim(0, limit)
    return limit > start_limit * 1.0001


def _clear_target_points(axes: Axes, columns: list[_Column], renderer: RendererBase) -> None:
    """A spent-share label that would sit on its quarter's target point goes above the point."""
    radius = 5.0  # px: the target point (6 pt across) with a little air
    for column in columns:
        box = column.label.get_window_extent(renderer)
        px, py = axes.transData.transform((column.x, column.target))
        if box.x0 - radius <= px <= box.x1 + radius and box.y0 - radius <= py <= box.y1 + radius:
            column.label.xy = (column.x, max(column.spent, column.target))
            column.label.xyann = (0, 3 + radius * 72 / axes.figure.dpi)


def _clear_columns(
    labels: list[Annotation],
    columns: list[Rectangle],
    spent: list[_Column],
    renderer: RendererBase,
) -> None:
    """A target label that would cover its quarter's column, or the column's spent-share label,
    moves right of the column (the spent-share label is narrower than the column)."""
    shares = {round(c.x): c.label for c in spent}
    for x, (label, column) in enumerate(zip(labels, columns, strict=True)):
        box = label.get_window_extent(renderer)
        obstacles = [column.get_window_extent(renderer)] if column.get_height() else []
        if x in shares:
            obstacles.append(shares[x].get_window_extent(renderer))
        if any(box.overlaps(other) for other in obstacles):
            label.xy = (column.get_x() + column.get_width(), label.xy[1])
            label.xyann = (3, TARGET_OFFSET_PT[1])


def _keep_inside(axes: Axes, labels: list[Annotation], renderer: RendererBase) -> bool:
    """Widen the x axis to the right until every label ends inside it (True if it was)."""
    right = max((label.get_window_extent(renderer).x1 for label in labels), default=0.0)
    overflow = right + EDGE_PAD_PX - axes.bbox.x1
    if overflow <= 0:
        return False
    low, high = axes.get_xlim()
    per_px = (high - low) / axes.bbox.width
    axes.set_xlim(low, high + overflow * per_px * 1.1)
    return True


def _legend(axes: Axes, _: Translator) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(color=GREEN, label=_("chart_on_track")),
        Patch(color=ORANGE, label=_("chart_behind")),
        Patch(color=GREY, label=_("chart_missing")),
    ]
    axes.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1, 1),
        ncol=3,
        fontsize=12,
        frameon=False,
    )


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
