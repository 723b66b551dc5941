"""A channel added the way ARCHITECTURE.md says — its own modules and one `Channel(...)` — is
taken up everywhere with no other edit. "fax" is declared here (this module is its endpoint and
its sender) and put in `CHANNELS` for the test: `planbot user add` takes its ids, the webhook
server mounts its route, stores its events, hands their rows to it and lists it on /health; the
conversation keeps to its message size; the delivery sends its outbox rows at its pace; its
event ids are forgotten after its window; the spreadsheet names it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.channels import CHANNELS, Channel, RateLimits, chat_platforms, how_to_configure
from bot.cli import main
from bot.config import Settings
from bot.delivery import Delivery, SendResult, configured_senders
from bot.endpoints import Refused
from bot.inbox_worker import RowHandler
from bot.webhook import INBOX, _forget_old_events, build_app, made_endpoints
from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.outputs.sheet_words import report_labels
from handlers.request import ChannelTraits, MessageLimits, Reply, Request
from handlers.text_fit import visible_utf16
from storage.inbox import InboxItem, NewEvent
from storage.outbox import NewMessage
from storage.unit_of_work import UnitOfWork

KEY_HEADER = "X-Fax-Key"
KEY = "fax-key-for-tests"
FAX = Channel(
    "fax",
    "Fax",
    re.compile(r"^\+[0-9]{6,15}$"),  # a fax number
    "+6621234567",
    "+ and digits",
    configured=lambda settings: bool(getattr(settings, "fax_key", None)),
    setup="export FAX_KEY=...  and run: {prog} run --webhook",
    webhook="/fax",
    endpoint=__name__,
    sender=__name__,
    limits=RateLimits(overall=2, per_chat_interval=3.0, group_count=1),
    traits=ChannelTraits(draws_cards=False, messages=MessageLimits(text=300, files=2)),
    keep_event_ids=timedelta(days=1),
    invite="JOIN {code}",
    secrets=lambda settings: (getattr(settings, "fax_key", None),),
)
NUMBER = "+6621234567"


@pytest.fixture
def fax(monkeypatch: pytest.MonkeyPatch) -> Iterator[Channel]:
    monkeypatch.setitem(CHANNELS, FAX.name, FAX)
    yield FAX


@dataclass
class FaxSettings:
    """Settings with the fax channel's own value beside the others (`planbot run` reads it)."""

    base: Settings
    fax_key: str | None = KEY

    def __getattr__(self, name: str) -> Any:
        return getattr(self.base, name)


# -- the channel's own modules: its endpoint and its sender -----------------------------------
@dataclass
class FaxEndpoint:
    services: Services
    answered: list[tuple[str, list[Reply]]] = field(default_factory=list)
    channel: str = FAX.name
    takes_webhooks: bool = True
    mini_app_key: str | None = None

    def check(self, headers: Mapping[str, str], body: bytes) -> None:
        if headers.get(KEY_HEADER) != KEY:
            raise Refused(401, "bad fax key")

    def events(self, body: bytes) -> list[NewEvent]:
        """One page a line: `event-id number text`."""
        events = []
        for line in body.decode().splitlines():
            event_id, number, text = line.split(" ", 2)
            events.append(NewEvent(FAX.name, event_id, f"fax:{number}", {"n": number, "t": text}))
        return events

    def row_handler(self) -> RowHandler:
        async def handle(item: InboxItem) -> bool:
            number, text = item.payload["n"], item.payload["t"]
            request = Request(
                FAX.name, number, number, text=text, inbox_row=item.lease, traits=FAX.traits
            )
            self.answered.append((number, dispatch(request, self.services)))
            return True

        return handle

    def healthy(self) -> bool:
        return True

    def add_routes(self, app: web.Application) -> None:
        return None

    async def run(self) -> None:
        return None

    async def close(self) -> None:
        return None


def make_endpoint(services: Services, settings: Any, *, polling: bool) -> FaxEndpoint | None:
    return FaxEndpoint(services) if getattr(settings, "fax_key", None) else None


@dataclass
class FaxSender:
    sent: list[tuple[str, str]] = field(default_factory=list)
    channel: str = FAX.name

    async def send(
        self, chat_id: str, text: str, payload: dict[str, Any], idempotency_key: str
    ) -> SendResult:
        self.sent.append((chat_id, text))
        return SendResult("sent")


def make_sender(settings: Any, *, timeout: float) -> FaxSender | None:
    return FaxSender() if getattr(settings, "fax_key", None) else None


