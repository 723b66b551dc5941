"""/due and /late on one phone screen: the answer first, one line per project (or division),
then buttons that lead on. The weekly reminders use the same lines (handlers/reminders.py)."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.buttons import DueList, ReportNow, ReportOn, RunCommand, encode
from handlers.due_words import (
    ReminderMessage,
    division_name,
    missing_line,
    period_of,
    when_line,
)
from handlers.formatting import day, esc, percent, shorten
from handlers.i18n import Translator
from handlers.request import Button
from plan_data.due import DivisionDue, InstituteDue, by_project, institute_due, seq_ranges

PROJECTS_SHOWN = 12  # project lines in /due; the rest are counted ("see all" lists them)
RETURNED_SHOWN = 3  # returned values listed one by one, with the reviewer's reason
LAGGING_NAMED = 3  # lagging projects named in the one spending line
NAME_SHOWN = 28  # characters of a project's name on its line
BUTTONS_PER_ROW = 3


def _rows(buttons: Sequence[Button], per_row: int = BUTTONS_PER_ROW) -> list[tuple[Button, ...]]:
    return [tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def render_due_answer(_: Translator, due: DivisionDue) -> ReminderMessage:
    """What a division owes for a period: how many indicators in how many projects and by
    when, one line per project, one line for spending behind its target; buttons to report
    now (every item in turn), to see the full list, and one per project."""
    lang = _.language
    projects = by_project(due.missing)
    lines = []
    if due.missing:
        lines.append(
            _(
                "due_answer_head",
                count=len(due.missing),
                projects=len(projects),
                date=day(due.period.internal_due, lang),
            )
        )
    else:
        lines.append(_("due_answer_spending_only", count=len(due.lagging)))
    lines.append(_("due_answer_division", division=division_name(_, due), period=period_of(_, due)))
    lines.append(when_line(_, due))
    if projects:
        lines.append("")
    for owed in projects[:PROJECTS_SHOWN]:
        name = owed.name_en if lang == "en" and owed.name_en else owed.name_th
        line = _(
            "due_project_line",
            code=esc(owed.code),
            name=esc(shorten(name, NAME_SHOWN)),
            numbers=seq_ranges(owed.seqs),
        )
        lines.append(line + (_("due_shared_mark") if owed.shared else ""))
    if len(projects) > PROJECTS_SHOWN:
        lines.append(_("due_more_projects", count=len(projects) - PROJECTS_SHOWN))
    returned = [item for owed in projects for item in owed.returned]
    for item in returned[:RETURNED_SHOWN]:
        lines.append(missing_line(_, item, shorten(item.text, NAME_SHOWN)))
    if due.lagging:
        named = ", ".join(
            f"{esc(p.code)} {percent(p.percent_spent, lang)}" for p in due.lagging[:LAGGING_NAMED]
        )
        more = len(due.lagging) - LAGGING_NAMED
        if more > 0:
            named += " " + _("due_lagging_more", count=more)
        target = percent(due.period.disbursement_target, lang)
        lines += ["", _("due_lagging_short", target=target, projects=named)]
    buttons: list[tuple[Button, ...]] = []
    key = due.division.key
    if due.missing:
        lines += ["", _("due_answer_footer")]
        buttons.append(
            (
                Button(_("button_report_now"), encode(ReportNow(key, due.period.key))),
                Button(_("button_see_all"), encode(DueList(key, 0))),
            )
        )
    codes = [owed.code for owed in projects[:PROJECTS_SHOWN]]
    buttons += _rows([Button(code, encode(ReportOn(code))) for code in codes])
    return ReminderMessage("\n".join(lines), tuple(buttons))


def institute_head(_: Translator, institute: InstituteDue) -> str:
    """The institute's total first: each indicator once, however many divisions share it."""
    return _(
        "late_head",
        period=period_of(_, institute),
        missing=institute.missing,
        total=institute.indicators,
        behind=len(institute.behind),
        divisions=len(institute.divisions),
    )


def render_late_answer(
    _: Translator, institutes: Sequence[InstituteDue], *, summary: bool = False
) -> ReminderMessage:
    """Who has not reported, one line per division (reported/owed, ✔ when done, shared
    indicators marked), the institute's total first; a button per division behind opens its
    /due."""
    blocks: list[str] = []
    buttons: list[Button] = []
    for institute in institutes:
        if not institute.behind:
            blocks.append(_("late_nobody", period=period_of(_, institute)))
            continue
        lines = [_("late_summary_prefix")] if summary else []
        lines.append(institute_head(_, institute))
        lines.append(when_line(_, institute.behind[0]))
        lines.append("")
        any_shared = False
        for due in institute.divisions:
            counts = {
                "division": division_name(_, due),
                "reported": due.reported,
                "total": due.indicators,
            }
            line = _("late_line_done" if not due.missing else "late_line", **counts)
            if due.shared:
                line += _("late_shared_mark", count=due.shared)
                any_shared = True
            lines.append(line)
        if any_shared:
            lines += ["", _("late_shared_note")]
        lines.append(_("late_buttons_hint"))
        blocks.append("\n".join(lines))
        for due in institute.behind:
            label = due.division.name_en if _.language == "en" else due.division.name_th
            data = encode(RunCommand(f"due {due.division.key}"))
            if data not in {b.data for b in buttons}:
                buttons.append(Button(label, data))
    return ReminderMessage("\n\n".join(blocks), tuple(_rows(buttons, 2)))


def missed_lines(
    _: Translator, missed: Sequence[DivisionDue], *, per_division: bool, planner: bool = False
) -> list[str]:
    """Closed periods never reported: one line per period (the institute's, each indicator
    once) or per division and period, and who may still record them (a planner: how)."""
    if not missed:
        return []
    lines = [""]
    if per_division:
        for due in missed:
            lines.append(
                _(
                    "missed_line",
                    period=period_of(_, due),
                    count=len(due.missing),
                    total=due.indicators,
                )
            )
    else:
        for institute in institute_due(missed):
            lines.append(
                _(
                    "missed_institute_line",
                    period=period_of(_, institute),
                    count=institute.missing,
                    divisions=len(institute.behind),
                )
            )
    lines.append(_("missed_planner_how" if planner else "missed_who_may"))
    return lines


def missed_compact(_: Translator, missed: Sequence[DivisionDue]) -> str | None:
    """The institute's closed periods never reported, on one line (for /summary)."""
    if not missed:
        return None
    items = [
        _("missed_compact_item", period=period_of(_, institute), count=institute.missing)
        for institute in institute_due(missed)
    ]
    return _("missed_compact", periods=" · ".join(items))
