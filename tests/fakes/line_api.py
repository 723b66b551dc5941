"""A local fake of the LINE Messaging API and of LINE's webhook signing, for end-to-end tests
of the real line-bot-sdk (point its Configuration host at `fake.base_url`).

    async with FakeLine() as fake:
        token = fake.reply_token("Uaaa")              # a fresh, single-use reply token for a chat
        body = webhook_body([text_event("Uaaa", "/status STR114/64", token)])
        headers = {"X-Line-Signature": sign(SECRET, body)}
        ... post body to the bot's /line ...
        fake.texts("Uaaa")                            # what that chat was sent, reply or push

Served: POST /v2/bot/message/reply, POST /v2/bot/message/push, GET /v2/bot/profile/{user},
GET /v2/bot/group/{group}/member/{user}. Requests are checked the way LINE checks them (bearer
token, 1..5 messages, text 1..5000 characters, at most 13 quick-reply items, labels of at most
20 characters, postback data of at most 300); a breach is a 400, as LINE answers.

Reply tokens are single use and expire (`expire(token)`); push honours X-Line-Retry-Key: a key
already accepted answers 409 with `x-line-accepted-request-id`, nothing is shown twice.
Switches: `block(chat)` -> 403 on push there; `rate_limit(count)` -> the next pushes get 429;
`fail_next(count, status)` -> the next pushes get a 5xx.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK_REPLY = 13
MAX_LABEL = 20
MAX_POSTBACK_DATA = 300


def sign(secret: str, body: bytes) -> str:
    """X-Line-Signature: base64 of the HMAC-SHA256 of the raw body, keyed by the channel secret."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@dataclass
class Delivered:
    kind: str  # reply | push
    chat: str
    messages: list[dict[str, Any]]
    retry_key: str | None = None

    @property
    def texts(self) -> list[str]:
        return [m.get("text", "") for m in self.messages if m.get("type") == "text"]

    @property
    def quick_replies(self) -> list[tuple[str, str]]:
        """(label, postback data) of the last message's quick-reply buttons (what LINE shows)."""
        items = (self.messages[-1].get("quickReply") or {}).get("items", [])
        return [(i["action"]["label"], i["action"].get("data", "")) for i in items]


@dataclass
class FakeLine:
    access_token: str = "line-test-token"
    delivered: list[Delivered] = field(default_factory=list)
    rejected: list[tuple[str, int, str]] = field(default_factory=list)  # (path, status, why)
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)
    per_text: Counter[tuple[str, str]] = field(default_factory=Counter)
    port: int = 0

    def __post_init__(self) -> None:
        self._tokens: dict[str, str] = {}  # live reply token -> chat
        self._accepted_keys: dict[str, str] = {}  # retry key -> request id
        self._blocked: set[str] = set()
        self._limited = 0
        self._failing: list[int] = []
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None

    # -- life cycle ---------------------------------------------------------------------------
    async def __aenter__(self) -> FakeLine:
        app = web.Application()
        app.router.add_post("/v2/bot/message/reply", self._reply)
        app.router.add_post("/v2/bot/message/push", self._push)
        app.router.add_get("/v2/bot/profile/{user}", self._profile)
        app.router.add_get("/v2/bot/group/{group}/member/{user}", self._profile)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- what tests set up --------------------------------------------------------------------
    def reply_token(self, chat: str) -> str:
        token = uuid.uuid4().hex
        self._tokens[token] = chat
        return token

    def expire(self, token: str) -> None:
        self._tokens.pop(token, None)

    def add_profile(self, user: str, name: str, language: str = "th") -> None:
        self.profiles[user] = {"userId": user, "displayName": name, "language": language}

    def block(self, chat: str) -> None:
        self._blocked.add(chat)

    def rate_limit(self, count: int = 1) -> None:
        self._limited += count

    def fail_next(self, count: int = 1, status: int = 500) -> None:
        self._failing += [status] * count

    # -- what tests read ----------------------------------------------------------------------
    def to(self, chat: str) -> list[Delivered]:
        return [d for d in self.delivered if d.chat == chat]

    def texts(self, chat: str) -> list[str]:
        return [text for d in self.to(chat) for text in d.texts]

    # -- the API ------------------------------------------------------------------------------
    def _problem(self, request: web.Request, body: dict[str, Any]) -> str | None:
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return "Authentication failed"
        messages = body.get("messages")
        if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
            return "messages: must be 1..5"
        for message in messages:
            problem = _message_problem(message)
            if problem:
                return problem
        return None

    async def _reply(self, request: web.Request) -> web.Response:
        body = await request.json()
        problem = self._problem(request, body)
        chat = self._tokens.pop(str(body.get("replyToken")), None)
        if problem is None and chat is None:
            problem = "Invalid reply token"
        if problem:
            return self._refuse(request, 400 if "Auth" not in problem else 401, problem)
        self._record("reply", chat or "", body["messages"], None)
        return web.json_response({"sentMessages": self._sent_ids(body["messages"])})

    async def _push(self, request: web.Request) -> web.Response:
        body = await request.json()
        problem = self._problem(request, body)
        if problem:
            return self._refuse(request, 400 if "Auth" not in problem else 401, problem)
        key = request.headers.get("X-Line-Retry-Key")
        if key and key in self._accepted_keys:
            return web.json_response(
                {"message": "The retry key is already accepted", "sentMessages": []},
                status=409,
                headers={"x-line-accepted-request-id": self._accepted_keys[key]},
            )
        if self._limited:
            self._limited -= 1
            return self._refuse(request, 429, "The API rate limit has been exceeded.")
        if self._failing:
            return self._refuse(request, self._failing.pop(0), "Internal error")
        to = str(body.get("to"))
        if to in self._blocked:
            return self._refuse(request, 403, "The user has blocked the bot")
        request_id = f"req-{next(self._ids)}"
        if key:
            self._accepted_keys[key] = request_id
        self._record("push", to, body["messages"], key)
        return web.json_response(
            {"sentMessages": self._sent_ids(body["messages"])},
            headers={"x-line-request-id": request_id},
        )

    async def _profile(self, request: web.Request) -> web.Response:
        profile = self.profiles.get(request.match_info["user"])
        if profile is None:
            return web.json_response({"message": "Not found"}, status=404)
        return web.json_response(profile)

    def _refuse(self, request: web.Request, status: int, why: str) -> web.Response:
        self.rejected.append((request.path, status, why))
        return web.json_response({"message": why}, status=status)

    def _record(self, kind: str, chat: str, messages: list[Any], key: str | None) -> None:
        self.delivered.append(Delivered(kind, chat, messages, key))
        for message in messages:
            if message.get("type") == "text":
                self.per_text[(chat, message["text"])] += 1

    def _sent_ids(self, messages: list[Any]) -> list[dict[str, str]]:
        return [{"id": str(next(self._ids)), "quoteToken": "q"} for _ in messages]


