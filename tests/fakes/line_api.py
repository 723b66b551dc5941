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
token, 1..5 messages, text 1..5000 UTF-16 units, at most 13 quick-reply items, labels of at most
20 characters counted as graphemes, postback data of at most 300); a breach is a 400, as LINE
answers. Flex messages are checked for the parts planbot uses (`flex_problem`): altText 1..400
characters, a bubble of at most 30 KB and a carousel of at most 50 KB measured in the JSON as it
was sent (Thai escaped as \\uXXXX weighs 6 bytes a character), blocks that are boxes, every
component's type and required keys
(box layout and contents, text, button action), flex values, colours, sizes and postback
actions; `Delivered.cards` keeps them for tests to read. `checks` counts, per rule, the
messages and parts checked (what the conformance test reports).

Rich menus: POST /v2/bot/richmenu (checked like LINE: size 800..2500 wide, at least 250 high, at
least 1.45 wide per high; name 1..300, chatBarText 1..14, `selected`, 1..20 areas inside the menu
with valid actions), GET /v2/bot/richmenu/list, POST and GET /v2/bot/user/all/richmenu[/{id}]
(a menu without its picture cannot be the default: 400). The picture goes to the data host, a
second port (`data_base_url`), as LINE's api-data.line.me: POST /v2/bot/richmenu/{id}/content
with Content-Type image/png or image/jpeg, at most 1 MB, exactly the menu's size, once per menu;
the main port does not serve it (404). `rich_menus`, `rich_menu_images`, `default_rich_menu`.

Message content: what people send as pictures and files is fetched from the data host too,
GET /v2/bot/message/{id}/content, answering the bytes `add_content(id, bytes, type)` registered
with their Content-Type, 404 for an id it does not know (as LINE for content it no longer keeps).
Image messages in replies and pushes need https URLs of at most 2000 characters.

