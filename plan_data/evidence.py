"""What may be kept as evidence of an entry: the allowed types, the size limit, and the window in
which a file sent after an entry is offered to it. A file's first bytes must agree with the type
it claims, by a content sniffer, so a renamed program is not kept as a "PDF"."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import filetype  # type: ignore[import-untyped]

from plan_data.errors import Refusal

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # 20 MB, what Telegram lets a bot download
ATTACH_WINDOW = timedelta(minutes=10)  # a file sent this soon after an entry is offered to it
PENDING_KEPT = timedelta(days=1)  # a file offered and never answered is dropped after this

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of the old Office formats
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# Content type -> a short name for people. A file is kept under the type its bytes show (the
# `filetype` sniffer), never the one its name or the platform claims.
ALLOWED: dict[str, str] = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
    "image/heic": "HEIC",
    "image/heif": "HEIC",
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    _DOCX: "Word",
    _XLSX: "Excel",
    _PPTX: "PowerPoint",
}
# An Office Open XML file is a zip whose parts name the application.
_OOXML_FOLDER = {_DOCX: "word/", _XLSX: "xl/", _PPTX: "ppt/"}
_LEGACY_OFFICE = ("application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint")
IMAGES_SHOWN_INLINE = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_BY_EXTENSION = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "heic": "image/heic",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": _DOCX,
    "xlsx": _XLSX,
    "pptx": _PPTX,
}
ALLOWED_NAMES = "JPEG, PNG, GIF, WEBP, HEIC, PDF, Word, Excel, PowerPoint"


@dataclass(frozen=True)
class IncomingFile:
    """A file as a channel received it. `content` is None when the channel did not download it
    because its declared size is over the limit already."""

    filename: str
    content_type: str  # what the platform or the sender declared; may be empty
    size: int
    content: bytes | None = None
    is_photo: bool = False  # a picture as the platform sent it (compressed), not a document
    # The download stopped at the limit, so `size` is only how much was read before.
    cut_at_limit: bool = False


def content_type_of(filename: str, declared: str) -> str:
    """The declared type, or the one the file name's extension stands for."""
    declared = declared.split(";", 1)[0].strip().lower()
    if declared in ALLOWED:
        return declared
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return _BY_EXTENSION.get(extension, declared)


def is_image(content_type: str) -> bool:
    return content_type.startswith("image/")


def shown_inline(content_type: str) -> bool:
    """Whether a browser may show the stored file in the page (the common picture types); every
    other file is served as a download."""
    return content_type in IMAGES_SHOWN_INLINE


def check_file(incoming: IncomingFile, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The content type to keep the file under, or a Refusal that says what is wrong."""
    if incoming.cut_at_limit:
        raise Refusal("evidence_too_large_streamed", limit=megabytes(max_bytes))
    if incoming.size > max_bytes or (
        incoming.content is not None and len(incoming.content) > max_bytes
    ):
        raise Refusal(
            "evidence_too_large", size=megabytes(incoming.size), limit=megabytes(max_bytes)
        )
    claimed = content_type_of(incoming.filename, incoming.content_type)
    name = ALLOWED.get(claimed)
    if name is None and not claimed:
        raise Refusal("evidence_type_unknown", name=incoming.filename[:60], allowed=ALLOWED_NAMES)
    if name is None:
        raise Refusal("evidence_type", kind=claimed, allowed=ALLOWED_NAMES)
    if incoming.content is None or not incoming.content:
        raise Refusal("evidence_empty")
    found = detected_type(incoming.content, claimed)
    if found is None:
        raise Refusal("evidence_not_what_it_says", kind=name, allowed=ALLOWED_NAMES)
    return found


def detected_type(content: bytes, claimed: str = "") -> str | None:
    """The allowed type the bytes are, by the `filetype` sniffer; None for anything else (a
    program, a web page, a sound...). Where the sniffer sees only the container (a zip, an OLE
    compound file), the claimed Office type stands if the container holds that application."""
    found = filetype.guess_mime(content)
    if found in ALLOWED:
        return "image/heic" if found == "image/heif" else found
    if found in (None, "application/zip") and claimed in _OOXML_FOLDER:
        return claimed if _zip_has(content, _OOXML_FOLDER[claimed]) else None
    if found is None and claimed in _LEGACY_OFFICE and content.startswith(_OLE):
        return claimed
    return None


def _zip_has(content: bytes, folder: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def megabytes(size: int) -> str:
    """A file's size as a reader takes it in: 12 KB below a megabyte (never "0.0 MB"), 3.4 MB
    from there."""
    if size < 1024 * 1024:
        return f"{max(1, -(-size // 1024)):,} KB"
    return f"{size / (1024 * 1024):.1f} MB"
