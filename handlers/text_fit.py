"""The one way the project shortens and splits text: never inside a Thai character cluster, by
preference at a word, counted the way the platform counts.

Thai writes a syllable as a consonant with vowels and tone marks stacked on it (พื้นที่), and a
leading vowel before its consonant (แนะ); cutting by code point leaves "พื้นที…" or "…แ". Every
cut here falls on a grapheme-cluster boundary (regex's `\\X`: a consonant keeps its marks, an
emoji or an accented letter stays whole) that does not leave a leading vowel without its
consonant, and on a word boundary when that keeps enough of the room: a space first, else a
Thai word boundary from pythainlp's newmm (its dictionary loads once, ~1 s: `warm_up` loads it
at start so no reply waits for it).

Lengths: LINE counts labels in graphemes (`graphemes`), LINE texts and Telegram texts in UTF-16
code units (`utf16`), Telegram after its HTML is parsed (`visible_utf16`: tags dropped, entities
as the one character they stand for). `fit_html` cuts Telegram HTML and closes what it left open;
`split` breaks a long text into parts at lines, then words, each part's HTML balanced.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

import regex

from plan_data.codes import code_at_start

Count = Callable[[str], int]
ELLIPSIS = "…"
_GRAPHEME = regex.compile(r"\X")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>")
_CLOSING = re.compile(r"</[a-zA-Z][a-zA-Z0-9-]*>")
_MARKUP = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_TRAILING = " ,;:-–(/·"
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LEADING = frozenset("เแโใไ")
MARGIN = 16  # code points past the room looked at, so the cluster at the cut is seen whole


def utf16(text: str) -> int:
    """Length in UTF-16 code units (an emoji outside the BMP counts 2), as LINE and Telegram."""
    return len(text.encode("utf-16-le")) // 2


def graphemes(text: str) -> int:
    """Length in user-perceived characters (LINE's labels): พื้ is one, 👍🏽 is one."""
    return len(_GRAPHEME.findall(text))


def visible(markup: str) -> str:
    """Telegram HTML as the reader sees it: tags dropped, entities as their character."""
    return html.unescape(_TAG.sub("", markup))


def visible_utf16(markup: str) -> int:
    """How Telegram measures an HTML text or caption: UTF-16 units after entity parsing."""
    return utf16(visible(markup))


def fit(
    text: str,
    limit: int,
    count: Count = utf16,
    *,
    ellipsis: str = ELLIPSIS,
    collapse: bool = True,
) -> str:
    """`text` (spaces collapsed unless `collapse` is False) when it fits in `limit` as `count`
    measures; else the longest start of it that fits with `ellipsis`, cut at a word or at
    least a whole cluster."""
    if collapse:
        text = " ".join(text.split())
    if len(text) * 2 <= limit or count(text) <= limit:  # no code point counts more than 2
        return text
    room = limit - count(ellipsis)
    if room <= 0:
        return ellipsis if count(ellipsis) <= limit else ""
    cut = _cut(text, room, count)
    return text[:cut].rstrip(_TRAILING) + ellipsis


def fit_label(code: str, name: str, limit: int, count: Count = utf16) -> str:
    """A button label for a thing with a code and a name ("SME111_4/64 การอบรม…"): the code is
    always kept whole and the name gives up its generic lead ("กิจกรรมที่ 3", "โครงการย่อยที่ 2")
    before its words, so two labels never shrink to the same "กิจกรรมที่ 3…"."""
    whole = " ".join(f"{code} {name}".split())
    if count(whole) <= limit:
        return whole
    name = _GENERIC.sub("", " ".join(name.split()), count=1) or name
    room = limit - count(code) - 1
    if room < count(ELLIPSIS) + 2:
        return fit(code, limit, count)
    return f"{code} {fit(name, room, count)}"


def fit_button(label: str, limit: int, count: Count = graphemes) -> str:
    """A button's label as a channel shows it: `fit_label` when it starts with a project code
    (the code kept, the generic lead of the name dropped first), else `fit`."""
    code = code_at_start(label)
    rest = label[len(code) :] if code else ""
    if code is None or not rest[:1].isspace():
        return fit(label, limit, count)
    return fit_label(code, rest.lstrip(), limit, count)


_GENERIC = re.compile(
    r"^(?:กิจกรรม(?:ย่อย)?|โครงการ(?:ย่อย)?|activity|sub-?activity|project)\s*(?:ที่)?\s*"
    r"[\d๐-๙]+(?:\.[\d๐-๙]+)*\s*[:.)\-–]?\s*",
    re.IGNORECASE,
)


def fit_html(markup: str, limit: int, *, ellipsis: str = ELLIPSIS) -> str:
    """Telegram HTML cut to `limit` UTF-16 units of visible text, ending in `ellipsis`, with every
    tag left open closed again (a caption holds 1024 of them)."""
    if visible_utf16(markup) <= limit:
        return markup
    shown, raw_end = _visible_map(markup)
    room = limit - utf16(ellipsis)
    cut = _cut(shown, max(room, 0), utf16) if room > 0 else 0
    while cut and shown[cut - 1] in _TRAILING:
        cut -= 1
    head = markup[: raw_end[cut - 1]] if cut else ""
    return _close(head, ellipsis)


def split(text: str, limit: int, *, markup: bool = True) -> list[str]:
    """Parts of at most `limit` (visible UTF-16 units of Telegram HTML when `markup`, else
    UTF-16 units of plain text): cut at line ends, then at words, never inside a cluster, a
    tag or an entity; tags open at a cut are closed there and reopened in the next part."""
    count: Count = visible_utf16 if markup else utf16
    if count(text) <= limit:
        return [text]
    parts: list[str] = []
    current, used = "", 0
    for line in text.split("\n"):
        size = count(line)
        if current and used + 1 + size <= limit:
            current, used = f"{current}\n{line}", used + 1 + size
            continue
        if current or parts:
            parts.append(current)
        while size > limit:
            head, line = _split_line(line, limit, markup)
            parts.append(head)
            size = count(line)
        current, used = line, size
    parts.append(current)
    if not markup:
        return [p for p in parts if p.strip()]
    return [p for p in _balance(parts) if visible(p).strip()]


def _split_line(line: str, limit: int, markup: bool) -> tuple[str, str]:
    """The first part of a too-long line and what is left of it (stripped of the space between)."""
    if not markup:
        cut = _cut(line, limit, utf16)
        return line[:cut].rstrip(), line[cut:].lstrip()
    shown, raw_end = _visible_map(line)
    cut = _cut(shown, limit, utf16)
    at = raw_end[cut - 1] if cut else 0
    while closing := _CLOSING.match(line, at):  # a tag closing right at the cut stays with it
        at = closing.end()
    return line[:at].rstrip(), line[at:].lstrip()


def _visible_map(markup: str) -> tuple[str, list[int]]:
    """The visible text of `markup`, and for each visible character the raw offset just past
    it (so a cut after visible character k is markup[:raw_end[k - 1]])."""
    shown: list[str] = []
    raw_end: list[int] = []
    position = 0
    for match in _MARKUP.finditer(markup):
        for offset in range(position, match.start()):
            shown.append(markup[offset])
            raw_end.append(offset + 1)
        token = match.group(0)
        if token.startswith("&"):
            char = html.unescape(token)
            shown.extend(char)
            raw_end.extend([match.end()] * len(char))
        position = match.end()
    for offset in range(position, len(markup)):
        shown.append(markup[offset])
        raw_end.append(offset + 1)
    return "".join(shown), raw_end


def _close(head: str, ellipsis: str) -> str:
    """`head` + `ellipsis`, with the tags still open at its end closed (innermost first)."""
    stack = _open_tags(head, [])
    return head + ellipsis + "".join(f"</{name}>" for name, _opening in reversed(stack))


def _open_tags(part: str, stack: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (name, opening tag) still open after `part`, starting from `stack`."""
    stack = list(stack)
    for match in _TAG.finditer(part):
        name = match.group(2).lower()
        if match.group(1):
            for index in range(len(stack) - 1, -1, -1):
                if stack[index][0] == name:
                    del stack[index:]
                    break
        else:
            stack.append((name, match.group(0)))
    return stack


def _balance(parts: list[str]) -> list[str]:
    """Close the tags still open at the end of a part; reopen them at the start of the next."""
    out: list[str] = []
    carried: list[tuple[str, str]] = []
    for part in parts:
        opened = "".join(opening for _name, opening in carried)
        stack = _open_tags(part, carried)
        out.append(opened + part + "".join(f"</{name}>" for name, _o in reversed(stack)))
        carried = stack
    return out


# -- where a text may be cut -------------------------------------------------------------------
def _cut(text: str, room: int, count: Count) -> int:
    """The largest index at which `text` may be cut so that text[:index] fits in `room`: a word
    boundary when one keeps at least half the room, else a cluster boundary (0 if none fits)."""
    if room <= 0:
        return 0
    window = text[: _window(text, room, count)]
    clusters = _cluster_ends(window)
    if len(window) < len(text):  # the last clusters of a window may be cut short: not trusted
        clusters = [end for end in clusters if end <= len(window) - MARGIN]
    fitting = [end for end in clusters if count(text[:end]) <= room]
    if not fitting:
        return 0
    sizes = {end: count(text[:end]) for end in fitting}
    for is_break, share in ((_is_space_end, 0.5), (_is_word_end, 1 / 3)):
        for end in reversed(fitting):
            if sizes[end] < room * share:
                break
            if is_break(text, end):
                return end
    return fitting[-1]


def _is_space_end(text: str, end: int) -> bool:
    """Whether `end` is at a space or just after a punctuation mark (the best place to cut)."""
    if end >= len(text):
        return True
    before, after = text[end - 1], text[end]
    return after.isspace() or before.isspace() or before in ",;:)/·"


def _window(text: str, room: int, count: Count) -> int:
    """A prefix long enough to hold `room` units and the cluster after them."""
    if count is utf16:
        return min(len(text), room + 2 * MARGIN)
    return min(len(text), room * 4 + 2 * MARGIN)  # graphemes: a few code points each


def _cluster_ends(text: str) -> list[int]:
    """The ends of the clusters of `text`: grapheme boundaries, none right after a Thai leading
    vowel (เ แ โ ใ ไ are written before the consonant they belong to)."""
    return [
        m.end()
        for m in _GRAPHEME.finditer(text)
        if m.end() == len(text) or text[m.end() - 1] not in _LEADING
    ]


def warm_up() -> None:
    """Load the Thai word dictionary now (a process that will cut Thai calls it at start, in a
    thread), so the first reply that needs it does not wait."""
    _thai_word_ends("ทดสอบการตัดคำภาษาไทย")


def _is_word_end(text: str, end: int) -> bool:
    """Whether a word ends at `end` (a space, a punctuation mark or a Thai word boundary)."""
    if end >= len(text):
        return True
    before, after = text[end - 1], text[end]
    if before.isspace() or after.isspace():
        return True
    if not (before.isalnum() and after.isalnum()):
        return True
    if _THAI.match(before) and _THAI.match(after):
        run, offset = _thai_run(text, end)
        return offset in _thai_word_ends(run)
    return False


def _thai_run(text: str, end: int) -> tuple[str, int]:
    """The Thai run around position `end`, and `end`'s offset within it."""
    start = end
    while start > 0 and _THAI.match(text[start - 1]):
        start -= 1
    stop = end
    while stop < len(text) and _THAI.match(text[stop]):
        stop += 1
    return text[start:stop], end - start


@lru_cache(maxsize=4096)
def _thai_word_ends(words: str) -> frozenset[int]:
    from pythainlp.tokenize import word_tokenize

    ends, position = set(), 0
    for token in word_tokenize(words, engine="newmm", keep_whitespace=True):
        position += len(token)
        ends.add(position)
    return frozenset(ends)
