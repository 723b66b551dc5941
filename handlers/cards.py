"""Helpers for a reply's card (handlers.request.Card): the answer of /status or /budget as
structured parts, for a channel that lays answers out instead of showing text (LINE draws a Flex
bubble from it; Telegram and the terminal keep to the reply's text).

Every string in a card is plain text in the reader's language, already formatted (money,
percent, dates): no HTML and no message ids, so a channel only arranges it. Fractions are 0..1
and already clamped; the verdict keys say which colour a row gets.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from handlers.request import BudgetBar, Button, Card, CardRow

_TAG = re.compile(r"</?(?:b|i|code)>")


def plain(text: str) -> str:
    """Catalog or formatter output (HTML-lite, escaped) as the plain text a card holds."""
    return html.unescape(_TAG.sub("", text))


def fraction(part: Decimal | None, whole: Decimal | None) -> float:
    """part / whole clamped to 0..1 (0 when there is nothing to divide by)."""
    if part is None or not whole or whole <= 0:
        return 0.0
    return float(min(max(part / whole, Decimal(0)), Decimal(1)))


def percent_fraction(percent: Decimal | None) -> float | None:
    """A percentage (0..100, maybe more) as a bar's 0..1; None stays None."""
    if percent is None:
        return None
    return fraction(percent, Decimal(100))


def card_to_dict(card: Card) -> dict[str, Any]:
    """A card as plain JSON data, for an outbox row (a reminder drawn later, by the sender)."""
    return asdict(card)


def card_from_dict(data: dict[str, Any]) -> Card:
    """The card of `card_to_dict`; ValueError/TypeError/KeyError when the data is not one."""
    budget = data.get("budget")
    return Card(
        str(data["title"]),
        str(data["subtitle"]),
        str(data["alt_text"]),
        BudgetBar(**budget) if budget else None,
        str(data.get("rows_title", "")),
        tuple(CardRow(**row) for row in data.get("rows", ())),
        tuple(str(note) for note in data.get("notes", ())),
        tuple(
            Button(str(b["label"]), str(b["data"]), str(b.get("kind", "callback")))
            for b in data.get("buttons", ())
        ),
    )
