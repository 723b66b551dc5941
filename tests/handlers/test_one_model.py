"""Every view of the plan reads its figures through the one model: after spending on
sub-activities whose divisions differ from their parents', each division's and each strategy's
allocated and spent figures are the same in /budget, /summary, the /export spreadsheet and the
/chart data."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from handlers.context import Services
from handlers.formatting import money
from plan_data.chart import ChartScope, chart_data
from plan_data.fiscal import local_day
from plan_data.progress import frame_at
from plan_data.summary import plan_summary
from storage.plan_io.calendar_file import load_calendar
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.support.catalog import starts_with, th
from tests.support.handler_helpers import ask, register

SPENDING = {
    "SME111_4/64": "120000",
    "SEC113_4/64": "45500.50",
    "SME111_1/64": "1000",
    "SEC111_1/64": "77000",
}


def _model_on_jan_11(services: Services) -> tuple[Any, Any, Any, Any, Any]:
    """The plan, its calendar, the period frame, the summary and the chart figures at 11 Jan 2021,
    read the way the chat reads them: what every view is compared with."""
    with UnitOfWork(services.db) as uow:
        plan = uow.plans().current(local_day(JAN_11_2021))
        assert plan is not None
        calendar = load_calendar(plan.fiscal_year)
        frame = frame_at(calendar, JAN_11_2021)
        summary = plan_summary(plan, uow.figures.for_summary(frame.period_key), frame)
        return plan, calendar, frame, summary, uow.figures.for_chart(frame.period_key)


def test_every_view_shows_the_same_money_for_divisions_and_strategies(services: Services) -> None:
    register(services, "1", "planner", "planning", "Malee")
    for code, amount in SPENDING.items():
        [reply] = ask(services, "1", f"/spend {code} {amount} Q1")
        assert starts_with(reply.text, "spend_recorded", code=code), reply.text

    plan, calendar, frame, summary, chart_figures = _model_on_jan_11(services)
    charts = {
        line.key: chart_data(plan, chart_figures, ChartScope(kind, line.key), frame, calendar)
        for kind, lines in (("division", summary.divisions), ("strategy", summary.strategies))
        for line in lines
        if line.key != "recurring"
    }
    assert sum(line.budget.spent for line in summary.strategies) == Decimal("243500.50")

    [export] = ask(services, "1", "/export")
    assert export.document is not None
    book = load_workbook(BytesIO(export.document.content), read_only=True)
    sheet = book[th("report_sheet_summary")]
    spreadsheet = {
        (row[0], row[1]): (row[7], row[8])
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if len(row) > 8
    }

    for line in (*summary.divisions, *summary.strategies):
        allocated, spent = line.budget.allocated, line.budget.spent
        if line.key in charts:
            data = charts[line.key]
            assert data is not None
            assert (data.budget.allocated, data.budget.spent) == (allocated, spent), line.key
            assert data.quarters[0].spent == spent, line.key  # all of it was spent in Q1
        if line in summary.divisions:
            label = (th("report_kind_division"), line.name_th)
            scope = line.key
        elif line.key == "recurring":
            label, scope = (th("report_kind_strategy"), line.name_th), ""
        else:
            strategy = th("report_strategy_number", number=line.key[1:])
            label, scope = (th("report_kind_strategy"), strategy), line.key
        cells = spreadsheet[label]
        assert (Decimal(str(cells[0])), Decimal(str(cells[1]))) == (allocated, spent), line.key
        if scope:
            budget_text = "\n".join(r.text for r in ask(services, "1", f"/budget {scope}"))
            total = budget_text.split("</b> ")[-1] if "</b> " in budget_text else budget_text
            assert money(allocated, "th") in total and money(spent, "th") in total, (
                line.key,
                budget_text[-300:],
            )


async def test_the_dashboard_shows_the_same_money_and_counts_as_the_chat(
    services: Services,
) -> None:
    """The overview's row of each strategy and division, and that strategy's or division's own
    page, show the money /budget and the spreadsheet show and the counts /summary gives."""
    from tests.support.dashboard import dashboard_server, page, signed_in, text_of
    from tests.support.planning_scenario import PLANNER, fill

    fill(services)
    for code, amount in SPENDING.items():
        [reply] = ask(services, PLANNER, f"/spend {code} {amount} Q1")
        assert starts_with(reply.text, "spend_recorded", code=code), reply.text
    plan, calendar, frame, summary, chart_figures = _model_on_jan_11(services)
    said = "\n".join(r.text for r in ask(services, PLANNER, "/summary"))
    [export] = ask(services, PLANNER, "/export")
    assert export.document is not None
    sheet = load_workbook(BytesIO(export.document.content), read_only=True)[
        th("report_sheet_summary")
    ]
    spreadsheet = {
        row[1]: (Decimal(str(row[7])), Decimal(str(row[8])))
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if len(row) > 8 and all(isinstance(v, int | float) for v in row[7:9])  # not the notes
    }

    async with dashboard_server(services) as base, signed_in(services, PLANNER) as client:
        overview = await page(client, f"{base}/dashboard/")
        total = summary.total.budget
        assert text_of(overview, "#allocated") == money(total.allocated, "th")
        assert text_of(overview, "#spent") == money(total.spent, "th")
        for kind, lines in (("strategy", summary.strategies), ("division", summary.divisions)):
            for line in lines:
                allocated, spent = line.budget.allocated, line.budget.spent
                counts = line.indicators
                row = text_of(overview, f'[data-key="{line.key}"]')
                shown = th(
                    "dash_spent_of", spent=money(spent, "th"), allocated=money(allocated, "th")
                )
                assert shown in row, (line.key, row)
                for mark, count in (
                    ("✓", counts.on_track),
                    ("▼", counts.behind),
                    ("?", counts.not_reported),
                ):
                    assert f"{mark} {count}" in row, (line.key, mark, row)
                assert (
                    th(
                        "summary_line_indicators",
                        reported=counts.reported,
                        total=counts.total,
                        on_track=counts.on_track,
                        behind=counts.behind,
                        missing=counts.not_reported,
                    )
                    in said
                )

                own = await page(client, f"{base}/dashboard/{kind}/{line.key}")
                assert text_of(own, "#allocated") == money(allocated, "th"), line.key
                assert text_of(own, "#spent") == money(spent, "th"), line.key
                assert text_of(own, "#counts") == th(
                    "dash_counts_line",
                    on_track=counts.on_track,
                    behind=counts.behind,
                    missing=counts.not_reported,
                    total=counts.total,
                )
                label = (
                    line.name_th
                    if kind == "division"
                    else (
                        th("report_strategy_number", number=line.key[1:])
                        if line.key != "recurring"
                        else line.name_th
                    )
                )
                assert spreadsheet[label] == (allocated, spent), line.key
                if line.key != "recurring":
                    data = chart_data(
                        plan, chart_figures, ChartScope(kind, line.key), frame, calendar
                    )
                    assert data is not None
                    assert (data.budget.allocated, data.budget.spent) == (allocated, spent)
                    scope = "\n".join(r.text for r in ask(services, PLANNER, f"/budget {line.key}"))
                    assert money(allocated, "th") in scope and money(spent, "th") in scope
