"""Every word the planning spreadsheet shows, filled in by the caller (handlers build it from the
message catalogs, handlers/locales/*/LC_MESSAGES/report.po). Storage holds no sentence of its
own: the writer only places these strings, and the figures, in cells.

Templates name their placeholders: `title` and `fiscal_year` take {year}, `strategy_number`
takes {number}, `status_header` and `review_header` take {period} (an already named period),
`review_states["returned"]` takes {reason}."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

SUMMARY_COLUMNS = 11
PROJECT_COLUMNS = 12
INDICATOR_COLUMNS = 7  # then one per reported period, the frame's status, review and files
SPENDING_COLUMNS = 9
HISTORY_COLUMNS = 11


@dataclass(frozen=True)
class ReportLabels:
    title: str
    sheet_summary: str
    sheet_projects: str
    sheet_indicators: str
    sheet_spending: str
    sheet_history: str
    summary_headers: tuple[str, ...]
    project_headers: tuple[str, ...]
    indicator_headers: tuple[str, ...]
    status_header: str
    review_header: str  # the review of the period's value, after the status
    evidence_header: str  # how many files back the indicator's values
    spending_headers: tuple[str, ...]
    history_headers: tuple[str, ...]
    whole_plan: str  # the summary's first line, and the kind of line it is
    kind_strategy: str
    kind_division: str
    fiscal_year: str
    strategy_number: str
    report_period: str  # under the summary: the period the states are for
    as_of: str  # under the summary: when the figures were read
    plan_total: str  # the projects sheet's total row
    indicator_reported: str  # what a history line is
    indicator_undone: str
    spending_recorded: str
    spending_undone: str
    kinds: Mapping[str, str]  # outcome | output
    directions: Mapping[str, str]  # at_least | at_most | milestone
    units: Mapping[str, str]  # percent | level; other units are shown as the plan writes them
    verdicts: Mapping[str, str]  # done | on_track | behind | not_reported
    channels: Mapping[str, str]  # a channel's name -> its name in the sheet
    review_states: Mapping[str, str]  # submitted | verified | returned (takes {reason})
    period: Callable[[str], str]  # "2564-Q1" -> its name
    moment: Callable[[datetime], str]  # a time as a reader reads it (11 ม.ค. 2564 09:00)
    # the number format of the logs' time cells, which stay dates: the same reading as `moment`
    time_format: str
    # beside the divisions' summed budget when it exceeds the plan's: why ({sum}, {plan} in
    # million baht); a project shared by divisions counts in full for each of them
    division_sum_note: str = ""

    def __post_init__(self) -> None:
        for name, count in (
            ("summary_headers", SUMMARY_COLUMNS),
            ("project_headers", PROJECT_COLUMNS),
            ("indicator_headers", INDICATOR_COLUMNS),
            ("spending_headers", SPENDING_COLUMNS),
            ("history_headers", HISTORY_COLUMNS),
        ):
            if len(getattr(self, name)) != count:
                raise ValueError(f"{name} needs {count} headers")
