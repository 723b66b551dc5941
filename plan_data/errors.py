"""A request the rules refuse: `key` names the catalog message that says why, `values` fill it
in. Raised by input parsing and by the write services alike; nothing is written."""

from __future__ import annotations


class Refusal(Exception):
    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values
