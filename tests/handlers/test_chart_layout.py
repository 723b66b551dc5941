"""/chart read back from the drawn figure: every text inside the picture with a margin a phone's
rounded corners cannot cut, value labels clear of every bar, of each other and of the
expected-by-now marks, the percent axis running to max(100 %, the largest value) with a little
headroom, and a project's sub-activities each under its own code. For each kind of chart —
the whole plan, a strategy, a division, a project, a project with sub-activities — in Thai and
English, and for made-up figures far past 100 %."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from handlers.context import Services
from handlers.i18n import Translator
from handlers.outputs.chart import build_figure
from plan_data.chart import ChartData, ProgressBar, QuarterPoint
from plan_data.chart import ChartScope as Scope
from plan_data.money import Budget
from plan_data.progress import IndicatorCounts, TimeFrame
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.handlers.test_chart_render import data_for

MARGIN_PX = 15  # no text closer than this to the picture's edge
KINDS = [
    Scope("all", ""),
    Scope("strategy", "S3"),
    Scope("division", "research"),
    Scope("project", "STR111/64"),
    Scope("project", "SME111/64"),
]


@dataclass
class Drawn:
    figure: Figure
    renderer: RendererBase

    @property
    def top(self) -> Axes:
        return self.figure.axes[0]

    @property
    def bottom(self) -> Axes:
        return self.figure.axes[1]

    def box(self, artist: Text | Rectangle | Line2D) -> Bbox:
        return artist.get_window_extent(self.renderer)

    def texts(self) -> list[Text]:
        """Every text drawn: the title; per panel its titles, axis titles, the tick labels in
        view, its labels, its legend."""
        found: list[Text] = [self.figure._suptitle] if self.figure._suptitle else []
        for axes in self.figure.axes:
            found += [axes.title, axes._left_title, axes._right_title]
            found += [axes.xaxis.label, axes.yaxis.label, *axes.texts]
            for axis, (low, high) in ((axes.xaxis, axes.get_xlim()), (axes.yaxis, axes.get_ylim())):
                for tick in axis.get_major_ticks():
                    if low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                        found.append(tick.label1)
            legend = axes.get_legend()
            if legend is not None:
                found += legend.get_texts()
        return [t for t in found if t.get_visible() and t.get_text()]

    def bars(self, axes: Axes) -> list[Rectangle]:
        return [
            p for p in axes.patches if isinstance(p, Rectangle) and p.get_width() and p.get_height()
        ]

    def marks(self) -> list[Line2D]:
        """The expected-by-now marks: short vertical lines in the progress panel."""
        return [
            line
            for line in self.bottom.get_lines()
            if len(set(line.get_xdata())) == 1 and line.get_transform() == self.bottom.transData
        ]


def draw(data: ChartData, language: str) -> Drawn:
    figure = build_figure(data, Translator(language))
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return Drawn(figure, canvas.get_renderer())


def overlap(a: Bbox, b: Bbox, slack: float = 0.5) -> bool:
    """Whether two boxes share more than a hairline."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > slack and min(a.y1, b.y1) - max(a.y0, b.y0) > slack


def check_layout(drawn: Drawn) -> None:
    width, height = drawn.figure.bbox.width, drawn.figure.bbox.height
    for text in drawn.texts():
        box = drawn.box(text)
        assert box.x0 >= MARGIN_PX and box.y0 >= MARGIN_PX, (text.get_text(), box.extents)
        assert box.x1 <= width - MARGIN_PX and box.y1 <= height - MARGIN_PX, (
            text.get_text(),
            box.extents,
        )
    for axes in drawn.figure.axes:
        labels = [t for t in axes.texts if t.get_text()]
        ticks = [t for t in drawn.texts() if t in axes.get_yticklabels() + axes.get_xticklabels()]
        for label in [*labels, *ticks, axes.title, axes._left_title]:
            for bar in drawn.bars(axes):
                assert not overlap(drawn.box(label), drawn.box(bar)), (label.get_text(), bar)
        for n, label in enumerate(labels):
            assert drawn.box(label).x1 <= axes.bbox.x1, label.get_text()  # inside its panel
            assert drawn.box(label).x0 >= axes.bbox.x0, label.get_text()
            for other in labels[n + 1 :]:
                assert not overlap(drawn.box(label), drawn.box(other)), (
                    label.get_text(),
                    other.get_text(),
                )
    for mark in drawn.marks():
        for label in drawn.bottom.texts:
            assert not overlap(drawn.box(label), drawn.box(mark)), label.get_text()


