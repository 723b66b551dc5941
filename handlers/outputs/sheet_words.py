"""The words of the planning spreadsheet, from the catalog (locales/*/LC_MESSAGES/report.po),
for storage.reports to place in cells. /export and `planbot report xlsx` both take them from
here; the spreadsheet is Thai unless asked otherwise."""

from __future__ import annotations

from handlers.formatting import SPREADSHEET_TIME, day
from handlers.i18n import Translator
from handlers.naming import period_name
from plan_data.calendar import parse_period_key
from storage.reports.labels import ReportLabels

SPREADSHEET_LANGUAGE = "th"


def report_labels(language: str = SPREADSHEET_LANGUAGE) -> ReportLabels:
    _ = Translator(language)

    def period(key: str) -> str:
        # period_name escapes an unknown key for chat HTML; a cell shows it as it is
        return period_name(_, key) if parse_period_key(key) is not None else key

    code, unit, spent = _("report_col_code"), _("report_col_unit"), _("report_col_spent")
    percent_spent, amount = _("report_col_percent_spent"), _("report_col_amount")
    recorded_at, period_col = _("report_col_recorded_at"), _("report_col_period")
    note, by, channel = _("report_col_note"), _("report_col_by"), _("report_col_channel")
    return ReportLabels(
        title=_("report_title"),
        sheet_summary=_("report_sheet_summary"),
        sheet_projects=_("report_sheet_projects"),
        sheet_indicators=_("report_sheet_indicators"),
        sheet_spending=_("report_sheet_spending"),
        sheet_history=_("report_sheet_history"),
        summary_headers=(
            _("report_col_group"),
            _("report_col_name"),
            _("report_col_indicators"),
            _("report_col_reported"),
            _("report_col_on_track"),
            _("report_col_behind"),
            _("report_col_not_reported"),
            _("report_col_budget"),
            spent,
            percent_spent,
            _("report_col_target"),
        ),
        project_headers=(
            code,
            _("report_col_project"),
            _("report_col_strategy"),
            _("report_col_tactic"),
            _("report_col_parent"),
            _("report_col_divisions"),
            _("report_col_budget_gov"),
            _("report_col_budget_own"),
            _("report_col_budget_total"),
            spent,
            _("report_col_remaining"),
            percent_spent,
        ),
        indicator_headers=(
            code,
            _("report_col_seq"),
            _("report_col_kind"),
            _("report_col_indicator"),
            unit,
            _("report_col_direction"),
            _("report_col_target_value"),
        ),
        status_header=_("report_col_status"),
        review_header=_("report_col_review"),
        evidence_header=_("report_col_evidence"),
        spending_headers=(
            _("report_col_entry"),
            recorded_at,
            code,
            period_col,
            amount,
            note,
            by,
            channel,
            _("report_col_reverses"),
        ),
        history_headers=(
            recorded_at,
            _("report_col_action"),
            code,
            _("report_col_indicator_no"),
            period_col,
            _("report_col_value"),
            unit,
            amount,
            note,
            by,
            channel,
        ),
        whole_plan=_("report_whole_plan"),
        kind_strategy=_("report_kind_strategy"),
        kind_division=_("report_kind_division"),
        fiscal_year=_("report_fiscal_year"),
        strategy_number=_("report_strategy_number"),
        report_period=_("report_period"),
        as_of=_("report_as_of"),
        plan_total=_("report_plan_total"),
        division_sum_note=_("report_division_sum_note"),
        indicator_reported=_("report_indicator_reported"),
        indicator_undone=_("report_indicator_undone"),
        spending_recorded=_("report_spending_recorded"),
        spending_undone=_("report_spending_undone"),
        kinds={"outcome": _("report_kind_outcome"), "output": _("report_kind_output")},
        directions={
            "at_least": _("report_direction_at_least"),
            "at_most": _("report_direction_at_most"),
            "milestone": _("report_direction_milestone"),
        },
        units={"percent": _("report_unit_percent"), "level": _("report_unit_level")},
        verdicts={
            "done": _("report_verdict_done"),
            "on_track": _("report_verdict_on_track"),
            "behind": _("report_verdict_behind"),
            "not_reported": _("report_verdict_not_reported"),
        },
        # each channel's name as the sheet shows it: `report_channel_<name>` (a channel without
        # one shows its name)
        channels=_.keyed("report_channel_"),
        review_states={
            "submitted": _("report_review_submitted"),
            "verified": _("report_review_verified"),
            "returned": _("report_review_returned"),
        },
        period=period,
        moment=lambda at: day(at, language, with_time=True),
        time_format=SPREADSHEET_TIME[language],
    )
