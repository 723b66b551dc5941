"""The dashboard's routes. Each page: the session checked (bot/web/auth.py), one read-only unit of
work, the figures read by handlers.dashboard as chat reads them, a template rendered. The review
forms post through the same service as chat's buttons, with the session's CSRF token."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.web import auth
from bot.web.render import Page, html, render, secure, static_file
from handlers.context import MemberContext, Services
from handlers.dashboard import pages, review
from handlers.dashboard.signing import DashboardLinks
from handlers.i18n import Translator, language_of, pick_language
from handlers.request import Request
from handlers.texts import input_error
from plan_data.errors import Refusal
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class State:
    services: Services
    links: DashboardLinks
    bot_token: str | None  # what the Mini App's launch data is signed with (Telegram's token)
    mini_app_channel: str | None = None  # the channel whose people sign in through the Mini App


STATE: web.AppKey[State] = web.AppKey("dashboard", State)


def build_dashboard(
    services: Services, bot_token: str | None, mini_app_channel: str | None = None
) -> web.Application:
    assert services.dashboard is not None
    app = web.Application()
    app[STATE] = State(services, services.dashboard, bot_token, mini_app_channel)
    app.router.add_get("/open", open_link)
    app.router.add_get("/app", mini_app)
    app.router.add_post("/app", mini_app_sign_in)
    app.router.add_get("/", overview)
    app.router.add_get("/strategy/{key}", strategy)
    app.router.add_get("/division/{key}", division)
    app.router.add_get("/project/{code:.+}", project)
    app.router.add_get("/review", review_queue)
    app.router.add_post("/review/{report:[0-9]+}", review_post)
    app.router.add_get("/evidence/{report:[0-9]+}/{file:[0-9]+}", evidence)
    app.router.add_get("/download/{what:xlsx|report}", download)
    app.router.add_post("/signout", sign_out)
    app.router.add_get("/static/{name}", static_file)
    app.on_startup.append(_forget_claims)
    return app


async def _forget_claims(app: web.Application) -> None:
    try:
        await asyncio.to_thread(auth.forget_old_claims, app[STATE].services)
    except Exception as error:  # the dashboard still serves; old claims only take room
        log.warning("could not forget old dashboard links: %s", error)


def _page(state: State, translator: Translator, visitor: auth.Visitor | None = None) -> Page:
    base = auth.base_path(state.links)
    if visitor is None:
        return Page(base, translator)
    person = visitor.person
    return Page(
        base,
        translator,
        person.display_name,
        translator("role_" + person.role),
        person.reads_everything,
        state.links.csrf(visitor.session),
    )


def refused(state: State, why: str, status: int, language: str | None = None) -> web.Response:
    """A page with no figures saying why and how to get in (type /dashboard in the chat)."""
    page = _page(state, Translator(pick_language(language)))
    return html(render("refused.html", page, why=why), status=status)


def _context(state: State, uow: UnitOfWork, visitor: auth.Visitor) -> MemberContext:
    person = visitor.person
    request = Request(person.channel, person.external_id, person.external_id)
    translator = Translator(language_of(person))
    now = state.services.clock()
    return MemberContext(request, state.services, uow, person, translator, now, None)


Reader = Callable[[MemberContext], dict[str, Any] | None]


async def _show(
    request: web.Request, template: str, read: Reader, *, planners: bool = False
) -> web.Response:
    """A page for the signed-in person: `read` gives the template's values (None: not found)."""
    state = request.app[STATE]
    visitor = await asyncio.to_thread(auth.signed_in, request, state.services, state.links)
    if visitor is None:
        return refused(state, "no_session", 401)
    if planners and not visitor.person.reads_everything:
        return refused(state, "not_allowed", 403, language_of(visitor.person))

    def work() -> tuple[str, int]:
        with UnitOfWork(state.services.db) as uow:
            ctx = _context(state, uow, visitor)
            page = _page(state, ctx._, visitor)
            values = read(ctx)
            if values is None:
                return render("refused.html", page, why="not_found"), 404
            return render(template, page, **values), 200

    body, status = await asyncio.to_thread(work)
    return html(body, status)


# -- signing in -------------------------------------------------------------------------------
async def open_link(request: web.Request) -> web.Response:
    """A personal link: used once, then a session cookie and the clean address."""
    state = request.app[STATE]
    now = state.services.clock()
    signed = state.links.check(request.query.get("t", ""), "link", now)
    if signed is None:
        return refused(state, "link_bad", 403)
    person = await asyncio.to_thread(auth.person_of, state.services, signed)
    if person is None:
        return refused(state, "unknown", 403)
    if not await asyncio.to_thread(auth.claim_link, state.services, signed):
        # Opened again by its owner, who is signed in already: no harm; anyone else: refused.
        visitor = await asyncio.to_thread(auth.signed_in, request, state.services, state.links)
        if visitor is None or visitor.person.id != person.id:
            return refused(state, "link_used", 403, language_of(person))
    response = web.HTTPSeeOther(auth.base_path(state.links))
    auth.start_session(response, state.links, person, now)
    secure(response)
    raise response


async def mini_app(request: web.Request) -> web.Response:
    """The Mini App's first page: our own script posts Telegram's launch data (tgWebAppData in
    the address's fragment, which never reaches a server by itself)."""
    state = request.app[STATE]
    page = _page(state, Translator("th"))
    return html(render("mini_app.html", page))


