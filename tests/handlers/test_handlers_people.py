"""Who may do what, and in which language they are answered (dispatcher, real SQLite file)."""

from __future__ import annotations

import pytest

from handlers.context import Services
from handlers.wiring import build_router
from storage.unit_of_work import UnitOfWork
from tests.support.catalog import contains, en, starts_with, th
from tests.support.handler_helpers import ask, register, say, writes


def test_member_of_another_division_is_refused_and_told_why(services: Services) -> None:
    register(services, "7", "member", "training")
    reply = say(services, "7", "/update STR114/64 2 150")
    refusal = th("not_your_project", division="ฝ่ายฝึกอบรม", code="STR114/64")
    assert reply == refusal
    [picked] = ask(services, "7", button="upd:p:STR114/64")
    assert picked.text == refusal
    assert writes(services) == (0, 0)


def test_head_reports_for_own_division(services: Services) -> None:
    register(services, "8", "head", "research")
    reply = say(services, "8", "/spend STR114/64 1,000 Q1")
    assert starts_with(reply, "spend_recorded", amount="1,000 บาท", code="STR114/64"), reply
    assert writes(services) == (0, 1)


def test_planner_may_report_anywhere(services: Services) -> None:
    register(services, "9", "planner", "planning")
    spent = say(services, "9", "/spend STR114/64 1000 Q1")
    assert starts_with(spent, "spend_recorded", amount="1,000 บาท", code="STR114/64"), spent
    updated = say(services, "9", "/update SME111_5/64 1 9")
    assert starts_with(updated, "update_recorded", number=1, code="SME111_5/64"), updated
    assert writes(services) == (1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "/status STR114/64",
        "/budget",
        "/spend STR114/64 5",
        "/update STR114/64 2 1",
        "/history STR114/64",
        "/find gem",
        "/projects",
        "/undo",
        "/invite research",
        "สวัสดี",
    ],
)
def test_unregistered_may_not_read_or_write(services: Services, text: str) -> None:
    reply = say(services, "55", text)
    assert reply == th("not_registered")
    assert writes(services) == (0, 0)


def test_unregistered_may_start_help_and_lang(services: Services) -> None:
    assert say(services, "55", "/start") == th("welcome_unregistered")
    assert say(services, "55", "/help") == th("welcome_unregistered")
    assert say(services, "55", "/lang en") == en("lang_unregistered")
    [button] = ask(services, "55", button="upd:ok:abcd")
    assert button.text == th("not_registered")
    open_to_all = {name for name, spec in build_router().commands.items() if spec.roles is None}
    assert open_to_all == {"start", "help", "lang"}


def test_only_admins_invite(services: Services) -> None:
    register(services, "1", "head", "research")
    assert say(services, "1", "/invite research") == th("not_allowed_command", command="invite")
    register(services, "2", "admin", None)
    reply = say(services, "2", "/invite research head")
    assert contains(reply, "invite_created", role=th("role_head"), division="ฝ่ายวิจัยและพัฒนา")
    assert "https://t.me/planbot_test_bot?start=" in reply


def test_lang_en_switches_every_reply_to_english(services: Services) -> None:
    register(services, "1", "member", "research")
    assert say(services, "1", "/lang en") == en("lang_set")
    card = say(services, "1", "/status STR114/64")  # the platform still says Thai
    five = "5 million baht"
    assert contains(card, "status_budget", "en", amount=five, sources=en("source_gov", amount=five))
    assert contains(
        card, "status_spent", "en", spent="0 baht", percent="0%", remaining="5,000,000 baht"
    )
    assert contains(card, "target_at_least", "en", target="150 คน")
    reply = say(services, "1", "/spend STR114/64 0.25ล้าน Q1")
    q1 = en("period_quarter", quarter=1, year=2564)
    recorded = en("spend_recorded", amount="250,000 baht", code="STR114/64", period=q1)
    assert reply.startswith(recorded), reply
    assert say(services, "1", "/lang th") == th("lang_set")
    assert contains(say(services, "1", "/status STR114/64"), "status_budget", amount="5 ล้านบาท")


def test_platform_language_is_used_until_lang(services: Services) -> None:
    register(services, "1", "member", "research")
    english = say(services, "1", "/status STR114/64", language="en-GB")
    assert contains(english, "status_budget", "en", amount="5 million baht")
    thai = say(services, "1", "/status STR114/64", language="ja")
    assert contains(thai, "status_budget", amount="5 ล้านบาท")


def test_link_group_by_head(services: Services) -> None:
    register(services, "1", "head", "research")
    assert say(services, "1", "/link research") == th("link_only_in_group")
    assert say(services, "1", "/link training", group=True) == th("link_not_your_division")
    reply = say(services, "1", "/link", group=True)
    assert reply == th("link_done", division="ฝ่ายวิจัยและพัฒนา")


def test_joining_in_a_group_is_refused(services: Services) -> None:
    with UnitOfWork(services.db) as uow:
        invite = uow.people.create_invite("research", "member", None, services.clock())
    reply = say(services, "77", f"/start {invite.code}", group=True)
    assert reply == th("join_in_private")
    joined = say(services, "77", f"/start {invite.code.lower()}")
    assert starts_with(joined, "joined", role=th("role_member"), division="ฝ่ายวิจัยและพัฒนา")
