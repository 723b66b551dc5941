"""Message catalogs (gettext .po read with babel), one per language, keyed by message ids such
as "status_budget". Every .po file under locales/<lang>/LC_MESSAGES is merged, so each concern
keeps its own catalog file. The .po files are read directly; there is no compiled .mo to keep
in step.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Protocol

from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("th", "en")
DEFAULT_LANGUAGE = "th"


@cache
def _catalog(language: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    folder = LOCALES / language / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and isinstance(message.id, str) and message.string:
                    messages[message.id] = str(message.string)
    return messages


def pick_language(preferred: str | None, platform_hint: str | None = None) -> str:
    """The one rule for the language someone reads: their /lang choice wins; then the language
    their chat app is set to (Telegram's language_code, LINE's profile); Thai otherwise."""
    for candidate in (preferred, platform_hint):
        if candidate:
            short = candidate.split("-")[0].split("_")[0].lower()
            if short in LANGUAGES:
                return short
    return DEFAULT_LANGUAGE


class Reader(Protocol):
    """Someone (or a chat) the bot writes to: their /lang choice and their app's language."""

    @property
    def language(self) -> str | None: ...

    @property
    def platform_language(self) -> str | None: ...


def language_of(reader: Reader | None, platform_hint: str | None = None) -> str:
    """The language of a reply or a reminder to `reader` (a registered person, or a chat of
    theirs), by `pick_language`: a reply and a reminder to the same person always agree. For
    someone not registered, only what the platform says now (`platform_hint`) is known."""
    if reader is None:
        return pick_language(None, platform_hint)
    return pick_language(reader.language, reader.platform_language or platform_hint)


class Translator:
    """`_("spend_recorded", amount=...)`: the message in this language, filled in."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._messages = _catalog(self.language)
        self._fallback = _catalog("en")

    def __call__(self, message: str, **values: object) -> str:
        text = self._messages.get(message) or self._fallback.get(message) or message
        return text.format(**values) if values else text

    def keyed(self, prefix: str) -> dict[str, str]:
        """Every message whose id starts with `prefix`, keyed by the rest of its id: the words
        of a family named by data (`report_channel_<name>` for each channel)."""
        ids = {key for key in (*self._fallback, *self._messages) if key.startswith(prefix)}
        return {key.removeprefix(prefix): self(key) for key in sorted(ids)}
