"""Pages from jinja2 templates, and the files the pages use (styles, script, the shipped Thai
font). Templates hold presentation only; every figure arrives formatted by handlers.dashboard.
A catalog sentence is HTML limited to <b>, <i> and <code> with whatever a person typed escaped
(handlers/request.py's rule), so `t()` marks it safe and escapes what it is filled with."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from bot.web import svg
from handlers.fonts import THAI_FONT, THAI_FONT_BOLD
from handlers.i18n import Translator

STATIC = Path(__file__).parent / "static"
FILES: dict[str, tuple[Path, str]] = {
    "dashboard.css": (STATIC / "dashboard.css", "text/css"),
    "miniapp.js": (STATIC / "miniapp.js", "text/javascript"),
    "sarabun.ttf": (THAI_FONT, "font/ttf"),
    "sarabun-bold.ttf": (THAI_FONT_BOLD, "font/ttf"),
}
# Only our own files: no inline script, nothing from another host.
CSP = (
    "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; "
    "script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self' https://web.telegram.org"
)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bot.web", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["svg"] = svg
    return env


@cache
def version(name: str) -> str:
    """A short digest of a static file, in its address, so browsers may keep it for long."""
    return hashlib.sha256(FILES[name][0].read_bytes()).hexdigest()[:10]


@dataclass(frozen=True)
class Page:
    """What every page's frame needs: where it is served, the language, the person's name."""

    base: str  # /dashboard/ (under PUBLIC_URL's path)
    translator: Translator
    who: str = ""
    role: str = ""
    planner: bool = False
    csrf: str = ""

    def t(self, key: str, **values: Any) -> Markup:
        filled = {
            k: v if isinstance(v, Markup | int) else escape(str(v)) for k, v in values.items()
        }
        return Markup(self.translator(key, **filled))  # our catalog; the values are escaped

    def asset(self, name: str) -> str:
        return f"{self.base}static/{name}?v={version(name)}"


def render(template: str, page: Page, **values: Any) -> str:
    return environment().get_template(template).render(page=page, t=page.t, **values)


def html(body: str, status: int = 200) -> web.Response:
    response = web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
    secure(response)
    return response


def secure(response: web.StreamResponse) -> None:
    """No caching of figures, no token in a Referer, no script but ours."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = CSP


async def static_file(request: web.Request) -> web.StreamResponse:
    found = FILES.get(request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound()
    path, mime = found
    response = web.Response(body=path.read_bytes(), content_type=mime)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