# -- what the rest of planbot does with it ----------------------------------------------------
def test_the_command_line_takes_its_ids_and_tells_its_invite(
    fax: Channel, services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    url = services.db.url
    assert main(["--database-url", url, "user", "add", "fax:12ab", "--role", "admin"]) == 2
    assert "fax:+6621234567 (+ and digits)" in capsys.readouterr().err  # how its ids look
    assert main(["--database-url", url, "user", "add", f"fax:{NUMBER}", "--role", "admin"]) == 0
    with UnitOfWork(services.db) as uow:
        found = uow.people.find("fax", NUMBER)
    assert found is not None and found.role == "admin"
    assert main(["--database-url", url, "invite", "research"]) == 0
    assert "Fax: JOIN " in capsys.readouterr().out
    assert "  Fax:      export FAX_KEY=..." in how_to_configure("planbot")


async def test_its_route_is_served_its_rows_handled_and_health_lists_it(
    fax: Channel, services: Services
) -> None:
    settings = FaxSettings(Settings.from_env({}))
    assert [c.name for c in chat_platforms(settings)] == ["fax"]
    [endpoint] = made_endpoints(services, settings, polling=False)  # type: ignore[arg-type]
    assert isinstance(endpoint, FaxEndpoint)
    with UnitOfWork(services.db) as uow:
        uow.people.add("fax", NUMBER, "planner", "planning", "Malee")
    app = build_app(services, [endpoint])
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        health = await client.get("/health")
        assert await health.json() == {
            "status": "ok",
            "database": True,
            "telegram": False,
            "line": False,
            "fax": True,
        }
        refused = await client.post("/fax", data=b"e1 +6621234567 /help")
        assert refused.status == 401
        assert (await client.post("/line", data=b"{}")).status == 404  # not configured here
        body = f"e1 {NUMBER} /help\ne2 {NUMBER} /summary".encode()
        for _again in range(2):  # a redelivery is stored once
            answer = await client.post("/fax", data=body, headers={KEY_HEADER: KEY})
            assert answer.status == 200
        assert await app[INBOX].until_idle(60)
    assert [number for number, _replies in endpoint.answered] == [NUMBER, NUMBER]
    replies = [reply for _number, answered in endpoint.answered for reply in answered]
    # A fax page holds 300 units: every reply keeps to it, the long ones in several parts.
    assert len(replies) > 2 and all(visible_utf16(r.text) <= 300 for r in replies)
    assert all(r.card is None for r in replies)  # it draws no cards, so none is laid out


def test_a_reply_longer_than_its_page_is_split_keeping_buttons_last(
    fax: Channel, services: Services
) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("fax", NUMBER, "planner", "planning", "Malee")
    ask = Request("fax", NUMBER, NUMBER, text="/status STR114/64", traits=FAX.traits)
    whole = dispatch(replace(ask, traits=ChannelTraits(draws_cards=False)), services)
    parts = dispatch(ask, services)
    assert len(parts) > len(whole)
    assert "".join(p.text for p in parts).replace("\n", "") == "".join(
        w.text for w in whole
    ).replace("\n", "")
    assert all(not p.buttons for p in parts[:-1]) and parts[-1].buttons == whole[-1].buttons


async def test_the_delivery_sends_its_rows_at_its_pace(fax: Channel, services: Services) -> None:
    settings = FaxSettings(Settings.from_env({}))
    [sender] = configured_senders(settings)
    assert isinstance(sender, FaxSender)
    delivery = Delivery(services.db, [sender])
    assert delivery.limiters["fax"].limits == FAX.limits
    with UnitOfWork(services.db) as uow:
        uow.outbox.enqueue([NewMessage("fax-notice-1", "fax", NUMBER, "Hello by fax")])
    assert await delivery.run_until_idle(timeout=30, poll=0.05)
    assert sender.sent == [(NUMBER, "Hello by fax")]


def test_its_event_ids_are_forgotten_after_its_window(fax: Channel, services: Services) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=2)
    with UnitOfWork(services.db) as uow:
        assert uow.claims.first_time("fax", "e1", at=long_ago)
        assert uow.claims.first_time("telegram", "u1", at=long_ago)
    _forget_old_events(services)
    with UnitOfWork(services.db) as uow:
        assert uow.claims.first_time("fax", "e1")  # a day's window: forgotten
        assert not uow.claims.first_time("telegram", "u1")  # Telegram keeps ids for 6 days


def test_the_spreadsheet_shows_its_name_until_the_catalog_has_a_word(fax: Channel) -> None:
    words = report_labels().channels
    assert words.get("fax", "fax") == "fax"  # no `report_channel_fax` yet: the name itself
    assert {"telegram", "line", "console"} <= set(words)
