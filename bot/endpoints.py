"""What the webhook server (bot/webhook.py) asks of a channel it serves. A channel declares its
route and the module that makes its endpoint (bot/channels.py `webhook`, `endpoint`); the
module's `make_endpoint(services, settings, *, polling) -> Endpoint | None` builds it from the
settings (None: not configured). The server mounts every declared route, checks and stores each
call through the channel's endpoint, hands the inbox rows to it, and asks it for /health."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from aiohttp import web

from bot.inbox_worker import RowHandler
from storage.inbox import NewEvent


class Refused(Exception):
    """A webhook call turned away: its HTTP status and why (logged by who and why, never with
    the body)."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status, self.why = status, why


class Endpoint(Protocol):
    """A channel served by the webhook server."""

    channel: str  # its declared name

    @property
    def takes_webhooks(self) -> bool:
        """Whether its route takes calls here (Telegram by long polling does not: a 404)."""
        ...

    def check(self, headers: Mapping[str, str], body: bytes) -> None:
        """That the call comes from the platform (a signature, a secret token) and can be taken
        now; `Refused` when not. Nothing of the body is read before this."""
        ...

    def events(self, body: bytes) -> list[NewEvent]:
        """The inbox rows of an authenticated body, in order; `Refused` (400) for a body that
        is not the platform's kind."""
        ...

    def row_handler(self) -> RowHandler | None:
        """What handles its inbox rows here (None: nothing, its rows wait for another process)."""
        ...

    def healthy(self) -> bool:
        """What /health says of it: served and, where it connects out, connected."""
        ...

    @property
    def mini_app_key(self) -> str | None:
        """The key its Mini App's launch data is signed with, for the dashboard (None: none)."""
        ...

    def add_routes(self, app: web.Application) -> None:
        """Routes of its own beside the webhook (LINE's pictures and files by link)."""
        ...

    async def run(self) -> None:
        """What it starts in the background once the server answers (connecting, a menu);
        cancelled at shutdown."""
        ...

    async def close(self) -> None:
        """Stop and let go of its connections, after the server stopped."""
        ...
