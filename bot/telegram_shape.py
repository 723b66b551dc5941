"""What planbot reads of a Telegram update, checked for its type before any handler sees it.

python-telegram-bot builds an Update from whatever JSON arrives and checks no field's type, so an
authenticated body with `"text": 12345` or a chat id of `"abc"` would reach the handlers and fail
there. The webhook answers such a body 400 (bot/webhook.py); long polling logs it and skips it.
"""

from __future__ import annotations

from typing import Any

from telegram import Update


def _is_int(value: Any) -> bool:
    return type(value) is int


def _optional(value: Any, kind: type) -> bool:
    """None, or of `kind` (an int that is not a bool; a str or a str enum such as ChatType)."""
    return value is None or (_is_int(value) if kind is int else isinstance(value, kind))


def _message_problem(message: Any) -> str | None:
    chat, sender = message.chat, message.from_user
    if chat is None or not _is_int(chat.id) or not _optional(chat.type, str):
        return "chat.id is not an integer"
    if sender is not None and (not _is_int(sender.id) or not _optional(sender.first_name, str)):
        return "from is not a user"
    for name in ("text", "caption"):
        if not _optional(getattr(message, name), str):
            return f"{name} is not a string"
    document = message.document
    if document is not None and not (
        _optional(document.file_size, int)
        and _optional(document.file_name, str)
        and _optional(document.mime_type, str)
        and isinstance(document.file_id, str)
    ):
        return "document has fields of the wrong type"
    for size in message.photo or ():
        if not (
            isinstance(size.file_id, str)
            and _optional(size.file_size, int)
            and _is_int(size.width)
            and _is_int(size.height)
        ):
            return "photo has fields of the wrong type"
    return None


def shape_problem(update: Update) -> str | None:
    """Why the update cannot be read as planbot reads it, or None when it can."""
    for message in (update.message, update.edited_message):
        if message is not None and (problem := _message_problem(message)):
            return problem
    query = update.callback_query
    if query is not None:
        if query.from_user is None or not _is_int(query.from_user.id):
            return "callback_query.from is not a user"
        if not _optional(query.data, str) or not isinstance(query.id, str):
            return "callback_query.data is not a string"
        shown = query.message
        if shown is not None and (shown.chat is None or not _is_int(shown.chat.id)):
            return "callback_query.message.chat.id is not an integer"
    return None
