"""A local fake of the Telegram Bot API, for end-to-end tests of the real python-telegram-bot.

It listens on 127.0.0.1 (a free port, or the one given: `FakeTelegram(port=...)`); point PTB at
`fake.base_url` (".../bot", PTB appends the token and the method). Answers are Telegram-shaped
JSON; HTML text is checked the way Telegram checks it (allowed tags, balanced, bare `<`/`&`
refused, at most 4096 UTF-16 units of visible text, a caption at most 1024), so a reply that
Telegram would refuse is refused here too (400 "can't parse entities", "message caption is too
long"). A photo (sendPhoto or in an album) is read with Pillow and refused as Telegram refuses
it: not a picture, over 10 MB, width + height over 10000 or one side over 20 times the other
(400 PHOTO_INVALID_DIMENSIONS). `checks` counts, per rule, the calls and parts checked.

    async with FakeTelegram() as fake:
        app = build_application(fake.token, services, fake.base_url)
        fake.user_message(42, "/status STR114/64", language_code="th")   # or group=True
        [reply] = await fake.wait_for(chat_id=42)                        # Sent records
        fake.press(42, reply, "upd:p:STR114/64")                         # a button press
        await fake.wait_for(method="editMessageText")

Served: getMe, getUpdates (long poll, `timeout` honoured, `offset` confirms), sendMessage,
editMessageText, answerCallbackQuery, setMyCommands, getMyCommands, deleteMyCommands (each with its
scope and language), setChatMenuButton (`menu_buttons`), deleteWebhook, sendPhoto, sendDocument (multipart: filename and bytes
kept), sendMediaGroup (2-10 items, attach:// parts, no photos among documents; one Sent per
item), getFile and GET /file/bot<token>/<file_path> (tests/fakes/telegram_files.py),
sendChatAction, deleteMessage.

Files people send: `user_photo(user, content, caption=…)` and `user_document(user, content,
"report.pdf", "application/pdf", caption=…)`, either with `reply_to=` a Sent of the bot's (the
update then carries `reply_to_message`) and `declared_size=` (what Telegram says the file
weighs, for files too big to download). `add_file(content)` registers bytes and gives a file id;
`downloads` lists the file ids whose bytes were served.

What tests read:
- `sent`: every message the bot sent or edited, as `Sent` (method, chat_id, text, parse_mode,
  reply_markup, message_id, filename, content); `calls`: every (method, params) received.
- `await wait_for(match=None, *, chat_id=, method=, contains=, count=1, since=, timeout=60)`:
  the Sent records after `since` (default: the last injection) once `count` of them match.
- `commands[language_code]`: the default scope's menus from setMyCommands ("" = no language
  given); `scoped_commands[(scope, language_code)]` every other scope's ("chat:42",
  "all_group_chats", …); `menu(chat_id, language_code)`: the command names a person sees there,
  resolved as Telegram does; `callback_answers`.
- counters: `too_many_sent` (429s), `server_errors_sent` (5xx), `forbidden_sent` (403s),
  `per_text` (Counter of (chat_id, text) sent: a value above 1 is a duplicate).

Behaviour switches (for delivery tests):
- `FakeTelegram(enforce_limits=True)` or `fake.enforce_limits = True`: about 30 messages/s
  overall, 1/s per chat, 20/min per group chat; over it: 429 with `parameters.retry_after`.
- `fail_next(method, count=1, status=502)`: the next `count` calls of `method` fail with a 5xx.
- `delay(method, seconds, count=None)`: answer `method` late (client timeouts); None = always.
- `block(chat_id)`: sending there answers 403 "Forbidden: bot was blocked by the user".
- `migrate(chat_id, to_chat_id)`: the group became a supergroup (400 with migrate_to_chat_id).
- `hold(method)` / `release(method)`: calls wait unanswered and are never carried out (a request
  lost on the way, for kill -9 tests); `release` answers the held ones 502 (nothing recorded).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from typing import Any

from aiohttp import web

from tests.fakes.telegram_files import FileProblem, FileStore, StoredFile, photo_sizes

SEND_METHODS = ("sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup")
RAW_FIELDS = ("text", "caption", "parse_mode", "language_code", "callback_query_id", "data")
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "tg-emoji",
    "blockquote",
}
TOKEN_RE = re.compile(r"<(/?)([a-zA-Z-]*)([^<>]*)>|&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);|([<>&])")
MAX_TEXT = 4096
MAX_CAPTION = 1024
PHOTO_MOST_BYTES = 10 * 1024 * 1024


@dataclass
class Sent:
    method: str
    chat_id: int
    message_id: int
    text: str = ""
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    filename: str | None = None
    content: bytes | None = None
    kind: str | None = None  # photo | document … for sendMediaGroup items

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback data) of every inline button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    @property
    def links(self) -> list[tuple[str, str, str]]:
        """(label, kind, address) of every link button ("url" or "web_app"), row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [
            (b["text"], "url", b["url"])
            if "url" in b
            else (b["text"], "web_app", b["web_app"]["url"])
            for row in rows
            for b in row
            if "url" in b or "web_app" in b
        ]


