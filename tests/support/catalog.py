"""The bot's own sentences, for assertions: a test names the catalog message it expects, so a
change of wording in handlers/locales/*/LC_MESSAGES/*.po breaks no test.

    assert reply == th("not_registered")
    assert reply == th("joined", role=th("role_head"), division="ฝ่ายวิจัยและพัฒนา")
    assert matches(reply, "unknown_code_suggest", code="STR999/64")  # any suggestions
    assert contains(card, "status_budget", amount="5 ล้านบาท")  # one line of a card
    assert contains(card, "status_budget", "en", amount="5 million baht")  # in English

`th`/`en`/`render` fill a message in through `handlers.i18n.Translator`, exactly as the handlers
do, and insist on a value for every placeholder. `matches` (the whole text), `starts_with` and
`contains` (anywhere) compare a reply with the message's template: a placeholder given a value
must show exactly that value, one left out matches any text within one line, and one that
appears twice must show the same text both times. `fields` returns what the left-out
placeholders showed, for checks on a computed part. Every helper refuses an unknown message id
and a value the message has no placeholder for, so a typo in a test cannot pass by accident.
`plain` turns a message into what LINE and the terminal show.
"""

from __future__ import annotations

import html
import re
from functools import cache

from handlers.i18n import Translator, _catalog

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_TAGS = re.compile(r"</?(?:b|i|code)>")  # all the catalogs may use (tests/unit/test_i18n.py)


def template(message_id: str, /, language: str = "th") -> str:
    """The message as the catalog has it, `{placeholders}` and all."""
    translate = Translator(language)
    if message_id not in _catalog(translate.language):
        raise KeyError(f"no message {message_id!r} in the {translate.language} catalog")
    return translate(message_id)


def placeholders(message_id: str, /, language: str = "th") -> set[str]:
    return set(_PLACEHOLDER.findall(template(message_id, language)))


def _check(message_id: str, language: str, values: dict[str, object], *, all_: bool) -> None:
    wanted = placeholders(message_id, language)
    unknown = set(values) - wanted
    if unknown:
        raise TypeError(f"{message_id!r} has no placeholder {sorted(unknown)}; it has {wanted}")
    if all_ and wanted - set(values):
        raise TypeError(f"{message_id!r} needs values for {sorted(wanted - set(values))}")


def render(message_id: str, /, language: str = "th", **values: object) -> str:
    """The message in `language`, filled in: what a handler sends for these values."""
    _check(message_id, language, values, all_=True)
    return Translator(language)(message_id, **values)


def th(message_id: str, /, **values: object) -> str:
    """The Thai message, filled in."""
    return render(message_id, "th", **values)


def en(message_id: str, /, **values: object) -> str:
    """The English message, filled in."""
    return render(message_id, "en", **values)


@cache
def _parts(message_id: str, language: str) -> tuple[str, ...]:
    """Literal text and placeholder names, alternating (re.split keeps the captured names)."""
    return tuple(_PLACEHOLDER.split(template(message_id, language)))


def pattern(message_id: str, /, language: str = "th", **values: object) -> re.Pattern[str]:
    """The message as a regular expression: given values literally, the others as any text."""
    _check(message_id, language, values, all_=False)
    regex: list[str] = []
    seen: set[str] = set()
    for index, part in enumerate(_parts(message_id, language)):
        if index % 2 == 0:
            regex.append(re.escape(part))
        elif part in values:
            regex.append(re.escape(str(values[part])))
        elif part in seen:
            regex.append(f"(?P={part})")
        else:
            seen.add(part)
            regex.append(f"(?P<{part}>.*?)")
    return re.compile("".join(regex))


def matches(text: str, message_id: str, /, language: str = "th", **values: object) -> bool:
    """`text` is this message, with these values (others: anything)."""
    return pattern(message_id, language, **values).fullmatch(text) is not None


def contains(text: str, message_id: str, /, language: str = "th", **values: object) -> bool:
    """This message, with these values (others: anything), is somewhere in `text`."""
    return pattern(message_id, language, **values).search(text) is not None


def starts_with(text: str, message_id: str, /, language: str = "th", **values: object) -> bool:
    """`text` begins with this message, with these values (others: anything)."""
    return pattern(message_id, language, **values).match(text) is not None


def fields(text: str, message_id: str, /, language: str = "th", **values: object) -> dict[str, str]:
    """What `text`, which must be this message, shows for each placeholder not given a value."""
    found = pattern(message_id, language, **values).fullmatch(text)
    if found is None:
        raise AssertionError(f"{text!r} is not the message {message_id!r}")
    return found.groupdict()


def plain(text: str) -> str:
    """A rendered message as LINE and the terminal show it: no tags, entities decoded. Written
    here, not imported from bot/, so that the channels' own conversion is tested against it."""
    return html.unescape(_TAGS.sub("", text))
