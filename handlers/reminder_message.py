"""The reminder a division gets: ONE message a phone shows on one screen — the period, the due
date and days left, how many indicators and spending figures are missing, the few most urgent
items, and buttons: report now (one item after another), see all (the full list, a page at a
time) and, when there are few, one per project."""

from __future__ import annotations

from handlers.buttons import DueList, ReportNow, ReportOn, encode
from handlers.cards import plain
from handlers.due_words import (
    TITLES,
    ReminderMessage,
    division_name,
    institute_line,
    late_button,
    missing_line,
    when_line,
)
from handlers.formatting import esc, percent, shorten
from handlers.i18n import Translator
from handlers.naming import period_name
from handlers.request import Button, Card, CardRow
from handlers.review_marks import REASON_SHOWN
from plan_data.due import DivisionDue, InstituteDue, MissingIndicator

URGENT_SHOWN = 5  # items listed in the reminder itself
PROJECT_BUTTONS = 3  # per-project buttons when the missing items are in this few projects
URGENT_TAGS = ("สงป.", "ก.พ.ร.")  # indicators the Budget Bureau and OPDC receive come first
ITEM_TEXT = 60


def most_urgent(missing: tuple[MissingIndicator, ...]) -> list[MissingIndicator]:
    """Values a reviewer returned first (someone is waiting for them), then Budget Bureau and
    OPDC indicators, then plan order."""
    return sorted(
        missing,
        key=lambda item: (item.returned is None, not any(t in URGENT_TAGS for t in item.tags)),
    )


def _after_items(urgent: list[MissingIndicator]) -> int:
    """Where the lines after the listed items start: title, when, counts, then a blank line
    and the items when there are any."""
    return 4 + min(len(urgent), URGENT_SHOWN) if urgent else 3


def render_reminder(
    _: Translator, due: DivisionDue, kind: str, institute: InstituteDue | None = None
) -> ReminderMessage:
    """The division's reminder; with `institute` (the planning division's, when others are
    late), the institute-wide line and a button to every division's state, in the same one
    message."""
    period = period_name(_, due.period.key)
    lines = [_(TITLES.get(kind, "due_title"), period=period, division=division_name(_, due))]
    lines.append(when_line(_, due))
    if due.spending_compared:
        lines.append(
            _(
                "remind_counts",
                missing=len(due.missing),
                total=due.indicators,
                lagging=len(due.lagging),
            )
        )
    else:  # no target applies yet: no reassuring "0 projects behind"
        lines.append(_("remind_counts_open", missing=len(due.missing), total=due.indicators))
    urgent = most_urgent(due.missing)
    if urgent:
        lines.append("")
        for item in urgent[:URGENT_SHOWN]:
            lines.append(missing_line(_, item, shorten(item.text, ITEM_TEXT)))
        if len(urgent) > URGENT_SHOWN:
            lines.append(_("remind_and_more", count=len(urgent) - URGENT_SHOWN))
    if due.lagging:
        lines.append("")
    for project in due.lagging[:2]:
        lines.append(
            _(
                "remind_lagging_line",
                code=esc(project.code),
                percent=percent(project.percent_spent, _.language),
                target=percent(project.target, _.language),
            )
        )
    if len(due.lagging) > 2:
        lines.append(_("remind_and_more", count=len(due.lagging) - 2))
    if institute is not None and institute.behind:
        lines += ["", institute_line(_, institute)]
    buttons: list[tuple[Button, ...]] = []
    key, period_key = due.division.key, due.period.key
    if due.missing:
        buttons.append((Button(_("button_report_now"), encode(ReportNow(key, period_key))),))
    buttons.append((Button(_("button_see_all"), encode(DueList(key, 0))),))
    codes = list(dict.fromkeys(item.code for item in due.missing))
    if 0 < len(codes) <= PROJECT_BUTTONS:
        buttons.append(tuple(Button(code, encode(ReportOn(code))) for code in codes))
    if institute is not None and institute.behind:
        buttons.append((late_button(_),))
    card = Card(
        title=lines[0].replace("<b>", "").replace("</b>", ""),
        subtitle=plain(lines[1]),
        alt_text=plain(lines[0]),
        rows_title=plain(lines[2]),
        rows=tuple(_card_row(_, item) for item in urgent[:URGENT_SHOWN]),
        notes=tuple(plain(line) for line in lines[_after_items(urgent) :] if line),
        buttons=tuple(b for row in buttons for b in row),
    )
    return ReminderMessage("\n".join(lines), tuple(buttons), card)


def _card_row(_: Translator, item: MissingIndicator) -> CardRow:
    text = shorten(item.text, ITEM_TEXT)
    if item.returned is None:
        return CardRow(
            f"{item.code} · {item.seq}", text, None, "not_reported", _("card_verdict_not_reported")
        )
    reason = _("mark_returned", reason=shorten(item.returned, REASON_SHOWN))
    return CardRow(
        f"{item.code} · {item.seq}",
        f"{text} · {reason}",
        None,
        "behind",
        _("card_verdict_returned"),
    )