class ApiError(Exception):
    def __init__(
        self,
        code: int,
        description: str,
        retry_after: int | None = None,
        migrate_to: int | None = None,
    ) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after
        self.migrate_to = migrate_to


def html_problem(text: str, most: int = MAX_TEXT) -> str | None:
    """Why Telegram would refuse this HTML text (a caption: `most` = MAX_CAPTION), or None."""
    stack: list[str] = []
    visible = []
    position = 0
    for match in TOKEN_RE.finditer(text):
        visible.append(text[position : match.start()])
        position = match.end()
        closing, tag, _attrs, entity, bare = match.groups()
        if bare:
            return f"Bad Request: can't parse entities: unexpected '{bare}' at {match.start()}"
        if entity:
            visible.append(unescape(match.group(0)))
        elif tag.lower() not in ALLOWED_TAGS:
            return f'Bad Request: can\'t parse entities: unsupported start tag "{tag}"'
        elif closing:
            if not stack or stack.pop() != tag.lower():
                return f'Bad Request: can\'t parse entities: unmatched end tag "{tag}"'
        else:
            stack.append(tag.lower())
    if stack:
        return f'Bad Request: can\'t parse entities: unclosed tag "{stack[-1]}"'
    visible.append(text[position:])
    return _length_problem("".join(visible), most)


def _length_problem(visible: str, most: int = MAX_TEXT) -> str | None:
    if not visible.strip():
        return "Bad Request: message text is empty"
    if len(visible.encode("utf-16-le")) // 2 > most:
        if most == MAX_CAPTION:
            return "Bad Request: message caption is too long"
        return "Bad Request: message is too long"
    return None


def _check_link_button(choice: dict[str, Any], chat_id: int) -> None:
    """One kind per button; a web_app button only in a private chat and on https (Telegram's
    BUTTON_TYPE_INVALID and BUTTON_URL_INVALID)."""
    kinds = [k for k in ("callback_data", "url", "web_app") if k in choice]
    if len(kinds) != 1:
        raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
    if "web_app" in choice:
        if chat_id < 0:
            raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
        if not str((choice["web_app"] or {}).get("url", "")).startswith("https://"):
            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
    if "url" in choice and not re.match(r"^(https?|tg)://[^\s]+$", str(choice["url"])):
        raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")


def photo_problem(content: bytes | None) -> str | None:
    """Why Telegram would refuse these bytes as a photo, or None."""
    from io import BytesIO

    from PIL import Image

    if content is None:
        return None  # sent by file id: Telegram already has it as a photo
    if len(content) > PHOTO_MOST_BYTES:
        return "Bad Request: PHOTO_SAVE_FILE_INVALID"
    try:
        with Image.open(BytesIO(content)) as image:
            width, height = image.size
    except Exception:
        return "Bad Request: IMAGE_PROCESS_FAILED"
    if width + height > 10_000 or max(width, height) > 20 * min(width, height):
        return "Bad Request: PHOTO_INVALID_DIMENSIONS"
    return None


def _scope_key(scope: Any) -> str:
    """A BotCommandScope as a key: "default", "all_private_chats", "chat:42", …"""
    if isinstance(scope, str):
        scope = json.loads(scope)
    if not scope:
        return "default"
    ids = [str(scope[k]) for k in ("chat_id", "user_id") if k in scope]
    return ":".join([scope["type"], *ids])


