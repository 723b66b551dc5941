"""A write asked for in a sentence, offered as one tap: `ใช้เงินไป 5 หมื่น STR114` offers the exact
`/spend STR114/64 50,000`, `ยกเลิกรายการล่าสุด` offers /undo. Nothing is written by the sentence;
the button's flow is consumed once (a second tap finds it gone), then the command runs through
its normal path — /spend still asks before spending past the budget, and /undo takes back only
the entry that was the newest when it was offered."""

from __future__ import annotations

from decimal import Decimal

from handlers import flows
from handlers.buttons import RunSuggested, encode
from handlers.context import MemberContext
from handlers.flows import Suggested
from handlers.formatting import number
from handlers.i18n import Translator
from handlers.parsing import InputError, parse_amount, starts_with_number, take_amount
from handlers.request import Button, Reply
from handlers.router import Router
from handlers.sentence import normalise, take_code
from handlers.words import tokenizer
from storage.services.reporting import latest_entry


def offer(ctx: MemberContext, text: str, write: str) -> Reply | None:
    """The one-tap confirm of the write `text` asks for, or None when it lacks what the
    command needs (then the usage is shown, as before)."""
    if write == "spend":
        return _offer_spend(ctx, text)
    if write == "undo":
        return _offer_undo(ctx)
    return None


def _offer_spend(ctx: MemberContext, text: str) -> Reply | None:
    code, rest = take_code(ctx, normalise(text))
    if code is None or ctx.plans().find(code) is None:
        return None
    amount = _one_amount(rest)
    if amount is None:
        return None
    shown = f"/spend {code} {number(amount, ctx.language)}"
    nonce = _remember(ctx, "spend", args=(code, str(amount)))
    return Reply(
        ctx._("suggest_spend", command=shown),
        buttons=((Button("✅ " + shown, encode(RunSuggested(nonce))),),),
    )


def _one_amount(text: str) -> Decimal | None:
    """The one amount in a sentence (`5 หมื่น`, `4 ล้านบาทค่ะ`, `50,000`), Thai cut into words
    so that a particle glued to the unit is not taken for a note; None when there is none, or
    more than one number (which one was spent is then the person's to type)."""
    tokenize = tokenizer()
    words = [w for chunk in text.split() for w in (tokenize(chunk) if _thai(chunk) else [chunk])]
    words = [w for w in (w.strip() for w in words) if w]
    found: list[Decimal] = []
    start = 0
    while start < len(words):
        if starts_with_number(words[start:], amount=True):
            typed, after = take_amount(words[start:])
            try:
                found.append(parse_amount(typed))
            except InputError:
                return None
            start = len(words) - len(after)
        else:
            start += 1
    return found[0] if len(found) == 1 else None


def _thai(chunk: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in chunk)


def _offer_undo(ctx: MemberContext) -> Reply | None:
    newest = latest_entry(ctx.uow, ctx.person.id)
    if newest is None:
        return Reply(ctx._("undo_nothing"))
    nonce = _remember(ctx, "undo", entry=(newest[0], newest[1]))
    return Reply(
        ctx._("suggest_undo"), buttons=((Button("↩️ /undo", encode(RunSuggested(nonce))),),)
    )


def _remember(
    ctx: MemberContext,
    command: str,
    *,
    args: tuple[str, ...] = (),
    entry: tuple[int, str] | None = None,
) -> str:
    flow = Suggested(flows.chat_of(ctx), flows.new_nonce(), command, args, entry)
    return flows.expect(ctx, flow).nonce


def run_suggested(router: Router, ctx: MemberContext, data: RunSuggested) -> list[Reply]:
    """The tap: consume the offer, then run the command as if typed."""
    flow = flows.take(ctx, Suggested, data.nonce)  # a double tap: only one press runs it
    if flow is None:
        return [Reply(ctx._("button_used"))]
    if flow.command == "undo":
        newest = latest_entry(ctx.uow, ctx.person.id)
        if newest is None or (newest[0], newest[1]) != flow.entry:
            return [Reply(_changed(ctx._))]
        return router.run(ctx, "undo", [], "")
    return router.run(ctx, "spend", list(flow.args), " ".join(flow.args))


def _changed(_: Translator) -> str:
    return _("suggest_undo_changed")
