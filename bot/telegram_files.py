"""Telegram's side of evidence files: a photo or document that comes in becomes the Request's
attachment (downloaded through the Bot API's file URL), and the files a Reply carries go out as
albums. Mapping only: what may be kept is decided by plan_data.evidence and the handlers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from telegram import Bot, InputMediaDocument, InputMediaPhoto, Message
from telegram.error import TelegramError

from bot.downloads import FetchFailed, fetch_capped
from bot.telegram_limits import fits_as_photo
from handlers.context import Services
from handlers.i18n import Translator, language_of
from handlers.request import Attachment, Request
from plan_data.evidence import IncomingFile
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
ALBUM_MOST = 10  # Telegram's sendMediaGroup takes 2-10 items
# Sent as photos: what sendPhoto takes (bot/telegram_limits: JPEG and PNG, at most 10 MB, within
# Telegram's dimensions); any other picture (HEIC, WEBP, a long screenshot, a receipt strip, a
# large scan) goes as a document so it arrives whole instead of being refused.


class FileNotDownloaded(Exception):
    """Telegram would not give us the file (unknown, too big for the Bot API, the network)."""


def is_chatter(message: Message, *, bot_id: int, username: str | None) -> bool:
    """In a group, a file is for the bot only with a caption that is a command for this bot, or
    as a reply to one of the bot's messages; anything else is people sharing pictures."""
    if replies_to_bot(message, bot_id):
        return False
    caption = (message.caption or "").lstrip()
    if not caption.startswith("/"):
        return True
    command = caption.split(maxsplit=1)[0]
    _, at, addressee = command.partition("@")
    return bool(at) and (username is None or addressee.lower() != username.lower())


def replies_to_bot(message: Message, bot_id: int) -> bool:
    answered = message.reply_to_message
    return (
        answered is not None
        and answered.from_user is not None
        and (answered.from_user.id == bot_id)
    )


def reply_to_buttons(message: Message, bot_id: int) -> tuple[str, ...]:
    """The callback data of every button on the bot's message this one replies to, so a file
    sent in reply to a confirmation finds the entry it is about."""
    answered = message.reply_to_message
    if answered is None or not replies_to_bot(message, bot_id) or answered.reply_markup is None:
        return ()
    return tuple(
        button.callback_data
        for row in answered.reply_markup.inline_keyboard
        for button in row
        if isinstance(button.callback_data, str)
    )


async def with_attachment(bot: Bot, message: Message, request: Request, max_bytes: int) -> Request:
    """`request` with the message's photo or document attached and `reply_to` filled. A file
    whose declared size is over `max_bytes` is not downloaded (content None, declared size kept):
    the handlers refuse it in one sentence without us fetching megabytes for nothing."""
    file_id, incoming = _describe(message)
    if incoming.size <= max_bytes:
        try:
            telegram_file = await bot.get_file(file_id)
            if not telegram_file.file_path:
                raise FetchFailed("no file path")
            fetched = await fetch_capped(telegram_file.file_path, max_bytes)
        except (TelegramError, FetchFailed) as error:
            log.warning("could not download a file from Telegram: %s", error)
            raise FileNotDownloaded(str(error)) from error
        # Past the limit: not kept, and refused by its size like a file declared too big.
        incoming = replace(
            incoming,
            content=fetched.content,
            size=max(incoming.size, fetched.size),
            cut_at_limit=fetched.content is None,
        )
    return replace(request, attachment=incoming, reply_to=reply_to_buttons(message, bot.id))


def _describe(message: Message) -> tuple[str, IncomingFile]:
    """The file id to fetch and what the message says about the file (no content yet)."""
    if message.photo:
        largest = max(
            message.photo, key=lambda size: (size.width * size.height, size.file_size or 0)
        )
        filename = f"photo_{largest.file_unique_id}.jpg"
        return largest.file_id, IncomingFile(
            filename, "image/jpeg", largest.file_size or 0, is_photo=True
        )
    document = message.document
    if document is None:
        raise ValueError("a message with neither a photo nor a document")
    filename = document.file_name or f"file_{document.file_unique_id}"
    return document.file_id, IncomingFile(
        filename, document.mime_type or "", document.file_size or 0
    )


def download_failed_text(services: Services, request: Request) -> str:
    """One sentence in the person's language: the file did not reach us and nothing was done."""
    with UnitOfWork(services.db) as uow:
        person = uow.people.find(request.channel, request.user_id)
    language = language_of(person, request.language)
    return Translator(language)("telegram_file_not_downloaded")


async def send_files(bot: Bot, chat_id: int, files: Sequence[Attachment]) -> list[str]:
    """Photos as albums, then the other files as albums of documents (Telegram does not mix the
    two in one album); a group of one is sent on its own. An album Telegram refuses is tried
    once more and then given up, the others still sent: the names of the files not sent."""
    photos: list[Attachment] = []
    documents: list[Attachment] = []
    for file in files:
        (photos if fits_as_photo(file.content, file.mime_type) else documents).append(file)
    failed: list[str] = []
    for chunk, as_photo in [(c, True) for c in _chunks(photos)] + [
        (c, False) for c in _chunks(documents)
    ]:
        for attempt in (1, 2):
            try:
                await _send_chunk(bot, chat_id, chunk, as_photo)
                break
            except TelegramError as error:
                log.warning(
                    "sending %d file(s) failed (attempt %d): %s", len(chunk), attempt, error
                )
        else:
            failed.extend(f.filename for f in chunk)
    return failed


async def _send_chunk(bot: Bot, chat_id: int, chunk: list[Attachment], as_photo: bool) -> None:
    if len(chunk) == 1 and as_photo:
        await bot.send_photo(chat_id, photo=chunk[0].content, filename=chunk[0].filename)
    elif len(chunk) == 1:
        await bot.send_document(chat_id, document=chunk[0].content, filename=chunk[0].filename)
    elif as_photo:
        media = [InputMediaPhoto(f.content, filename=f.filename) for f in chunk]
        await bot.send_media_group(chat_id, media)
    else:
        documents_media = [InputMediaDocument(f.content, filename=f.filename) for f in chunk]
        await bot.send_media_group(chat_id, documents_media)


def _chunks(files: list[Attachment]) -> list[list[Attachment]]:
    """At most ten a group, and never a last group of one when it can borrow (11 -> 6 + 5)."""
    if not files:
        return []
    count = -(-len(files) // ALBUM_MOST)  # groups needed
    size = -(-len(files) // count)
    return [files[i : i + size] for i in range(0, len(files), size)]
