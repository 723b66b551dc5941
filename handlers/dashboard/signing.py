"""Personal dashboard links and sessions, signed with the server's secret (HMAC-SHA256).

A link is a bearer of one person's identity for a short time (LINK_LIFETIME) and is used once:
its nonce is claimed when it is exchanged for a session (bot/web), so a forwarded or replayed
link shows the "ask for a new one" page. A session lasts a working day and carries its own
random id, from which the CSRF token of its forms is derived. Nothing here is stored: a token
holds who, until when and a nonce, and its MAC."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

LINK_LIFETIME = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=10)  # a working day
LINK_PATH = "/dashboard/open"
APP_PATH = "/dashboard/app"  # the Mini App's entry (signs in with Telegram's launch data)
HOME_PATH = "/dashboard/"


@dataclass(frozen=True)
class Signed:
    """What a valid link or session says: who (the person's id and platform identity), until
    when, and its nonce (a link's one-time id, a session's id)."""

    kind: str  # "link" | "session"
    person_id: int
    channel: str
    external_id: str
    expires: datetime
    nonce: str


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class DashboardLinks:
    """Makes and checks links and sessions; `public_url` is where the dashboard is served."""

    public_url: str
    secret: bytes

    @property
    def https(self) -> bool:
        return self.public_url.lower().startswith("https://")

    def url(self, path: str) -> str:
        return self.public_url.rstrip("/") + path

    def _mac(self, body: str) -> str:
        return _b64(hmac.new(self.secret, body.encode(), hashlib.sha256).digest()[:20])

    def sign(
        self,
        kind: str,
        person_id: int,
        channel: str,
        external_id: str,
        expires: datetime,
        nonce: str | None = None,
    ) -> str:
        nonce = nonce or secrets.token_urlsafe(12)
        fields = [kind, str(person_id), channel, external_id, str(int(expires.timestamp())), nonce]
        body = _b64("\n".join(fields).encode())
        return f"{body}.{self._mac(body)}"

    def check(self, token: str, kind: str, now: datetime) -> Signed | None:
        """The token's content if its MAC is ours, it is of `kind` and not expired; else None."""
        body, dot, mac = token.partition(".")
        if not dot or len(token) > 600 or not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            fields = _unb64(body).decode().split("\n")
            got_kind, person, channel, external, until, nonce = fields
            expires = datetime.fromtimestamp(int(until), tz=now.tzinfo)
            signed = Signed(got_kind, int(person), channel, external, expires, nonce)
        except (ValueError, UnicodeDecodeError):
            return None
        if signed.kind != kind or signed.expires <= now:
            return None
        return signed

    def personal_link(self, person_id: int, channel: str, external_id: str, now: datetime) -> str:
        token = self.sign("link", person_id, channel, external_id, now + LINK_LIFETIME)
        return self.url(f"{LINK_PATH}?t={token}")

    def session(self, person_id: int, channel: str, external_id: str, now: datetime) -> str:
        """A new session (a fresh random id every sign-in: nothing a visitor brought is kept)."""
        return self.sign("session", person_id, channel, external_id, now + SESSION_LIFETIME)

    def csrf(self, session: Signed) -> str:
        """The token every form of this session carries."""
        return self._mac("csrf\n" + session.nonce)

    def csrf_ok(self, session: Signed, given: str) -> bool:
        return bool(given) and hmac.compare_digest(given, self.csrf(session))

    def seal(self, text: str) -> str:
        """A sentence of ours carried in an address (the answer after a form): signed, so a
        crafted address cannot make the page show HTML of someone else's."""
        body = _b64(text.encode())
        mac = self._mac("note\n" + body)
        return f"{body}.{mac}"

    def unseal(self, token: str) -> str | None:
        body, dot, mac = token.partition(".")
        if not dot or not hmac.compare_digest(mac, self._mac("note\n" + body)):
            return None
        try:
            return _unb64(body).decode()
        except (ValueError, UnicodeDecodeError):
            return None
