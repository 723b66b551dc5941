"""Messages shared by several commands. Keys such as "error_generic" are message ids too: their
English text lives in the English catalog, their Thai text in the Thai one."""

from __future__ import annotations

from datetime import date

from handlers.formatting import day, esc, shorten
from handlers.i18n import Translator
from plan_data.errors import Refusal


def input_error(_: Translator, error: Refusal) -> str:
    """The refusal's sentence; dates in it are shown the reader's way (Buddhist era in Thai)."""
    values = {
        k: day(v, _.language) if isinstance(v, date) else esc(v) for k, v in error.values.items()
    }
    return _(error.key, **values)


def unknown_code(_: Translator, typed: str, suggestions: tuple[str, ...]) -> str:
    if suggestions:
        return _(
            "unknown_code_suggest", code=esc(shorten(typed, 40)), suggestions=", ".join(suggestions)
        )
    return _("unknown_code", code=esc(shorten(typed, 40)))
