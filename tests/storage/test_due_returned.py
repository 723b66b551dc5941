"""A value a reviewer returned is owed again: /due and the weekly reminder list it with ↩ and
the reason, "report now" walks to it, and reporting it again ends the nagging."""

from __future__ import annotations

from handlers.buttons import ReportNow, encode
from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.formatting import esc
from handlers.reminders import plan_round
from handlers.request import Request
from plan_data.review import ReviewState
from storage.repositories.dues import dues_at
from storage.unit_of_work import UnitOfWork
from tests.support.catalog import contains, th
from tests.support.remind_setup import JAN_11, group, member, report_everything
from tests.support.reviews import RETURN_REASON, judge, reviewer

OWED = ("STR114/64", 2)


def _ask(services: Services, user: int, text: str = "", button: str | None = None) -> str:
    request = Request("telegram", str(user), str(user), text=text, button=button, at=JAN_11)
    return "\n".join(reply.text for reply in dispatch(request, services))


def _owed(services: Services) -> dict[tuple[str, int], str | None]:
    with services.db.session() as session:
        [due] = dues_at(session, JAN_11, "research")
    return {(m.code, m.seq): m.returned for m in due.missing}


def _returned(services: Services) -> None:
    """Research reported everything for Q1; a reviewer returns STR114/64 indicator 2."""
    report_everything(services.db, "research", "2564-Q1", JAN_11)
    assert _owed(services) == {}
    judge(services, reviewer(services), *OWED, ReviewState.RETURNED, RETURN_REASON)


def test_a_returned_value_is_owed_again_and_listed_with_the_reason(services: Services) -> None:
    _returned(services)
    assert _owed(services) == {OWED: RETURN_REASON}
    member(services.db, 7, "research")
    due = _ask(services, 7, "/due")
    assert contains(due, "due_returned_line", code="STR114/64", number=2, reason=esc(RETURN_REASON))
    assert "<b>ทั้งหมด</b>" not in due
    group(services.db, -100, "research")
    with services.db.session() as session:
        planned = [
            m
            for m in plan_round(UnitOfWork(session=session), JAN_11, weekly=True)
            if m.division == "research"
        ]
    assert planned and all(
        contains(m.text, "due_returned_line", code="STR114/64", number=2, reason=esc(RETURN_REASON))
        for m in planned
    )
    assert all(contains(m.text, "remind_counts", missing=1) for m in planned)


def test_report_now_walks_to_it_and_a_new_report_ends_the_nagging(services: Services) -> None:
    _returned(services)
    member(services.db, 7, "research")
    asked = _ask(services, 7, button=encode(ReportNow("research", "2564-Q1")))
    said = th("walk_returned", reason=esc(RETURN_REASON))
    assert asked.split("\n")[1] == said  # under the item's number, why it is asked again
    walk = asked.replace(said + "\n", "")
    assert contains(walk, "walk_item", index=1, count=1, code="STR114/64", number=2)
    answered = _ask(services, 7, "160")
    assert th("walk_done", recorded=1, skipped=0) in answered
    assert _owed(services) == {}  # submitted again: nothing owed, no reminder
    with services.db.session() as session:
        assert [
            m
            for m in plan_round(UnitOfWork(session=session), JAN_11, weekly=True)
            if m.division == "research"
        ] == []
