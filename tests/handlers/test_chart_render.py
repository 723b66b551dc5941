"""/chart: a PNG of the expected size, drawn with the shipped Thai font (no missing glyphs), and
the figures it is drawn from."""

from __future__ import annotations

import logging
import warnings
from decimal import Decimal
from io import BytesIO

import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from PIL import Image

from handlers.context import Services
from handlers.fonts import FONT_DIR, THAI_FONT, THAI_FONT_BOLD
from handlers.i18n import Translator
from handlers.outputs.chart import HEIGHT_PX, WIDTH_PX, build_figure, fonts_used, render_png
from plan_data.chart import ChartScope as Scope
from plan_data.chart import chart_data
from plan_data.fiscal import local_day
from plan_data.progress import frame_at
from storage.plan_io.calendar_file import load_calendar
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.support.catalog import en, th
from tests.support.handler_helpers import ask
from tests.support.planning_scenario import MEMBER, PLANNER

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
Q1 = th("period_quarter", quarter=1, year=2564)


def data_for(services: Services, scope: Scope):
    with UnitOfWork(services.db) as uow:
        plan = uow.plans().current(local_day(JAN_11_2021))
        assert plan is not None
        calendar = load_calendar(plan.fiscal_year)
        frame = frame_at(calendar, JAN_11_2021)
        return chart_data(plan, uow.figures.for_chart(frame.period_key), scope, frame, calendar)


class GlyphProblems:
    """Every warning and log record while drawing that says a glyph is missing."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog
        self.recorded: list[warnings.WarningMessage] = []

    def __enter__(self) -> GlyphProblems:
        self._catcher = warnings.catch_warnings(record=True)
        self.recorded = self._catcher.__enter__()
        warnings.simplefilter("always")
        self.caplog.set_level(logging.DEBUG, logger="matplotlib")
        return self

    def __exit__(self, *exc: object) -> None:
        self._catcher.__exit__(*exc)

    @property
    def messages(self) -> list[str]:
        texts = [str(w.message) for w in self.recorded]
        texts += [r.getMessage() for r in self.caplog.records]
        return [t for t in texts if "Glyph" in t and "missing" in t]


def test_chart_is_a_phone_sized_png(filled: Services, caplog: pytest.LogCaptureFixture) -> None:
    with GlyphProblems(caplog) as problems:
        [reply] = ask(filled, PLANNER, "/chart all")
    assert reply.image is not None and reply.image.mime_type == "image/png"
    assert reply.image.filename == "chart-all-2564-Q1.png"
    assert reply.image.content.startswith(PNG_SIGNATURE)
    with Image.open(BytesIO(reply.image.content)) as picture:
        picture.verify()
    with Image.open(BytesIO(reply.image.content)) as picture:
        assert picture.size == (WIDTH_PX, HEIGHT_PX) == (1080, 1350)
    assert problems.messages == []
    assert reply.text == th("chart_caption", scope=th("chart_whole_plan"), period=Q1)


@pytest.mark.parametrize("scope", ["STR111/64", "s1", "ฝ่ายตรวจสอบอัญมณี", "SME111/64"])
def test_every_scope_draws_with_the_shipped_font(
    filled: Services, caplog: pytest.LogCaptureFixture, scope: str
) -> None:
    with GlyphProblems(caplog) as problems:
        [reply] = ask(filled, PLANNER, f"/chart {scope}")
    assert reply.image is not None, reply.text
    with Image.open(BytesIO(reply.image.content)) as picture:
        assert picture.size == (1080, 1350)
    assert problems.messages == []


def test_texts_resolve_to_the_shipped_thai_font(filled: Services) -> None:
    data = data_for(filled, Scope("project", "STR111/64"))
    figure = build_figure(data, Translator("th"))
    used = fonts_used(figure)
    assert used == {str(THAI_FONT), str(THAI_FONT_BOLD)}
    assert all(path.startswith(str(FONT_DIR)) for path in used)
    texts = [t.get_text() for t in figure.findobj(lambda o: hasattr(o, "get_text"))]
    assert th("chart_progress_title") in texts
    thai = {ord(ch) for t in texts for ch in str(t) if "\u0e00" <= ch <= "\u0e7f"}
    for path in used:
        assert thai <= set(FT2Font(path).get_charmap()), f"{path} lacks Thai glyphs"
    assert (FONT_DIR / "LICENSE.md").read_text(encoding="utf-8").count("Laksaman") >= 2


def test_glyph_check_catches_a_font_without_thai(caplog: pytest.LogCaptureFixture) -> None:
    """The check above can fail: Thai drawn in DejaVu Sans is reported as missing glyphs."""
    figure = Figure(figsize=(2, 1))
    figure.text(0.1, 0.5, "ตัวชี้วัด", fontproperties=FontProperties(family="DejaVu Sans"))
    with GlyphProblems(caplog) as problems:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(figure).print_png(BytesIO())
    assert problems.messages


def test_chart_figures_for_a_project(filled: Services) -> None:
    data = data_for(filled, Scope("project", "STR111/64"))
    q1, q2, _q3, q4 = data.quarters
    assert (q1.spent, q1.target, q1.target_percent, q1.reached) == (
        Decimal("2000000"),
        Decimal("1700800.00"),
        Decimal(32),
        True,
    )
    assert q2.reached is False and q4.target == Decimal("5315000.00")
    assert [(b.label, b.counts.on_track, b.counts.behind) for b in data.bars] == [
        ("1", 1, 0),
        ("2", 0, 1),
        ("3", 1, 0),
        ("4", 0, 1),
    ]
    assert data.bars[2].progress_percent == Decimal("28.3")  # 6,000 of 21,200
    assert data.bars[0].expected_percent == Decimal(100)  # a rate
    assert data.bars[2].expected_percent == Decimal("25.2")  # a count: 92/365 of the year


def test_chart_figures_for_the_whole_plan(filled: Services) -> None:
    data = data_for(filled, Scope("all", ""))
    assert data.quarters[0].spent == Decimal("4000000")
    s1 = next(b for b in data.bars if b.label == "S1")
    assert (s1.counts.total, s1.counts.on_track, s1.counts.behind) == (19, 2, 2)


def test_chart_defaults_to_my_division_and_refuses_unknown_scopes(filled: Services) -> None:
    [mine] = ask(filled, MEMBER, "/chart")
    assert mine.image is not None
    assert mine.text == th("chart_caption", scope="ฝ่ายวิจัยและพัฒนา", period=Q1)
    [unknown] = ask(filled, MEMBER, "/chart nowhere")
    assert unknown.image is None
    assert unknown.text.split("\n")[0] == th("chart_unknown_scope", scope="nowhere")
    [english] = ask(filled, PLANNER, "/chart S2", language="en")
    q1 = en("period_quarter", quarter=1, year=2564)
    assert english.text == en("chart_caption", scope=en("summary_strategy", number=2), period=q1)


def test_render_is_deterministic_in_size(filled: Services) -> None:
    data = data_for(filled, Scope("strategy", "S3"))
    png = render_png(data, Translator("en"))
    assert png.startswith(PNG_SIGNATURE)
    with Image.open(BytesIO(png)) as picture:
        assert picture.size == (1080, 1350)
