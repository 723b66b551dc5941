"""For tests of which command a sentence reaches: the chart and the quarterly report drawn as
a short stand-in that still names what was asked for (the figures, the period, the language),
so that a sentence and its typed command are compared in milliseconds rather than the seconds a
real drawing takes. The files themselves are drawn and read back in test_chart_render.py and
test_quarterly_report.py."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.outputs import board_report, chart


@pytest.fixture
def quick_files(monkeypatch: pytest.MonkeyPatch) -> None:
    def picture(data: Any, _: Any) -> bytes:
        return b"chart:" + repr(data).encode()

    def document(uow: Any, plan: Any, calendar: Any, period: Any, _: Any, *rest: Any) -> bytes:
        return f"report:{plan.fiscal_year}:{period.key}:{_.language}".encode()

    monkeypatch.setattr(chart, "render_png", picture)
    monkeypatch.setattr(board_report, "quarterly_docx", document)
