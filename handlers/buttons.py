"""Button data, typed: each button a handler offers is one of these, encoded in the few bytes a
platform carries back (Telegram allows 64) and decoded before any handler sees it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PickProject:
    """Guided /update: this project was picked from my division's list (edits the message)."""

    code: str


@dataclass(frozen=True)
class ReportOn:
    """ "Report" on a project card: list its indicators in a new message."""

    code: str


@dataclass(frozen=True)
class PickIndicator:
    code: str
    seq: int


@dataclass(frozen=True)
class ConfirmUpdate:
    nonce: str


@dataclass(frozen=True)
class CancelUpdate:
    nonce: str


@dataclass(frozen=True)
class PickValue:
    """A % typed on an indicator counted in people, reports, …: `share` (that % of the target)
    or the number itself."""

    nonce: str
    share: bool


@dataclass(frozen=True)
class ConfirmSpend:
    """Record spending that takes a project past its budget."""

    nonce: str


@dataclass(frozen=True)
class CancelSpend:
    nonce: str


@dataclass(frozen=True)
class HistoryPage:
    code: str
    offset: int


@dataclass(frozen=True)
class ShowStatus:
    code: str


@dataclass(frozen=True)
class ReportNow:
    """ "Report now" on a reminder: walk through every missing item of the division."""

    division: str
    period: str


@dataclass(frozen=True)
class WalkSkip:
    nonce: str


@dataclass(frozen=True)
class WalkStop:
    nonce: str


@dataclass(frozen=True)
class DueList:
    """ "See all" on a reminder: one page of the division's full list."""

    division: str
    page: int


@dataclass(frozen=True)
class RunCommand:
    """One of the commands offered for a question the bot was unsure of (handlers.intents):
    the command's text without the slash, `budget STR114/64`. Only read commands are run."""

    text: str


ButtonData = (
    PickProject
    | ReportOn
    | PickIndicator
    | ConfirmUpdate
    | CancelUpdate
    | PickValue
    | ConfirmSpend
    | CancelSpend
    | HistoryPage
    | ShowStatus
    | ReportNow
    | WalkSkip
    | WalkStop
    | DueList
    | RunCommand
)

MAX_DATA = 64  # bytes of callback data Telegram carries back


def fits(data: ButtonData) -> bool:
    """Whether the encoded data is within what every platform carries back."""
    return len(encode(data).encode()) <= MAX_DATA


def encode(data: ButtonData) -> str:
    match data:
        case PickProject(code):
            return f"upd:p:{code}"
        case ReportOn(code):
            return f"upd:s:{code}"
        case PickIndicator(code, seq):
            return f"upd:i:{code}:{seq}"
        case ConfirmUpdate(nonce):
            return f"upd:ok:{nonce}"
        case CancelUpdate(nonce):
            return f"upd:no:{nonce}"
        case PickValue(nonce, share):
            return f"upd:v:{'t' if share else 'n'}:{nonce}"
        case ConfirmSpend(nonce):
            return f"spd:ok:{nonce}"
        case CancelSpend(nonce):
            return f"spd:no:{nonce}"
        case HistoryPage(code, offset):
            return f"his:{code}:{offset}"
        case ShowStatus(code):
            return f"sta:{code}"
        case ReportNow(division, period):
            return f"rn:{division}:{period}"
        case WalkSkip(nonce):
            return f"wk:skip:{nonce}"
        case WalkStop(nonce):
            return f"wk:stop:{nonce}"
        case DueList(division, page):
            return f"dl:{division}:{page}"
        case RunCommand(text):
            return f"run:{text}"


def decode(text: str) -> ButtonData | None:
    """The button pressed, or None for data this version of the bot never made."""
    prefix, _, rest = text.partition(":")
    parts = rest.split(":") if rest else []
    if prefix == "run" and rest.strip():
        return RunCommand(rest)
    if prefix == "sta" and parts:
        return ShowStatus(rest)
    if prefix == "his" and len(parts) == 2 and parts[1].isdigit():
        return HistoryPage(parts[0], int(parts[1]))
    if prefix == "rn" and len(parts) == 2:
        return ReportNow(parts[0], parts[1])
    if prefix == "wk" and len(parts) == 2 and parts[0] in ("skip", "stop"):
        return WalkSkip(parts[1]) if parts[0] == "skip" else WalkStop(parts[1])
    if prefix == "dl" and len(parts) == 2 and parts[1].isdigit():
        return DueList(parts[0], int(parts[1]))
    if prefix == "spd" and len(parts) == 2 and parts[0] in ("ok", "no"):
        return ConfirmSpend(parts[1]) if parts[0] == "ok" else CancelSpend(parts[1])
    if prefix != "upd" or not parts:
        return None
    step, args = parts[0], parts[1:]
    if step == "p" and len(args) == 1:
        return PickProject(args[0])
    if step == "s" and len(args) == 1:
        return ReportOn(args[0])
    if step == "i" and len(args) == 2 and args[1].isdigit():
        return PickIndicator(args[0], int(args[1]))
    if step == "ok" and len(args) == 1:
        return ConfirmUpdate(args[0])
    if step == "no" and len(args) == 1:
        return CancelUpdate(args[0])
    if step == "v" and len(args) == 2 and args[0] in ("t", "n"):
        return PickValue(args[1], args[0] == "t")
    return None
