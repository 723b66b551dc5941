"""Every answer on one phone screen (issue 20): /due grouped by project with the answer first
and buttons, /late one line per division with the institute's total first, and the planning
division's ONE weekly message — at 11 Jan 2021 (Q1 due 7 Jan, nothing reported)."""

from __future__ import annotations

from handlers.buttons import DueList, ReportNow, ReportOn, RunCommand, decode, encode
from handlers.context import Services
from handlers.reminders import plan_round
from handlers.request import Reply
from storage.unit_of_work import UnitOfWork
from tests.support.catalog import contains, plain, th
from tests.support.handler_helpers import ask
from tests.support.remind_setup import JAN_11, at, member

SCREEN = 25  # lines a phone shows without scrolling
HEAD, PLANNER = "9001", "9002"


def _people(services: Services) -> None:
    member(services.db, int(HEAD), "research", role="head", name="Head")
    member(services.db, int(PLANNER), "planning", role="planner", name="Planner")


def _one(replies: list[Reply]) -> Reply:
    assert len(replies) == 1, [r.text for r in replies]
    return replies[0]


def _lines(text: str) -> int:
    return len(plain(text).splitlines())


def _data(reply: Reply) -> list[object]:
    return [decode(b.data) for row in reply.buttons for b in row]


def test_due_for_a_head_is_one_screen_grouped_by_project(services: Services) -> None:
    _people(services)
    reply = _one(ask(services, HEAD, "/due"))
    assert _lines(reply.text) <= SCREEN  # was 73 lines in two messages
    assert reply.text.startswith(th("due_answer_head", count=26, projects=6, date="7 ม.ค. 2564"))
    assert contains(reply.text, "due_project_line", code="STR113/64", numbers="1–12")
    assert contains(reply.text, "due_lagging_short", target="32%")
    codes = ["STR113/64", "BAS114/64", "STR114/64", "STR115/64", "SME111_4/64", "SEC113_4/64"]
    assert _data(reply) == [ReportNow("research", "2564-Q1"), DueList("research", 0)] + [
        ReportOn(code) for code in codes
    ]


def test_a_project_button_on_due_lists_its_indicators(services: Services) -> None:
    _people(services)
    reply = _one(ask(services, HEAD, button=encode(ReportOn("STR114/64"))))
    assert "STR114/64" in reply.text and len(reply.buttons) >= 3


def test_late_is_one_line_per_division_total_first_with_a_button_each(services: Services) -> None:
    _people(services)
    reply = _one(ask(services, PLANNER, "/late"))
    lines = plain(reply.text).splitlines()
    assert len(lines) <= SCREEN  # was 61
    period = th("period_quarter", quarter=1, year=2564)
    # each indicator once: the plan's 147, not 164 counted per division
    assert reply.text.split("\n")[0] == th(
        "late_head", period=period, missing=147, total=147, behind=11, divisions=11
    )
    assert plain(th("late_line", division="ฝ่ายวิชาการและพัฒนาข้อมูล", reported=0, total=8)) in lines
    assert th("late_shared_note") in reply.text
    assert RunCommand("due research") in _data(reply) and len(_data(reply)) == 11
    pressed = _one(ask(services, PLANNER, button=encode(RunCommand("due research"))))
    assert pressed.text.startswith(th("due_answer_head", count=26, projects=6, date="7 ม.ค. 2564"))


def test_the_planning_division_gets_one_weekly_message(services: Services) -> None:
    _people(services)
    with services.db.session() as session:
        planned = plan_round(UnitOfWork(session=session), JAN_11, weekly=True)
    to_planner = [m for m in planned if m.target.chat_id == PLANNER]
    assert len(to_planner) == 1  # was its reminder and a 61-line summary beside it
    [message] = to_planner
    assert message.division == "planning" and _lines(message.text) <= SCREEN
    assert th("remind_institute_line", missing=147, total=147, behind=11) in message.text
    assert (th("button_all_divisions"), encode(RunCommand("late"))) in message.buttons
    to_head = [m for m in planned if m.target.chat_id == HEAD]
    assert len(to_head) == 1 and th("button_all_divisions") not in dict(to_head[0].buttons)


def test_no_reassuring_zero_before_a_spending_target_applies(services: Services) -> None:
    """29 March: Q2 has not ended, so no target applies to it yet; the reminder does not say
    that 0 projects spend below target while most have spent nothing."""
    _people(services)
    with services.db.session() as session:
        planned = plan_round(UnitOfWork(session=session), at("2021-03-29 09:00"), weekly=True)
    [research] = [m for m in planned if m.target.chat_id == HEAD]
    assert not contains(research.text, "remind_counts")
    assert contains(research.text, "remind_counts_open", missing=26, total=26)


