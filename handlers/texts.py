"""Messages shared by several commands. Keys such as "error_generic" are message ids too: their
English text lives in the English catalog, their Thai text in the Thai one."""

from __future__ import annotations

from handlers.formatting import esc
from handlers.i18n import Translator
from plan_data.errors import Refusal


def input_error(_: Translator, error: Refusal) -> str:
    values = {k: esc(v) for k, v in error.values.items()}
    return _(error.key, **values)


def unknown_code(_: Translator, typed: str, suggestions: tuple[str, ...]) -> str:
    if suggestions:
        return _("unknown_code_suggest", code=esc(typed[:40]), suggestions=", ".join(suggestions))
    return _("unknown_code", code=esc(typed[:40]))
