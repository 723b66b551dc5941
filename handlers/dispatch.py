"""One way in for every channel: a Request becomes Replies. Nothing here knows a platform."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from handlers.context import Context, Services
from handlers.i18n import Translator, pick_language
from handlers.parsing import InputError, clean_text, split_command
from handlers.request import Reply, Request
from handlers.texts import input_error
from storage import people

log = logging.getLogger(__name__)

Handler = Callable[[Context, list[str], str], list[Reply]]
ButtonHandler = Callable[[Context, list[str]], list[Reply]]


@dataclass(frozen=True)
class CommandSpec:
    name: str
    handler: Handler
    roles: tuple[str, ...] | None  # None: anyone, registered or not
    summary_en: str  # the English line of the command menu; Thai comes from the catalog
    in_menu: bool = True


COMMANDS: dict[str, CommandSpec] = {}
BUTTONS: dict[str, ButtonHandler] = {}
TEXT_FLOWS: dict[str, Callable[[Context, dict[str, object], str], list[Reply]]] = {}
REGISTERED = ("member", "head", "planner", "admin")
ALIASES = {
    "สถานะ": "status",
    "อัปเดต": "update",
    "อัพเดต": "update",
    "อัพเดท": "update",
    "รายงาน": "update",
    "ใช้จ่าย": "spend",
    "เบิกจ่าย": "spend",
    "งบ": "budget",
    "งบประมาณ": "budget",
    "ค้นหา": "find",
    "ประวัติ": "history",
    "ย้อนกลับ": "undo",
    "ช่วยเหลือ": "help",
    "วิธีใช้": "help",
    "เริ่ม": "start",
    "โครงการ": "projects",
    "ภาษา": "lang",
    "เชิญ": "invite",
    "ผูกกลุ่ม": "link",
    "ค้างส่ง": "due",
    "กำหนดส่ง": "due",
    "ล่าช้า": "late",
    "สรุป": "summary",
    "กราฟ": "chart",
    "ส่งออก": "export",
    "language": "lang",
    "search": "find",
}


def command(
    name: str, summary_en: str, roles: tuple[str, ...] | None = REGISTERED, in_menu: bool = True
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = CommandSpec(name, handler, roles, summary_en, in_menu)
        return handler

    return register


MENU_ORDER = ("status", "update", "spend", "budget", "projects", "find", "history", "undo", "due",
              "late", "summary", "chart", "export", "invite", "link", "lang", "help", "start")  # fmt: skip


def menu_commands(role: str | None = None, *, everyone: bool = False) -> list[CommandSpec]:
    """The commands to list, most used first: all of them, or those `role` may use."""
    import handlers.commands  # noqa: F401  (registers every command)

    rank = {name: i for i, name in enumerate(MENU_ORDER)}
    specs = sorted(COMMANDS.values(), key=lambda s: rank.get(s.name, len(rank)))
    return [
        s
        for s in specs
        if s.in_menu and (everyone or s.roles is None or (role is not None and role in s.roles))
    ]


def button(prefix: str) -> Callable[[ButtonHandler], ButtonHandler]:
    def register(handler: ButtonHandler) -> ButtonHandler:
        BUTTONS[prefix] = handler
        return handler

    return register


def _context(request: Request, services: Services) -> Context:
    with services.db.session() as session:
        person = people.find_person(session, request.channel, request.user_id)
        if person is not None:
            if request.display_name and request.display_name != person.display_name:
                people.set_display_name(session, person.id, request.display_name)
            people.remember_chat(
                session,
                request.channel,
                request.chat_id,
                is_group=request.is_group,
                person_id=person.id,
            )
    language = pick_language(person.language if person else None, request.language)
    now = request.at or services.clock()
    return Context(request, services, person, Translator(language), now)


def dispatch(request: Request, services: Services) -> list[Reply]:
    """Answer one message or button press; never raises, never stays silent on a command."""
    import handlers.commands  # noqa: F401  (registers every command)

    try:
        ctx = _context(request, services)
    except Exception:
        log.exception("could not read who is asking")
        return [Reply(Translator(pick_language(None, request.language))("error_generic"))]
    try:
        return _route(ctx)
    except InputError as error:
        return [Reply(input_error(ctx._, error))]
    except Exception:
        log.exception("handler failed for %s in %s", request.channel, request.chat_id)
        return [Reply(ctx._("error_generic"))]


def _route(ctx: Context) -> list[Reply]:
    request = ctx.request
    if request.button is not None:
        return _route_button(ctx, request.button)
    text = clean_text(request.text)
    parsed = split_command(text, ALIASES)
    if parsed is None:
        return [] if request.is_group else [Reply(ctx._("empty_message"))]
    spec = COMMANDS.get(parsed.name)
    if spec is None:
        return _not_a_command(ctx, text, parsed.name)
    if spec.roles is not None:
        if ctx.person is None:
            return [Reply(ctx._("not_registered"))]
        if ctx.person.role not in spec.roles:
            return [Reply(ctx._("not_allowed_command", command=spec.name))]
    return spec.handler(ctx, parsed.args, parsed.rest)


def _route_button(ctx: Context, data: str) -> list[Reply]:
    if ctx.person is None:
        return [Reply(ctx._("not_registered"))]
    prefix, *parts = data.split(":")
    handler = BUTTONS.get(prefix)
    if handler is None:
        return [Reply(ctx._("button_expired"))]
    return handler(ctx, parts)


def _not_a_command(ctx: Context, text: str, name: str) -> list[Reply]:
    """Plain words: the answer a guided flow waits for, chatter in a group, or a hint."""
    slash = text.startswith("/")
    if ctx.person is not None and not slash:
        flow = people_flow(ctx)
        if flow is not None and str(flow.get("flow")) in TEXT_FLOWS:
            return TEXT_FLOWS[str(flow["flow"])](ctx, flow, text)
    if ctx.request.is_group and not slash:
        return []  # people talking among themselves in a group
    if slash and not name:
        return [Reply(ctx._("empty_command"))]
    if ctx.person is None:
        return [Reply(ctx._("not_registered"))]
    if not slash:
        return [Reply(ctx._("not_a_command"))]
    return [Reply(ctx._("unknown_command", command=_shown(name)))]


def people_flow(ctx: Context) -> dict[str, object] | None:
    if ctx.person is None:
        return None
    with ctx.db.session() as session:
        return people.get_flow(session, ctx.person.id)


def _shown(name: str) -> str:
    from handlers.formatting import esc

    return esc(name[:40])