def test_a_returned_value_reads_as_returned_in_status_not_on_track(services: Services) -> None:
    from plan_data.review import ReviewState
    from tests.support.remind_setup import report_everything
    from tests.support.reviews import RETURN_REASON, judge, reviewer

    _people(services)
    report_everything(services.db, "research", "2564-Q1", JAN_11)  # value 1 for each
    judge(services, reviewer(services), "STR114/64", 2, ReviewState.RETURNED, RETURN_REASON)
    [reply] = ask(services, HEAD, "/status STR114/64")
    period = th("period_quarter", quarter=1, year=2564)
    lines = reply.text.split("\n")
    second = next(i for i, line in enumerate(lines) if line.startswith("2. "))
    block = lines[second : second + 3]
    assert "   " + th("verdict_returned", period=period) in block
    assert not any(contains(line, "verdict_on_track") for line in block)
    rows = reply.card.rows if reply.card else ()
    assert [r.verdict_label for r in rows][1] == th("card_verdict_returned")


def test_a_returned_value_is_not_green_in_the_chart(filled: Services) -> None:
    """STR114/64 indicator 1 (30 of a 100 % milestone, on track) returned: drawn as behind."""
    from handlers.scope import Scope
    from plan_data.chart import ChartScope, chart_data
    from plan_data.fiscal import local_day
    from plan_data.progress import frame_at
    from plan_data.review import ReviewState
    from storage.plan_io.calendar_file import load_calendar
    from storage.unit_of_work import UnitOfWork
    from tests.support.reviews import RETURN_REASON, judge, reviewer

    def first_bar() -> tuple[int, int]:
        with UnitOfWork(filled.db) as uow:
            plan = uow.plans().current(local_day(JAN_11))
            assert plan is not None
            calendar = load_calendar(plan.fiscal_year)
            frame = frame_at(calendar, JAN_11)
            marks = uow.review_marks(
                {i.id: frame.period_key for p in plan.projects for i in p.indicators}
            )
            scope = Scope("project", "STR114/64")
            data = chart_data(
                plan,
                uow.figures.for_chart(frame.period_key),
                ChartScope(scope.kind, scope.key),
                frame,
                calendar,
                marks,
            )
            assert data is not None
            counts = data.bars[0].counts
            return counts.on_track, counts.behind

    assert first_bar() == (1, 0)
    judge(filled, reviewer(filled), "STR114/64", 1, ReviewState.RETURNED, RETURN_REASON)
    assert first_bar() == (0, 1)


def test_quarters_that_closed_unreported_are_shown_not_forgotten(services: Services) -> None:
    """20 April 2021: Q1 and Q2 closed with nothing reported, Q3 being collected."""
    from dataclasses import replace

    _people(services)
    later = replace(services, clock=lambda: at("2021-04-20 09:00"))
    [due] = ask(later, HEAD, "/due")
    q1, q2 = (th("period_quarter", quarter=q, year=2564) for q in (1, 2))
    assert th("missed_line", period=q1, count=26, total=26) in due.text
    assert th("missed_line", period=q2, count=26, total=26) in due.text
    assert _lines(due.text) <= SCREEN
    [late] = ask(later, PLANNER, "/late")
    assert th("missed_institute_line", period=q2, count=147, divisions=11) in late.text
    assert _lines(late.text) <= SCREEN
    [early] = ask(services, HEAD, "/due")  # 11 January: nothing has closed yet
    assert not contains(early.text, "missed_line")


def test_see_all_pages_forward_with_next_not_older(services: Services) -> None:
    """ "ดูทั้งหมด" lists 26 indicators ten at a time: ถัดไป ▶ leads on, ◀ ก่อนหน้า back."""
    _people(services)
    first = _one(ask(services, HEAD, button=encode(DueList("research", 0))))
    labels = [b.label for row in first.buttons for b in row]
    assert labels == [th("button_next")] and th("button_older") not in labels
    assert _data(first) == [DueList("research", 1)]
    middle = _one(ask(services, HEAD, button=encode(DueList("research", 1))))
    assert [b.label for row in middle.buttons for b in row] == [
        th("button_previous"),
        th("button_next"),
    ]


def test_due_on_29_march_says_no_reassuring_zero(services: Services) -> None:
    """29 March: five of six research projects (all six here) have spent nothing; /due says
    nothing about spending rather than "0 projects below target"."""
    from dataclasses import replace

    _people(services)
    march = replace(services, clock=lambda: at("2021-03-29 09:00"))
    due = _one(ask(march, HEAD, "/due"))
    assert due.text.startswith(th("due_answer_head", count=26, projects=6, date="7 เม.ย. 2564"))
    assert "ต่ำกว่าเป้า 0" not in plain(due.text)
    assert not contains(due.text, "due_answer_spending_only")
