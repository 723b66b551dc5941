"""Who is looking at the dashboard, with no password.

A personal link (handlers.dashboard.signing) is exchanged once: its nonce is claimed in the
database (the `processed_events` claim every webhook uses, channel "dashboard"), a new session
is minted (never one the browser brought: no session fixation) and the browser is sent to the
clean address. In Telegram the Mini App posts its launch data (tgWebAppData), checked here with
the bot token as Telegram documents. Every page then asks `signed_in`: a valid session cookie of
a person still registered, or nothing (and no figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiohttp import web

from handlers.context import Services
from handlers.dashboard.signing import SESSION_LIFETIME, DashboardLinks, Signed
from storage.repositories.people import PersonView
from storage.unit_of_work import UnitOfWork

COOKIE = "planbot_dashboard"
CLAIMS = "dashboard"  # processed_events channel of used link nonces
MINI_APP_FRESH = timedelta(hours=1)  # launch data older than this is refused


@dataclass(frozen=True)
class Visitor:
    session: Signed
    person: PersonView


def person_of(services: Services, signed: Signed) -> PersonView | None:
    """The person a link or session names, if still registered as the same person."""
    with UnitOfWork(services.db) as uow:
        person = uow.people.find(signed.channel, signed.external_id)
    return person if person is not None and person.id == signed.person_id else None


def signed_in(request: web.Request, services: Services, links: DashboardLinks) -> Visitor | None:
    """The session of this request, if one of the cookies by our name is valid. A browser sends
    every cookie of that name whose path matches, ours (path /dashboard/) first; one planted
    for "/" by someone else comes later and must not shadow it."""
    now = services.clock()
    for token in _cookies(request.headers.getall("Cookie", [])):
        signed = links.check(token, "session", now)
        if signed is not None:
            person = person_of(services, signed)
            return Visitor(signed, person) if person is not None else None
    return None


def _cookies(headers: list[str]) -> list[str]:
    values = []
    for header in headers:
        for pair in header.split(";"):
            name, equals, value = pair.strip().partition("=")
            if equals and name == COOKIE:
                values.append(value.strip().strip('"'))
    return values


def claim_link(services: Services, signed: Signed) -> bool:
    """True the first time this link is used, False ever after (forwarded, opened again)."""
    with UnitOfWork(services.db) as uow:
        first = uow.claims.first_time(CLAIMS, "link:" + signed.nonce, at=services.clock())
    return first


def forget_old_claims(services: Services) -> None:
    """Used-link nonces outlive their links by a day, then go."""
    with UnitOfWork(services.db) as uow:
        uow.claims.forget_before(CLAIMS, services.clock() - timedelta(days=1))


def start_session(
    response: web.StreamResponse, links: DashboardLinks, person: PersonView, now: datetime
) -> None:
    """A new session cookie: HttpOnly, SameSite=Lax, Secure on https, for a working day."""
    token = links.session(person.id, person.channel, person.external_id, now)
    response.set_cookie(
        COOKIE,
        token,
        path=base_path(links),
        httponly=True,
        samesite="Lax",
        secure=links.https,
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )


def end_session(response: web.StreamResponse, links: DashboardLinks) -> None:
    response.del_cookie(COOKIE, path=base_path(links))


def base_path(links: DashboardLinks) -> str:
    """/dashboard/ under PUBLIC_URL's own path (a server behind a path prefix)."""
    from urllib.parse import urlsplit

    return urlsplit(links.public_url).path.rstrip("/") + "/dashboard/"


# -- Telegram Mini App ------------------------------------------------------------------------
def mini_app_user(init_data: str, bot_token: str | None, now: datetime) -> str | None:
    """The Telegram user id in a Mini App's launch data, if Telegram signed it for this bot
    (telegram-webapp-auth checks the HMAC keyed by the bot token, as Telegram documents) and it
    was signed within MINI_APP_FRESH of our clock; None otherwise."""
    from telegram_webapp_auth.auth import TelegramAuthenticator, generate_secret_key
    from telegram_webapp_auth.errors import InvalidInitDataError

    if not bot_token or not init_data or len(init_data) > 8192:
        return None
    try:
        data = TelegramAuthenticator(generate_secret_key(bot_token)).validate(init_data)
    except (InvalidInitDataError, ValueError):
        return None
    if data.user is None or data.auth_date is None:
        return None
    signed_at = datetime.fromtimestamp(data.auth_date, tz=UTC)
    if not now - MINI_APP_FRESH <= signed_at <= now + timedelta(minutes=5):
        return None
    return str(data.user.id)
