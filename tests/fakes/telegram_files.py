"""Files in the fake Bot API (tests/fakes/telegram_api.py): what people send (photos and
documents a test registers, fetched with getFile and a GET on the file URL, as the real API
serves them) and albums the bot sends (sendMediaGroup, checked as Telegram checks it).

Refusals are `FileProblem(description)`; the server answers them 400 (404 for a download)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

DOWNLOAD_MOST = 20 * 1024 * 1024  # the cloud Bot API lets a bot download files up to 20 MB
ALBUM_KINDS = ("photo", "video", "document", "audio")


class FileProblem(Exception):
    def __init__(self, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.description, self.status = description, status


@dataclass(frozen=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_size: int  # what Telegram declares (a test may declare more than it stores)
    file_path: str
    content: bytes


@dataclass(frozen=True)
class AlbumItem:
    kind: str  # photo | video | document | audio
    filename: str | None
    content: bytes | None
    caption: str


class FileStore:
    def __init__(self) -> None:
        self._files: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._ids = itertools.count(1)
        self.downloads: list[str] = []  # file ids, in the order their bytes were served

    def add(
        self,
        content: bytes,
        *,
        declared_size: int | None = None,
        extension: str = "jpg",
        folder: str = "photos",
    ) -> StoredFile:
        number = next(self._ids)
        stored = StoredFile(
            file_id=f"AgACAgUAAx{number:06d}file",
            file_unique_id=f"AQAD{number:04d}",
            file_size=len(content) if declared_size is None else declared_size,
            file_path=f"{folder}/file_{number}.{extension}",
            content=content,
        )
        self._files[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get_file(self, p: dict[str, Any]) -> dict[str, Any]:
        """getFile as the Bot API answers it: the path to download from, for files up to 20 MB."""
        stored = self._files.get(str(p.get("file_id") or ""))
        if stored is None:
            raise FileProblem("Bad Request: invalid file_id")
        if stored.file_size > DOWNLOAD_MOST:
            raise FileProblem("Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    def download(self, path: str) -> bytes:
        stored = self._by_path.get(path)
        if stored is None:
            raise FileProblem("Not Found", status=404)
        self.downloads.append(stored.file_id)
        return stored.content

    def album(self, p: dict[str, Any]) -> list[AlbumItem]:
        """The items of a sendMediaGroup call, refused as Telegram refuses them: 2-10 items,
        documents only with documents and audio only with audio, every attach:// part present."""
        media = p.get("media")
        if not isinstance(media, list) or not media:
            raise FileProblem('Bad Request: parameter "media" is required')
        if not 2 <= len(media) <= 10:
            raise FileProblem("Bad Request: media group must have 2-10 items")  # our words
        if not all(isinstance(item, dict) and item.get("type") in ALBUM_KINDS for item in media):
            raise FileProblem("Bad Request: can't parse InputMedia: media type is invalid")
        kinds = {item["type"] for item in media}
        if len(kinds) > 1 and not kinds <= {"photo", "video"}:
            # Telegram: "Documents and audio files can be only grouped in an album with
            # messages of the same type." (the description is ours)
            raise FileProblem("Bad Request: documents and audio can't be mixed with other media")
        return [self._item(item, p) for item in media]

    def _item(self, item: dict[str, Any], p: dict[str, Any]) -> AlbumItem:
        reference = str(item.get("media") or "")
        caption = str(item.get("caption") or "")
        if reference.startswith("attach://"):
            part = p.get(reference.removeprefix("attach://"))
            if not isinstance(part, tuple):
                raise FileProblem("Bad Request: can't parse InputMedia: media not found")
            filename, content = part
            return AlbumItem(item["type"], filename, content, caption)
        stored = self._files.get(reference)
        if stored is None:
            raise FileProblem("Bad Request: wrong file identifier/HTTP URL specified")
        return AlbumItem(item["type"], None, stored.content, caption)


def photo_sizes(
    files: FileStore, content: bytes, declared_size: int | None
) -> list[dict[str, Any]]:
    """A photo as Telegram delivers it: smallest size first; only the largest holds `content`
    (the thumbnail holds other bytes, so taking the wrong size shows)."""
    thumbnail = files.add(b"\xff\xd8\xff thumbnail of " + content[:16])
    full = files.add(content, declared_size=declared_size)
    return [
        {
            "file_id": thumbnail.file_id,
            "file_unique_id": thumbnail.file_unique_id,
            "file_size": thumbnail.file_size,
            "width": 90,
            "height": 68,
        },
        {
            "file_id": full.file_id,
            "file_unique_id": full.file_unique_id,
            "file_size": full.file_size,
            "width": 1280,
            "height": 960,
        },
    ]