class FakeTelegram:
    def __init__(
        self,
        *,
        token: str = "123456:TEST",
        username: str = "planbot_test_bot",
        enforce_limits: bool = False,
        port: int = 0,
    ) -> None:
        self.token, self.username, self.enforce_limits = token, username, enforce_limits
        # The limits' clock: a test may stop it, so "30 in one second" holds on a slow machine.
        self.clock: Callable[[], float] = time.monotonic
        self.bot_id = int(token.split(":")[0])
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.scoped_commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.menu_buttons: dict[int, dict[str, Any]] = {}  # setChatMenuButton, by chat (0: all)
        self.too_many_sent = self.server_errors_sent = self.forbidden_sent = 0
        self.per_text: Counter[tuple[int, str]] = Counter()
        self.checks: Counter[str] = Counter()  # rule -> calls or parts checked against it
        self.refused: list[tuple[str, str]] = []  # (method, description) of every 400 answered
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._query_ids = itertools.count(7001)
        self._waiters: list[asyncio.Future[None]] = []
        self._mark = 0
        self._failures: dict[str, list[int]] = defaultdict(list)
        self._delays: dict[str, tuple[float, int | None]] = {}
        self._held: dict[str, asyncio.Event] = {}
        self._blocked: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._times: deque[float] = deque()
        self._chat_times: dict[int, deque[float]] = defaultdict(deque)
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.files = FileStore()
        self.port = port  # 0: any free port

    # -- life cycle ---------------------------------------------------------------------------
    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._closing = True  # a pending long poll answers now rather than at its timeout
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- what a test injects ------------------------------------------------------------------
    def user_message(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        group: bool = False,
        language_code: str | None = "th",
        first_name: str = "Somchai",
    ) -> dict[str, Any]:
        """A person types `text` in a private chat (chat id = user id) or in a group."""
        message = self._from_person(user_id, chat_id, group, language_code, first_name)
        message["text"] = text
        command = re.match(r"/[^\s]+", text)
        if command:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command[0])}]
        return self._push({"message": message})

    def _from_person(
        self,
        user_id: int,
        chat_id: int | None,
        group: bool,
        language_code: str | None,
        first_name: str,
    ) -> dict[str, Any]:
        chat_id = chat_id if chat_id is not None else (-user_id if group else user_id)
        chat: dict[str, Any] = {"id": chat_id, "type": "group" if group else "private"}
        chat.update({"title": "Division group"} if group else {"first_name": first_name})
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self._user(user_id, first_name, language_code),
        }

    def add_file(
        self, content: bytes, *, declared_size: int | None = None, extension: str = "jpg"
    ) -> StoredFile:
        """Bytes a person uploaded, served by getFile and the file URL."""
        return self.files.add(content, declared_size=declared_size, extension=extension)

    @property
    def downloads(self) -> list[str]:
        return self.files.downloads

    def user_photo(
        self,
        user_id: int,
        content: bytes,
        *,
        caption: str | None = None,
        declared_size: int | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        """A person sends a photo (`content` is its largest size), with a caption or not.
        Options as `user_message`, and `reply_to` (a Sent of the bot's)."""
        sizes = photo_sizes(self.files, content, declared_size)
        return self._user_file(user_id, {"photo": sizes}, caption, **options)

    def user_document(
        self,
        user_id: int,
        content: bytes,
        file_name: str,
        mime_type: str,
        *,
        caption: str | None = None,
        declared_size: int | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        """A person sends a file as a document (`file_name`, `mime_type` as their phone says)."""
        extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = self.files.add(content, declared_size=declared_size, extension=extension)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_name": file_name,
            "mime_type": mime_type,
        }
        return self._user_file(user_id, {"document": document}, caption, **options)

    def _user_file(
        self,
        user_id: int,
        body: dict[str, Any],
        caption: str | None,
        *,
        reply_to: Sent | None = None,
        chat_id: int | None = None,
        group: bool = False,
        language_code: str | None = "th",
        first_name: str = "Somchai",
    ) -> dict[str, Any]:
        if reply_to is not None:
            chat_id = reply_to.chat_id
        message = self._from_person(user_id, chat_id, group, language_code, first_name) | body
        if caption:
            message["caption"] = caption
            command = re.match(r"/[^\s]+", caption)
            if command:
                message["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(command[0])}
                ]
        if reply_to is not None:
            message["reply_to_message"] = self._messages[(reply_to.chat_id, reply_to.message_id)]
        return self._push({"message": message})

    def user_edits(self, update: dict[str, Any], text: str) -> dict[str, Any]:
        """The person edits the message of an earlier `user_message` update to `text`."""
        message = {**update["message"], "text": text, "edit_date": int(time.time())}
        command = re.match(r"/[^\s]+", text)
        if command:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command[0])}]
        return self._push({"edited_message": message})

    def press(
        self,
        user_id: int,
        message: Sent | int,
        data: str,
        *,
        chat_id: int | None = None,
        language_code: str | None = "th",
        first_name: str = "Somchai",
    ) -> dict[str, Any]:
        """A button press with `data` on a message the bot sent (a Sent, or its message_id)."""
        message_id = message.message_id if isinstance(message, Sent) else message
        chat = (
            chat_id
            if chat_id is not None
            else (message.chat_id if isinstance(message, Sent) else user_id)
        )
        shown = self._messages.get((chat, message_id)) or {
            "message_id": message_id,
            "date": int(time.time()) - 86400,
            "chat": {"id": chat, "type": "private" if chat > 0 else "group"},
            "text": "old",
        }
        query = {
            "id": str(next(self._query_ids)),
            "chat_instance": str(chat),
            "from": self._user(user_id, first_name, language_code),
            "message": shown,
            "data": data,
        }
        return self._push({"callback_query": query})

    def group_upgraded(self, old_chat_id: int, new_chat_id: int) -> dict[str, Any]:
        """The service message Telegram posts in a group that became a supergroup."""
        self.migrate(old_chat_id, new_chat_id)
        chat = {"id": old_chat_id, "type": "group", "title": "Division group"}
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self._user(1, "Admin", "th"),
            "migrate_to_chat_id": new_chat_id,
        }
        return self._push({"message": message})

    def fail_next(self, method: str, count: int = 1, status: int = 502) -> None:
        self._failures[method].extend([status] * count)

    def delay(self, method: str, seconds: float, count: int | None = None) -> None:
        self._delays[method] = (seconds, count)

    def hold(self, method: str) -> None:
        self._held.setdefault(method, asyncio.Event())

    def release(self, method: str) -> None:
        if (held := self._held.pop(method, None)) is not None:
            held.set()

    def block(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def migrate(self, chat_id: int, to_chat_id: int) -> None:
        """The group became a supergroup: sending to the old id answers 400 with the new one."""
        self._migrated[chat_id] = to_chat_id

    async def wait_for(
        self,
        match: Callable[[Sent], bool] | None = None,
        *,
        chat_id: int | None = None,
        method: str | None = None,
        contains: str | None = None,
        count: int = 1,
        since: int | None = None,
        timeout: float = 60.0,  # ends as soon as they arrived; long for a busy machine
    ) -> list[Sent]:
        """Wait until `count` records sent after `since` match; return the matching ones."""
        start = self._mark if since is None else since

        def matching() -> list[Sent]:
            return [
                s
                for s in self.sent[start:]
                if (chat_id is None or s.chat_id == chat_id)
                and (method is None or s.method == method)
                and (contains is None or contains in s.text)
                and (match is None or match(s))
            ]

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(found := matching()) < count:
            left = deadline - loop.time()
            if left <= 0:
                got = [(s.method, s.chat_id, s.text[:200]) for s in self.sent[start:]]
                raise AssertionError(f"waited {timeout}s for {count} matching; sent: {got}")
            await self._changed(left)
        return found

    async def _changed(self, timeout: float) -> None:
        """Until something is sent or injected (or `timeout`). The future is registered before
        the first await, so a change made right after a check is never missed."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            pass
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    # -- the HTTP side ------------------------------------------------------------------------
    def _user(self, user_id: int, first_name: str, language_code: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        return user

    def _push(self, body: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **body}
        self._updates.append(update)
        self._mark = len(self.sent)
        self._notify()
        return update

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        seconds, left = self._delays.get(method, (0.0, 0))
        if seconds and left != 0:
            self._delays[method] = (seconds, None if left is None else left - 1)
            await asyncio.sleep(seconds)
        if (held := self._held.get(method)) is not None:
            await held.wait()
            return web.json_response(
                {"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502
            )
        try:
            result = await self._answer(method, params)
        except ApiError as error:
            if error.code == 400:
                self.refused.append((method, error.description))
            body: dict[str, Any] = {
                "ok": False,
                "error_code": error.code,
                "description": error.description,
            }
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            if error.migrate_to is not None:
                body["parameters"] = {"migrate_to_chat_id": error.migrate_to}
            return web.json_response(body, status=error.code)
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        try:
            content = self.files.download(request.match_info["path"])
        except FileProblem as problem:
            return web.Response(status=problem.status, text=problem.description)
        return web.Response(body=content, content_type="application/octet-stream")

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
            return params
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[key] = (value.filename, value.file.read())
            elif key in RAW_FIELDS:
                params[key] = value
            else:
                try:
                    params[key] = json.loads(value)
                except ValueError:
                    params[key] = value
        return params

    async def _answer(self, method: str, p: dict[str, Any]) -> Any:
        if self._failures.get(method):
            status = self._failures[method].pop(0)
            self.server_errors_sent += 1
            raise ApiError(status, "Bad Gateway" if status == 502 else "Internal Server Error")
        if method in SEND_METHODS:
            self._check_chat(int(p["chat_id"]))
        simple = {
            "deleteWebhook": True,
            "sendChatAction": True,
            "deleteMessage": True,
            "close": True,
            "logOut": True,
            "getMe": self._me(),
        }
        if method in simple:
            return simple[method]
        if method == "getUpdates":
            return await self._get_updates(p)
        if method in ("setMyCommands", "getMyCommands", "deleteMyCommands"):
            return self._my_commands(method, p)
        if method == "getFile":
            try:
                return self.files.get_file(p)
            except FileProblem as problem:
                raise ApiError(problem.status, problem.description) from None
        if method == "sendMediaGroup":
            return self._send_album(p)
        if method == "answerCallbackQuery":
            self.callback_answers.append(p)
            return True
        if method in SEND_METHODS[:3]:
            return self._send(method, p)
        if method == "editMessageText":
            return self._edit(p)
        if method == "setChatMenuButton":
            return self._menu_button(p)
        raise ApiError(404, "Not Found: method not found")

    def _menu_button(self, p: dict[str, Any]) -> bool:
        """setChatMenuButton as Telegram checks it: a private chat (or none: the default), a
        known type, and a Mini App's text and https address."""
        chat_id = int(p.get("chat_id") or 0)
        button = p.get("menu_button") or {"type": "default"}
        if chat_id < 0:
            raise ApiError(400, "Bad Request: chat_id must be a private chat")
        if button.get("type") not in ("commands", "web_app", "default"):
            raise ApiError(400, "Bad Request: unsupported menu button type")
        if button["type"] == "web_app":
            url = (button.get("web_app") or {}).get("url", "")
            if not button.get("text") or not url.startswith("https://"):
                raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        self.menu_buttons[chat_id] = button
        return True

    def _my_commands(self, method: str, p: dict[str, Any]) -> Any:
        """Command menus per scope and language, as Telegram keeps them: the default scope in
        `commands[language]`, every other scope in `scoped_commands[(scope, language)]`."""
        scope, language = _scope_key(p.get("scope")), p.get("language_code") or ""
        menus: dict[Any, list[dict[str, str]]] = self.scoped_commands
        key: Any = (scope, language)
        if scope == "default":
            menus, key = self.commands, language
        if method == "setMyCommands":
            menus[key] = list(p.get("commands") or [])
            return True
        if method == "deleteMyCommands":
            menus.pop(key, None)
            return True
        return menus.get(key, [])

    def menu(self, chat_id: int, language_code: str | None = None) -> list[str]:
        """The command names a person sees in the menu of a chat (a private chat with the bot
        when `chat_id` > 0, else a group), chosen the way Telegram documents for
        BotCommandScope: the first list set of chat, all private / all group chats, default,
        each in the person's language before the one without a language."""
        wide = "all_private_chats" if chat_id > 0 else "all_group_chats"
        for scope in (f"chat:{chat_id}", wide, "default"):
            for language in dict.fromkeys((language_code or "", "")):
                if scope == "default":
                    found = self.commands.get(language)
                else:
                    found = self.scoped_commands.get((scope, language))
                if found is not None:
                    return [c["command"] for c in found]
        return []

    def _me(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "planbot",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(p.get("timeout") or 0)
        while not self._updates and not self._closing and (left := deadline - loop.time()) > 0:
            await self._changed(left)
        return list(self._updates)[: int(p.get("limit") or 100)]

    def _check_chat(self, chat_id: int) -> None:
        if chat_id in self._migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to=self._migrated[chat_id],
            )
        if chat_id in self._blocked:
            self.forbidden_sent += 1
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if not self.enforce_limits:
            return
        now = self.clock()
        history = self._chat_times[chat_id]
        windows = [(self._times, 1.0, 30), (history, 1.0, 1)]
        if chat_id < 0:
            windows.append((history, 60.0, 20))
        for times, period, most in windows:
            recent = [t for t in times if now - t < period]
            if len(recent) >= most:
                self.too_many_sent += 1
                wait = max(1, math.ceil(period - (now - recent[-most])))
                raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        for times in (self._times, history):
            times.append(now)
            while times and now - times[0] > 60:
                times.popleft()

    def _send(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        text = p.get("text") if method == "sendMessage" else p.get("caption") or ""
        self._check_text(text, p, caption=method != "sendMessage")
        upload = p.get("document" if method == "sendDocument" else "photo")
        filename, content = upload if isinstance(upload, tuple) else (None, None)
        if method == "sendPhoto":
            self.checks["photo dimensions, ratio and size"] += 1
            if problem := photo_problem(content):
                raise ApiError(400, problem)
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": self._me() | {"is_bot": True},
        }
        message["caption" if method != "sendMessage" else "text"] = text
        if method == "sendDocument":
            message["document"] = {
                "file_id": f"doc{message['message_id']}",
                "file_unique_id": f"u{message['message_id']}",
                "file_name": filename,
            }
        if method == "sendPhoto":
            message["photo"] = [
                {
                    "file_id": f"ph{message['message_id']}",
                    "width": 800,
                    "height": 600,
                    "file_unique_id": f"p{message['message_id']}",
                }
            ]
        if p.get("reply_markup"):
            message["reply_markup"] = p["reply_markup"]
        self._messages[(chat_id, message["message_id"])] = message
        self.per_text[(chat_id, text)] += 1
        kind = {"sendPhoto": "photo", "sendDocument": "document"}.get(method)
        self._record(
            Sent(
                method,
                chat_id,
                message["message_id"],
                text,
                p.get("parse_mode"),
                p.get("reply_markup"),
                filename,
                content,
                kind,
            )
        )
        return message

    def _send_album(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        """sendMediaGroup: one message per item, sharing a media_group_id; one Sent each."""
        chat_id = int(p["chat_id"])
        self.checks["album composition (2-10, no mixing)"] += 1
        try:
            items = self.files.album(p)
        except FileProblem as problem:
            raise ApiError(problem.status, problem.description) from None
        for item in items:
            if item.kind == "photo":
                self.checks["photo dimensions, ratio and size"] += 1
                if problem := photo_problem(item.content):
                    raise ApiError(400, problem)
            if item.caption:
                self.checks["caption length (1024 after entities)"] += 1
                if too_long := _length_problem(item.caption, MAX_CAPTION):
                    raise ApiError(400, too_long)
        group_id = str(next(self._message_ids))
        messages = []
        for item in items:
            message_id = next(self._message_ids)
            message = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": self._me(),
                "media_group_id": group_id,
            }
            if item.kind == "photo":
                message["photo"] = [
                    {
                        "file_id": f"ph{message_id}",
                        "width": 800,
                        "height": 600,
                        "file_unique_id": f"p{message_id}",
                    }
                ]
            else:
                message[item.kind] = {
                    "file_id": f"doc{message_id}",
                    "file_name": item.filename,
                    "file_unique_id": f"u{message_id}",
                }
            self._messages[(chat_id, message_id)] = message
            messages.append(message)
            self._record(
                Sent(
                    "sendMediaGroup",
                    chat_id,
                    message_id,
                    item.caption,
                    None,
                    None,
                    item.filename,
                    item.content,
                    item.kind,
                )
            )
        return messages

    def _check_text(self, text: str | None, p: dict[str, Any], caption: bool = False) -> None:
        if text is None or (not caption and not text):
            raise ApiError(400, "Bad Request: message text is empty")
        most = MAX_CAPTION if caption else MAX_TEXT
        self.checks[
            "caption length (1024 after entities)"
            if caption
            else "text length (4096 after entities)"
        ] += 1
        if p.get("parse_mode") == "HTML":
            self.checks["HTML parses"] += 1
        problem = (
            html_problem(text, most)
            if p.get("parse_mode") == "HTML"
            else (_length_problem(text, most))
        )
        if problem and not (caption and not text):
            raise ApiError(400, problem)
        for row in (p.get("reply_markup") or {}).get("inline_keyboard", []):
            for choice in row:
                self.checks["callback data (64 bytes)"] += 1
                if len(choice.get("callback_data", "").encode()) > 64 or not choice.get("text"):
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                _check_link_button(choice, int(p.get("chat_id") or 0))

    def _edit(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = int(p["chat_id"]), int(p["message_id"])
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        self._check_text(p.get("text"), p)
        markup = p.get("reply_markup")
        if message.get("text") == p["text"] and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message["text"] = p["text"]
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        self._record(
            Sent("editMessageText", chat_id, message_id, p["text"], p.get("parse_mode"), markup)
        )
        return message

    def _record(self, sent: Sent) -> None:
        self.sent.append(sent)
        self._notify()
