"""/invite DIVISION [ROLE] (admins), /link DIVISION (in a group) and /lang th|en."""

from __future__ import annotations

from handlers.commands.start_help import ROLE_KEYS
from handlers.context import Context, MemberContext
from handlers.formatting import day, esc, shorten
from handlers.i18n import LANGUAGES, Translator, language_of
from handlers.lookup import find_division, unknown_division
from handlers.naming import name_of
from handlers.request import Reply
from plan_data.model import Division
from storage import outbox
from storage.services import membership

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


def invite(ctx: MemberContext, args: list[str], rest: str) -> list[Reply]:
    if not args or len(args) > 2:
        return [Reply(ctx._("invite_usage"))]
    role = "member"
    if len(args) == 2:
        role = ROLE_WORDS.get(args[1].lower(), "")
        if not role:
            return [Reply(ctx._("invite_bad_role", role=esc(shorten(args[1], 20))))]
    division = find_division(ctx, args[0])
    if division is None:
        return [unknown_division(ctx, args[0])]
    made = membership.create_invite(
        ctx.uow,
        ctx.person,
        division_key=division.key,
        role=role,
        at=ctx.now,
    )
    lines = [
        ctx._(
            "invite_created",
            role=ctx._(ROLE_KEYS[role]),
            division=name_of(ctx, division.name_th, division.name_en),
            code=made.code,
            date=day(made.expires_at, ctx.language) if made.expires_at else "-",
        )
    ]
    if ctx.services.bot_username:
        lines.append(f"https://t.me/{ctx.services.bot_username}?start={made.code}")
    lines.append(ctx._("invite_how_line", code=made.code))
    return [Reply("\n".join(lines))]


def link(ctx: MemberContext, args: list[str], rest: str) -> list[Reply]:
    if not ctx.request.is_group:
        return [Reply(ctx._("link_only_in_group"))]
    wanted = rest or (ctx.person.division_key or "")
    if not wanted:
        return [Reply(ctx._("link_usage"))]
    division = find_division(ctx, wanted)
    if division is None:
        return [unknown_division(ctx, wanted)]
    linked = membership.link_group(
        ctx.uow,
        ctx.person,
        channel=ctx.request.channel,
        chat_id=ctx.request.chat_id,
        division_key=division.key,
    )
    if linked.previous_key is not None:
        _tell_the_division_that_lost_it(ctx, linked.previous_key, division)
    return [Reply(ctx._("link_done", division=name_of(ctx, division.name_th, division.name_en)))]


def lang(ctx: Context, args: list[str], rest: str) -> list[Reply]:
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
    ctx.uow.people.set_language(ctx.person.id, choice)
    return [Reply(Translator(choice)("lang_set"))]


def _tell_the_division_that_lost_it(ctx: MemberContext, previous: str, now_for: Division) -> None:
    """The division whose group was moved hears it in its other chats (outbox: delivered like a
    reminder, once)."""
    moved_at = ctx.now.isoformat(timespec="seconds")
    messages = []
    for target in ctx.uow.dues.division_chats(previous):
        _ = Translator(language_of(target))
        text = _(
            "link_moved_away",
            division=esc(now_for.name_en if _.language == "en" else now_for.name_th),
            by=esc(ctx.person.display_name or "-"),
        )
        key = f"relinked:{previous}:{ctx.request.channel}:{ctx.request.chat_id}:{moved_at}"
        messages.append(
            outbox.NewMessage(
                f"{key}:{target.channel}:{target.chat_id}",
                target.channel,
                target.chat_id,
                text,
                {"parse_mode": "HTML", "kind": "relinked"},
            )
        )
    ctx.uow.outbox.enqueue(messages, now=ctx.now)
