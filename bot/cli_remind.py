"""`planbot remind preview|send --at MOMENT`: what the scheduler would send at a moment, to whom
(preview, nothing sent), or write that run's outbox and deliver it, then exit (send).
A moment on the weekly day (Monday by default) is the weekly run; --weekly/--no-weekly override.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import sys
from collections.abc import Sequence
from datetime import datetime, time

from bot.channels import how_to_configure
from bot.cli_moment import parse_moment
from bot.config import Settings
from bot.delivery import Delivery, configured_senders
from bot.scheduler import Schedule
from bot.setup import database_url, make_clock, open_database
from handlers.reminders import Outgoing, plan_round, unreachable, write_round
from plan_data.due import DivisionDue
from plan_data.fiscal import BANGKOK
from storage.db.database import Database
from storage.unit_of_work import UnitOfWork

TAG = re.compile(r"</?(b|i|code)>")


def register(subparsers: argparse._SubParsersAction) -> None:
    remind = subparsers.add_parser("remind", help="preview or send the reminders of a moment")
    actions = remind.add_subparsers(dest="remind_command", required=True)
    preview = actions.add_parser("preview", help="print what would be sent to whom; send nothing")
    send = actions.add_parser("send", help="write the outbox for the moment and deliver it")
    for parser in (preview, send):
        parser.add_argument(
            "--at",
            help="the moment, e.g. 2021-01-11T09:00+07:00, 2021-01-11T09:00 (Bangkok time), "
            "2564-01-11T09:00 (Buddhist era), or a day alone (2021-01-11: that day's reminder "
            "time); default: now, or PLANBOT_CLOCK",
        )
        weekly = parser.add_mutually_exclusive_group()
        weekly.add_argument(
            "--weekly",
            dest="weekly",
            action="store_true",
            default=None,
            help="treat it as the weekly run whatever the day",
        )
        weekly.add_argument(
            "--no-weekly",
            dest="weekly",
            action="store_false",
            help="only the daily reminders (due today, overdue, late summary)",
        )
    preview.set_defaults(handler=preview_command)
    send.add_argument(
        "--lease",
        type=float,
        default=60.0,
        help="seconds a claimed message stays reserved for this process (default 60)",
    )
    send.add_argument(
        "--timeout",
        type=float,
        default=900.0,
        help="give up waiting for retries after this many seconds (default 900)",
    )
    send.set_defaults(handler=send_command)


def _moment(args: argparse.Namespace, settings: Settings) -> datetime:
    """--at (a day alone is that day's reminder time: the weekly one on the weekly day, else
    the daily one), else PLANBOT_CLOCK or now."""
    if args.at is None:
        return make_clock(settings.clock)()
    typed = parse_moment(args.at)
    return typed.on(reminder_time(Schedule.from_settings(settings), typed.moment))


def reminder_time(schedule: Schedule, day: datetime) -> time:
    if schedule.weekly and schedule.is_weekly_day(day):
        return time(schedule.weekly[1], schedule.weekly[2])
    if schedule.daily:
        return time(*schedule.daily)
    return time(9, 0)


def _weekly(args: argparse.Namespace, settings: Settings, at: datetime) -> bool:
    if args.weekly is not None:
        return args.weekly
    return Schedule.from_settings(settings).is_weekly_day(at)


def plain(text: str) -> str:
    """The message as a terminal shows it: no HTML tags, entities decoded."""
    return html.unescape(TAG.sub("", text))


def describe(at: datetime, weekly: bool) -> str:
    local = at.astimezone(BANGKOK)
    run = "weekly run" if weekly else "daily run"
    return f"{local:%a %d %b %Y %H:%M} Asia/Bangkok ({run})"


def render_preview(
    messages: list[Outgoing], at: datetime, weekly: bool, unreached: Sequence[DivisionDue] = ()
) -> str:
    nobody = [
        f"{due.division.key} ({due.division.name_en}): something is due, but no chat reaches it "
        "(no linked group, and no member has opened a chat with the bot)"
        for due in unreached
    ]
    if not messages:
        if nobody:
            return f"At {describe(at, weekly)} nothing would be sent:\n" + "\n".join(nobody) + "\n"
        return f"At {describe(at, weekly)} nothing would be sent: nothing is due.\n"
    chats = {(m.target.channel, m.target.chat_id) for m in messages}
    lines = [
        f"At {describe(at, weekly)}: {len(messages)} messages to {len(chats)} chats "
        "(preview: nothing sent)",
        "",
    ]
    for m in messages:
        who = f"{m.target.channel}:{m.target.chat_id} ({m.target.label})"
        lines.append(f"=== to {who} · {m.kind} · {m.division} · {m.period} · key {m.key}")
        lines.append(plain(m.text))
        if m.buttons:
            lines.append("buttons: " + " ".join(f"[{label}]" for label, _data in m.buttons))
        lines.append("")
    lines.extend(nobody)
    return "\n".join(lines)


def preview_command(args: argparse.Namespace, settings: Settings) -> int:
    at = _moment(args, settings)
    weekly = _weekly(args, settings, at)
    db = open_database(database_url(settings))
    with UnitOfWork(db) as uow:
        messages = plan_round(uow, at, weekly=weekly)
        unreached = unreachable(uow, at, weekly=weekly)
    sys.stdout.write(render_preview(messages, at, weekly, unreached))
    return 0


def send_command(args: argparse.Namespace, settings: Settings) -> int:
    at = _moment(args, settings)
    weekly = _weekly(args, settings, at)
    db = open_database(database_url(settings))
    timeout = max(0.2, min(10.0, args.lease / 3))
    senders = configured_senders(settings, timeout=timeout)
    if not senders:
        print(
            "planbot remind send: no channel is configured; use `planbot remind preview` to "
            "see the messages, or configure one:\n" + how_to_configure("planbot"),
            file=sys.stderr,
        )
        return 2
    channels = [s.channel for s in senders]
    result = write_round(db, at, weekly=weekly, channels=channels)
    print(f"{describe(at, weekly)}: {result.planned} messages, {result.written} newly written")
    done = asyncio.run(_deliver(db, senders, args.lease, args.timeout))
    with UnitOfWork(db) as uow:
        counts = uow.outbox.status_counts(channels)
    print("outbox: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0 if done else 1


async def _deliver(db: Database, senders: list, lease: float, timeout: float) -> bool:
    delivery = Delivery(db, senders, lease=lease)
    try:
        done = await delivery.run_until_idle(timeout=timeout)
    finally:
        for sender in senders:
            close = getattr(sender, "close", None)
            if close is not None:
                await close()
    stats = delivery.stats
    print(
        f"delivered {stats.sent}, retried {stats.retried} (429: {stats.rate_limited}, "
        f"no answer: {stats.unsure}), blocked {stats.blocked}, failed {stats.failed}"
    )
    for error in stats.errors[:10]:
        print(f"  failed: {error}", file=sys.stderr)
    return done
