"""The quarterly report to the board as an editable Word document (python-docx), rendered from
`plan_data.quarterly.QuarterlyReport` with every label from the catalogs (report_docx.po).

What a board member reads in ten minutes: page 1 opens with the title and the บทสรุปผู้บริหาร
(this module), which ends on page 2; then Part 1, every project's money and indicators in one
table per strategy and the chart; Part 2, every indicator in one table per strategy; Part 3,
what is missing by division and what was returned; and the preparer and approval block
(handlers/outputs/board_parts.py). Styles, page and table helpers: handlers/outputs/board_style.py;
numbers and dates: handlers/outputs/board_text.py. Every figure is one of /summary's (plan_data).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK

from handlers.formatting import day, month_name
from handlers.i18n import Translator
from handlers.naming import period_name
from handlers.outputs.board_parts import Parts
from handlers.outputs.board_style import (
    BODY_STYLE,
    CENTRE,
    LEFT,
    RIGHT,
    add_row,
    look,
    new_section,
    new_table,
    set_up,
    thai_digits,
)
from handlers.outputs.board_text import millions, name_of, percent1, points
from plan_data.calendar import ReportingCalendar, ReportingPeriod, parse_period_key
from plan_data.chart import ChartScope, chart_data
from plan_data.codes import THAI_DIGITS
from plan_data.model import Plan
from plan_data.progress import frame_of
from plan_data.quarterly import (
    Attention,
    Concern,
    QuarterlyReport,
    ReportOptions,
    periods_through,
    quarterly_report,
)
from plan_data.rollup import RECURRING
from plan_data.summary import SummaryLine
from storage.unit_of_work import UnitOfWork

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The executive summary's table on a portrait page (15.5 cm of text).
EXEC_WIDTHS = (3.6, 1.6, 1.6, 1.8, 2.2, 1.5, 1.7, 1.5)
RETURNED_SHOWN = 5  # returned values listed by name in the summary; the rest in Part 3
CONCERN_IDS = {
    Concern.BEHIND: "qr_concern_behind",
    Concern.NOTHING_REPORTED: "qr_concern_nothing_reported",
    Concern.SPENDING_LAG: "qr_concern_spending_lag",
}


def report_filename(period_key: str, extension: str = "docx") -> str:
    return f"quarterly-report-{period_key}.{extension}"


def build_docx(
    report: QuarterlyReport,
    period: ReportingPeriod,
    chart_png: bytes | None,
    _: Translator,
    now: datetime,
    options: ReportOptions | None = None,
) -> bytes:
    """The whole report as .docx bytes."""
    options = options or ReportOptions()
    document = Document()
    set_up(document, _)
    summary = ExecutiveSummary(document, report, _)
    summary.title(period, now)
    summary.write(period, now)
    parts = Parts(document, report, _)
    new_section(document, landscape=True)
    parts.figures(chart_png)
    parts.indicators()
    new_section(document, landscape=False, columns=2)
    parts.missing()
    new_section(document, landscape=False, new_page=False)
    parts.signatures(options)
    if options.thai_digits:
        thai_digits(document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class ExecutiveSummary:
    """Page 1–2: the title, then the บทสรุปผู้บริหาร written from the report's figures."""

    def __init__(self, document: DocxDocument, report: QuarterlyReport, _: Translator) -> None:
        self.doc, self.report, self._ = document, report, _
        self.lang = _.language
        self.period = period_name(_, report.frame.period_key)

    def title(self, period: ReportingPeriod, now: datetime) -> None:
        """The title in lines the catalog breaks (never inside a word), the institute, the
        period and the day the figures stand at (the bot's clock)."""
        _, year = self._, self.report.plan.fiscal_year
        name = parse_period_key(period.key)
        if name is not None and name.month is not None:
            text = _("qr_cover_title_month", year=year, month=month_name(name.month, self.lang))
        else:
            text = _("qr_cover_title", year=year, quarter=period.quarter)
        _lines(self.doc.add_paragraph(style="Title"), text)
        self.doc.add_paragraph(_("qr_institute"), style="Subtitle")
        self.doc.add_paragraph(
            _(
                "qr_cover_period",
                start=day(period.start, self.lang, full=True),
                end=day(period.end, self.lang, full=True),
            ),
            style="Subtitle",
        )
        self.doc.add_paragraph(
            _("qr_cover_date", date=day(now, self.lang, full=True)), style="Subtitle"
        )

    def write(self, period: ReportingPeriod, now: datetime) -> None:
        _, lang, report = self._, self.lang, self.report
        total = report.summary.total
        self.doc.add_heading(_("qr_exec_heading"), level=1)
        self.doc.add_paragraph(self._money(total), style=BODY_STYLE)
        counts = total.indicators
        self.doc.add_paragraph(
            _(
                "qr_exec_indicators",
                total=counts.total,
                on_track=counts.on_track,
                behind=counts.behind,
                missing=counts.not_reported,
                returned=len(report.returned),
                reported=percent1(counts.reported_percent, lang),
            ),
            style=BODY_STYLE,
        )
        if total.reviews.total:
            self.doc.add_paragraph(
                _(
                    "qr_summary_reviews",
                    period=self.period,
                    verified=total.reviews.verified,
                    returned=total.reviews.returned,
                    waiting=total.reviews.waiting,
                ),
                style=BODY_STYLE,
            )
        intro = self.doc.add_paragraph(_("qr_exec_table_intro", period=self.period))
        intro.paragraph_format.keep_with_next = True
        self._strategy_table()
        self.doc.add_heading(_("qr_exec_attention"), level=2)
        self._attention()
        self.doc.add_heading(_("qr_exec_returned"), level=2)
        self._returned()

    def _money(self, total: SummaryLine) -> str:
        """Budget, spent and the disbursement target with the gap, in one sentence."""
        _, lang, budget = self._, self.lang, total.budget
        target = self.report.frame.target_percent
        values = {
            "allocated": millions(budget.allocated, lang),
            "spent": millions(budget.spent, lang),
            "percent": percent1(budget.percent_spent, lang),
            "target": percent1(target, lang),
        }
        gap = total.gap_points
        if gap is None:
            return _("qr_exec_money_none", spent=values["spent"])
        gap = gap.quantize(Decimal("0.1"))
        if gap < 0:
            short = budget.allocated * target / 100 - budget.spent
            return _(
                "qr_exec_money_behind",
                gap=percent1(-gap, lang),
                short=millions(short, lang),
                **values,
            )
        if gap > 0:
            return _("qr_exec_money_ahead", gap=percent1(gap, lang), **values)
        return _("qr_exec_money_on_target", **values)

    def _strategy_table(self) -> None:
        _, lang = self._, self.lang
        headers = (
            _("qr_col_strategy"),
            _("qr_col_indicators"),
            _("qr_col_on_track"),
            _("qr_col_behind"),
            _("qr_col_missing"),
            _("qr_col_returned"),
            _("qr_col_percent"),
            _("qr_col_gap"),
        )
        table = new_table(self.doc, headers, EXEC_WIDTHS)
        align = (LEFT, *([CENTRE] * 5), RIGHT, RIGHT)
        lines = [(self._strategy_short(line), line) for line in self.report.strategies]
        lines.append((_("qr_total"), self.report.summary.total))
        for label, line in lines:
            counts = line.indicators
            cells = (
                label,
                str(counts.total),
                str(counts.on_track),
                str(counts.behind),
                str(counts.not_reported),
                str(line.reviews.returned),
                percent1(line.budget.percent_spent, lang),
                points(line.gap_points, lang),
            )
            add_row(table, cells, EXEC_WIDTHS, align)
        look(table, last_row=True)

    def _strategy_short(self, line: SummaryLine) -> str:
        if line.key == RECURRING:
            return self._("qr_recurring_short")
        return self._("qr_strategy_short", number=line.key[1:])

    def _attention(self) -> None:
        _ = self._
        if not self.report.attention:
            self.doc.add_paragraph(_("qr_exec_no_attention"))
            return
        self.doc.add_paragraph(_("qr_exec_attention_intro")).paragraph_format.keep_with_next = True
        for item in self.report.attention:
            self.doc.add_paragraph(self._concerns(item), style="List Number")

    def _concerns(self, item: Attention) -> str:
        _, lang = self._, self.lang
        reasons = []
        for concern in item.concerns:
            reasons.append(
                _(
                    CONCERN_IDS[concern],
                    behind=item.behind,
                    total=item.indicators,
                    percent=percent1(item.budget.percent_spent, lang),
                    allocated=millions(item.budget.allocated, lang),
                    target=percent1(item.target_percent, lang),
                )
            )
        project = item.project
        return _(
            "qr_exec_attention_item",
            code=project.code,
            name=name_of(lang, project.name_th, project.name_en),
            reasons=_("qr_list_separator").join(reasons),
        )

    def _returned(self) -> None:
        _, returned = self._, self.report.returned
        if not returned:
            self.doc.add_paragraph(_("qr_exec_no_returned"))
            return
        for item in returned[:RETURNED_SHOWN]:
            self.doc.add_paragraph(
                _(
                    "qr_exec_returned_item",
                    code=item.project.code,
                    seq=item.indicator.seq,
                    reason=item.mark.reason,
                ),
                style="List Bullet",
            )
        if len(returned) > RETURNED_SHOWN:
            self.doc.add_paragraph(_("qr_exec_returned_more", count=len(returned) - RETURNED_SHOWN))


