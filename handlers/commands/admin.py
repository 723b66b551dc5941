"""/invite DIVISION [ROLE] (admins), /link DIVISION (in a group) and /lang th|en."""

from __future__ import annotations

from handlers.commands.common import name_of
from handlers.commands.start_help import ROLE_KEYS
from handlers.context import Context
from handlers.formatting import day, esc
from handlers.request import Reply
from storage import people

ROLE_WORDS = {
    "member": "member",
    "สมาชิก": "member",
    "head": "head",
    "หัวหน้า": "head",
    "planner": "planner",
    "แผน": "planner",
    "admin": "admin",
    "ผู้ดูแล": "admin",
}


def invite(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if not args or len(args) > 2:
        return [Reply(ctx._("invite_usage"))]
    role = "member"
    if len(args) == 2:
        role = ROLE_WORDS.get(args[1].lower(), "")
        if not role:
            return [Reply(ctx._("invite_bad_role", role=esc(args[1][:20])))]
    assert ctx.person is not None
    with ctx.session() as session:
        division = people.find_division(session, args[0])
        if division is None and role not in ("planner", "admin"):
            keys = ", ".join(d.key for d in people.divisions(session))
            return [Reply(ctx._("unknown_division", division=esc(args[0][:40]), keys=keys))]
        made = people.create_invite(
            session, division.key if division else None, role, ctx.person.id, ctx.now
        )
    lines = [
        ctx._(
            "invite_created",
            role=ctx._(ROLE_KEYS[role]),
            division=name_of(ctx, division.name_th, division.name_en) if division else "-",
            code=made.code,
            date=day(made.expires_at, ctx.language) if made.expires_at else "-",
        )
    ]
    if ctx.services.bot_username:
        lines.append(f"https://t.me/{ctx.services.bot_username}?start={made.code}")
    lines.append(ctx._("invite_how_line", code=made.code))
    return [Reply("\n".join(lines))]


def link(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    assert ctx.person is not None
    if not ctx.request.is_group:
        return [Reply(ctx._("link_only_in_group"))]
    wanted = rest or (ctx.person.division_key or "")
    if not wanted:
        return [Reply(ctx._("link_usage"))]
    with ctx.session() as session:
        division = people.find_division(session, wanted)
        if division is None:
            keys = ", ".join(d.key for d in people.divisions(session))
            return [Reply(ctx._("unknown_division", division=esc(wanted[:40]), keys=keys))]
        if ctx.person.role == "head" and division.key != ctx.person.division_key:
            return [Reply(ctx._("link_not_your_division"))]
        people.link_chat(
            session, ctx.request.channel, ctx.request.chat_id, division.key, ctx.person.id
        )
    return [Reply(ctx._("link_done", division=name_of(ctx, division.name_th, division.name_en)))]


def lang(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    from handlers.i18n import LANGUAGES, Translator

    choice = {
        "th": "th",
        "ไทย": "th",
        "thai": "th",
        "en": "en",
        "english": "en",
        "อังกฤษ": "en",
    }.get(rest.strip().lower())
    if choice is None or choice not in LANGUAGES:
        return [Reply(ctx._("lang_usage"))]
    if ctx.person is None:
        return [Reply(Translator(choice)("lang_unregistered"))]
    with ctx.session() as session:
        people.set_language(session, ctx.person.id, choice)
    return [Reply(Translator(choice)("lang_set"))]
