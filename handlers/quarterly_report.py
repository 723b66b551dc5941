"""The quarterly report to the board as an editable Word document (python-docx), rendered from
`plan_data.quarterly.QuarterlyReport` with every label from the catalogs (report_docx.po).

Thai government layout: A4, margins 2.5–3 cm, body 16 pt, "TH Sarabun New" named in the styles
for every script (w:rFonts ascii/hAnsi/eastAsia/cs, with the complex-script size and bold that
Word and LibreOffice use for Thai), and the TLWG Laksaman shipped in handlers/fonts declared as
the font to use where TH Sarabun New is not installed. Headings and tables use the document's
styles (Heading 1–3, Title, List Bullet, Table Grid, Caption), never direct formatting, so
planners can restyle the whole report from Word's style pane before it goes to the board.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from babel import Locale
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.shared import Cm
from docx.table import Table

from handlers.commands.common import period_name
from handlers.formatting import MILLION, number, percent, unit_label
from handlers.i18n import Translator
from handlers.report_docx_style import (
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TABLE_STYLE,
    look,
    repeat_as_header,
    set_up,
)
from plan_data.calendar import ReportingCalendar, ReportingPeriod, parse_period_key
from plan_data.chart import ChartData, ChartScope, chart_data
from plan_data.codes import THAI_DIGITS
from plan_data.figures import Note
from plan_data.fiscal import BANGKOK, BUDDHIST_ERA_OFFSET
from plan_data.model import Indicator, Plan
from plan_data.progress import Verdict, frame_of
from plan_data.quarterly import (
    ProjectSection,
    QuarterlyReport,
    periods_through,
    quarterly_report,
)
from plan_data.review import ReviewState
from plan_data.rollup import RECURRING
from plan_data.summary import IndicatorVerdict, SummaryLine
from storage.unit_of_work import UnitOfWork

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Column widths in cm, adding up to the text width: 24.2 on a landscape page (the summary
# tables, as Thai official reports set wide tables), 15.5 on a portrait one.
SUMMARY_WIDTHS = (5.4, 2.2, 2.2, 2.2, 2.2, 2.2, 2.9, 2.9, 2.0)
INDICATOR_WIDTHS = (0.8, 4.9, 2.6, 2.5, 2.3, 2.4)
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


def report_filename(period_key: str) -> str:
    return f"quarterly-report-{period_key}.docx"


def build_docx(
    report: QuarterlyReport,
    period: ReportingPeriod,
    chart: ChartData | None,
    chart_png: bytes | None,
    _: Translator,
    now: datetime,
) -> bytes:
    """The whole report as .docx bytes."""
    document = Document()
    set_up(document, _)
    writer = _Writer(document, report, _)
    writer.cover(period, now)
    writer.summary(chart_png if chart is not None else None)
    writer.projects()
    writer.missing()
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Dates and numbers ------------------------------------------------------------------------------


def long_date(value: date | datetime, language: str) -> str:
    """11 มกราคม 2564 (Buddhist era) in Thai; 11 January 2021 in English."""
    moment = value.astimezone(BANGKOK) if isinstance(value, datetime) else value
    locale = Locale.parse("th_TH" if language == "th" else "en_US")
    month = locale.months["format"]["wide"][moment.month]
    year = moment.year + BUDDHIST_ERA_OFFSET if language == "th" else moment.year
    return f"{moment.day} {month} {year}"


def baht(value: Decimal, language: str) -> str:
    return number(value, language, 2)


def millions(value: Decimal, language: str) -> str:
    """Baht in millions to four places, as /summary shows money (nothing below 100 baht lost)."""
    return number(value / MILLION, language, 4)


def _quantity(value: Decimal, indicator: Indicator, language: str) -> str:
    """95%, 1,800 ราย, ระดับ 4: as /status shows it, as plain text."""
    shown = number(value, language)
    if indicator.unit == "percent":
        return f"{shown}%"
    if indicator.unit == "level":
        return f"{unit_label(indicator.unit, language)} {shown}"
    return f"{shown} {indicator.unit}".strip()


# The document -------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, document: DocxDocument, report: QuarterlyReport, _: Translator) -> None:
        self.doc, self.report, self._ = document, report, _
        self.lang = _.language
        self.period = period_name(_, report.frame.period_key)
        self.page_started = False  # the next part may start here without a page break

    def cover(self, period: ReportingPeriod, now: datetime) -> None:
        _, plan = self._, self.report.plan
        for _blank in range(6):
            self.doc.add_paragraph()
        name = parse_period_key(period.key)
        if name is not None and name.month is not None:
            locale = Locale.parse("th_TH" if self.lang == "th" else "en_US")
            month = locale.months["format"]["wide"][name.month]
            title = _("qr_cover_title_month", year=plan.fiscal_year, month=month)
        else:
            title = _("qr_cover_title", year=plan.fiscal_year, quarter=period.quarter)
        self.doc.add_paragraph(title, style="Title")
        self.doc.add_paragraph(_("qr_institute"), style="Subtitle")
        for _blank in range(2):
            self.doc.add_paragraph()
        self.doc.add_paragraph(
            _(
                "qr_cover_period",
                start=long_date(period.start, self.lang),
                end=long_date(period.end, self.lang),
            ),
            style="Subtitle",
        )
        self.doc.add_paragraph(_("qr_cover_date", date=long_date(now, self.lang)), style="Subtitle")
        self._section(landscape=True)

    def _section(self, *, landscape: bool) -> None:
        """A new page in a new section: landscape for the wide summary tables."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False  # page numbers from here on
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        width, height = (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
        section.page_width, section.page_height = width, height

    def _page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def summary(self, chart_png: bytes | None) -> None:
        _, report, lang = self._, self.report, self.lang
        total = report.summary.total
        self.doc.add_heading(_("qr_part_summary"), level=1)
        counts = total.indicators
        self.doc.add_paragraph(
            _(
                "qr_summary_indicators",
                total=counts.total,
                reported=counts.reported,
                on_track=counts.on_track,
                behind=counts.behind,
                missing=counts.not_reported,
            )
        )
        reviews = total.reviews
        if reviews.total:
            self.doc.add_paragraph(
                _("qr_summary_reviews", period=self.period, verified=reviews.verified,
                  returned=reviews.returned, waiting=reviews.waiting)
            )  # fmt: skip
        self.doc.add_paragraph(
            _(
                "qr_summary_money",
                allocated=baht(total.budget.allocated, lang),
                spent=baht(total.budget.spent, lang),
                percent=_plain_percent(total.budget.percent_spent, lang),
                target=_plain_percent(report.frame.target_percent, lang),
            )
        )
        self.doc.add_heading(_("qr_by_strategy"), level=2)
        intro = _(
            "qr_table_intro",
            period=self.period,
            target=_plain_percent(report.frame.target_percent, lang),
        )
        self.doc.add_paragraph(intro)
        self._summary_table(
            _("qr_col_strategy"),
            [(self._strategy_short(line), line) for line in report.strategies],
            total,
        )
        self.doc.add_heading(_("qr_by_division"), level=2)
        self._summary_table(
            _("qr_col_division"),
            [(_name(self.lang, line.name_th, line.name_en), line) for line in report.divisions],
            None,
        )
        self.doc.add_paragraph(_("qr_division_note"), style="Caption")
        self._section(landscape=False)
        self.page_started = chart_png is None
        if chart_png is not None:
            self.doc.add_picture(BytesIO(chart_png), width=Cm(14))
            self.doc.paragraphs[-1].style = "Caption"
            self.doc.add_paragraph(_("qr_chart_caption", period=self.period), style="Caption")

    def _strategy_short(self, line: SummaryLine) -> str:
        if line.key == RECURRING:
            return self._("qr_recurring_short")
        return self._("qr_strategy_short", number=line.key[1:])

    def _summary_table(
        self, first: str, rows: Sequence[tuple[str, SummaryLine]], total: SummaryLine | None
    ) -> None:
        _ = self._
        headers = (first, _("qr_col_reported"), _("qr_col_on_track"), _("qr_col_behind"),
                   _("qr_col_missing"), _("qr_col_verified"), _("qr_col_budget"),
                   _("qr_col_spent"), _("qr_col_percent"))  # fmt: skip
        body = [(label, *self._summary_cells(line)) for label, line in rows]
        if total is not None:
            body.append((_("qr_total"), *self._summary_cells(total)))
        table = self._table(headers, body, SUMMARY_WIDTHS, numeric_from=1)
        if total is not None:
            look(table, last_row=True)

    def _summary_cells(self, line: SummaryLine) -> tuple[str, ...]:
        counts, lang = line.indicators, self.lang
        return (
            f"{counts.reported}/{counts.total}",
            str(counts.on_track),
            str(counts.behind),
            str(counts.not_reported),
            str(line.reviews.verified),
            millions(line.budget.allocated, lang),
            millions(line.budget.spent, lang),
            _plain_percent(line.budget.percent_spent, lang),
        )

    def _table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        numeric_from: int | None = None,
        centred_from: int | None = None,
    ) -> Table:
        table: Table = self.doc.add_table(rows=1, cols=len(headers), style=TABLE_STYLE)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        header = table.rows[0]
        repeat_as_header(header)
        for cell, text in zip(header.cells, headers, strict=True):
            cell.text = text
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for values in rows:
            row = table.add_row()  # type: ignore[no-untyped-call]
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
            cells = row.cells
            for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
                cell.text = text
                if centred_from is not None and index >= centred_from:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif numeric_from is not None and index >= numeric_from:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        return table

    def projects(self) -> None:
        _ = self._
        if not self.page_started:
            self._page_break()
        self.doc.add_heading(_("qr_part_projects"), level=1)
        strategy = None
        for section in self.report.projects:
            if section.depth == 0 and section.strategy != strategy:
                strategy = section.strategy
                self.doc.add_heading(self._strategy_heading(strategy), level=2)
            self._project(section)

    def _strategy_heading(self, key: str) -> str:
        plan: Plan = self.report.plan
        if key == RECURRING:
            return _name(self.lang, plan.recurring_name_th, plan.recurring_name_en) or self._(
                "qr_recurring_short"
            )
        found = plan.strategy(int(key[1:]))
        name = _name(self.lang, found.name_th, found.name_en) if found else ""
        return self._("qr_strategy_heading", number=key[1:], name=name).strip()

    def _project(self, section: ProjectSection) -> None:
        _, lang, project = self._, self.lang, section.project
        self.doc.add_heading(
            _("qr_project_heading", code=project.code,
              name=_name(lang, project.name_th, project.name_en)),
            level=3,
        )  # fmt: skip
        if section.divisions:
            names = ", ".join(_name(lang, d.name_th, d.name_en) for d in section.divisions)
            self.doc.add_paragraph(_("qr_project_divisions", divisions=names))
        budget = section.budget
        if budget.allocated > 0:
            money = _(
                "qr_project_money",
                allocated=baht(budget.allocated, lang),
                spent=baht(budget.spent, lang),
                percent=_plain_percent(budget.percent_spent, lang),
                target=_plain_percent(self.report.frame.target_percent, lang),
            )
        else:
            money = _("qr_project_no_budget", spent=baht(budget.spent, lang))
        self.doc.add_paragraph(money)
        if section.indicators:
            headers = (_("qr_col_seq"), _("qr_col_indicator"), _("qr_col_target"),
                       _("qr_col_result"), _("qr_col_verdict"), _("qr_col_review"))  # fmt: skip
            self._table(
                headers,
                [self._indicator_cells(item) for item in section.indicators],
                INDICATOR_WIDTHS,
                centred_from=2,
            )
        else:
            self.doc.add_paragraph(_("qr_no_indicators"))
        if section.notes:
            self.doc.add_paragraph(_("qr_notes_heading"))
            for note in section.notes:
                self.doc.add_paragraph(self._note(section, note), style="List Bullet")

    def _indicator_cells(self, item: IndicatorVerdict) -> tuple[str, ...]:
        _, lang, indicator = self._, self.lang, item.indicator
        if indicator.target is None:
            target = _("qr_no_target")
        else:
            target = _(
                TARGET_IDS.get(indicator.direction, "qr_target_milestone"),
                target=_quantity(indicator.target, indicator, lang),
            )
        value = "–" if item.value is None else _quantity(item.value, indicator, lang)
        review = "–" if item.value is None else _(REVIEW_IDS[item.mark.state])
        if item.mark.evidence:
            review += "\n" + _("qr_evidence", count=item.mark.evidence)
        return (str(indicator.seq), indicator.text, target, value, _(VERDICT_IDS[item.verdict]),
                review)  # fmt: skip

    def _note(self, section: ProjectSection, note: Note) -> str:
        _, lang = self._, self.lang
        day = long_date(note.at, lang)
        when = f"{note.by}, {day}" if note.by else day
        if note.indicator_id is None:
            amount = baht(note.amount or Decimal(0), lang)
            return _("qr_note_spending", amount=amount, text=note.text, when=when)
        seq = next((i.seq for i in section.project.indicators if i.id == note.indicator_id), "?")
        return _("qr_note_value", seq=seq, text=note.text, when=when)

    def missing(self) -> None:
        _, lang = self._, self.lang
        self._page_break()
        self.doc.add_heading(_("qr_part_missing"), level=1)
        if not self.report.missing:
            self.doc.add_paragraph(_("qr_nothing_missing"))
            return
        self.doc.add_paragraph(_("qr_missing_intro", period=self.period))
        for owed in self.report.missing:
            division = _name(lang, owed.division.name_th, owed.division.name_en)
            count = len(owed.missing) + len(owed.returned)
            self.doc.add_heading(_("qr_missing_division", division=division, count=count), level=2)
            for item in owed.missing:
                self.doc.add_paragraph(
                    _("qr_missing_item", code=item.project.code, seq=item.indicator.seq,
                      text=item.indicator.text),
                    style="List Bullet",
                )  # fmt: skip
            if owed.returned:
                self.doc.add_paragraph(_("qr_returned_intro"))
            for item in owed.returned:
                self.doc.add_paragraph(
                    _("qr_returned_item", code=item.project.code, seq=item.indicator.seq,
                      text=item.indicator.text, reason=item.mark.reason),
                    style="List Bullet",
                )  # fmt: skip


def _name(language: str, name_th: str, name_en: str) -> str:
    return name_en if language == "en" and name_en else name_th


def _plain_percent(value: Decimal | None, language: str) -> str:
    """21.8 — a percentage where the words already say ร้อยละ (no % sign)."""
    return percent(value, language).removesuffix("%")


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
) -> bytes:
    """The report on `period` of `plan`, as of `now`: the figures of `storage` through
    `plan_data`, the chart of /chart for the whole plan, rendered in `_`'s language."""
    from handlers.charts import render_png  # matplotlib loads on the first picture only

    frame = frame_of(calendar, period)
    figures = uow.figures.for_report(period.key, periods_through(calendar, period))
    marks = uow.review_marks({i.id: period.key for p in plan.projects for i in p.indicators})
    report = quarterly_report(plan, figures, frame, marks)
    chart = chart_data(plan, figures, ChartScope("all", ""), frame, calendar)
    png = render_png(chart, _) if chart is not None else None
    return build_docx(report, period, chart, png, _, now)
