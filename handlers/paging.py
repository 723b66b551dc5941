"""Keeping replies within a phone screen and Telegram's 4096 characters."""

from __future__ import annotations

import re

LIMIT = 3500  # under Telegram's 4096, leaving room for the HTML tags a channel may add
_BREAKS = (" ", "·", ",", ")", "/")  # places a long line may be broken, best first
_TAG = re.compile(r"</?(b|i|code)>")


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Split at lines, then spaces; a part is never cut inside a word, a tag or an entity, and
    the <b>/<i>/<code> open at a cut are closed there and reopened in the next part."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for block in text.split("\n"):
        candidate = f"{current}\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(block) > limit:
            cut = _cut_point(block, limit)
            parts.append(block[:cut].rstrip())
            block = block[cut:].lstrip()
        current = block
    if current:
        parts.append(current)
    return _balance([p for p in parts if p.strip()])


def _cut_point(line: str, limit: int) -> int:
    """The last break before `limit`; a text without any (Thai runs words together) is cut
    where it must, but never inside an HTML tag or an &entity;."""
    for mark in _BREAKS:
        at = line.rfind(mark, limit // 2, limit)
        if at > 0:
            return at + len(mark)
    cut = limit
    opening, amp = line.rfind("<", 0, cut), line.rfind("&", 0, cut)
    if opening > line.rfind(">", 0, cut):
        cut = opening
    if amp > line.rfind(";", 0, cut) and cut - amp < 10:
        cut = amp
    return cut


def _balance(parts: list[str]) -> list[str]:
    """Close the tags still open at the end of a part; reopen them at the start of the next."""
    out: list[str] = []
    carried: list[str] = []
    for part in parts:
        part = "".join(f"<{t}>" for t in carried) + part
        stack: list[str] = []
        for match in _TAG.finditer(part):
            if match.group(0).startswith("</"):
                if stack and stack[-1] == match.group(1):
                    stack.pop()
            else:
                stack.append(match.group(1))
        out.append(part + "".join(f"</{t}>" for t in reversed(stack)))
        carried = stack
    return out
