"""Fetching a file a person sent, never more than the limit: the body is read in chunks and
reading stops as soon as it passes `max_bytes`, whatever size the platform declared, so a file
that claims to be small but streams hundreds of megabytes costs one chunk past the limit."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp

CHUNK = 64 * 1024


class FetchFailed(Exception):
    """The server did not hand the file over (an error status, the network, a timeout)."""


@dataclass(frozen=True)
class Fetched:
    content: bytes | None  # None: the body went past the limit and was not kept
    size: int  # bytes read (past the limit: at least max_bytes + 1)
    content_type: str


async def fetch_capped(
    url: str, max_bytes: int, *, headers: dict[str, str] | None = None, timeout: float = 60.0
) -> Fetched:
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
            session.get(url, headers=headers or {}) as response,
        ):
            if response.status != 200:
                raise FetchFailed(f"HTTP {response.status}")
            content_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip()
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.content.iter_chunked(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    return Fetched(None, size, content_type)
                chunks.append(chunk)
            return Fetched(b"".join(chunks), size, content_type)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise FetchFailed(type(error).__name__) from error
