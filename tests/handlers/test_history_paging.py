"""/history CODE a page (10 entries) at a time, with Newer/Older buttons, through the dispatcher."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Reply, Request
from tests.conftest import JAN_11_2021
from tests.support.catalog import starts_with, th
from tests.support.entries import add_spending
from tests.support.handler_helpers import register

USER = "8001"
CODE = "STR114/64"


@pytest.fixture
def history_of_23(services: Services) -> Services:
    """23 spending entries of 1,001 … 1,023 baht, a day apart, the newest (1,023) last."""
    person = register(services, USER, "member", "research")
    with services.db.session() as session:
        for n in range(1, 24):
            add_spending(
                session,
                code=CODE,
                amount=Decimal(1000 + n),
                period="2564-Q1",
                person_id=person.id,
                channel="telegram",
                note=f"n{n}",
                at=JAN_11_2021 - timedelta(days=30 - n),
            )
    return services


def ask(services: Services, text: str | None = None, button: str | None = None) -> Reply:
    request = Request("telegram", USER, USER, text=text or "", button=button, language="th")
    [reply] = dispatch(request, services)
    return reply


def bullets(reply: Reply) -> list[str]:
    return [line for line in reply.text.split("\n") if line.startswith("• ")]


def buttons(reply: Reply) -> list[tuple[str, str]]:
    return [(b.label, b.data) for row in reply.buttons for b in row]


def test_first_page_has_the_ten_newest_and_an_older_button(history_of_23: Services) -> None:
    first = ask(history_of_23, "/history str114/64")
    assert starts_with(first.text, "history_title", code=CODE, first=1, last=10, total=23)
    lines = bullets(first)
    assert len(lines) == 10
    assert "1,023 บาท" in lines[0] and "— n23" in lines[0] and "Somchai" in lines[0]
    assert "1,014 บาท" in lines[-1]
    assert [data for _label, data in buttons(first)] == [f"his:{CODE}:10"]
    assert first.edit is False


def test_middle_page_goes_both_ways_and_edits_the_message(history_of_23: Services) -> None:
    middle = ask(history_of_23, button=f"his:{CODE}:10")
    assert starts_with(middle.text, "history_title", code=CODE, first=11, last=20, total=23)
    lines = bullets(middle)
    assert len(lines) == 10 and "1,013 บาท" in lines[0] and "1,004 บาท" in lines[-1]
    assert [data for _label, data in buttons(middle)] == [f"his:{CODE}:0", f"his:{CODE}:20"]
    assert middle.edit is True


def test_last_page_has_the_rest_and_only_a_newer_button(history_of_23: Services) -> None:
    last = ask(history_of_23, button=f"his:{CODE}:20")
    assert starts_with(last.text, "history_title", code=CODE, first=21, last=23, total=23)
    lines = bullets(last)
    assert [line.split(": ")[1].split(" (")[0] for line in lines] == [
        th("history_spending", amount=f"{amount} บาท") for amount in ("1,003", "1,002", "1,001")
    ]
    assert [data for _label, data in buttons(last)] == [f"his:{CODE}:10"]


def test_a_page_past_the_end_shows_the_last_page(history_of_23: Services) -> None:
    beyond = ask(history_of_23, button=f"his:{CODE}:90")
    assert starts_with(beyond.text, "history_title", code=CODE, first=21, last=23, total=23)
    assert len(bullets(beyond)) == 3


def test_every_entry_is_read_back_exactly_once(history_of_23: Services) -> None:
    seen = []
    for offset in (0, 10, 20):
        reply = ask(history_of_23, button=f"his:{CODE}:{offset}")
        seen += [line.split("— ")[1] for line in bullets(reply)]
    assert seen == [f"n{n}" for n in range(23, 0, -1)]


def test_a_broken_button_says_so(history_of_23: Services) -> None:
    assert ask(history_of_23, button=f"his:{CODE}:x").text == th("button_expired")


def test_ten_or_fewer_entries_need_no_buttons(services: Services) -> None:
    person = register(services, USER, "member", "research")
    with services.db.session() as session:
        add_spending(
            session,
            code=CODE,
            amount=Decimal(500),
            period="2564-Q1",
            person_id=person.id,
            channel="telegram",
            at=JAN_11_2021,
        )
    reply = ask(services, f"/history {CODE}")
    assert starts_with(reply.text, "history_title", code=CODE, first=1, last=1, total=1)
    assert reply.buttons == ()


def test_long_notes_never_push_a_page_past_one_message(services: Services) -> None:
    """Ten entries with 300-character notes full of characters HTML escapes: every page fits
    Telegram's 4096 characters, and walking the pages reads every entry once."""
    person = register(services, USER, "member", "research")
    with services.db.session() as session:
        for n in range(1, 13):
            add_spending(
                session,
                code=CODE,
                amount=Decimal(n),
                period="2564-Q1",
                person_id=person.id,
                channel="telegram",
                note=f"#{n:02d} " + "<&>" * 99,
                at=JAN_11_2021 - timedelta(days=30 - n),
            )
    seen: list[str] = []
    reply = ask(services, f"/history {CODE}")
    while True:
        assert len(reply.text) <= 4096
        seen += [line.split("— ")[1][:3] for line in bullets(reply)]
        older = [data for label, data in buttons(reply) if label == th("button_older")]
        if not older:
            break
        reply = ask(services, button=older[0])
    assert seen == [f"#{n:02d}" for n in range(12, 0, -1)]