async def mini_app_sign_in(request: web.Request) -> web.Response:
    state = request.app[STATE]
    form = await request.post()
    now = state.services.clock()
    user_id = auth.mini_app_user(str(form.get("init_data", "")), state.bot_token, now)
    channel = state.mini_app_channel
    if user_id is None or channel is None:
        return refused(state, "mini_app_bad", 403)

    def find() -> Any:
        with UnitOfWork(state.services.db) as uow:
            return uow.people.find(channel, user_id)

    person = await asyncio.to_thread(find)
    if person is None:
        return refused(state, "unknown", 403)
    response = web.HTTPSeeOther(auth.base_path(state.links))
    auth.start_session(response, state.links, person, now)
    secure(response)
    raise response


async def sign_out(request: web.Request) -> web.Response:
    state = request.app[STATE]
    visitor = await asyncio.to_thread(auth.signed_in, request, state.services, state.links)
    form = await request.post()
    if visitor is None or not state.links.csrf_ok(visitor.session, str(form.get("csrf", ""))):
        return refused(state, "form_expired", 403)
    response = refused(state, "signed_out", 200, language_of(visitor.person))
    auth.end_session(response, state.links)
    return response


# -- pages ------------------------------------------------------------------------------------
async def overview(request: web.Request) -> web.Response:
    return await _show(request, "overview.html", lambda ctx: _values(view=pages.overview(ctx)))


async def strategy(request: web.Request) -> web.Response:
    key, sort = request.match_info["key"], request.query.get("sort", "behind")
    return await _show(
        request, "group.html", lambda ctx: _values(view=pages.group(ctx, "strategy", key, sort))
    )


async def division(request: web.Request) -> web.Response:
    key, sort = request.match_info["key"], request.query.get("sort", "behind")
    return await _show(
        request, "group.html", lambda ctx: _values(view=pages.group(ctx, "division", key, sort))
    )


async def project(request: web.Request) -> web.Response:
    code = request.match_info["code"]
    return await _show(request, "project.html", lambda ctx: _values(view=pages.project(ctx, code)))


def _values(**values: Any) -> dict[str, Any] | None:
    return None if any(v is None for v in values.values()) else values


async def review_queue(request: web.Request) -> web.Response:
    state = request.app[STATE]
    done = state.links.unseal(request.query.get("done", "")) or ""
    return await _show(
        request, "review.html", lambda ctx: {"view": review.queue(ctx), "done": done}, planners=True
    )


async def review_post(request: web.Request) -> web.Response:
    """✅ or ↩️ from the page: the session, its CSRF token, then the review service (whose
    Refusal, e.g. a report judged meanwhile, is shown as its sentence)."""
    state = request.app[STATE]
    visitor = await asyncio.to_thread(auth.signed_in, request, state.services, state.links)
    form = await request.post()
    if visitor is None:
        return refused(state, "no_session", 401)
    if not state.links.csrf_ok(visitor.session, str(form.get("csrf", ""))):
        return refused(state, "form_expired", 403, language_of(visitor.person))
    if not visitor.person.reads_everything:
        return refused(state, "not_allowed", 403, language_of(visitor.person))
    report_id = int(request.match_info["report"])
    verdict = "verify" if form.get("verdict") == "verify" else "return"
    reason = str(form.get("reason", ""))

    def work() -> tuple[str, bool]:
        with UnitOfWork(state.services.db) as uow:
            ctx = _context(state, uow, visitor)
            try:
                return review.judge(ctx, report_id, verdict, reason), True
            except Refusal as error:
                uow.rollback()
                return input_error(ctx._, error), False

    sentence, _ok = await asyncio.to_thread(work)
    # The sentence travels in the address of the page shown next (post, redirect, get).
    sealed = quote(state.links.seal(sentence))
    raise web.HTTPSeeOther(f"{auth.base_path(state.links)}review?done={sealed}#done")


async def evidence(request: web.Request) -> web.Response:
    state = request.app[STATE]
    visitor = await asyncio.to_thread(auth.signed_in, request, state.services, state.links)
    if visitor is None:
        return refused(state, "no_session", 401)
    report_id, file_id = int(request.match_info["report"]), int(request.match_info["file"])

    def work() -> tuple[str, str, bytes] | None:
        with UnitOfWork(state.services.db) as uow:
            ctx = _context(state, uow, visitor)
            found = review.evidence_file(ctx, report_id, file_id)
            if found is None:
                return None
            content = uow.evidence.contents([found.file_id])[found.file_id]
            return found.filename or f"evidence_{file_id}", found.content_type, content

    got = await asyncio.to_thread(work)
    if got is None:
        return refused(state, "not_found", 404, language_of(visitor.person))
    name, mime, content = got
    response = web.Response(body=content, content_type=mime)
    inline = mime in ("image/jpeg", "image/png", "image/webp", "image/gif")
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    secure(response)
    return response


async def download(request: web.Request) -> web.Response:
    """The spreadsheet or the quarterly report: the very files /export and /report send."""
    state = request.app[STATE]
    visitor = await asyncio.to_thread(auth.signed_in, request, state.services, state.links)
    if visitor is None:
        return refused(state, "no_session", 401)
    if not visitor.person.reads_everything:
        return refused(state, "not_allowed", 403, language_of(visitor.person))
    what = request.match_info["what"]

    def work() -> Any:
        from handlers.dashboard.downloads import period_file

        with UnitOfWork(state.services.db) as uow:
            return period_file(_context(state, uow, visitor), what)

    found = await asyncio.to_thread(work)
    if found is None:
        return refused(state, "not_found", 404, language_of(visitor.person))
    response = web.Response(body=found.content, content_type=found.mime_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(found.filename)}"
    )
    secure(response)
    return response
