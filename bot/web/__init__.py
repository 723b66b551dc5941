"""The dashboard: server-rendered pages on the webhook server's aiohttp app, under /dashboard.

- auth.py: the personal link exchanged once for a session cookie, the Mini App's launch data
  checked with the bot token, the session and CSRF checks of every page and form;
- pages.py: the routes, each rendering what handlers.dashboard reads (the figures chat shows);
- render.py: jinja2 templates (templates/) and the static files (static/, the shipped font);
- svg.py: the charts, drawn on the server as inline SVG.
Nothing is loaded from outside planbot: no CDN, no Telegram script."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from handlers.context import Services


def mount_dashboard(app: web.Application, services: Services, telegram: Any = None) -> None:
    """Serve the dashboard under /dashboard when it is configured (Settings: PUBLIC_URL and the
    dashboard secret); `telegram` (bot.webhook.Telegram) gives the bot token the Mini App's
    launch data is signed with."""
    if services.dashboard is None:
        return
    from bot.web.pages import build_dashboard

    token = telegram.application.bot.token if telegram is not None else None
    app.add_subapp("/dashboard", build_dashboard(services, token))
