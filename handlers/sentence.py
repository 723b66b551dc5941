"""The parts of a typed sentence every reader of sentences needs: the text normalised, and the
project code taken out of it (handlers.intents for questions, handlers.suggested for a write
typed in words)."""

from __future__ import annotations

import re
import unicodedata

from handlers.context import Context
from plan_data import codes

SPELLING = ((re.compile("เท่าไหร(?!่)"), "เท่าไหร่"), (re.compile("เท่าหร่"), "เท่าไหร่"))
# Loose on purpose: letters, an optional space, digits (`str 114`, `STR114_1/64`).
CODE = re.compile(
    r"(?<![a-z0-9])([a-z]{2,6})\s?([0-9]{2,4}(?:_[0-9]+)*(?:/(?:[0-9]{4}|[0-9]{2}))?)(?![0-9])"
)


def normalise(text: str) -> str:
    """Lower case, Thai digits as 0-9, no apostrophes (`hasn't` is `hasnt`), `?` a word of its
    own, punctuation other than `/ . _` as spaces, common misspellings corrected."""
    s = unicodedata.normalize("NFC", text).translate(codes.THAI_DIGITS).lower()
    s = re.sub("['’`]", "", s)
    for wrong, right in SPELLING:
        s = wrong.sub(right, s)
    s = re.sub("[?？]", " ? ", s)
    s = re.sub(r"[!,;:()\[\]\"“”«»]", " ", s)
    return " ".join(s.split())


def take_code(ctx: Context, text: str) -> tuple[str | None, str]:
    """The first project code in normalised text (letters of a code in the plan, then its
    number), exact when it exists, else as typed (the command then says what exists instead),
    and the text without it."""
    library = ctx.plans()
    known = library.codes()
    prefixes = {match.group(0) for c in known if (match := re.match("[A-Z]+", c))}
    for match in CODE.finditer(text):
        if match.group(1).upper() not in prefixes:
            continue
        plan = ctx.plan()
        typed = match.group(1) + match.group(2)
        found = codes.resolve_code(typed, known, plan.fiscal_year if plan else None)
        code = found.code or codes.normalize_code(typed, None)
        return code, text[: match.start()] + " " + text[match.end() :]
    return None, text
