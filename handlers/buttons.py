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
class SpendQuarter:
    """Spending typed inside a grace window, when two quarters take it: the one it is for."""

    nonce: str
    period: str  # a period key, 2564-Q1


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


@dataclass(frozen=True)
class RunSuggested:
    """The one-tap confirm of a write a sentence asked for (`ใช้เงินไป 5 หมื่น STR114` offers
    `/spend STR114/64 50,000`; `ยกเลิกรายการล่าสุด` offers /undo): the flow holding it is
    consumed once, then the command runs through its normal path."""

    nonce: str


@dataclass(frozen=True)
class EvidenceFor:
    """ "Attach evidence" on the confirmation of an entry (`v123`: a reported value, `s45`:
    spending): pressed, the next file in this chat is attached; a file sent in reply to the
    confirmation finds its entry here too."""

    entry: str


@dataclass(frozen=True)
class EvidenceAnswer:
    """Yes or no to "attach this file to CODE indicator N?": the offered file's link and the
    entry it was offered to."""

    link: int
    entry: str
    accept: bool


@dataclass(frozen=True)
class EvidenceShow:
    """ "Evidence" on a report under review: send the files of CODE's indicator N."""

    code: str
    seq: int


@dataclass(frozen=True)
class EvidencePage:
    """ "Next files" under an /evidence list: the files of CODE (seq 0) or of its indicator seq,
    from file number `start` (0-based) on."""

    code: str
    seq: int
    start: int


@dataclass(frozen=True)
class ReviewVerify:
    report: int


@dataclass(frozen=True)
class ReviewReturn:
    """Return a report: asks for the reason in the next message."""

    report: int


@dataclass(frozen=True)
class ReviewCancel:
    report: int


ButtonData = (
    PickProject
    | ReportOn
    | PickIndicator
    | ConfirmUpdate
    | CancelUpdate
    | PickValue
    | ConfirmSpend
    | CancelSpend
    | SpendQuarter
    | HistoryPage
    | ShowStatus
    | ReportNow
    | WalkSkip
    | WalkStop
    | DueList
    | RunCommand
    | RunSuggested
    | EvidenceFor
    | EvidenceAnswer
    | EvidenceShow
    | EvidencePage
    | ReviewVerify
    | ReviewReturn
    | ReviewCancel
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
        case SpendQuarter(nonce, period):
            return f"spd:q:{nonce}:{period}"
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
        case RunSuggested(nonce):
            return f"sug:{nonce}"
        case EvidenceFor(entry):
            return f"ev:f:{entry}"
        case EvidenceAnswer(link, entry, accept):
            return f"ev:{'y' if accept else 'n'}:{link}:{entry}"
        case EvidenceShow(code, seq):
            return f"ev:s:{code}:{seq}"
        case EvidencePage(code, seq, start):
            return f"ev:p:{code}:{seq}:{start}"
        case ReviewVerify(report):
            return f"rv:ok:{report}"
        case ReviewReturn(report):
            return f"rv:ret:{report}"
        case ReviewCancel(report):
            return f"rv:no:{report}"


def decode(text: str) -> ButtonData | None:
    """The button pressed, or None for data this version of the bot never made."""
    prefix, _, rest = text.partition(":")
    parts = rest.split(":") if rest else []
    if prefix == "run" and rest.strip():
        return RunCommand(rest)
    if prefix == "sug" and len(parts) == 1 and parts[0]:
        return RunSuggested(parts[0])
    if prefix == "sta" and parts:
        return ShowStatus(rest)
    if prefix == "his" and len(parts) == 2 and _number(parts[1]):
        return HistoryPage(parts[0], int(parts[1]))
    if prefix == "rn" and len(parts) == 2:
        return ReportNow(parts[0], parts[1])
    if prefix == "wk" and len(parts) == 2 and parts[0] in ("skip", "stop"):
        return WalkSkip(parts[1]) if parts[0] == "skip" else WalkStop(parts[1])
    if prefix == "dl" and len(parts) == 2 and _number(parts[1]):
        return DueList(parts[0], int(parts[1]))
    if prefix == "ev":
        return _evidence(parts)
    if prefix == "rv" and len(parts) == 2 and parts[1].isascii() and parts[1].isdigit():
        report = int(parts[1]) if _number(parts[1]) else 0  # past any id: no such report
        kinds: dict[str, ButtonData] = {
            "ok": ReviewVerify(report),
            "ret": ReviewReturn(report),
            "no": ReviewCancel(report),
        }
        return kinds.get(parts[0])
    if prefix == "spd" and len(parts) == 3 and parts[0] == "q" and parts[1] and parts[2]:
        return SpendQuarter(parts[1], parts[2])
    if prefix == "spd" and len(parts) == 2 and parts[0] in ("ok", "no"):
        return ConfirmSpend(parts[1]) if parts[0] == "ok" else CancelSpend(parts[1])
    if prefix != "upd" or not parts:
        return None
    step, args = parts[0], parts[1:]
    if step == "p" and len(args) == 1:
        return PickProject(args[0])
    if step == "s" and len(args) == 1:
        return ReportOn(args[0])
    if step == "i" and len(args) == 2 and _number(args[1]):
        return PickIndicator(args[0], int(args[1]))
    if step == "ok" and len(args) == 1:
        return ConfirmUpdate(args[0])
    if step == "no" and len(args) == 1:
        return CancelUpdate(args[0])
    if step == "v" and len(args) == 2 and args[0] in ("t", "n"):
        return PickValue(args[1], args[0] == "t")
    return None


def _evidence(parts: list[str]) -> ButtonData | None:
    if len(parts) == 2 and parts[0] == "f":
        return EvidenceFor(parts[1])
    if len(parts) == 3 and parts[0] in ("y", "n") and _number(parts[1]):
        return EvidenceAnswer(int(parts[1]), parts[2], parts[0] == "y")
    if len(parts) == 3 and parts[0] == "s" and _number(parts[2]):
        return EvidenceShow(parts[1], int(parts[2]))
    if len(parts) == 4 and parts[0] == "p" and parts[2].isdigit() and parts[3].isdigit():
        return EvidencePage(parts[1], int(parts[2]), int(parts[3]))
    return None


MAX_ROW_ID = 2**63 - 1  # a database id (bigint) is never larger


def _number(text: str) -> bool:
    """ASCII digits that fit a database id: `²`, `١` or 30 digits are no number a button of
    ours ever carries (int() would refuse the first and the database the last)."""
    return text.isascii() and text.isdigit() and int(text) <= MAX_ROW_ID
