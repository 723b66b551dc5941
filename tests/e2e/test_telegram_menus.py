"""The Telegram command menu fits the person: a registered person's private chat shows the
commands of their role (a head's has no /late or /export, a planner's has), in Thai and English;
people not registered yet keep the default menu (/start, /help, /lang), and so does a person
removed by an admin; groups list what every member may run there. Through the real python-telegram-bot against the fake Bot API, which keeps each
scope's menu and resolves what a person sees the way Telegram documents."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import update

from handlers.context import Services
from storage.db.models import Person
from storage.unit_of_work import UnitOfWork
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram
from tests.support.catalog import en, th

HEAD, PLANNER, MEMBER, STRANGER = 401, 402, 403, 404
UNREGISTERED = ["lang", "help", "start"]


@pytest.fixture
async def fake(services: Services) -> AsyncIterator[FakeTelegram]:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", str(HEAD), "head", "research", "Prasert")
        uow.people.add("telegram", str(PLANNER), "planner", "planning", "Malee")
        uow.people.add("telegram", str(MEMBER), "member", "research", "Somchai")
    async with FakeTelegram() as server, running_telegram_bot(server, services):
        yield server


def chat_menu_calls(fake: FakeTelegram, chat_id: int) -> int:
    return sum(
        method == "setMyCommands" and (p.get("scope") or {}).get("chat_id") == chat_id
        for method, p in fake.calls
    )


async def write(fake: FakeTelegram, user: int, text: str = "/help", *, settle: int = 0) -> None:
    """Send `text`, wait for the answer, then until `settle` chat-scope menus were set there."""
    fake.user_message(user, text)
    await fake.wait_for(chat_id=user, timeout=10)
    await settled(fake, user, settle)


async def settled(fake: FakeTelegram, chat_id: int, calls: int) -> None:
    for _ in range(200):
        if chat_menu_calls(fake, chat_id) >= calls:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"chat {chat_id}: {chat_menu_calls(fake, chat_id)} menus set, not {calls}")


async def test_a_head_sees_no_late_or_export_and_a_planner_does(fake: FakeTelegram) -> None:
    await write(fake, HEAD, settle=2)
    await write(fake, PLANNER, settle=2)
    head, planner = fake.menu(HEAD), fake.menu(PLANNER)
    assert "late" not in head and "export" not in head and "invite" not in head
    assert {"status", "update", "spend", "summary", "chart", "link"} <= set(head)
    assert {"late", "export"} <= set(planner) and "invite" not in planner
    assert head[:3] == ["status", "update", "spend"]
    # both languages, the same commands
    assert fake.menu(HEAD, "en") == head and fake.menu(PLANNER, "en") == planner
    thai = {c["command"]: c["description"] for c in fake.scoped_commands[(f"chat:{HEAD}", "")]}
    english = {c["command"]: c["description"] for c in fake.scoped_commands[(f"chat:{HEAD}", "en")]}
    assert thai["status"] == th("cmd_status") and thai["chart"] == th("cmd_chart")
    assert english["spend"] == en("cmd_spend")


async def test_unregistered_people_keep_the_default_menu_and_groups_list_what_all_may_run(
    fake: FakeTelegram,
) -> None:
    await write(fake, STRANGER)
    await write(fake, MEMBER, settle=2)
    assert fake.menu(STRANGER) == fake.menu(STRANGER, "en") == UNREGISTERED
    assert chat_menu_calls(fake, STRANGER) == 0
    assert [c["command"] for c in fake.commands[""]] == UNREGISTERED
    assert [c["command"] for c in fake.commands["en"]] == UNREGISTERED
    group = fake.menu(-500)
    assert {"status", "update", "spend", "budget", "due", "help"} <= set(group)
    assert not {"late", "review", "export", "report", "invite", "link", "start"} & set(group)
    assert fake.menu(-500, "en") == group
    member = fake.menu(MEMBER)
    assert "status" in member and not {"late", "export", "link", "invite"} & set(member)


async def test_the_menu_is_set_once_per_role_and_follows_a_new_role(
    fake: FakeTelegram, services: Services
) -> None:
    await write(fake, HEAD, settle=2)
    await write(fake, HEAD, "/status STR114/64")
    await write(fake, HEAD, "/help")
    await asyncio.sleep(0.2)
    assert chat_menu_calls(fake, HEAD) == 2  # once, in two languages: this process remembers
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", str(HEAD), "planner", "planning")
    await write(fake, HEAD, settle=4)
    assert {"late", "export"} <= set(fake.menu(HEAD))
    # A group message sets no chat menu for the group
    fake.user_message(HEAD, "/help", chat_id=-600, group=True)
    await fake.wait_for(chat_id=-600, timeout=10)
    await asyncio.sleep(0.2)
    assert chat_menu_calls(fake, -600) == 0


async def test_a_stranger_who_joins_gets_their_roles_menu(
    fake: FakeTelegram, services: Services
) -> None:
    with UnitOfWork(services.db) as uow:
        invite = uow.people.create_invite("research", "head", None, services.clock())
    await write(fake, STRANGER, f"/start {invite.code}", settle=2)
    menu = fake.menu(STRANGER)
    assert "status" in menu and "link" in menu and "late" not in menu


async def test_a_failing_menu_never_costs_the_reply(fake: FakeTelegram) -> None:
    fake.fail_next("setMyCommands", status=500)
    fake.user_message(HEAD, "/status STR114/64")
    [reply] = await fake.wait_for(chat_id=HEAD, timeout=10)
    assert reply.text.startswith("<b>STR114/64</b>")
    await settled(fake, HEAD, 1)  # the attempt failed: nothing set, nothing remembered
    await asyncio.sleep(0.2)
    assert chat_menu_calls(fake, HEAD) == 1 and fake.menu(HEAD) == UNREGISTERED
    await write(fake, HEAD, settle=3)  # the next message tries again
    assert "late" not in fake.menu(HEAD) and "status" in fake.menu(HEAD)


async def test_a_person_removed_by_an_admin_loses_their_members_menu(
    fake: FakeTelegram, services: Services
) -> None:
    await write(fake, HEAD, settle=2)
    assert "status" in fake.menu(HEAD)
    with services.db.session() as session:  # removed: no longer found as a person
        session.execute(
            update(Person).where(Person.external_id == str(HEAD)).values(channel="removed")
        )
    fake.user_message(HEAD, "/help")
    await fake.wait_for(chat_id=HEAD, timeout=10)
    for _ in range(200):
        if fake.menu(HEAD) == fake.menu(HEAD, "en") == UNREGISTERED:
            break
        await asyncio.sleep(0.02)
    assert fake.menu(HEAD) == fake.menu(HEAD, "en") == UNREGISTERED
