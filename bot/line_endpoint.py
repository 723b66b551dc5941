"""LINE as the webhook server serves it (bot/endpoints.py `Endpoint`).

POST /line checks X-Line-Signature over the raw body before anything else: a missing signature
is a 400, a wrong one a 401. A signed body that is not a LINE webhook body is a 400; the events
of one that is are written to the inbox (`inbox_events`, keyed by webhookEventId) and handled by
`LineBot.handle_row`. Beside the webhook: GET /media/<token>/<name> serves the pictures and files
LINE can only take by URL, GET /files/<sha256>/<name> kept evidence files by signed link
(bot/file_links.py). The rich menu is set up in the background at start (bot/line_richmenu.py).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.channels import LINE
from bot.endpoints import Refused
from bot.file_links import FileLinks, add_file_route
from bot.inbox_worker import RowHandler
from bot.line_bot import LineBot, LineWebhook, inbox_events
from bot.line_render import MediaStore
from bot.line_richmenu import make_blob_api, set_up_rich_menu
from bot.line_sender import make_line_api
from bot.webhook_body import BadBody
from handlers.context import Services
from storage.inbox import NewEvent

LINE_SIGNATURE_HEADER = "X-Line-Signature"
MEDIA: web.AppKey[MediaStore] = web.AppKey("line_media", MediaStore)


@dataclass
class LineEndpoint:
    webhook: LineWebhook
    bot: LineBot
    menu: Callable[[], Awaitable[object]] | None = None  # the rich menu's set-up, run at start
    channel: str = LINE.name
    takes_webhooks: bool = True
    mini_app_key: str | None = None

    def check(self, headers: Mapping[str, str], body: bytes) -> None:
        signature = headers.get(LINE_SIGNATURE_HEADER)
        if not signature:
            raise Refused(400, f"missing {LINE_SIGNATURE_HEADER}")
        if not self.webhook.verify(body, signature):
            raise Refused(401, f"bad {LINE_SIGNATURE_HEADER}")

    def events(self, body: bytes) -> list[NewEvent]:
        try:
            parsed = self.webhook.parse_raw(body)
        except BadBody as error:
            raise Refused(400, f"not a LINE webhook body: {error}") from None
        return inbox_events(parsed, self.bot.parsed)  # in order: the workers keep it

    def row_handler(self) -> RowHandler:
        return self.bot.handle_row

    def healthy(self) -> bool:
        return True

    def add_routes(self, app: web.Application) -> None:
        app[MEDIA] = self.bot.media
        app.router.add_get("/media/{token}/{name}", media_file)
        add_file_route(app, self.bot.services, self.bot.media.links)

    async def run(self) -> None:
        if self.menu is not None:
            await self.menu()

    async def close(self) -> None:
        await self.bot.close()


async def media_file(request: web.Request) -> web.Response:
    found = request.app[MEDIA].get(request.match_info["token"])
    if found is None:
        raise web.HTTPNotFound()
    return web.Response(body=found.content, content_type=found.mime_type)


def make_endpoint(services: Services, settings: Any, *, polling: bool) -> LineEndpoint | None:
    """LINE when its secret and access token are set (LINE is always served by webhook, so
    `polling` changes nothing)."""
    secret, token = settings.line_channel_secret, settings.line_channel_access_token
    if not (secret and token):
        return None  # LINE.configured, written out so the types narrow
    links = FileLinks(settings.public_url, secret) if settings.public_url else None
    media = MediaStore(settings.public_url, links=links)
    api = make_line_api(settings.line_api_base_url, token)
    blob = make_blob_api(settings.line_api_data_base_url, token)
    bot = LineBot(services, api, media=media, blob=blob)
    menu = functools.partial(
        set_up_rich_menu, settings.line_api_base_url, settings.line_api_data_base_url, token
    )
    return LineEndpoint(LineWebhook(secret), bot, menu)
