"""What a channel hands the conversation, and what it gets back, in no platform's terms."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from plan_data.evidence import IncomingFile


@dataclass(frozen=True)
class MessageLimits:
    """What one message of a channel holds, each as that platform counts it (its renderer
    knows how: Telegram counts text after its HTML is parsed, LINE labels in graphemes). The
    conversation pages its texts for a phone screen (handlers/paging.py); `dispatch` splits any
    reply still longer than `text`, and each channel's renderer fits the rest. The numbers are
    declared once per channel in bot/channels.py; the defaults, for a request made without one
    (a test, a dashboard page), are Telegram's, which the conversation was written against."""

    text: int = 4096  # visible UTF-16 units of one text message
    caption: int = 1024  # visible UTF-16 units of the words riding with a file (0: no captions)
    button_label: int = 64  # the longest label a button shows
    button_data: int = 64  # bytes a pressed button brings back (handlers/buttons.py keeps within)
    file_bytes: int = 50_000_000  # the largest file the bot sends
    files: int = 10  # files sent together in one message (an album)


@dataclass(frozen=True)
class ChannelTraits:
    """What a channel's chats can show and do, so a handler asks about a capability and never
    about a channel's name. Declared once per channel (bot/channels.py `Channel.traits`) and
    handed in with each request by the channel that made it."""

    draws_cards: bool = True  # lays out a reply's `card` (LINE's Flex); the others show the text
    mini_app: bool = False  # opens a `web_app` button inside the chat app (in a private chat)
    # In a group the bot is handed only the files that answer it or carry a command (Telegram's
    # privacy mode): a button asking for a file there says to send it as a reply.
    group_files_need_reply: bool = False
    messages: MessageLimits = MessageLimits()


@dataclass(frozen=True)
class Request:
    channel: str  # the channel's declared name (bot/channels.py)
    user_id: str  # the platform's id for the person, as text
    chat_id: str  # where the reply goes
    text: str = ""  # what was typed (a command with or without the slash)
    button: str | None = None  # the data of a pressed button, instead of text
    language: str | None = None  # the platform's idea of the user's language, e.g. "th", "en-US"
    display_name: str = ""
    is_group: bool = False
    at: datetime | None = None  # when it was sent; the dispatcher's clock when None
    claim: str | None = None  # the platform's update/event id: a write is handled once per id
    addressed: bool = False  # the message mentions the bot (LINE groups)
    attachment: IncomingFile | None = None  # a photo or file sent with (or as) the message
    # The button data on the bot's message this one answers (a Telegram reply), so a file sent
    # in reply to a confirmation finds its entry.
    reply_to: tuple[str, ...] = ()
    # The inbox row this request came from and its worker's lease (storage/inbox.py): dispatch
    # marks it done in the request's own transaction.
    inbox_row: tuple[int, str] | None = None
    # What the channel that made the request can show and do, and its messages' sizes.
    traits: ChannelTraits = ChannelTraits()

    def __post_init__(self) -> None:
        """Names a platform hands over may hold what no database or reader takes (NUL, other
        control characters): they are cleaned here, where every channel's request is made."""
        if self.display_name != (name := printable(self.display_name, MAX_NAME)):
            object.__setattr__(self, "display_name", name)
        incoming = self.attachment
        if incoming is not None and incoming.filename != printable(incoming.filename, MAX_NAME):
            filename = printable(incoming.filename, MAX_NAME) or "file"
            object.__setattr__(self, "attachment", replace(incoming, filename=filename))


MAX_NAME = 200  # characters of a person's or a file's name kept


def printable(text: str, limit: int) -> str:
    """`text` without control, surrogate, private-use or unassigned characters, NFC, trimmed."""
    kept = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs", "Co", "Cn"))
    return unicodedata.normalize("NFC", kept).strip()[:limit]


@dataclass(frozen=True)
class Button:
    """A choice under a message. `kind` "callback" sends `data` back when pressed; "url" opens
    `data` as a link, "web_app" opens it inside the chat app where the channel can (a Telegram
    Mini App in a private chat) and as a link elsewhere."""

    label: str
    data: str  # short (Telegram allows 64 bytes of callback data); the address for a link
    kind: str = "callback"  # callback | url | web_app

    @property
    def is_link(self) -> bool:
        return self.kind != "callback"


# what a row's badge says: an indicator's verdict (plan_data.progress.Verdict values), or money
# past its budget
VerdictKey = Literal["done", "on_track", "behind", "not_reported", "overspent"]


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


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str
    sha256: str = ""  # set for a kept evidence file, so a channel can serve it by link (LINE)


@dataclass(frozen=True)
class Reply:
    """One message. `text` is HTML limited to <b>, <i> and <code>; everything typed by a person is
    escaped. Buttons are rows of choices. `edit` asks to replace the message a button was on.
    `card` is the same answer laid out (handlers/cards.py) for a channel that draws cards (LINE);
    the others show the text. `beside_card` marks a later part of a long text whose first part
    carries the card: a channel that drew the card whole may leave it out."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    image: Attachment | None = None
    document: Attachment | None = None
    edit: bool = False
    # Set on the replies to a request that wrote something and was committed: what to tell the
    # person if this reply cannot be delivered (never "nothing was saved").
    saved_note: str = ""
    card: Card | None = None
    beside_card: bool = False
    # Files sent back together (evidence): an album where the channel has one.
    files: tuple[Attachment, ...] = ()
