"""What may be kept as evidence of an entry: the allowed types, the size limit, and the window in
which a file sent after an entry is offered to it. A file's first bytes must agree with the type
it claims, so a renamed program is not kept as a "PDF"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from plan_data.errors import Refusal

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # 20 MB, what Telegram lets a bot download
ATTACH_WINDOW = timedelta(minutes=10)  # a file sent this soon after an entry is offered to it
PENDING_KEPT = timedelta(days=1)  # a file offered and never answered is dropped after this

_OOXML = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Content type -> (the first bytes it must start with, a short name for people).
ALLOWED: dict[str, tuple[tuple[bytes, ...], str]] = {
    "image/jpeg": ((b"\xff\xd8\xff",), "JPEG"),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), "PNG"),
    "image/gif": ((b"GIF87a", b"GIF89a"), "GIF"),
    "image/webp": ((b"RIFF",), "WEBP"),
    "image/heic": ((), "HEIC"),
    "application/pdf": ((b"%PDF-",), "PDF"),
    "application/msword": ((_OLE,), "Word"),
    "application/vnd.ms-excel": ((_OLE,), "Excel"),
    "application/vnd.ms-powerpoint": ((_OLE,), "PowerPoint"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ((_OOXML,), "Word"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ((_OOXML,), "Excel"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        (_OOXML,),
        "PowerPoint",
    ),
}
_BY_EXTENSION = {
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
    "webp": "image/webp", "heic": "image/heic", "pdf": "application/pdf",
    "doc": "application/msword", "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}  # fmt: skip
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


def content_type_of(filename: str, declared: str) -> str:
    """The declared type, or the one the file name's extension stands for."""
    declared = declared.split(";", 1)[0].strip().lower()
    if declared in ALLOWED:
        return declared
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return _BY_EXTENSION.get(extension, declared)


def is_image(content_type: str) -> bool:
    return content_type.startswith("image/")


def check_file(incoming: IncomingFile, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The content type to keep the file under, or a Refusal that says what is wrong."""
    if incoming.size > max_bytes or (
        incoming.content is not None and len(incoming.content) > max_bytes
    ):
        raise Refusal(
            "evidence_too_large", size=megabytes(incoming.size), limit=megabytes(max_bytes)
        )
    content_type = content_type_of(incoming.filename, incoming.content_type)
    allowed = ALLOWED.get(content_type)
    if allowed is None and not content_type:
        raise Refusal("evidence_type_unknown", name=incoming.filename[:60], allowed=ALLOWED_NAMES)
    if allowed is None:
        raise Refusal("evidence_type", kind=content_type, allowed=ALLOWED_NAMES)
    if incoming.content is None or not incoming.content:
        raise Refusal("evidence_empty")
    signatures, _name = allowed
    if signatures and not incoming.content.startswith(signatures):
        raise Refusal("evidence_not_what_it_says", kind=allowed[1], allowed=ALLOWED_NAMES)
    return content_type


def megabytes(size: int) -> str:
    """A file's size as a reader takes it in: 12 KB below a megabyte (never "0.0 MB"), 3.4 MB
    from there."""
    if size < 1024 * 1024:
        return f"{max(1, -(-size // 1024)):,} KB"
    return f"{size / (1024 * 1024):.1f} MB"
