"""Kept evidence files served by signed link, because LINE takes pictures and files only by
https URL: GET /files/<sha256>/<name>?exp=<unix>&sig=<hmac> on the webhook server.

The signature is HMAC-SHA256, keyed by the LINE channel secret, over the digest, the expiry and
the name, so a link cannot be stretched in time or pointed at another file; it is compared in
constant time. A bad or expired signature is a 403, a digest nobody kept a 404. The bytes come
from the database (one table for every instance), so any instance behind PUBLIC_URL can answer.
With `preview=1` a picture over LINE's 1 MB preview limit is answered as a small JPEG.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import io
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from aiohttp import web

from handlers.context import Services
from plan_data.evidence import detected_type, shown_inline
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
LINK_SECONDS = 7 * 24 * 3600  # a link in a chat keeps working for a week
MAX_PREVIEW_BYTES = 1024 * 1024  # LINE's limit for previewImageUrl
PREVIEW_SIDE = 480
MAX_NAME = 60  # characters of the file name kept in a link (LINE caps image URLs at 2000)
DIGEST = re.compile(r"^[0-9a-f]{64}$")
EXPIRES = re.compile(r"^[0-9]{1,12}$")  # a unix time in ASCII digits, nothing longer


def signature(secret: str, digest: str, expires: int, name: str) -> str:
    message = f"{digest}\n{expires}\n{name}".encode()
    mac = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def short_name(filename: str) -> str:
    """The name as it goes in a link: no slashes or control characters, never `.` or `..`, at
    most MAX_NAME characters, extension kept."""
    name = re.sub(r"[/\\\x00-\x1f\x7f]", "_", filename).strip()
    if not name.strip("."):  # "", ".", "..": a path step, not a name
        name = "file"
    if len(name) <= MAX_NAME:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 8:
        return name[:MAX_NAME]
    return stem[: MAX_NAME - len(extension) - 1] + "." + extension


def link_name(digest: str, filename: str) -> str:
    """The name in a link: the file's own when it is short plain ASCII, else `file-<digest>` with
    its extension, so a Thai name does not become hundreds of percent-encoded characters in a
    chat (the chat shows the name itself beside the link)."""
    name = short_name(filename)
    if name.isascii() and quote(name, safe="") == name:
        return name
    _stem, dot, extension = name.rpartition(".")
    kept = f".{extension}" if dot and extension.isascii() and extension.isalnum() else ""
    return f"file-{digest[:8]}{kept}"


@dataclass
class FileLinks:
    """Makes and checks the signed links; `public_url` is where LINE reaches this server."""

    public_url: str
    secret: str
    seconds: int = LINK_SECONDS
    wall_clock: Callable[[], float] = time.time

    def link(self, digest: str, filename: str) -> str:
        name = link_name(digest, filename)
        expires = int(self.wall_clock()) + self.seconds
        sig = signature(self.secret, digest, expires, name)
        base = self.public_url.rstrip("/")
        return f"{base}/files/{digest}/{quote(name, safe='')}?exp={expires}&sig={sig}"

    def valid(self, digest: str, name: str, expires: str, sig: str) -> bool:
        if not EXPIRES.match(expires) or int(expires) < self.wall_clock() or not sig.isascii():
            return False
        expected = signature(self.secret, digest, int(expires), name)
        return hmac.compare_digest(expected.encode(), sig.encode())


FILE_LINKS: web.AppKey[Any] = web.AppKey("file_links")
FILE_SERVICES: web.AppKey[Services] = web.AppKey("file_services", Services)


def add_file_route(app: web.Application, services: Services, links: FileLinks | None) -> None:
    app[FILE_LINKS], app[FILE_SERVICES] = links, services
    app.router.add_get("/files/{digest}/{name}", serve_file)


async def serve_file(request: web.Request) -> web.Response:
    links: FileLinks | None = request.app[FILE_LINKS]
    digest, name = request.match_info["digest"], request.match_info["name"]
    if links is None or not DIGEST.match(digest):
        raise web.HTTPNotFound()
    query = request.query
    if not links.valid(digest, name, query.get("exp", ""), query.get("sig", "")):
        log.warning("GET /files refused (403): bad or expired link from %s", request.remote)
        raise web.HTTPForbidden()
    found = await asyncio.to_thread(_load, request.app[FILE_SERVICES], digest)
    if found is None:
        raise web.HTTPNotFound()
    stored_type, content = found
    # The type the bytes show (a file kept before they were checked may be anything).
    content_type = detected_type(content, stored_type) or "application/octet-stream"
    if query.get("preview") == "1" and shown_inline(content_type):
        content_type, content = preview(content_type, content)
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
    if not shown_inline(content_type):
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    return web.Response(body=content, content_type=content_type, headers=headers)


def _load(services: Services, digest: str) -> tuple[str, bytes] | None:
    with UnitOfWork(services.db) as uow:
        return uow.evidence.by_sha256(digest)


def preview(content_type: str, content: bytes) -> tuple[str, bytes]:
    """The picture itself when LINE takes it as a preview, else a small JPEG of it (as is when
    Pillow cannot read it: LINE then shows no preview, the picture still opens)."""
    if len(content) <= MAX_PREVIEW_BYTES:
        return content_type, content
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
    except Exception as error:
        log.info("no preview for a %s of %d bytes: %s", content_type, len(content), error)
        return content_type, content
    return "image/jpeg", out.getvalue()
