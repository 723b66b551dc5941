"""A reply's card: the answer of /status or /budget as structured parts, for a channel that lays
answers out instead of showing text (LINE draws a Flex bubble from it; Telegram and the terminal
keep to the reply's text).

Every string in a card is plain text in the reader's language, already formatted (money,
percent, dates): no HTML and no message ids, so a channel only arranges it. Fractions are 0..1
and already clamped; the verdict keys say which colour a row gets.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Literal

from handlers.request import Button

# what a row's badge says: an indicator's verdict (plan_data.progress.Verdict values), or money
# past its budget
VerdictKey = Literal["done", "on_track", "behind", "not_reported", "overspent"]
_TAG = re.compile(r"</?(?:b|i|code)>")


@dataclass(frozen=True)
class BudgetBar:
    """Money at a glance: the allocation, spent and remaining, and the bar between them."""

    allocated: str  # "งบประมาณ 5 ล้านบาท"
    spent: str  # "ใช้ไป 250,000 บาท (5%)"
    remaining: str  # "คงเหลือ 4.75 ล้านบาท", or "เกินงบ 10,000 บาท" when overspent
    spent_fraction: float  # 0..1 of the bar that is spent (1 when overspent)
    overspent: bool
    overspent_label: str = ""  # "เกินงบ": shown in place of the remaining part of the bar


@dataclass(frozen=True)
class CardRow:
    """An indicator (or a line of a budget): what it is, where it stands, and a verdict."""

    label: str  # "1. (ผลลัพธ์) ผู้เข้าร่วมงาน …"
    value: str  # "85% · เป้าหมาย ไม่น้อยกว่า 80% · ไตรมาส 1/2564"
    progress: float | None = None  # 0..1 of the bar; None: no bar (nothing to measure)
    verdict: VerdictKey | None = None
    verdict_label: str = ""  # the verdict in words, from the catalog ("ตามเป้า")


@dataclass(frozen=True)
class Card:
    title: str  # the code, or what the figures are of ("ยุทธศาสตร์ที่ 1")
    subtitle: str  # the project's name, or ""
    alt_text: str  # a short line for notifications and chat lists
    budget: BudgetBar | None = None
    rows_title: str = ""  # "ตัวชี้วัด"
    rows: tuple[CardRow, ...] = ()
    notes: tuple[str, ...] = ()  # lines under the rows: the next due date, sources of money
    buttons: tuple[Button, ...] = ()  # the same choices (and data) as the reply's buttons


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
        tuple(Button(str(b["label"]), str(b["data"])) for b in data.get("buttons", ())),
    )
