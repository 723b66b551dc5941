"""/start (with or without an invite code) and /help."""

from __future__ import annotations

from handlers.context import Context
from handlers.formatting import esc, shorten
from handlers.naming import name_of
from handlers.request import Reply
from handlers.router import Router
from plan_data.roles import Role
from storage.repositories import people
from storage.services import membership

ROLE_KEYS = {
    "member": "role_member",
    "head": "role_head",
    "planner": "role_planner",
    "admin": "role_admin",
}


def start(router: Router, ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if args:
        return [join(ctx, args[0])]
    if ctx.person is None:
        return [Reply(ctx._("welcome_unregistered"))]
    return [
        Reply(
            ctx._("welcome_back", name=esc(ctx.person.display_name or ""))
            + "\n\n"
            + help_text(router, ctx)
        )
    ]


def join(ctx: Context, code: str) -> Reply:
    request = ctx.request
    if request.is_group:
        return Reply(ctx._("join_in_private"))
    try:
        person = membership.redeem_invite(
            ctx.uow,
            code=code,
            channel=request.channel,
            user_id=request.user_id,
            chat_id=request.chat_id,
            display_name=request.display_name,
            at=ctx.now,
        )
    except people.InviteError as error:
        return Reply(ctx._(f"invite_{error.reason}", code=esc(shorten(code, 20))))
    division = name_of(ctx, person.division_name_th, person.division_name_en) or "-"
    role = ctx._(ROLE_KEYS[person.role])
    return Reply(ctx._("joined", role=role, division=division) + "\n\n" + ctx._("help_next_steps"))


def help_command(router: Router, ctx: Context, args: list[str], rest: str) -> list[Reply]:
    if ctx.person is None:
        return [Reply(ctx._("welcome_unregistered"))]
    return [Reply(help_text(router, ctx))]


def help_text(router: Router, ctx: Context) -> str:
    role = ctx.person.role if ctx.person else None
    lines = [ctx._("help_title")]
    for spec in router.menu(Role.parse(role) if role else None):
        lines.append(f"/{spec.name} — {ctx._(spec.catalog_key)}")
    lines.append("")
    lines.append(ctx._("help_examples"))
    lines.append(ctx._("help_evidence"))
    return "\n".join(lines)
