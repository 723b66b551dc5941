"""The webhook app with the real LINE SDK pointed at FakeLine, and LINE-signed posts to it.

The webhook answers as soon as the events are in the inbox; its workers answer them after. So
`post` (and `say`, `press`) waits, after a 200, until the inbox workers have handled every
event and sent every reply (`settled`), then returns: what LINE got is then all there is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.file_links import FileLinks
from bot.inbox_worker import InboxWorkers
from bot.line_bot import LineBot, LineWebhook
from bot.line_endpoint import LineEndpoint
from bot.line_render import MediaStore
from bot.line_richmenu import make_blob_api
from bot.line_sender import make_line_api
from bot.telegram_endpoint import TelegramEndpoint
from bot.webhook import INBOX, build_app
from handlers.context import Services
from storage.inbox import InboxItem
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.fakes.line_api import FakeLine, postback_event, sign, text_event, webhook_body

SECRET = "line-channel-secret-for-tests"


@dataclass
class LineHarness:
    fake: FakeLine
    client: TestClient
    services: Services
    bot: LineBot
    workers: InboxWorkers

    async def post(
        self,
        events: list[dict[str, Any]],
        *,
        secret: str = SECRET,
        signature: str | None = None,
        settle: bool = True,
    ) -> int:
        """Post a webhook body signed the way LINE signs it (or with the given signature); after
        a 200, wait until its events are handled (unless `settle` is False)."""
        body = webhook_body(events)
        headers = {"Content-Type": "application/json"}
        if signature != "":
            headers["X-Line-Signature"] = signature or sign(secret, body)
        response = await self.client.post("/line", data=body, headers=headers)
        if response.status == 200 and settle:
            await self.settled()
        return response.status

    async def settled(self, timeout: float = 60.0) -> None:
        """Every event in the inbox handled and its replies sent."""
        assert await self.workers.until_idle(timeout), "the inbox workers did not finish"

    async def say(self, user: str, text: str, *, group: str | None = None) -> list[str]:
        """Type `text` as `user` (in a group when given); what LINE got for that chat, one string
        per message (a Flex card as the texts it shows, see Delivered.shown)."""
        chat = group or user
        before = len(self.fake.shown(chat))
        token = self.fake.reply_token(chat)
        status = await self.post([text_event(user, text, token, group=group)])
        assert status == 200
        return self.fake.shown(chat)[before:]

    async def press(self, user: str, data: str, *, group: str | None = None) -> list[str]:
        """Press a button (a postback with `data`) as `user`; what LINE got, as `say`."""
        chat = group or user
        before = len(self.fake.shown(chat))
        token = self.fake.reply_token(chat)
        status = await self.post([postback_event(user, data, token, group=group)])
        assert status == 200
        return self.fake.shown(chat)[before:]

    async def fetch(self, url: str) -> tuple[int, str, bytes]:
        """GET a link the bot sent (https://<PUBLIC_URL>/…) from the webhook server, as LINE
        would: (status, Content-Type, body)."""
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        response = await self.client.get(path)
        return response.status, response.headers.get("Content-Type", ""), await response.read()

    def register(self, user: str, role: str, division: str | None, name: str = "Somchai") -> None:
        with UnitOfWork(self.services.db) as uow:
            uow.people.add("line", user, role, division, name)

    def invite(self, division: str, role: str = "member") -> str:
        with UnitOfWork(self.services.db) as uow:
            return uow.people.create_invite(division, role, None, now=JAN_11_2021).code


@asynccontextmanager
async def line_harness(
    services: Services,
    *,
    public_url: str | None = None,
    telegram: TelegramEndpoint | None = None,
    before_handling: Callable[[InboxItem], Awaitable[None]] | None = None,
) -> AsyncIterator[LineHarness]:
    """The harness; `before_handling` runs in the inbox worker after a row is taken and before
    it is handled (a test holds the workers with it)."""
    async with FakeLine() as fake:
        api = make_line_api(fake.base_url, fake.access_token)
        blob = make_blob_api(fake.data_base_url, fake.access_token)
        links = FileLinks(public_url, SECRET) if public_url else None
        media = MediaStore(public_url, links=links)
        bot = LineBot(services, api, media=media, blob=blob)
        line = LineEndpoint(LineWebhook(SECRET), bot)
        app = build_app(
            services,
            [line, *([telegram] if telegram is not None else [])],
            before_handling=before_handling,
        )
        try:
            async with TestClient(TestServer(app, host="127.0.0.1")) as client:
                yield LineHarness(fake, client, services, bot, app[INBOX])
        finally:
            await bot.close()
