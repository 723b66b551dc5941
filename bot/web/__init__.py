"""The dashboard: server-rendered pages on the webhook server's aiohttp app, under /dashboard.

- auth.py: the personal link exchanged once for a session cookie, the Mini App's launch data
  checked with the bot token, the session and CSRF checks of every page and form;
- pages.py: the routes, each rendering what handlers.dashboard reads (the figures chat shows);
- render.py: jinja2 templates (templates/) and the static files (static/, the shipped font);
- svg.py: the charts, drawn on the server as inline SVG.
Nothing is loaded from outside planbot: no CDN, no Telegram script."""

from __future__ import annotations

from aiohttp import web

from handlers.context import Services


def mount_dashboard(
    app: web.Application, services: Services, mini_app: tuple[str, str] | None = None
) -> None:
    """Serve the dashboard under /dashboard when it is configured (Settings: PUBLIC_URL and the
    dashboard secret); `mini_app` is the channel whose people open it as a Mini App and the key
    their launch data is signed with (its `Endpoint.mini_app_key`: Telegram's bot token)."""
    if services.dashboard is None:
        return
    from bot.web.pages import build_dashboard

    channel, key = mini_app if mini_app is not None else (None, None)
    app.add_subapp("/dashboard", build_dashboard(services, key, channel))
