"""What is due, /due, /late, /status's next due date, who hears about it, and which reminders
a scheduler run produces on each day around a due date."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.reminders import plan_round, write_round
from handlers.request import Request
from storage.plan_io.loader import load_plan_file
from storage.repositories.dues import division_chats, dues_at, late_summary_chats
from storage.unit_of_work import UnitOfWork
from tests.support.catalog import contains, en, th
from tests.support.entries import add_spending
from tests.support.plan_support import shipped_plan, write_yaml
from tests.support.remind_setup import JAN_11, at, group, member, report_everything

Q1, Q2 = (th("period_quarter", quarter=q, year=2564) for q in (1, 2))


def _say(
    services: Services, user: int, text: str, moment: str = "2021-01-11 09:00", language: str = "th"
) -> str:
    request = Request("telegram", str(user), str(user), text=text, language=language, at=at(moment))
    return "\n".join(reply.text for reply in dispatch(request, services))


def _research(services: Services, moment: str = "2021-01-11 09:00"):
    with services.db.session() as session:
        [due] = dues_at(session, at(moment), "research")
    return due


def test_missing_indicators_and_lagging_spending_for_a_division(services: Services) -> None:
    due = _research(services)
    assert (due.period.key, due.state, due.days_left) == ("2564-Q1", "overdue", -4)
    assert (len(due.missing), due.indicators) == (26, 26)
    assert ("STR114/64", 2) in {(m.code, m.seq) for m in due.missing}
    assert "STR114/64" in {p.code for p in due.lagging}
    member(services.db, 7, "research")
    _say(services, 7, "/update STR114/64 2 80")
    with services.db.session() as session:
        add_spending(
            session,
            code="STR114/64",
            amount=Decimal(1_600_000),
            period="2564-Q1",
            person_id=None,
            channel="telegram",
        )
    due = _research(services)
    assert len(due.missing) == 25
    assert ("STR114/64", 2) not in {(m.code, m.seq) for m in due.missing}
    # 1.6 of 5 million is 32 %: on the cabinet's Q1 target, no longer lagging.
    assert "STR114/64" not in {p.code for p in due.lagging}
    [lag] = [p for p in due.lagging if p.code == "STR113/64"]
    assert (lag.percent_spent, lag.target) == (Decimal(0), Decimal(32))


def test_a_report_for_another_period_does_not_count(services: Services) -> None:
    member(services.db, 7, "research")
    _say(services, 7, "/update STR114/64 2 80", moment="2021-01-16 09:00")  # counts for Q2
    assert ("STR114/64", 2) in {(m.code, m.seq) for m in _research(services).missing}


def test_state_around_the_due_date(services: Services) -> None:
    states = [(_research(services, f"2021-01-{d:02d} 09:00").state) for d in (6, 7, 8)]
    assert states == ["open", "due_today", "overdue"]
    assert _research(services, "2021-01-06 09:00").days_left == 1


def test_due_command_answers_first_and_groups_by_project(services: Services) -> None:
    member(services.db, 7, "research")
    text = _say(services, 7, "/due")
    lines = text.split("\n")
    assert lines[0] == th("due_answer_head", count=26, projects=6, date="7 ม.ค. 2564")
    assert lines[1] == th("due_answer_division", division="ฝ่ายวิจัยและพัฒนา", period=Q1)
    overdue = th("due_when_overdue", date="7 ม.ค. 2564", days=4, period=Q1, deadline="15 ม.ค. 2564")
    assert lines[2] == overdue
    assert contains(text, "due_project_line", code="STR113/64", numbers="1–12")
    assert contains(text, "due_project_line", code="SEC113_4/64", numbers="1, 2")
    assert "/update" not in text and len(lines) <= 25
    english = _say(services, 7, "/due", moment="2021-01-04 09:00", language="en")
    assert en("due_when_open", date="7 Jan 2021", days=3) in english
    assert english.startswith(en("due_answer_head", count=26, projects=6, date="7 Jan 2021"))


def test_due_for_a_division_that_reported_everything(services: Services) -> None:
    member(services.db, 7, "gem_testing")
    report_everything(services.db, "gem_testing", "2564-Q1", JAN_11)
    assert _say(services, 7, "/due") == th(
        "due_nothing", division="ฝ่ายตรวจสอบอัญมณี", period=Q1, date="7 ม.ค. 2564"
    )
    assert th("due_no_period") in _say(services, 7, "/due", "2021-10-20 09:00")


def test_late_is_for_planners_one_line_per_division_total_first(services: Services) -> None:
    member(services.db, 7, "research")
    member(services.db, 8, "planning", role="planner")
    assert _say(services, 7, "/late") == th("not_allowed_command", command="late")
    report_everything(services.db, "gem_testing", "2564-Q1", JAN_11)
    text = _say(services, 8, "/late", language="en")
    lines = text.split("\n")
    # gem_testing's 7 reported (3 of them in a project shared with training and business)
    period = en("period_quarter", quarter=1, year=2564)
    assert lines[0] == en(
        "late_head", period=period, missing=140, total=147, behind=10, divisions=11
    )
    research = "Research and Development Division"
    assert (
        en("late_line", division=research, reported=0, total=26) + en("late_shared_mark", count=3)
        in lines
    )
    assert (
        en("late_line_done", division="Gem Testing Division", reported=7, total=7)
        + en("late_shared_mark", count=3)
        in lines
    )
    assert "STR114/64" not in text and len(lines) <= 25


def test_status_shows_the_next_due_date(services: Services) -> None:
    member(services.db, 7, "research")
    early = _say(services, 7, "/status STR114/64", moment="2021-01-05 09:00")
    assert th("status_next_due", period=Q1, date="7 ม.ค. 2564") in early
    after_deadline = _say(services, 7, "/status STR114/64", moment="2021-01-16 09:00")
    assert th("status_next_due", period=Q2, date="7 เม.ย. 2564") in after_deadline


def test_who_hears_about_it(services: Services) -> None:
    db = services.db
    group(db, -100, "research")
    group(db, -200, "training")
    member(db, 7, "research", language="en")
    member(db, 8, "training")
    member(db, 9, "planning", role="planner")
    member(db, 10, None, role="admin")
    blocked = member(db, 11, "research")
    with UnitOfWork(db) as uow:
        uow.people.add("telegram", "12", "member", "research")  # never wrote to us
    with db.session() as session:
        from storage.db.models import Chat

        chat = session.query(Chat).filter_by(person_id=blocked).one()
        chat.blocked_at = JAN_11
    with db.session() as session:
        research = division_chats(session, "research")
        summary = late_summary_chats(session)
    assert [(t.chat_id, t.is_group, t.language) for t in research] == [
        ("-100", True, None),
        ("7", False, "en"),
    ]
    assert [t.chat_id for t in summary] == ["9", "10"]


def _planning_division_is(services: Services, tmp_path: Path, key: str | None) -> None:
    """Load the shipped plan with `plans: true` on `key` (on none for None)."""
    data: dict[str, Any] = shipped_plan()
    for division in data["divisions"]:
        division.pop("plans", None)
        if division["key"] == key:
            division["plans"] = True
    assert load_plan_file(services.db, write_yaml(tmp_path, data)).written


def _round(services: Services) -> dict[str, list[tuple[str, str, bool]]]:
    """Per chat: (kind, division, whether it says how the whole institute stands) of each
    message a weekly run on 11 Jan writes."""
    institute = th("remind_institute_line", missing=147, total=147, behind=11)
    with services.db.session() as session:
        planned = plan_round(UnitOfWork(session=session), JAN_11, weekly=True)
    result: dict[str, list[tuple[str, str, bool]]] = {}
    for m in planned:
        if m.part == 1:
            said = (m.kind, m.division, institute in m.text or m.kind == "late")
            result.setdefault(m.target.chat_id, []).append(said)
    return result


def test_the_division_the_plan_flags_as_planning_hears_who_is_late(
    services: Services, tmp_path: Path
) -> None:
    group(services.db, -100, "planning")
    group(services.db, -200, "training")
    member(services.db, 10, None, role="admin")
    with services.db.session() as session:
        assert [t.chat_id for t in late_summary_chats(session)] == ["-100", "10"]
    assert _round(services) == {
        "-100": [("overdue", "planning", True)],  # its own reminder says who is late (ONE message)
        "-200": [("overdue", "training", False)],
        "10": [("late", "all", True)],
    }
    _planning_division_is(services, tmp_path, "training")
    with services.db.session() as session:
        assert [t.chat_id for t in late_summary_chats(session)] == ["-200", "10"]
    assert _round(services) == {
        "-100": [("overdue", "planning", False)],
        "-200": [("overdue", "training", True)],
        "10": [("late", "all", True)],
    }


def test_without_a_planning_division_only_planners_and_admins_hear_who_is_late(
    services: Services, tmp_path: Path
) -> None:
    group(services.db, -100, "planning")
    member(services.db, 9, "planning", role="planner")
    member(services.db, 10, None, role="admin")
    _planning_division_is(services, tmp_path, None)
    with services.db.session() as session:
        assert [t.chat_id for t in late_summary_chats(session)] == ["9", "10"]
    assert _round(services) == {
        "-100": [("overdue", "planning", False)],
        "9": [("overdue", "planning", False), ("late", "all", True)],
        "10": [("late", "all", True)],
    }


def test_which_reminders_each_run_writes_around_a_due_date(services: Services) -> None:
    db = services.db
    group(db, -100, "research")
    member(db, 9, "planning", role="planner")

    def run(moment: str, weekly: bool) -> list[str]:
        before = _keys(services)
        write_round(db, at(moment), weekly=weekly)
        return sorted(k for k in _keys(services) - before if not re.search(r":p\d+$", k))

    assert run("2021-01-04 09:00", weekly=True) == [
        "weekly:planning:2564-Q1:2021-W01:telegram:9",
        "weekly:research:2564-Q1:2021-W01:telegram:-100",
    ]
    assert run("2021-01-05 09:00", weekly=False) == []  # a daily run before the due day
    assert run("2021-01-07 09:00", weekly=False) == [
        "due_today:planning:2564-Q1:2021-01-07:telegram:9",
        "due_today:research:2564-Q1:2021-01-07:telegram:-100",
    ]
    # the planner is in the planning division: its own reminder carries who is late (ONE message)
    assert run("2021-01-08 09:00", weekly=False) == [
        "overdue:planning:2564-Q1:2021-W01:telegram:9",
        "overdue:research:2564-Q1:2021-W01:telegram:-100",
    ]
    assert run("2021-01-09 09:00", weekly=False) == []  # once a week, not every day
    assert run("2021-01-11 09:00", weekly=True) == [
        "overdue:planning:2564-Q1:2021-W02:telegram:9",
        "overdue:research:2564-Q1:2021-W02:telegram:-100",
    ]
    assert run("2021-01-11 10:00", weekly=True) == []  # a rerun writes nothing new
    assert run("2021-01-16 09:00", weekly=False) == []  # Q1 closed, Q2 not yet due


def _keys(services: Services) -> set[str]:
    with UnitOfWork(services.db) as uow:
        return {r.key for r in uow.outbox.rows()}


def test_no_reminder_for_a_division_with_nothing_due(services: Services) -> None:
    db = services.db
    group(db, -100, "research")
    group(db, -300, "gem_testing")
    member(db, 30, "gem_testing")
    report_everything(db, "gem_testing", "2564-Q1", JAN_11)
    with db.session() as session:
        planned = plan_round(UnitOfWork(session=session), JAN_11, weekly=True)
    assert {m.target.chat_id for m in planned} == {"-100"}
    assert {m.division for m in planned} == {"research"}


def test_status_shows_an_overdue_period_still_open_then_the_next_due_date(
    services: Services,
) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", "801", "member", "research", "Due")
    on_jan_11 = dispatch(Request("telegram", "801", "801", text="/status STR114/64"), services)
    text = "\n".join(r.text for r in on_jan_11)
    assert th("status_overdue", period=Q1, date="7 ม.ค. 2564", until="15 ม.ค. 2564") in text
    later = replace(services, clock=lambda: at("2021-02-01 09:00"))
    on_feb_1 = dispatch(Request("telegram", "801", "801", text="/status STR114/64"), later)
    text = "\n".join(r.text for r in on_feb_1)
    assert th("status_next_due", period=Q2, date="7 เม.ย. 2564") in text
    assert not contains(text, "status_overdue")
