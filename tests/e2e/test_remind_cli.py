"""`planbot remind preview`: what would be sent to whom at a known moment, and nothing sent;
the weekly schedule and its catch-up after a missed run."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.cli import main
from bot.config import Settings
from bot.scheduler import DAILY, WEEKLY, ReminderScheduler, Schedule, previous_fire
from handlers.context import Services
from plan_data.fiscal import BANGKOK
from storage.db.database import Database
from storage.unit_of_work import UnitOfWork
from tests.support.catalog import en, plain, th
from tests.support.remind_setup import JAN_11, at, group, member, report_everything


def _preview(db: Database, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["--database-url", db.url, "remind", "preview", *extra]) == 0
    return capsys.readouterr().out


def test_preview_prints_each_message_and_its_recipient(
    plan_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    group(plan_db, -100, "research")
    member(plan_db, 21, "gem_testing", language="en", name="Anong")
    member(plan_db, 22, None, role="admin", name="Admin")
    report_everything(plan_db, "training", "2564-Q1", JAN_11)
    out = _preview(plan_db, capsys, "--at", "2021-01-11T09:00+07:00")
    lines = out.splitlines()
    assert lines[0] == (
        "At Mon 11 Jan 2021 09:00 Asia/Bangkok (weekly run): "
        "3 messages to 3 chats (preview: nothing sent)"
    )
    headers = [line for line in lines if line.startswith("=== ")]
    assert headers == [
        "=== to telegram:21 (member Anong) · overdue · gem_testing · 2564-Q1 · "
        "key overdue:gem_testing:2564-Q1:2021-W02:telegram:21",
        "=== to telegram:-100 (group of research) · overdue · research · 2564-Q1 · "
        "key overdue:research:2564-Q1:2021-W02:telegram:-100",
        "=== to telegram:22 (admin Admin) · late · all · 2564-Q1 · "
        "key late:all:2564-Q1:2021-W02:telegram:22",
    ]
    q1_th = th("period_quarter", quarter=1, year=2564)
    q1_en = en("period_quarter", quarter=1, year=2564)
    research = th("remind_title_overdue", period=q1_th, division="ฝ่ายวิจัยและพัฒนา")
    assert plain(research) + "\n" in out
    assert f"buttons: [{th('button_report_now')}] [{th('button_see_all')}]\n" in out
    gem_testing = en("remind_title_overdue", period=q1_en, division="Gem Testing Division")
    assert plain(gem_testing) + "\n" in out
    assert f"buttons: [{en('button_report_now')}] [{en('button_see_all')}]" in out
    assert plain(th("late_summary_prefix")) + "\n" in out
    # training reported everything: one line with ✔, nothing listed for it
    assert plain(th("late_line_done", division="ฝ่ายฝึกอบรม", reported=31, total=31)) in out
    assert f"[{th('button_all_divisions')}]" not in out  # the admin is in no division
    with UnitOfWork(plan_db) as uow:
        assert uow.outbox.rows() == []  # a preview writes nothing


def test_preview_of_a_moment_with_nothing_due(
    plan_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    group(plan_db, -100, "research")
    out = _preview(plan_db, capsys, "--at", "2021-10-18T09:00")
    assert (
        out
        == "At Mon 18 Oct 2021 09:00 Asia/Bangkok (weekly run) nothing would be sent: nothing is due.\n"
    )


def test_a_daily_moment_sends_no_weekly_reminder(
    plan_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    group(plan_db, -100, "research")
    tuesday = _preview(plan_db, capsys, "--at", "2021-03-30T09:00+07:00")
    assert "nothing would be sent" in tuesday and "(daily run)" in tuesday
    forced = _preview(plan_db, capsys, "--at", "2021-03-30T09:00+07:00", "--weekly")
    assert "key weekly:research:2564-Q2:2021-W13:telegram:-100" in forced
    months_ahead = _preview(plan_db, capsys, "--at", "2021-01-19T09:00+07:00", "--weekly")
    assert "nothing would be sent" in months_ahead  # Q2 is due on 7 Apr: too early to remind


def test_weekly_schedule_is_monday_nine_in_bangkok() -> None:
    triggers = Schedule().triggers()
    fired = previous_fire(triggers[WEEKLY], at("2021-01-13 12:00"))
    assert fired == at("2021-01-11 09:00")
    assert previous_fire(triggers[DAILY], at("2021-01-13 08:59")) == at("2021-01-12 09:00")
    assert Schedule.from_settings(Settings.from_env({})).is_weekly_day(at("2021-01-18 00:30"))


def _scheduler(services: Services, now: datetime) -> ReminderScheduler:
    return ReminderScheduler(services, ("telegram",), schedule=Schedule(), now=lambda: now)


def test_a_missed_weekly_run_is_caught_up_once(services: Services) -> None:
    db = services.db
    group(db, -100, "research")
    group(db, -300, "gem_testing")
    report_everything(db, "gem_testing", "2564-Q2", JAN_11)  # nothing due for gem_testing
    tuesday = at("2021-03-30 10:00")  # the bot was down on Monday 29 Mar 09:00
    services.clock = lambda: tuesday
    with UnitOfWork(db) as uow:
        uow.outbox.record_run(WEEKLY, at("2021-03-22 09:00"))
        uow.outbox.record_run(DAILY, at("2021-03-30 09:00"))
    assert _scheduler(services, tuesday.astimezone(UTC)).catch_up() == [WEEKLY]
    with UnitOfWork(db) as uow:
        keys = [row.key for row in uow.outbox.rows()]
        assert uow.outbox.last_run(WEEKLY) == tuesday
    assert keys == [
        "weekly:research:2564-Q2:2021-W13:telegram:-100",
    ]
    # Restarted an hour later (or a second instance): nothing is caught up again.
    later = at("2021-03-30 11:00")
    assert _scheduler(services, later).catch_up() == []
    with UnitOfWork(db) as uow:
        assert len(uow.outbox.rows()) == 1


def test_the_first_start_is_not_a_missed_run(services: Services) -> None:
    group(services.db, -100, "research")
    now = datetime(2021, 1, 19, 3, 0, tzinfo=UTC)
    assert _scheduler(services, now).catch_up() == []
    with UnitOfWork(services.db) as uow:
        assert uow.outbox.rows() == []
        assert uow.outbox.last_run(WEEKLY) == now
        assert uow.outbox.last_run(DAILY) == now


async def test_scheduler_starts_with_both_jobs(services: Services) -> None:
    reminders = _scheduler(services, datetime.now(UTC))
    await reminders.start()
    try:
        assert reminders.scheduler is not None
        weekly = reminders.scheduler.get_job(WEEKLY).next_run_time.astimezone(BANGKOK)
        daily = reminders.scheduler.get_job(DAILY).next_run_time.astimezone(BANGKOK)
    finally:
        await reminders.stop()
    assert (weekly.weekday(), weekly.hour, weekly.minute) == (0, 9, 0)
    assert (daily.hour, daily.minute) == (9, 0)
