"""Evidence files in LINE, both ways.

In: an image or file message carries no bytes, only its message id; the content is fetched from
LINE's data host (LINE_API_DATA_BASE_URL, GET /v2/bot/message/{id}/content). A file whose
declared size is over the limit is not fetched at all: the handlers refuse it by its size.

Out: LINE cannot take uploaded bytes, only https links, so kept files (`Reply.files`) go as
signed links to this server (bot/file_links.py): JPEG and PNG pictures as image messages, the
rest as a list of names and links in the text. Without PUBLIC_URL there is no link to give, so
the text lists the files and says where they can be opened.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from linebot.v3.messaging import AsyncMessagingApiBlob, ImageMessage
from linebot.v3.webhooks import FileMessageContent, ImageMessageContent, MessageContent

from bot.downloads import Fetched, FetchFailed, fetch_capped
from bot.file_links import MAX_PREVIEW_BYTES, FileLinks
from handlers.formatting import shorten
from handlers.i18n import Translator
from handlers.request import Attachment
from plan_data.evidence import IncomingFile

log = logging.getLogger(__name__)
DOWNLOAD_TIMEOUT_SECONDS = 60.0
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # LINE's limit for originalContentUrl
MAX_URL = 2000  # LINE's limit for an image message's URLs
SHOWN_NAME = 40  # characters of a file's name shown beside its link
LINE_PICTURES = ("image/jpeg", "image/png")


class DownloadFailed(Exception):
    """LINE did not hand over the content (gone, not ready, network trouble)."""


def is_file_message(message: MessageContent) -> bool:
    return isinstance(message, ImageMessageContent | FileMessageContent)


async def incoming_file(
    blob: AsyncMessagingApiBlob, message: MessageContent, max_bytes: int
) -> IncomingFile:
    """The file in an image or file message; its content fetched unless declared too big."""
    if isinstance(message, FileMessageContent):
        if message.file_size > max_bytes:
            return IncomingFile(message.file_name, "", message.file_size, None)
        fetched = await _download(blob, message.id, max_bytes)
        size = max(message.file_size, fetched.size)
        return IncomingFile(
            message.file_name, "", size, fetched.content, cut_at_limit=fetched.content is None
        )
    fetched = await _download(blob, message.id, max_bytes)
    return IncomingFile(
        f"image_{message.id}.jpg",
        fetched.content_type or "image/jpeg",
        fetched.size,
        fetched.content,
        True,
        cut_at_limit=fetched.content is None,
    )


async def _download(blob: AsyncMessagingApiBlob, message_id: str, max_bytes: int) -> Fetched:
    """GET /v2/bot/message/{id}/content on the data host, read no further than the limit (the
    SDK's client reads a body whole, so the bytes come through our own capped read)."""
    configuration = blob.api_client.configuration
    url = f"{configuration.host}/v2/bot/message/{quote(message_id, safe='')}/content"
    headers = {"Authorization": f"Bearer {configuration.access_token}"}
    try:
        return await fetch_capped(url, max_bytes, headers=headers, timeout=DOWNLOAD_TIMEOUT_SECONDS)
    except FetchFailed as error:
        log.warning("LINE content of message %s not fetched: %s", message_id, error)
        raise DownloadFailed(str(error)) from error


# -- out ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FilesOut:
    """How a reply's files go to LINE: lines to add to its text, and picture messages."""

    lines: tuple[str, ...]
    pictures: tuple[ImageMessage, ...]


def files_out(
    files: Sequence[Attachment], links: FileLinks | None, _: Translator, room: int
) -> FilesOut:
    """Pictures as image messages (at most `room`; the text is counted by the caller), the
    others and the pictures beyond `room` as links; without links, a list and where to look."""
    if not files:
        return FilesOut((), ())
    if links is None:
        listed = [
            _("line_files_item", filename=f.filename, size=size(len(f.content))) for f in files
        ]
        return FilesOut((*listed, _("line_files_no_public_url")), ())
    urls = [links.link(f.sha256, f.filename) if f.sha256 else None for f in files]
    pictures: list[ImageMessage] = []
    lines: list[str] = []
    for attachment, url in zip(files, urls, strict=True):
        if url is None:  # not a kept file: nothing to serve it from
            lines.append(
                _(
                    "line_files_item",
                    filename=attachment.filename,
                    size=size(len(attachment.content)),
                )
            )
        elif len(pictures) < room and _fits_image_message(attachment, url):
            pictures.append(_picture(attachment, url))
        else:
            shown = shorten(attachment.filename, SHOWN_NAME)
            lines.append(_("line_files_link", filename=shown, url=url))
    if any(url is not None and url not in _urls(pictures) for url in urls):
        lines.append(_("line_files_links_last", days=links.seconds // 86400))
    return FilesOut(tuple(lines), tuple(pictures))


def pictures_possible(files: Sequence[Attachment], links: FileLinks | None) -> int:
    """How many of the files could be image messages (the caller leaves room for them)."""
    if links is None:
        return 0
    return sum(
        1
        for f in files
        if f.sha256 and f.mime_type in LINE_PICTURES and len(f.content) <= MAX_IMAGE_BYTES
    )


def _fits_image_message(attachment: Attachment, url: str) -> bool:
    return (
        attachment.mime_type in LINE_PICTURES
        and len(attachment.content) <= MAX_IMAGE_BYTES
        and len(url) + len("&preview=1") <= MAX_URL
    )


def _picture(attachment: Attachment, url: str) -> ImageMessage:
    preview = url if len(attachment.content) <= MAX_PREVIEW_BYTES else url + "&preview=1"
    return ImageMessage(originalContentUrl=url, previewImageUrl=preview)


def _urls(pictures: Sequence[ImageMessage]) -> set[str]:
    return {p.original_content_url for p in pictures}


def size(count: int) -> str:
    """A file size as people read it: 820 KB, 3.4 MB."""
    if count < 1024 * 1024:
        return f"{max(1, round(count / 1024))} KB"
    return f"{count / (1024 * 1024):.1f} MB"