def check_percent_axis(drawn: Drawn, data: ChartData) -> None:
    values = [float(b.progress_percent or 0) for b in data.bars]
    marks = [float(b.expected_percent) for b in data.bars if b.expected_percent is not None]
    largest = max([100.0, *values, *marks])
    assert len(drawn.marks()) == len(marks)  # what check_layout keeps the labels off
    low, high = drawn.bottom.get_xlim()
    assert low == 0 and high >= 100 and high >= largest
    assert high <= largest * 1.3, "a little headroom, not a half-empty panel"
    for bar in drawn.bars(drawn.bottom):  # each bar drawn at its value, none cut short
        assert bar.get_width() == pytest.approx(values[len(values) - 1 - round(bar.get_y() + 0.3)])


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("scope", KINDS, ids=lambda s: s.key or s.kind)
def test_every_kind_of_chart_keeps_its_texts_inside_and_off_the_bars(
    filled: Services, scope: Scope, language: str
) -> None:
    data = data_for(filled, scope)
    drawn = draw(data, language)
    check_layout(drawn)
    if data.per_indicator:
        check_percent_axis(drawn, data)


def test_a_project_with_sub_activities_shows_each_under_its_own_code(filled: Services) -> None:
    data = data_for(filled, Scope("project", "SME111/64"))
    assert not data.per_indicator
    with UnitOfWork(filled.db) as uow:
        plan = uow.plans().current(JAN_11_2021.date())
        assert plan is not None
        root = plan.project("SME111/64")
        assert root is not None
        tree = list(plan.subtree(root))
    with_indicators = [p.code for p in tree if p.indicators]
    assert [b.label for b in data.bars] == with_indicators  # the parent, then in plan order
    assert with_indicators[0] == "SME111/64" and "SME111_7/64" in with_indicators
    assert sum(b.counts.total for b in data.bars) == sum(len(p.indicators) for p in tree) == 25
    drawn = draw(data, "th")
    ticks = sorted(drawn.bottom.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in ticks] == with_indicators  # top to bottom


def test_a_project_without_sub_activity_indicators_shows_each_indicator(filled: Services) -> None:
    data = data_for(filled, Scope("project", "STR111/64"))
    assert data.per_indicator and [b.label for b in data.bars] == ["1", "2", "3", "4"]


def made_up() -> ChartData:
    """Far past 100 %, marks next to bar ends, nothing reported next to a mark, spending past
    the budget and just under the target, a long name."""

    def point(q: int, spent: int, percent: int) -> QuarterPoint:
        return QuarterPoint(
            f"2564-Q{q}", q, Decimal(spent), Decimal(50_000 * percent), Decimal(percent), q <= 2
        )

    def bar(
        label: str, progress: str | None, expected: str, on: int = 0, behind: int = 0
    ) -> ProgressBar:
        counts = IndicatorCounts(1, on, behind)
        return ProgressBar(
            label, counts, Decimal(progress) if progress else None, Decimal(expected)
        )

    return ChartData(
        Scope("project", "XYZ999/64"),
        "โครงการทดสอบ ชื่อยาวมาก " * 4,
        "A test project " * 5,
        TimeFrame(2564, "2564-Q2", date(2021, 3, 31), Decimal("0.5"), Decimal(54)),
        Budget(Decimal(5_000_000), None, Decimal(6_000_000)),
        (point(1, 1_550_000, 32), point(2, 6_000_000, 54), point(3, 0, 77), point(4, 0, 100)),
        (
            bar("1", "350", "100", on=1),
            bar("2", "48", "50", behind=1),
            bar("3", "52", "50", on=1),
            bar("4", None, "50"),
            bar("5", None, "3"),
            bar("6", "0.5", "0", on=1),
            bar("7", "99.5", "100", behind=1),
        ),
        True,
    )


@pytest.mark.parametrize("language", ["th", "en"])
def test_made_up_figures_far_past_100_percent(language: str) -> None:
    data = made_up()
    drawn = draw(data, language)
    check_layout(drawn)
    check_percent_axis(drawn, data)
    assert drawn.bottom.get_xlim()[1] >= 350


@pytest.mark.parametrize("language", ["th", "en"])
def test_spending_just_under_the_target_and_many_groups(language: str) -> None:
    counts = [IndicatorCounts(12 + i, i % 3, 1) for i in range(14)]
    data = replace(
        made_up(),
        scope=Scope("division", "x"),
        quarters=tuple(
            replace(p, spent=Decimal(s))
            for p, s in zip(made_up().quarters, [1_500_000, 2_600_000, 0, 0], strict=True)
        ),
        bars=tuple(ProgressBar(f"SEC11{i}_{i}/64", c) for i, c in enumerate(counts)),
        per_indicator=False,
    )
    check_layout(draw(data, language))