def _lines(paragraph: object, text: str) -> None:
    """The paragraph's text as runs with a line break at each newline of `text`."""
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run()  # type: ignore[attr-defined]
        if index:
            run.add_break(WD_BREAK.LINE)
        run.add_text(line)


# Choosing the period, and the whole path from the database ----------------------------------


def find_period(
    calendars: Sequence[ReportingCalendar], typed: str, current_year: int | None
) -> ReportingPeriod | None:
    """The period a person typed: `2564-Q1` (any case, Thai digits too), or `Q1` for the
    current fiscal year."""
    key = typed.strip().upper().translate(THAI_DIGITS)
    if key and "-" not in key and current_year is not None:
        key = f"{current_year}-{key}"
    for calendar in calendars:
        found = calendar.period(key)
        if found is not None:
            return found
    return None


def quarterly_docx(
    uow: UnitOfWork,
    plan: Plan,
    calendar: ReportingCalendar,
    period: ReportingPeriod,
    _: Translator,
    now: datetime,
    options: ReportOptions | None = None,
) -> bytes:
    """The report on `period` of `plan`, as of `now` (the bot's clock): the figures of `storage`
    through `plan_data`, the chart of /chart for the whole plan, rendered in `_`'s language."""
    from handlers.outputs.chart import render_png  # matplotlib loads on the first picture only

    frame = frame_of(calendar, period)
    figures = uow.figures.for_report(period.key, periods_through(calendar, period))
    marks = uow.review_marks({i.id: period.key for p in plan.projects for i in p.indicators})
    report = quarterly_report(plan, figures, frame, marks)
    chart = chart_data(plan, figures, ChartScope("all", ""), frame, calendar)
    png = render_png(chart, _) if chart is not None else None
    return build_docx(report, period, png, _, now, options)
