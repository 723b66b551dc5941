"""/dashboard through the real python-telegram-bot Application and the fake Bot API (which
checks buttons as Telegram does): on https a private chat gets a Mini App button and its menu
button opens the dashboard; a group gets a link button only; on plain http only the text link."""

from __future__ import annotations

import asyncio

from handlers.context import Services
from handlers.dashboard.signing import DashboardLinks
from storage.unit_of_work import UnitOfWork
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram
from tests.support.catalog import th

HEAD = 801
PUBLIC = "https://plan.example.go.th"


async def test_mini_app_button_menu_button_and_group_link(services: Services) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", str(HEAD), "head", "research", "Somchai")
    services.dashboard = DashboardLinks(PUBLIC, b"secret-for-the-dashboard-tests!!")
    async with FakeTelegram() as fake, running_telegram_bot(fake, services):
        fake.user_message(HEAD, "/dashboard")
        [reply] = await fake.wait_for(chat_id=HEAD)
        [(app_label, app_kind, app_url), (_label, url_kind, url)] = reply.links
        assert (app_label, app_kind, app_url) == (
            th("dashboard_open_app"),
            "web_app",
            f"{PUBLIC}/dashboard/app",
        )
        assert url_kind == "url" and url.startswith(f"{PUBLIC}/dashboard/open?t=")
        assert url in reply.text
        for _ in range(100):  # the chat's menus are fitted just after the reply
            if HEAD in fake.menu_buttons:
                break
            await asyncio.sleep(0.05)
        menu = fake.menu_buttons[HEAD]
        assert menu["type"] == "web_app" and menu["web_app"]["url"] == f"{PUBLIC}/dashboard/app"

        fake.user_message(HEAD, "/dashboard", chat_id=-4001, group=True)
        [in_group] = await fake.wait_for(chat_id=-4001)
        assert [kind for _label, kind, _url in in_group.links] == ["url"]


async def test_on_plain_http_no_buttons_and_no_menu_button(services: Services) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", str(HEAD), "head", "research", "Somchai")
    services.dashboard = DashboardLinks("http://127.0.0.1:9", b"x" * 32)
    async with FakeTelegram() as fake, running_telegram_bot(fake, services):
        fake.user_message(HEAD, "/dashboard")
        [reply] = await fake.wait_for(chat_id=HEAD)
        assert "http://127.0.0.1:9/dashboard/open?t=" in reply.text and not reply.links
        for _ in range(100):  # the chat's menus are fitted just after the reply
            if (f"chat:{HEAD}", "en") in fake.scoped_commands:
                break
            await asyncio.sleep(0.05)
        assert (f"chat:{HEAD}", "en") in fake.scoped_commands
        assert HEAD not in fake.menu_buttons
