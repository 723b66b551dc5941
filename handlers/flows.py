"""Guided flows as typed records, and the one way to expect and to consume one.

Each flow is a frozen dataclass that says what it remembers. `expect` stores it with a fresh
nonce (the one its buttons carry); `take` consumes it in the request's transaction and only while
that nonce still stands, so a button pressed twice at once, replayed, or pressed on two instances
writes once: the second press finds nothing and is told the button was used already. A flow that
goes on (the next item of a walk) is taken, then expected again with a new nonce."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from handlers.context import MemberContext


@dataclass(frozen=True)
class Flow:
    kind: ClassVar[str]
    chat: str  # "channel:chat id": a flow belongs to one person in one chat
    nonce: str

    def here(self, channel: str, chat_id: str) -> bool:
        return self.chat == f"{channel}:{chat_id}"


@dataclass(frozen=True)
class GuidedUpdate(Flow):
    """/update with buttons: the indicator chosen, then a typed value, then confirm."""

    kind: ClassVar[str] = "update"
    code: str
    seq: int
    step: str  # value | confirm | percent
    seen: str  # the indicator's latest report when the person started (changed = someone else)
    value: str = ""
    note: str = ""
    share: str = ""  # for "percent": the value as a share of the target
    plain: str = ""  # and as typed
    period: str = ""  # a period named with the value (`130 Q2`); "" for the one open now


@dataclass(frozen=True)
class SpendConfirm(Flow):
    """Spending past the budget, written only when confirmed."""

    kind: ClassVar[str] = "spend"
    code: str
    amount: str
    note: str
    period: str = ""  # the quarter chosen inside a grace window; "" for the one open now


@dataclass(frozen=True)
class Walk(Flow):
    """ "Report now": every missing indicator of a division, one after another."""

    kind: ClassVar[str] = "walk"
    period: str
    items: tuple[tuple[str, int], ...]
    returned: tuple[tuple[str, str], ...]  # ("CODE#N", why a reviewer returned its value)
    index: int = 0
    recorded: int = 0
    skipped: int = 0

    def reason(self, code: str, seq: int) -> str:
        return dict(self.returned).get(f"{code}#{seq}", "")


@dataclass(frozen=True)
class ReturnReason(Flow):
    """↩️ pressed on a report: the next message is the reason."""

    kind: ClassVar[str] = "review_return"
    report: int


@dataclass(frozen=True)
class EvidencePress(Flow):
    """📎 pressed on a confirmation: the next file in this chat belongs to that entry."""

    kind: ClassVar[str] = "evidence"
    entry: str
    at: str  # ISO time of the press

    def pressed_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.at)
        except ValueError:
            return None


@dataclass(frozen=True)
class Suggested(Flow):
    """A write asked for in a sentence, offered as one tap (handlers/suggested.py)."""

    kind: ClassVar[str] = "suggested"
    command: str  # spend | undo
    args: tuple[str, ...] = ()
    entry: tuple[int, str] | None = None  # undo: the entry (id, kind) newest when offered


FLOWS: dict[str, type[Flow]] = {
    cls.kind: cls
    for cls in (GuidedUpdate, SpendConfirm, Walk, ReturnReason, EvidencePress, Suggested)
}
F = TypeVar("F", bound=Flow)


def new_nonce() -> str:
    return secrets.token_hex(4)


def chat_of(ctx: MemberContext) -> str:
    return f"{ctx.request.channel}:{ctx.request.chat_id}"


def encode(flow: Flow) -> dict[str, Any]:
    return {"flow": flow.kind, **asdict(flow)}


def decode(state: dict[str, Any] | None) -> Flow | None:
    """The typed flow, or None for a row written by an older version that no longer fits."""
    if not state:
        return None
    cls = FLOWS.get(str(state.get("flow")))
    if cls is None:
        return None
    values: dict[str, Any] = {}
    try:
        for field in fields(cls):
            if field.name not in state:
                continue
            value = state[field.name]
            if field.name in ("items", "returned"):
                value = tuple(tuple(pair) for pair in value)
            elif isinstance(value, list):  # JSON keeps a tuple as a list
                value = tuple(value)
            values[field.name] = value
        return cls(**values)
    except (TypeError, ValueError):
        return None


def _key(flow_kind: str, nonce: str) -> str:
    return f"{flow_kind}:{nonce}"


def expect(ctx: MemberContext, flow: F) -> F:
    """Store `flow` as what this person's next answer or button press belongs to."""
    ctx.uow.flows.put(ctx.person.id, _key(flow.kind, flow.nonce), encode(flow))
    return flow


def again(ctx: MemberContext, flow: F, **changes: Any) -> F:
    """The flow goes on: the same kind with `changes` and a fresh nonce for its new buttons."""
    return expect(ctx, replace(flow, nonce=new_nonce(), **changes))


def current(ctx: MemberContext) -> Flow | None:
    return decode(ctx.uow.flows.get(ctx.person.id))


def take(ctx: MemberContext, kind: type[F], nonce: str) -> F | None:
    """Consume the flow of this kind whose buttons carry `nonce`; None when it was used already
    or belongs to an older message. Only one of two simultaneous presses gets it."""
    found = decode(ctx.uow.flows.take(ctx.person.id, _key(kind.kind, nonce)))
    return found if isinstance(found, kind) else None


def drop(ctx: MemberContext) -> None:
    ctx.uow.flows.drop(ctx.person.id)
