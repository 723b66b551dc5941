"""Webhook bodies to JSON objects, or `BadBody` (the webhook answers 400).

A body reaches this only from an authenticated sender (the right Telegram secret token, a valid
LINE signature), but a bug, a replay tool or a hand-made request can still send anything: JSON
that is not an object, the wrong types, nesting deep enough to exhaust Python's recursion limit
in the JSON decoder or later in a library's parser. `load_object` is the one place that turns
such bytes into a dict, within a nesting depth no real update comes near.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64  # real Telegram updates and LINE bodies nest about 10 deep


class BadBody(ValueError):
    """Not a body the platform would send; the message says why in a few words."""


def load_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except RecursionError:
        raise BadBody("nested too deeply") from None
    except ValueError:  # not JSON, or not UTF-8
        raise BadBody("not JSON") from None
    if not isinstance(value, dict):
        raise BadBody("not a JSON object")
    if too_deep(value, MAX_DEPTH):
        raise BadBody("nested too deeply")
    return value


def too_deep(value: Any, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` deep (iteratively: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False
