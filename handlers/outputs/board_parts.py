"""The body of the quarterly report (handlers/outputs/board_report.py writes the title and the
executive summary before it):

- Part 1, figures: one table per strategy, every project a row (sub-activities indented under
  their project) with its money against the disbursement target and its indicators; the
  divisions' table; the chart of /chart. Landscape, for the width.
- Part 2, indicators: one table per strategy, each project a spanning row over its indicators
  (a wide name column, so a name takes one or two lines), then the reporters' notes.
- Part 3, what is missing: by division, one line per project with its indicator numbers as
  ranges, and the values returned with their reasons. Portrait.
- The preparer, reviewer and approver, with names from Settings or dotted lines to fill in.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO

from docx.document import Document as DocxDocument
from docx.shared import Cm, Pt

from handlers.formatting import day as shown_day
from handlers.formatting import quantity
from handlers.i18n import Translator
from handlers.naming import period_name
from handlers.outputs.board_style import (
    CENTRE,
    LEFT,
    RIGHT,
    SIGN_STYLE,
    add_row,
    cant_split,
    look,
    new_table,
    span_row,
)
from handlers.outputs.board_text import (
    DASH,
    REVIEW_IDS,
    VERDICT_IDS,
    baht,
    millions,
    name_of,
    percent1,
    points,
    ranges,
    target_text,
)
from plan_data.figures import Note
from plan_data.quarterly import ProjectSection, QuarterlyReport, ReportOptions, Signer
from plan_data.rollup import RECURRING
from plan_data.summary import IndicatorVerdict, SummaryLine

# Column widths in cm, adding up to the text width: 24.2 on a landscape page.
PROJECT_WIDTHS = (12.6, 2.0, 2.0, 1.9, 1.9, 1.9, 1.9)
DIVISION_WIDTHS = (5.4, 2.2, 2.2, 2.2, 2.2, 2.2, 2.9, 2.9, 2.0)
INDICATOR_WIDTHS = (0.8, 10.0, 4.0, 2.8, 3.3, 1.9, 1.4)
SIGN_WIDTHS = (5.1, 5.2, 5.2)  # portrait: 15.5
CHART_HEIGHT = Cm(13.5)
INDENT = Cm(0.5)  # a sub-activity's row, per level
DOTS = "." * 26


class Parts:
    def __init__(self, document: DocxDocument, report: QuarterlyReport, _: Translator) -> None:
        self.doc, self.report, self._ = document, report, _
        self.lang = _.language
        self.period = period_name(_, report.frame.period_key)

    # Part 1 -----------------------------------------------------------------------------------

    def figures(self, chart_png: bytes | None) -> None:
        _, lang, report = self._, self.lang, self.report
        self.doc.add_heading(_("qr_part_figures"), level=1)
        self.doc.add_paragraph(
            _(
                "qr_table_intro",
                period=self.period,
                target=percent1(report.frame.target_percent, lang),
            )
        )
        for line in report.strategies:
            self.doc.add_heading(self._strategy_heading(line.key), level=2)
            self._project_table(line)
        self.doc.add_heading(_("qr_by_division"), level=2)
        self._division_table()
        self.doc.add_paragraph(_("qr_division_note"), style="Caption")
        if chart_png is not None:
            self.doc.add_picture(BytesIO(chart_png), height=CHART_HEIGHT)
            picture = self.doc.paragraphs[-1]
            picture.style = "Caption"
            picture.paragraph_format.keep_with_next = True
            self.doc.add_paragraph(_("qr_chart_caption", period=self.period), style="Caption")

    def _strategy_heading(self, key: str) -> str:
        plan = self.report.plan
        if key == RECURRING:
            return name_of(self.lang, plan.recurring_name_th, plan.recurring_name_en) or self._(
                "qr_recurring_short"
            )
        found = plan.strategy(int(key[1:]))
        name = name_of(self.lang, found.name_th, found.name_en) if found else ""
        return self._("qr_strategy_heading", number=key[1:], name=name).strip()

    def _project_table(self, line: SummaryLine) -> None:
        _, lang = self._, self.lang
        headers = (
            _("qr_col_project"),
            _("qr_col_budget"),
            _("qr_col_spent"),
            _("qr_col_percent"),
            _("qr_col_gap"),
            _("qr_col_reported"),
            _("qr_col_on_track"),
        )
        table = new_table(self.doc, headers, PROJECT_WIDTHS)
        align = (LEFT, RIGHT, RIGHT, RIGHT, RIGHT, CENTRE, CENTRE)
        target = self.report.frame.target_percent
        for section in self.report.strategy_sections(line.key):
            project, budget = section.project, section.budget
            reported = sum(1 for item in section.indicators if item.verdict.reported)
            fine = sum(1 for item in section.indicators if item.verdict.fine)
            has = bool(section.indicators)
            gap = None if budget.percent_spent is None else budget.percent_spent - target
            cells = (
                f"{project.code} {name_of(lang, project.name_th, project.name_en)}",
                millions(budget.allocated, lang) if budget.allocated else DASH,
                millions(budget.spent, lang),
                percent1(budget.percent_spent, lang),
                points(gap, lang),
                f"{reported}/{len(section.indicators)}" if has else DASH,
                str(fine) if has else DASH,
            )
            row = add_row(table, cells, PROJECT_WIDTHS, align)
            if section.depth:
                row.cells[0].paragraphs[0].paragraph_format.left_indent = INDENT * section.depth
        counts = line.indicators
        total = (
            _("qr_total_of", label=self._strategy_short(line.key)),
            millions(line.budget.allocated, lang),
            millions(line.budget.spent, lang),
            percent1(line.budget.percent_spent, lang),
            points(line.gap_points, lang),
            f"{counts.reported}/{counts.total}",
            str(counts.on_track),
        )
        add_row(table, total, PROJECT_WIDTHS, align)
        look(table, last_row=True)

    def _strategy_short(self, key: str) -> str:
        if key == RECURRING:
            return self._("qr_recurring_short")
        return self._("qr_strategy_short", number=key[1:])

    def _division_table(self) -> None:
        _, lang = self._, self.lang
        headers = (
            _("qr_col_division"),
            _("qr_col_reported"),
            _("qr_col_on_track"),
            _("qr_col_behind"),
            _("qr_col_missing"),
            _("qr_col_verified"),
            _("qr_col_budget"),
            _("qr_col_spent"),
            _("qr_col_percent"),
        )
        table = new_table(self.doc, headers, DIVISION_WIDTHS)
        align = (LEFT, *([CENTRE] * 5), RIGHT, RIGHT, RIGHT)
        for line in self.report.divisions:
            counts = line.indicators
            cells = (
                name_of(lang, line.name_th, line.name_en),
                f"{counts.reported}/{counts.total}",
                str(counts.on_track),
                str(counts.behind),
                str(counts.not_reported),
                str(line.reviews.verified),
                millions(line.budget.allocated, lang),
                millions(line.budget.spent, lang),
                percent1(line.budget.percent_spent, lang),
            )
            add_row(table, cells, DIVISION_WIDTHS, align)
        look(table, last_row=False)

    # Part 2 -----------------------------------------------------------------------------------

    def indicators(self) -> None:
        _ = self._
        heading = self.doc.add_heading(_("qr_part_indicators"), level=1)
        heading.paragraph_format.page_break_before = True
        for line in self.report.strategies:
            sections = self.report.strategy_sections(line.key)
            if not any(s.indicators for s in sections):
                continue
            self.doc.add_heading(self._strategy_heading(line.key), level=2)
            self._indicator_table(sections)
            self._notes(sections)

    def _indicator_table(self, sections: Sequence[ProjectSection]) -> None:
        _, lang = self._, self.lang
        headers = (
            _("qr_col_seq"),
            _("qr_col_indicator"),
            _("qr_col_target"),
            _("qr_col_result"),
            _("qr_col_verdict"),
            _("qr_col_review"),
            _("qr_col_evidence"),
        )
        table = new_table(self.doc, headers, INDICATOR_WIDTHS)
        align = (CENTRE, LEFT, CENTRE, CENTRE, CENTRE, CENTRE, CENTRE)
        for section in sections:
            if not section.indicators:
                continue
            project = section.project
            divisions = ", ".join(name_of(lang, d.name_th, d.name_en) for d in section.divisions)
            span_row(
                table,
                _(
                    "qr_project_row",
                    code=project.code,
                    name=name_of(lang, project.name_th, project.name_en),
                    divisions=divisions,
                ),
                INDICATOR_WIDTHS,
            )
            for item in section.indicators:
                add_row(table, self._indicator_cells(item), INDICATOR_WIDTHS, align)
        look(table, last_row=False)

    def _indicator_cells(self, item: IndicatorVerdict) -> tuple[str, ...]:
        _, lang, indicator = self._, self.lang, item.indicator
        value = (
            DASH if item.value is None else quantity(item.value, indicator.unit, lang, html=False)
        )
        if item.late:
            value = _("qr_value_late", value=value)
        review = DASH if item.value is None else _(REVIEW_IDS[item.mark.state])
        files = str(item.mark.evidence) if item.mark.evidence else DASH
        return (
            str(indicator.seq),
            indicator.text,
            target_text(indicator, _),
            value,
            _(VERDICT_IDS[item.verdict]),
            review,
            files,
        )

    def _notes(self, sections: Sequence[ProjectSection]) -> None:
        notes = [(section, note) for section in sections for note in section.notes]
        if not notes:
            return
        self.doc.add_paragraph(self._("qr_notes_heading")).paragraph_format.keep_with_next = True
        for section, note in notes:
            self.doc.add_paragraph(self._note(section, note), style="List Bullet")

    def _note(self, section: ProjectSection, note: Note) -> str:
        _, lang, code = self._, self.lang, section.project.code
        day = shown_day(note.at, lang, full=True)
        when = f"{note.by}, {day}" if note.by else day
        if note.indicator_id is None:
            amount = baht(note.amount or Decimal(0), lang)
            return _("qr_note_spending", code=code, amount=amount, text=note.text, when=when)
        seq = next((i.seq for i in section.project.indicators if i.id == note.indicator_id), "?")
        return _("qr_note_value", code=code, seq=seq, text=note.text, when=when)

    # Part 3 -----------------------------------------------------------------------------------

    def missing(self) -> None:
        _, lang = self._, self.lang
        self.doc.add_heading(_("qr_part_missing"), level=1)
        if not self.report.missing:
            self.doc.add_paragraph(_("qr_nothing_missing"))
            return
        if any(owed.missing for owed in self.report.missing):
            self.doc.add_paragraph(_("qr_missing_intro", period=self.period))
        else:  # only returned values: say that every indicator has a result
            self.doc.add_paragraph(_("qr_nothing_missing"))
        for owed in self.report.missing:
            division = name_of(lang, owed.division.name_th, owed.division.name_en)
            gaps = owed.projects
            if owed.missing:
                text = _("qr_missing_division", division=division, count=len(owed.missing))
            else:
                text = division
            self.doc.add_heading(text, level=3)
            for gap in gaps:
                self.doc.add_paragraph(
                    _(
                        "qr_missing_project",
                        code=gap.project.code,
                        seqs=ranges(gap.seqs),
                        count=len(gap.seqs),
                    ),
                    style="List Bullet",
                )
            if owed.returned:
                intro = self.doc.add_paragraph(_("qr_returned_intro", count=len(owed.returned)))
                intro.paragraph_format.keep_with_next = True
            for item in owed.returned:
                self.doc.add_paragraph(
                    _(
                        "qr_returned_item",
                        code=item.project.code,
                        seq=item.indicator.seq,
                        text=item.indicator.text,
                        reason=item.mark.reason,
                    ),
                    style="List Bullet",
                )

    # The end ----------------------------------------------------------------------------------

    def signatures(self, options: ReportOptions) -> None:
        """ผู้จัดทำ / ผู้ตรวจสอบ / ผู้อนุมัติ side by side, in one row that stays on one page."""
        _ = self._
        self.doc.add_paragraph().paragraph_format.space_before = Pt(12)  # apart from Part 3
        table = new_table(self.doc, (), SIGN_WIDTHS, style=None)
        row = table.add_row()  # type: ignore[no-untyped-call]
        cant_split(row)
        roles = (
            ("qr_sign_preparer", options.preparer),
            ("qr_sign_reviewer", options.reviewer),
            ("qr_sign_approver", options.approver),
        )
        for cell, width, (role, signer) in zip(row.cells, SIGN_WIDTHS, roles, strict=True):
            cell.width = Cm(width)
            lines = self._signature(_(role), signer)
            cell.text = lines[0]
            cell.paragraphs[0].style = SIGN_STYLE
            for line in lines[1:]:
                cell.add_paragraph(line, style=SIGN_STYLE)

    def _signature(self, role: str, signer: Signer) -> list[str]:
        _ = self._
        name = signer.name or DOTS
        position = signer.position or DOTS[:20]
        return [
            role,
            "",
            _("qr_sign_line", dots=DOTS),
            f"({name})",
            _("qr_sign_position", position=position),
            _("qr_sign_date", dots=DOTS[:20]),
        ]
