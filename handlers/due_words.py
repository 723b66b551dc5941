"""The words every list of what is owed shares (the /due and /late answers, the weekly
reminder and its card): a reminder's title, a division's and a period's name, when it is due,
one owed item, the institute-wide line and the button to every division's list."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.buttons import RunCommand, encode
from handlers.formatting import day, esc, shorten
from handlers.i18n import Translator
from handlers.naming import period_name
from handlers.request import Button, Card
from handlers.review_marks import REASON_SHOWN
from plan_data.due import DivisionDue, InstituteDue, MissingIndicator

TITLES = {
    "weekly": "remind_title_weekly",
    "due_today": "remind_title_due_today",
    "overdue": "remind_title_overdue",
}


@dataclass(frozen=True)
class ReminderMessage:
    text: str
    buttons: tuple[tuple[Button, ...], ...]
    card: Card | None = None  # the same reminder as a card (a Flex message in LINE)


def missing_line(_: Translator, item: MissingIndicator, shown: str) -> str:
    """One owed indicator (its text cut to `shown`); a returned one with ↩ and the reviewer's
    reason, escaped."""
    text = esc(shown)
    if item.returned is None:
        return _("due_missing_line", code=esc(item.code), number=item.seq, text=text)
    reason = esc(shorten(item.returned, REASON_SHOWN))
    return _("due_returned_line", code=esc(item.code), number=item.seq, text=text, reason=reason)


def division_name(_: Translator, due: DivisionDue) -> str:
    ref = due.division
    return esc(ref.name_en if _.language == "en" and ref.name_en else ref.name_th)


def period_of(_: Translator, due: DivisionDue | InstituteDue) -> str:
    return period_name(_, due.period.key)


def when_line(_: Translator, due: DivisionDue) -> str:
    lang, period = _.language, due.period
    if due.state == "open":
        return _("due_when_open", date=day(period.internal_due, lang), days=due.days_left)
    if due.state == "due_today":
        return _("due_when_today", date=day(period.internal_due, lang))
    return _(
        "due_when_overdue",
        date=day(period.internal_due, lang),
        days=-due.days_left,
        period=period_name(_, period.key),
        deadline=day(period.external_due, lang),
    )


def institute_line(_: Translator, institute: InstituteDue) -> str:
    """The institute-wide line the planning division's own reminder carries."""
    return _(
        "remind_institute_line",
        missing=institute.missing,
        total=institute.indicators,
        behind=len(institute.behind),
    )


def late_button(_: Translator) -> Button:
    return Button(_("button_all_divisions"), encode(RunCommand("late")))