Reply tokens are single use and expire (`expire(token)`); push honours X-Line-Retry-Key: a key
already accepted answers 409 with `x-line-accepted-request-id`, nothing is shown twice.
Switches: `block(chat)` -> 403 on push there; `rate_limit(count)` -> the next pushes get 429;
`fail_next(count, status)` -> the next pushes get a 5xx.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import regex
from aiohttp import web

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK_REPLY = 13
MAX_LABEL = 20
MAX_POSTBACK_DATA = 300
MAX_DISPLAY_TEXT = 300
MAX_ALT_TEXT = 400
MAX_BUBBLE_BYTES = 30 * 1024
MAX_CAROUSEL_BYTES = 50 * 1024
MAX_CAROUSEL = 12
GRAPHEME = regex.compile(r"\X")
MAX_RICH_MENU_IMAGE = 1024 * 1024
MAX_IMAGE_URL = 2000


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
    def cards(self) -> list[dict[str, Any]]:
        """The Flex messages, as sent (type, altText, contents)."""
        return [m for m in self.messages if m.get("type") == "flex"]

    @property
    def shown(self) -> list[str]:
        """What the chat shows, one string per message: a text as it is, a Flex card as the
        texts in it (header, body, footer labels) one per line."""
        out = []
        for message in self.messages:
            if message.get("type") == "text":
                out.append(message.get("text", ""))
            elif message.get("type") == "flex":
                out.append("\n".join(flex_texts(message["contents"])))
        return out

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
    data_port: int = 0
    rich_menus: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> as created
    rich_menu_images: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # content type
    default_rich_menu: str | None = None
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path), both hosts
    contents: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # message id -> content
    checks: Counter[str] = field(default_factory=Counter)  # rule -> how many times checked

    def __post_init__(self) -> None:
        self._tokens: dict[str, str] = {}  # live reply token -> chat
        self._accepted_keys: dict[str, str] = {}  # retry key -> request id
        self._blocked: set[str] = set()
        self._limited = 0
        self._failing: list[int] = []
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._data_runner: web.AppRunner | None = None

    # -- life cycle ---------------------------------------------------------------------------
    async def __aenter__(self) -> FakeLine:
        app = web.Application(middlewares=[self._note])
        app.router.add_post("/v2/bot/message/reply", self._reply)
        app.router.add_post("/v2/bot/message/push", self._push)
        app.router.add_get("/v2/bot/profile/{user}", self._profile)
        app.router.add_get("/v2/bot/group/{group}/member/{user}", self._profile)
        app.router.add_post("/v2/bot/richmenu", self._create_rich_menu)
        app.router.add_get("/v2/bot/richmenu/list", self._list_rich_menus)
        app.router.add_post("/v2/bot/user/all/richmenu/{menu}", self._set_default_rich_menu)
        app.router.add_get("/v2/bot/user/all/richmenu", self._get_default_rich_menu)
        data = web.Application(client_max_size=4 * MAX_RICH_MENU_IMAGE, middlewares=[self._note])
        data.router.add_post("/v2/bot/richmenu/{menu}/content", self._upload_rich_menu_image)
        data.router.add_get("/v2/bot/message/{message}/content", self._message_content)
        self._runner, self.port = await _serve(app)
        self._data_runner, self.data_port = await _serve(data)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for runner in (self._runner, self._data_runner):
            if runner is not None:
                await runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def data_base_url(self) -> str:
        """LINE's data host (api-data.line.me): uploads such as the rich menu's picture."""
        return f"http://127.0.0.1:{self.data_port}"

    # -- what tests set up --------------------------------------------------------------------
    def reply_token(self, chat: str) -> str:
        token = uuid.uuid4().hex
        self._tokens[token] = chat
        return token

    def expire(self, token: str) -> None:
        self._tokens.pop(token, None)

    def add_profile(self, user: str, name: str, language: str = "th") -> None:
        self.profiles[user] = {"userId": user, "displayName": name, "language": language}

    def add_content(self, message_id: str, content: bytes, content_type: str) -> None:
        """What the data host answers for that message's content (a picture or file sent)."""
        self.contents[message_id] = (content_type, content)

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

    def shown(self, chat: str) -> list[str]:
        """Texts, and Flex cards as their texts (see Delivered.shown)."""
        return [text for d in self.to(chat) for text in d.shown]

    def cards(self, chat: str) -> list[dict[str, Any]]:
        return [card for d in self.to(chat) for card in d.cards]

    async def wait_shown(self, chat: str, count: int, timeout: float = 60.0) -> list[str]:
        """Wait until `chat` was shown at least `count` texts (a webhook answers before the
        bot's reply goes out); all it was shown."""
        deadline = time.monotonic() + timeout
        while len(self.shown(chat)) < count:
            assert time.monotonic() < deadline, f"{chat} was shown {self.shown(chat)}"
            await asyncio.sleep(0.02)
        return self.shown(chat)

    # -- the API ------------------------------------------------------------------------------
    def _problem(self, request: web.Request, body: dict[str, Any], raw: bytes) -> str | None:
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return "Authentication failed"
        messages = body.get("messages")
        self.checks["messages per call (1..5)"] += 1
        if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
            return "messages: must be 1..5"
        style = _Style.of(raw)
        for message in messages:
            tally(message, self.checks)
            problem = _message_problem(message, style)
            if problem:
                return problem
        return None

    async def _reply(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw)
        problem = self._problem(request, body, raw)
        chat = self._tokens.pop(str(body.get("replyToken")), None)
        if problem is None and chat is None:
            problem = "Invalid reply token"
        if problem:
            return self._refuse(request, 400 if "Auth" not in problem else 401, problem)
        self._record("reply", chat or "", body["messages"], None)
        return web.json_response({"sentMessages": self._sent_ids(body["messages"])})

    async def _push(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw)
        problem = self._problem(request, body, raw)
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

    @web.middleware
    async def _note(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        response: web.StreamResponse = await handler(request)
        return response

    def called(self, method: str, path: str) -> int:
        """How many requests of that method and path the fake got (a path ending in / counts
        every path under it)."""
        if path.endswith("/"):
            return sum(m == method and p.startswith(path) for m, p in self.requests)
        return sum(m == method and p == path for m, p in self.requests)

    # -- rich menus ----------------------------------------------------------------------------
    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.access_token}"

    async def _create_rich_menu(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._refuse(request, 401, "Authentication failed")
        body = await request.json()
        problem = rich_menu_problem(body)
        if problem:
            return self._refuse(request, 400, problem)
        menu_id = f"richmenu-{uuid.uuid4().hex}"
        self.rich_menus[menu_id] = body
        return web.json_response({"richMenuId": menu_id})

    async def _list_rich_menus(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._refuse(request, 401, "Authentication failed")
        menus = [{"richMenuId": menu_id, **menu} for menu_id, menu in self.rich_menus.items()]
        return web.json_response({"richmenus": menus})

    async def _set_default_rich_menu(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._refuse(request, 401, "Authentication failed")
        menu_id = request.match_info["menu"]
        if menu_id not in self.rich_menus:
            return self._refuse(request, 404, "Not found")
        if menu_id not in self.rich_menu_images:
            return self._refuse(request, 400, "must upload richmenu image before applying it")
        self.default_rich_menu = menu_id
        return web.json_response({})

    async def _get_default_rich_menu(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._refuse(request, 401, "Authentication failed")
        if self.default_rich_menu is None:
            return self._refuse(request, 404, "no default richmenu")
        return web.json_response({"richMenuId": self.default_rich_menu})

    async def _upload_rich_menu_image(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._refuse(request, 401, "Authentication failed")
        menu_id = request.match_info["menu"]
        menu = self.rich_menus.get(menu_id)
        if menu is None:
            return self._refuse(request, 404, "Not found")
        kind = request.headers.get("Content-Type", "")
        if kind not in ("image/png", "image/jpeg"):
            return self._refuse(request, 415, f"unsupported Content-Type {kind!r}")
        content = await request.read()
        if len(content) > MAX_RICH_MENU_IMAGE:
            return self._refuse(request, 413, "an image is at most 1 MB")
        if menu_id in self.rich_menu_images:
            return self._refuse(request, 400, "An image has already been uploaded to the richmenu")
        problem = image_problem(content, kind, menu["size"])
        if problem:
            return self._refuse(request, 400, problem)
        self.rich_menu_images[menu_id] = (kind, content)
        return web.json_response({})

    async def _message_content(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._refuse(request, 401, "Authentication failed")
        found = self.contents.get(request.match_info["message"])
        if found is None:
            return self._refuse(request, 404, "Not found")
        content_type, content = found
        return web.Response(body=content, headers={"Content-Type": content_type})

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


@dataclass(frozen=True)
class _Style:
    """How a request's JSON was written, so a size is measured as it was sent."""

    ascii: bool  # non-ASCII escaped as \\uXXXX
    spaced: bool  # ", " and ": " between items

    @staticmethod
    def of(raw: bytes) -> _Style:
        return _Style(ascii=raw.isascii(), spaced=b'", "' in raw or b'": ' in raw)

    def size(self, value: Any) -> int:
        separators = (", ", ": ") if self.spaced else (",", ":")
        return len(json.dumps(value, ensure_ascii=self.ascii, separators=separators).encode())


COMPACT = _Style(ascii=False, spaced=False)


def graphemes(text: str) -> int:
    return len(GRAPHEME.findall(text))


def tally(message: dict[str, Any], checks: Counter[str]) -> None:
    """Count the rules a message is checked against (one per text, label, bubble…)."""
    kind = message.get("type")
    if kind == "text":
        checks["text length (UTF-16, 1..5000)"] += 1
    if kind == "flex":
        checks["altText length (1..400)"] += 1
        contents = message.get("contents") or {}
        checks[
            "carousel size (50 KB as sent)"
            if contents.get("type") == "carousel"
            else "bubble size (30 KB as sent)"
        ] += 1
        checks["flex schema"] += 1
        for action in _actions(contents):
            checks["label length (graphemes, 1..20)"] += 1
            checks["postback data (1..300)"] += action.get("type") == "postback"
    items = (message.get("quickReply") or {}).get("items", [])
    if items:
        checks["quick-reply items (≤13)"] += 1
    for item in items:
        checks["label length (graphemes, 1..20)"] += 1
        checks["postback data (1..300)"] += item.get("action", {}).get("type") == "postback"


def _actions(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if isinstance(node.get("action"), dict):
            found.append(node["action"])
        for value in node.values():
            if isinstance(value, dict | list):
                found.extend(_actions(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_actions(value))
    return found


def _message_problem(message: dict[str, Any], style: _Style = COMPACT) -> str | None:
    kind = message.get("type")
    if kind == "text":
        text = message.get("text") or ""
        if not 1 <= utf16_length(text) <= MAX_TEXT:
            return f"text: length must be 1..{MAX_TEXT}, was {utf16_length(text)}"
    elif kind == "image":
        for key in ("originalContentUrl", "previewImageUrl"):
            url = str(message.get(key, ""))
            if not url.startswith("https://"):
                return f"{key}: must be an https URL"
            if len(url) > MAX_IMAGE_URL:
                return f"{key}: at most {MAX_IMAGE_URL} characters"
    elif kind == "flex":
        problem = flex_problem(message, style)
        if problem:
            return problem
    else:
        return f"unsupported message type {kind}"
    items = (message.get("quickReply") or {}).get("items", [])
    if len(items) > MAX_QUICK_REPLY:
        return f"quickReply.items: at most {MAX_QUICK_REPLY}"
    for item in items:
        action = item.get("action", {})
        if not 1 <= graphemes(action.get("label", "")) <= MAX_LABEL:
            return f"quickReply label: 1..{MAX_LABEL} characters"
        if action.get("type") == "postback" and len(action.get("data", "")) > MAX_POSTBACK_DATA:
            return f"postback data: at most {MAX_POSTBACK_DATA} characters"
    return None


async def _serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


# -- rich menus ---------------------------------------------------------------------------------
def rich_menu_problem(menu: Any) -> str | None:
    """What LINE would refuse in a rich menu object, or None."""
    if not isinstance(menu, dict):
        return "a rich menu object is required"
    size = menu.get("size") or {}
    width, height = size.get("width"), size.get("height")
    if not isinstance(width, int) or not isinstance(height, int):
        return "/size: width and height are required"
    if not 800 <= width <= 2500 or height < 250 or width / height < 1.45:
        return "/size: 800..2500 wide, at least 250 high, at least 1.45 wide per high"
    if not isinstance(menu.get("selected"), bool):
        return "/selected: required"
    name, bar = menu.get("name"), menu.get("chatBarText")
    if not isinstance(name, str) or not 1 <= len(name) <= 300:
        return "/name: 1..300 characters"
    if not isinstance(bar, str) or not 1 <= len(bar) <= 14:
        return "/chatBarText: 1..14 characters"
    areas = menu.get("areas")
    if not isinstance(areas, list) or not 1 <= len(areas) <= 20:
        return "/areas: 1..20 areas"
    for index, area in enumerate(areas):
        bounds = area.get("bounds") or {}
        x, y = bounds.get("x"), bounds.get("y")
        w, h = bounds.get("width"), bounds.get("height")
        if not all(isinstance(v, int) for v in (x, y, w, h)):
            return f"/areas/{index}/bounds: x, y, width and height are required"
        if x < 0 or y < 0 or w < 1 or h < 1 or x + w > width or y + h > height:
            return f"/areas/{index}/bounds: outside the rich menu"
        action = dict(area.get("action") or {})
        if action.get("type") not in ("message", "postback", "uri", "richmenuswitch"):
            return f"/areas/{index}/action/type: invalid"
        action.setdefault("label", "-")  # optional in a rich menu, at most 20 when given
        problem = _action_problem(action, f"/areas/{index}/action")
        if problem:
            return problem
    return None


def image_problem(content: bytes, kind: str, size: dict[str, int]) -> str | None:
    """A picture LINE would refuse for a rich menu of `size`: not what it says it is, or not
    exactly the menu's size."""
    from io import BytesIO

    from PIL import Image

    try:
        with Image.open(BytesIO(content)) as image:
            found, dimensions = image.format, image.size
    except Exception:
        return "not an image"
    if (found, kind) not in (("PNG", "image/png"), ("JPEG", "image/jpeg")):
        return f"the content is {found}, not {kind}"
    if dimensions != (size["width"], size["height"]):
        return f"image size {dimensions} does not match the rich menu {size}"
    return None


# -- Flex messages ------------------------------------------------------------------------------
COMPONENTS = {"box", "text", "button", "filler", "separator", "image", "icon", "span", "video"}
LAYOUTS = {"horizontal", "vertical", "baseline"}
KEYWORDS = {"none", "xs", "sm", "md", "lg", "xl", "xxl"}
TEXT_SIZES = {"xxs", "xs", "sm", "md", "lg", "xl", "xxl", "3xl", "4xl", "5xl"}
BUBBLE_SIZES = {"nano", "micro", "deca", "hecto", "kilo", "mega", "giga"}
COLOUR = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$")
LENGTH = re.compile(r"^(?:\d+(?:\.\d+)?(?:px|%))$")


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def flex_problem(message: dict[str, Any], style: _Style = COMPACT) -> str | None:
    """What LINE would refuse in a Flex message (for the properties planbot uses), or None."""
    alt = message.get("altText")
    if not isinstance(alt, str) or not 1 <= utf16_length(alt) <= MAX_ALT_TEXT:
        return f"/altText: must be 1..{MAX_ALT_TEXT} characters"
    contents = message.get("contents")
    if not isinstance(contents, dict):
        return "/contents: required"
    if contents.get("type") == "bubble":
        bubbles = [contents]
    elif contents.get("type") == "carousel":
        bubbles = contents.get("contents")
        if not isinstance(bubbles, list) or not 1 <= len(bubbles) <= MAX_CAROUSEL:
            return f"/contents/contents: 1..{MAX_CAROUSEL} bubbles"
        size = style.size(contents)
        if size > MAX_CAROUSEL_BYTES:
            return f"/contents: a carousel is at most 50 KB, this one is {size} bytes as sent"
    else:
        return "/contents/type: must be bubble or carousel"
    for index, bubble in enumerate(bubbles):
        problem = _bubble_problem(bubble, f"/contents/{index}", style)
        if problem:
            return problem
    return None


def _bubble_problem(bubble: Any, path: str, style: _Style = COMPACT) -> str | None:
    if not isinstance(bubble, dict) or bubble.get("type") != "bubble":
        return f"{path}/type: must be bubble"
    size = style.size(bubble)
    if size > MAX_BUBBLE_BYTES:
        return f"{path}: a bubble is at most 30 KB, this one is {size} bytes as sent"
    if "size" in bubble and bubble["size"] not in BUBBLE_SIZES:
        return f"{path}/size: invalid"
    blocks = [key for key in ("header", "hero", "body", "footer") if key in bubble]
    if not blocks:
        return f"{path}: a bubble needs at least one block"
    for key in blocks:
        block = bubble[key]
        if key != "hero" and (not isinstance(block, dict) or block.get("type") != "box"):
            return f"{path}/{key}/type: must be box"
        problem = _component_problem(block, f"{path}/{key}")
        if problem:
            return problem
    return None


def _component_problem(component: Any, path: str) -> str | None:
    if not isinstance(component, dict) or component.get("type") not in COMPONENTS:
        return f"{path}/type: unknown component"
    kind = component["type"]
    flex = component.get("flex")
    if flex is not None and (not isinstance(flex, int) or isinstance(flex, bool) or flex < 0):
        return f"{path}/flex: must be a non-negative integer"
    for key in ("color", "backgroundColor", "borderColor"):
        if key in component and not COLOUR.match(str(component[key])):
            return f"{path}/{key}: must be #RRGGBB or #RRGGBBAA"
    for key in ("spacing", "margin"):
        value = component.get(key)
        if value is not None and value not in KEYWORDS and not LENGTH.match(str(value)):
            return f"{path}/{key}: invalid"
    if kind == "box":
        if component.get("layout") not in LAYOUTS:
            return f"{path}/layout: must be one of {sorted(LAYOUTS)}"
        children = component.get("contents")
        if not isinstance(children, list):
            return f"{path}/contents: required"
        for key in ("height", "width", "cornerRadius", "paddingAll"):
            value = component.get(key)
            if value is not None and value not in KEYWORDS and not LENGTH.match(str(value)):
                return f"{path}/{key}: invalid"
        for index, child in enumerate(children):
            problem = _component_problem(child, f"{path}/contents/{index}")
            if problem:
                return problem
    elif kind == "text":
        text, spans = component.get("text"), component.get("contents")
        if not (isinstance(text, str) and text) and not spans:
            return f"{path}/text: required (not empty)"
        size = component.get("size")
        if size is not None and size not in TEXT_SIZES and not LENGTH.match(str(size)):
            return f"{path}/size: invalid"
        if component.get("weight", "regular") not in ("regular", "bold"):
            return f"{path}/weight: invalid"
        if component.get("align", "start") not in ("start", "end", "center"):
            return f"{path}/align: invalid"
        lines = component.get("maxLines", 0)
        if not isinstance(lines, int) or lines < 0:
            return f"{path}/maxLines: must be a non-negative integer"
    elif kind == "button":
        if component.get("style", "link") not in ("link", "primary", "secondary"):
            return f"{path}/style: invalid"
        if component.get("height", "md") not in ("md", "sm"):
            return f"{path}/height: invalid"
        return _action_problem(component.get("action"), f"{path}/action")
    return None


def _action_problem(action: Any, path: str) -> str | None:
    if not isinstance(action, dict):
        return f"{path}: required"
    label = action.get("label")
    if not isinstance(label, str) or not 1 <= graphemes(label) <= MAX_LABEL:
        return f"{path}/label: 1..{MAX_LABEL} characters"
    if action.get("type") == "postback":
        data = action.get("data")
        if not isinstance(data, str) or not 1 <= len(data) <= MAX_POSTBACK_DATA:
            return f"{path}/data: 1..{MAX_POSTBACK_DATA} characters"
        if len(action.get("displayText", "")) > MAX_DISPLAY_TEXT:
            return f"{path}/displayText: at most {MAX_DISPLAY_TEXT} characters"
    elif action.get("type") == "message":
        if not 1 <= len(action.get("text") or "") <= MAX_DISPLAY_TEXT:
            return f"{path}/text: 1..{MAX_DISPLAY_TEXT} characters"
    elif action.get("type") not in (
        "uri",
        "datetimepicker",
        "camera",
        "location",
        "richmenuswitch",
    ):
        return f"{path}/type: unknown action"
    return None


def flex_texts(container: dict[str, Any]) -> list[str]:
    """Every text a Flex container shows, in order (texts, then button labels where they
    stand)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text" and node.get("text"):
                found.append(node["text"])
            if node.get("type") == "button":
                found.append(node.get("action", {}).get("label", ""))
            for key in ("header", "hero", "body", "footer", "contents"):
                if key in node:
                    walk(node[key])
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(container)
    return found


def card_buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, postback data) of the buttons in a Flex card's footer."""
    footer = message["contents"].get("footer") or {"contents": []}
    return [
        (b["action"]["label"], b["action"].get("data", ""))
        for b in footer["contents"]
        if b.get("type") == "button"
    ]


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


def image_event(
    user: str, message_id: str, token: str | None, *, group: str | None = None
) -> dict[str, Any]:
    """A picture sent from the LINE app: only its id; the bytes are on the data host."""
    message = {
        "id": message_id,
        "type": "image",
        "quoteToken": "q",
        "contentProvider": {"type": "line"},
    }
    return _event("message", user, group, token, message=message)


def file_event(
    user: str,
    message_id: str,
    name: str,
    size: int,
    token: str | None,
    *,
    group: str | None = None,
) -> dict[str, Any]:
    """A file sent from the LINE app: its name and declared size, the bytes on the data host."""
    message = {"id": message_id, "type": "file", "fileName": name, "fileSize": size}
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
