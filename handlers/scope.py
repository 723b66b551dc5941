"""What /budget, /chart and /summary are asked about: CODE | S1..S6 | division | all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plan_data.codes import THAI_DIGITS

STRATEGY = re.compile(r"^(?:s|ยุทธศาสตร์(?:ที่)?)\s*([0-9๐-๙])$", re.IGNORECASE)
ALL_WORDS = ("all", "ทั้งหมด")


@dataclass(frozen=True)
class Scope:
    kind: str  # all | strategy | division | project | mine (nothing typed)
    key: str = ""  # "S3", a division key, a project code, or what was typed


def read_scope(typed: str) -> Scope:
    """The shape of what was typed; a word that is neither `all` nor a strategy is left for the
    caller to look up as a division, then as a project code (`kind` "words")."""
    text = typed.strip()
    if not text:
        return Scope("mine")
    if text.lower() in ALL_WORDS:
        return Scope("all")
    strategy = STRATEGY.match(text)
    if strategy:
        return Scope("strategy", f"S{int(strategy.group(1).translate(THAI_DIGITS))}")
    return Scope("words", text)
