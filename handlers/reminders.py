"""Reminders, platform-neutral: which messages a scheduler run at a moment produces, for whom,
and their texts (the same texts /due and /late show). bot/ only schedules and delivers them.

Kinds, each keyed so a rerun in the same week (or on the same day) writes nothing new:
- weekly: on the weekly run, to each division with something due before its internal due date;
- due_today: on the internal due date itself;
- overdue: after the due date while indicators are still missing (at most once a week);
- late: one summary a week to the planning division and admins of who is late.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from handlers.cards import card_to_dict
from handlers.due_view import render_late_answer
from handlers.due_words import TITLES, ReminderMessage, division_name, missing_line, when_line
from handlers.formatting import day, esc, money, percent, shorten
from handlers.i18n import Translator, language_of
from handlers.naming import period_name
from handlers.paging import split_message
from handlers.reminder_message import render_reminder
from plan_data.due import DivisionDue, institute_due
from plan_data.fiscal import local_day
from storage.db.database import Database
from storage.outbox import NewMessage
from storage.repositories.dues import ChatTarget
from storage.unit_of_work import UnitOfWork

SHORT_TEXT = 90


@dataclass(frozen=True)
class Outgoing:
    """One message of a run: where it goes and what it says, under its outbox key."""

    key: str
    base_key: str  # the key of the whole message; its first part carries it alone
    kind: str
    division: str
    period: str
    target: ChatTarget
    text: str
    part: int = 1
    buttons: tuple[tuple[str, str], ...] = ()  # (label, button data), one row each
    card: dict[str, object] | None = None  # the reminder as a card, for channels that draw one

    def as_new_message(self) -> NewMessage:
        payload: dict[str, object] = {
            "parse_mode": "HTML",
            "is_group": self.target.is_group,
            "kind": self.kind,
            "division": self.division,
            "period": self.period,
            "part": self.part,
        }
        if self.buttons:
            payload["buttons"] = [list(button) for button in self.buttons]
        if self.card is not None:
            payload["card"] = self.card
        return NewMessage(self.key, self.target.channel, self.target.chat_id, self.text, payload)


def _short(text: str) -> str:
    return shorten(text, SHORT_TEXT)


def render_due(
    _: Translator,
    due: DivisionDue,
    kind: str | None = None,
    *,
    page_of: tuple[int, int] | None = None,
) -> str:
    """What a division owes for a period, with the exact command to report each item; with
    `page_of` (first item, all items), one page of the full list."""
    lang = _.language
    period = period_name(_, due.period.key)
    division = division_name(_, due)
    if not due.anything_due:
        return _(
            "due_nothing", division=division, period=period, date=day(due.period.internal_due, lang)
        )
    title = TITLES.get(kind or "", "due_title")
    if page_of is not None:
        first, total = page_of
        lines = [
            _(
                "due_page_title",
                division=division,
                period=period,
                first=first + 1,
                last=first + len(due.missing),
                total=total,
            ),
            when_line(_, due),
        ]
    else:
        lines = [_(title, period=period, division=division), when_line(_, due)]
        lines.append(_("due_external", date=day(due.period.external_due, lang)))
    value = esc(f"<{_('value_placeholder')}>")
    if due.missing and page_of is None:
        lines += ["", _("due_missing_title", count=len(due.missing), total=due.indicators)]
    elif due.missing:
        lines.append("")
    if due.missing:
        for item in due.missing:
            code = esc(item.code)
            lines.append(missing_line(_, item, _short(item.text)))
            lines.append(f"  <code>/update {code} {item.seq} {value}</code>")
    if due.lagging and (page_of is None or page_of[0] == 0):
        target = percent(due.period.disbursement_target, lang)
        lines += ["", _("due_lagging_title", target=target, period=period)]
        amount = esc(f"<{_('amount_placeholder')}>")
        for project in due.lagging:
            code = esc(project.code)
            lines.append(
                _(
                    "due_lagging_line",
                    code=code,
                    spent=money(project.spent, lang),
                    allocated=money(project.allocated, lang),
                    percent=percent(project.percent_spent, lang),
                )
            )
            lines.append(f"  <code>/spend {code} {amount}</code>")
    lines += ["", _("due_footer")]
    return "\n".join(lines)


def week_of(today: date) -> str:
    year, week, _weekday = today.isocalendar()
    return f"{year}-W{week:02d}"


def plan_round(
    uow: UnitOfWork,
    at: datetime,
    *,
    weekly: bool,
    channels: Sequence[str] | None = None,
    dues: list[DivisionDue] | None = None,
) -> list[Outgoing]:
    """Every message a scheduler run at `at` would send (weekly: whether it is the weekly run)."""
    dues = uow.dues.at(at) if dues is None else dues
    today = local_day(at)
    week = week_of(today)
    result: list[Outgoing] = []
    late = {i.period.key: i for i in institute_due(dues) if any(d.late for d in i.divisions)}
    told: dict[str, set[tuple[str, str]]] = defaultdict(set)  # period -> chats the planning
    for due in dues:  # division's own reminder already tells who is late (ONE message there)
        kind = due.reminder(weekly)
        if kind is None:
            continue
        stamp = today.isoformat() if kind == "due_today" else week
        base = f"{kind}:{due.division.key}:{due.period.key}:{stamp}"
        targets = uow.dues.division_chats(due.division.key)
        institute = late.get(due.period.key) if due.division.plans else None
        if institute is not None:
            told[due.period.key] |= {(t.channel, t.chat_id) for t in targets}
        result += _messages(
            base,
            kind,
            due.division.key,
            due.period.key,
            targets,
            channels,
            partial(render_reminder, due=due, kind=kind, institute=institute),
        )
    for period_key, institute in late.items():
        base = f"late:all:{period_key}:{week}"
        targets = [
            t
            for t in uow.dues.late_summary_chats()
            if (t.channel, t.chat_id) not in told[period_key]
        ]
        result += _messages(
            base,
            "late",
            "all",
            period_key,
            targets,
            channels,
            partial(render_late_answer, institutes=[institute], summary=True),
        )
    return result


def unreachable(uow: UnitOfWork, at: datetime, *, weekly: bool) -> list[DivisionDue]:
    """Divisions a run would remind that have no chat to reach (no linked group, and no member
    has opened a chat with the bot): the preview names them instead of claiming nothing is due."""
    return [
        due
        for due in uow.dues.at(at)
        if due.reminder(weekly) is not None and not uow.dues.division_chats(due.division.key)
    ]


def _messages(
    base: str,
    kind: str,
    division: str,
    period: str,
    targets: list[ChatTarget],
    channels: Sequence[str] | None,
    render: Callable[[Translator], str | ReminderMessage],
) -> list[Outgoing]:
    texts: dict[str, tuple[list[str], tuple[tuple[str, str], ...], dict[str, object] | None]] = {}
    result = []
    for target in targets:
        if channels is not None and target.channel not in channels:
            continue
        language = language_of(target)  # the rule replies follow
        if language not in texts:
            made = render(Translator(language))
            if isinstance(made, ReminderMessage):
                flat = tuple((b.label, b.data) for row in made.buttons for b in row)
                card = card_to_dict(made.card) if made.card is not None else None
                texts[language] = (split_message(made.text), flat, card)
            else:
                texts[language] = (split_message(made), (), None)
        parts, buttons, card = texts[language]
        key = f"{base}:{target.channel}:{target.chat_id}"
        for number, text in enumerate(parts, 1):
            part_key = key if number == 1 else f"{key}:p{number}"
            last = number == len(parts)
            result.append(
                Outgoing(
                    part_key,
                    key,
                    kind,
                    division,
                    period,
                    target,
                    text,
                    number,
                    buttons if last else (),
                    card if len(parts) == 1 else None,
                )
            )
    return result


@dataclass(frozen=True)
class RoundResult:
    planned: int  # messages the run produced
    written: int  # new outbox rows (the rest were written by an earlier run)


def write_round(
    db: Database, at: datetime, *, weekly: bool, channels: Sequence[str] | None = None
) -> RoundResult:
    """Write a run's messages to the outbox. A message already written (by an earlier run, a
    catch-up or another instance) is skipped whole, every part of it."""
    with UnitOfWork(db) as uow:
        planned = plan_round(uow, at, weekly=weekly, channels=channels)
        done = uow.outbox.existing_keys(sorted({o.base_key for o in planned}))
        fresh = [o.as_new_message() for o in planned if o.base_key not in done]
        written = uow.outbox.enqueue(fresh)
    return RoundResult(len(planned), written)