def _message_problem(message: dict[str, Any]) -> str | None:
    kind = message.get("type")
    if kind == "text":
        text = message.get("text") or ""
        if not 1 <= len(text) <= MAX_TEXT:
            return f"text: length must be 1..{MAX_TEXT}, was {len(text)}"
    elif kind == "image":
        for key in ("originalContentUrl", "previewImageUrl"):
            if not str(message.get(key, "")).startswith("https://"):
                return f"{key}: must be an https URL"
    else:
        return f"unsupported message type {kind}"
    items = (message.get("quickReply") or {}).get("items", [])
    if len(items) > MAX_QUICK_REPLY:
        return f"quickReply.items: at most {MAX_QUICK_REPLY}"
    for item in items:
        action = item.get("action", {})
        if not 1 <= len(action.get("label", "")) <= MAX_LABEL:
            return f"quickReply label: 1..{MAX_LABEL} characters"
        if action.get("type") == "postback" and len(action.get("data", "")) > MAX_POSTBACK_DATA:
            return f"postback data: at most {MAX_POSTBACK_DATA} characters"
    return None


# -- webhook bodies, shaped like LINE's ---------------------------------------------------------
def _source(user: str, group: str | None) -> dict[str, str]:
    if group:
        return {"type": "group", "groupId": group, "userId": user}
    return {"type": "user", "userId": user}


def _event(
    kind: str, user: str, group: str | None, token: str | None, **extra: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": _source(user, group),
        "webhookEventId": "01" + uuid.uuid4().hex[:24].upper(),
        "deliveryContext": {"isRedelivery": False},
        **extra,
    }
    if token:
        event["replyToken"] = token
    return event


def text_event(
    user: str, text: str, token: str | None, *, group: str | None = None
) -> dict[str, Any]:
    message = {"id": str(uuid.uuid4().int)[:18], "type": "text", "text": text, "quoteToken": "q"}
    return _event("message", user, group, token, message=message)


def postback_event(
    user: str, data: str, token: str | None, *, group: str | None = None
) -> dict[str, Any]:
    return _event("postback", user, group, token, postback={"data": data})


def follow_event(user: str, token: str | None) -> dict[str, Any]:
    return _event("follow", user, None, token, follow={"isUnblocked": False})


def unfollow_event(user: str) -> dict[str, Any]:
    return _event("unfollow", user, None, None)


def leave_event(group: str) -> dict[str, Any]:
    event = _event("leave", "", group, None)
    event["source"] = {"type": "group", "groupId": group}
    return event


def join_event(group: str, token: str | None) -> dict[str, Any]:
    event = _event("join", "", group, token)
    event["source"] = {"type": "group", "groupId": group}
    return event


def redelivered(event: dict[str, Any]) -> dict[str, Any]:
    """The same event as LINE redelivers it: same id, marked, its reply token no longer usable."""
    return {**event, "deliveryContext": {"isRedelivery": True}}


def webhook_body(events: list[dict[str, Any]], destination: str = "Ubot") -> bytes:
    return json.dumps({"destination": destination, "events": events}, ensure_ascii=False).encode()
