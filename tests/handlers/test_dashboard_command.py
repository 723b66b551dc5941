"""/dashboard in chat: a registered person's personal link (signed for them, to open within 15
minutes), a Mini App button only in a Telegram private chat on https, a link button elsewhere,
the Thai words, strangers refused, and a clear answer where no dashboard is served."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from bot.channels import TELEGRAM
from handlers.context import Services
from handlers.dashboard.signing import DashboardLinks
from handlers.dispatch import dispatch
from handlers.request import Request
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.support.catalog import th
from tests.support.handler_helpers import ask, register

HTTPS = DashboardLinks("https://plan.example.go.th", b"secret-for-the-dashboard-tests!!")


def token_in(text: str) -> str:
    address = next(word for word in text.split() if word.startswith("https://"))
    return parse_qs(urlsplit(address).query)["t"][0]


def test_a_private_telegram_chat_gets_the_mini_app_and_a_personal_link(services: Services) -> None:
    register(services, "11", "head", "research", "Somchai")
    services.dashboard = HTTPS
    for typed in ("/dashboard", "แดชบอร์ด", "ภาพรวม"):
        [reply] = ask(services, "11", typed, traits=TELEGRAM.traits)
        assert reply.text.startswith(th("dashboard_link", minutes=15)), typed
        signed = HTTPS.check(token_in(reply.text), "link", JAN_11_2021)
        assert signed is not None and (signed.channel, signed.external_id) == ("telegram", "11")
        assert signed.expires == JAN_11_2021 + timedelta(minutes=15)
        [row] = reply.buttons
        assert [(b.kind, b.data.split("?")[0]) for b in row] == [
            ("web_app", "https://plan.example.go.th/dashboard/app"),
            ("url", "https://plan.example.go.th/dashboard/open"),
        ]
    later = JAN_11_2021 + timedelta(minutes=16)
    assert HTTPS.check(token_in(reply.text), "link", later) is None
    assert HTTPS.check(token_in(reply.text)[:-2] + "xx", "link", JAN_11_2021) is None


def test_a_group_and_line_get_the_link_without_a_mini_app(services: Services) -> None:
    register(services, "12", "planner", "planning", "Malee")
    services.dashboard = HTTPS
    [in_group] = ask(services, "12", "/dashboard", group=True, traits=TELEGRAM.traits)
    assert th("dashboard_group") in in_group.text
    assert [b.kind for row in in_group.buttons for b in row] == ["url"]
    with UnitOfWork(services.db) as uow:
        uow.people.add("line", "U12", "member", "research", "Anong")
    [in_line] = dispatch(Request("line", "U12", "U12", text="แดชบอร์ด"), services)
    assert "web_app" not in [b.kind for row in in_line.buttons for b in row]
    signed = HTTPS.check(token_in(in_line.text), "link", JAN_11_2021)
    assert signed is not None and signed.channel == "line"


def test_on_plain_http_the_link_is_in_the_text_only(services: Services) -> None:
    register(services, "13", "member", "research")
    services.dashboard = DashboardLinks("http://127.0.0.1:8080", b"x" * 32)
    [reply] = ask(services, "13", "/dashboard")
    assert "http://127.0.0.1:8080/dashboard/open?t=" in reply.text and not reply.buttons


def test_strangers_and_servers_without_a_dashboard(services: Services) -> None:
    services.dashboard = HTTPS
    [stranger] = ask(services, "14", "/dashboard")
    assert stranger.text == th("not_registered") and "https://" not in stranger.text
    register(services, "15", "member", "research")
    services.dashboard = None
    [reply] = ask(services, "15", "/dashboard")
    assert reply.text == th("dashboard_not_served")


def test_due_leads_to_the_dashboard_where_it_is_served(services: Services) -> None:
    register(services, "11", "head", "research", "Somchai")
    [plain] = ask(services, "11", "/due")
    assert th("dashboard_open_app") not in [b.label for row in plain.buttons for b in row]
    services.dashboard = HTTPS
    [due] = ask(services, "11", "/due")
    *_rest, last_row = due.buttons
    [button] = last_row
    assert button.label == th("dashboard_open_app")
    [opened] = ask(services, "11", button=button.data)
    assert opened.text.startswith(th("dashboard_link", minutes=15))
    assert HTTPS.check(token_in(opened.text), "link", JAN_11_2021) is not None
