"""The webhook server's access log, without what must not be written down: a request's query
(the signature and expiry of a file link, a personal sign-in token) and a kept file's digest and
name (`/files/<sha256>/<name>`, which together with a leaked signature would open the file).
One line per request: who, method, path, status, size, time."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

log = logging.getLogger("aiohttp.access")


def shown_path(path: str) -> str:
    """The path as logged: `/files/<first 8 hex>…` for a kept file, the rest as it is."""
    if path.startswith("/files/"):
        digest = path[len("/files/") :].split("/", 1)[0]
        return f"/files/{digest[:8]}…"
    return path


class QuietAccessLogger(AbstractAccessLogger):
    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %d %d %.3fs",
            request.remote,
            request.method,
            shown_path(request.path),
            response.status,
            response.body_length,
            time,
        )
