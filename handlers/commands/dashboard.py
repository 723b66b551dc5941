"""/dashboard: the plan at a glance in a page. A registered person gets a personal link (signed
for them, valid LINK_LIFETIME to open, then a session cookie for a working day) and, in a
private chat of a channel with a Mini App (Telegram), a button that opens it inside the chat
app and signs in with the channel's launch data."""

from __future__ import annotations

from handlers.context import Context
from handlers.dashboard.signing import APP_PATH, LINK_LIFETIME
from handlers.request import Button, Reply


def dashboard(ctx: Context, args: list[str], rest: str) -> list[Reply]:
    links, person = ctx.services.dashboard, ctx.person
    if links is None:
        return [Reply(ctx._("dashboard_not_served"))]
    if person is None:  # the router lets only registered people in; kept for the type
        return [Reply(ctx._("not_registered"))]
    link = links.personal_link(person.id, person.channel, person.external_id, ctx.now)
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    where = "dashboard_group" if ctx.request.is_group else "dashboard_private"
    text = ctx._("dashboard_link", minutes=minutes) + "\n" + link + "\n" + ctx._(where)
    buttons: tuple[tuple[Button, ...], ...] = ()
    if links.https:  # Telegram opens buttons only on https addresses
        row = [Button(ctx._("dashboard_open_browser"), link, "url")]
        if ctx.request.traits.mini_app and not ctx.request.is_group:
            row.insert(0, Button(ctx._("dashboard_open_app"), links.url(APP_PATH), "web_app"))
        buttons = (tuple(row),)
    return [Reply(text, buttons=buttons)]
