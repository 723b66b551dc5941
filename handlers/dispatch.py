"""One way in for every channel: a Request becomes Replies inside one unit of work. Nothing
here knows a platform."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from handlers import flows, intents
from handlers.buttons import decode
from handlers.commands import evidence
from handlers.context import Context, MemberContext, Services
from handlers.formatting import esc, shorten
from handlers.i18n import Translator, language_of, pick_language
from handlers.paging import within
from handlers.parsing import clean_text, split_command
from handlers.request import Reply, Request
from handlers.router import CommandSpec, Router
from handlers.texts import input_error
from handlers.wiring import build_router
from plan_data.errors import Refusal
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def menu_commands(
    role: str | None = None, *, everyone: bool = False, group: bool = False
) -> list[CommandSpec]:
    """The commands of a menu: `role`'s (None: not registered), every command, or a group's."""
    from plan_data.roles import Role

    if group:
        return build_router().group_menu()
    return build_router().menu(Role.parse(role) if role else None, everyone=everyone)


@dataclass(frozen=True)
class Answer:
    """The replies to a request, and what the channel needs to know of the person who asked,
    learnt in the request's own unit of work (so the channel opens no session of its own):
    their role (None: not registered) and the language they read."""

    replies: list[Reply]
    role: str | None
    language: str
    # The request's inbox row is settled: marked done (or failed) here, or found to be another
    # worker's; the inbox worker need not look at it again.
    settled: bool = False


def dispatch(request: Request, services: Services) -> list[Reply]:
    """The replies to one request (see `answer`)."""
    return answer(request, services).replies


def answer(request: Request, services: Services) -> Answer:
    """Answer one message or button press in one transaction; never raises, never stays silent
    on a command. A request that wrote something is claimed (`request.claim`) in the same
    transaction, so a redelivered update is not handled twice. A request taken from the inbox
    (`request.inbox_row`) marks its row done in that transaction too: its writes and the row
    stand or fall together (a request that wrote nothing marks it in a short transaction of
    its own), and a worker that lost its lease to another answers nothing."""
    fallback = Translator(pick_language(None, request.language))
    asked: tuple[str | None, str] = (None, fallback.language)  # role, language
    try:
        with UnitOfWork(services.db) as uow:
            ctx = _context(request, services, uow)
            asked = (ctx.person.role if ctx.person else None, ctx.language)
            replies = _handle(ctx)
            wrote = uow.wrote
            if (
                wrote
                and request.claim
                and not uow.claims.first_time(request.channel, request.claim, at=services.clock())
            ):
                uow.rollback()  # another delivery of the same update was handled already
                replies, wrote = [], False
            if wrote:  # a write may have changed who they are (joined, removed, a new role)
                asked = (_role_now(uow, request), asked[1])
            if wrote and request.inbox_row is not None:
                if not uow.inbox.finish(request.inbox_row):
                    uow.rollback()  # the row is another worker's now: it answers
                    return Answer([], *asked, settled=True)
                uow.commit()
            elif request.inbox_row is not None:
                # Nothing written: the read ends first (SQLite cannot turn a read into a write
                # once another writer has committed), then the row is marked on its own.
                uow.rollback()
                if not uow.inbox.finish(request.inbox_row):
                    return Answer([], *asked, settled=True)  # another worker's now: it answers
                uow.commit()
        if wrote:  # committed: if a reply is lost on the way, say it was saved anyway
            note = fallback_for(request, replies)
            replies = [replace(reply, saved_note=note) for reply in replies]
        replies = within(replies, request.traits.messages.text)  # what one message holds
        return Answer(replies, *asked, settled=request.inbox_row is not None)
    except Exception as error:
        log.exception("request failed in %s chat %s", request.channel, request.chat_id)
        settled = _failed(request, services, error)
        return Answer([Reply(fallback("error_generic"))], *asked, settled=settled)


def _failed(request: Request, services: Services, error: Exception) -> bool:
    """The inbox row of a request that raised is failed with its reason (not taken again);
    whether that was written."""
    if request.inbox_row is None:
        return False
    try:
        with UnitOfWork(services.db) as uow:
            uow.inbox.fail(request.inbox_row, f"{type(error).__name__}: {error}")
        return True
    except Exception:
        log.exception("could not mark inbox row %s failed", request.inbox_row[0])
        return False


def fallback_for(request: Request, replies: list[Reply]) -> str:
    language = pick_language(None, request.language)
    return Translator(language)("reply_lost_after_save")


def _context(request: Request, services: Services, uow: UnitOfWork) -> Context:
    """Who is asking, in the language they read (the rule reminders follow too)."""
    caller = uow.people.recognise(
        request.channel,
        request.user_id,
        request.chat_id,
        is_group=request.is_group,
        display_name=request.display_name,
        platform_language=request.language,
    )
    person = caller.person
    translator = Translator(language_of(person, request.language))
    now = request.at or services.clock()
    if person is None:
        return Context(request, services, uow, None, translator, now, caller.chat_division)
    return MemberContext(request, services, uow, person, translator, now, caller.chat_division)


def _role_now(uow: UnitOfWork, request: Request) -> str | None:
    person = uow.people.find(request.channel, request.user_id)
    return person.role if person is not None else None


def _handle(ctx: Context) -> list[Reply]:
    try:
        return _route(ctx, build_router())
    except Refusal as error:
        ctx.uow.rollback()
        return [Reply(input_error(ctx._, error))]


def _route(ctx: Context, router: Router) -> list[Reply]:
    request = ctx.request
    if request.button is not None:
        if not isinstance(ctx, MemberContext):
            return [Reply(ctx._("not_registered"))]
        data = decode(request.button)
        handler = router.buttons.get(type(data)) if data is not None else None
        if handler is None:
            return [Reply(ctx._("button_expired"))]
        return handler(ctx, data)
    text = clean_text(request.text)
    if request.attachment is not None:
        return _file(ctx, router, text)
    if request.is_group and not _addressed_to_me(ctx, text):
        return []  # people talking among themselves, or to another bot
    parsed = split_command(text, router.words)
    if parsed is None:
        return [] if request.is_group else [Reply(ctx._("empty_message"))]
    slash = text.startswith("/")
    spec = router.commands.get(parsed.name)
    if spec is not None and (slash or spec.takes_as_arguments(ctx, parsed.args)):
        return router.run(ctx, parsed.name, parsed.args, parsed.rest)
    return _not_a_command(ctx, router, text, parsed.name)


def _file(ctx: Context, router: Router, caption: str) -> list[Reply]:
    """A photo or file: with a command as its caption the command runs and the file goes with
    the entry it recorded; without one, handlers.commands.evidence finds its entry."""
    parsed = split_command(caption, router.words) if caption else None
    spec = router.commands.get(parsed.name) if parsed is not None else None
    if (
        parsed is not None
        and spec is not None
        and (caption.startswith("/") or spec.takes_as_arguments(ctx, parsed.args))
        and (not ctx.request.is_group or _addressed_to_me(ctx, caption))
    ):
        replies = router.run(ctx, parsed.name, parsed.args, parsed.rest)
        if isinstance(ctx, MemberContext):
            return evidence.with_command(ctx, replies)
        return replies
    return evidence.without_command(ctx)


def _not_a_command(ctx: Context, router: Router, text: str, name: str) -> list[Reply]:
    """No command: a slash and a name this bot does not know, the answer a guided flow waits
    for, or a sentence (a question in plain words, handlers.intents), which in a group is
    answered only when it mentions the bot (see _addressed_to_me)."""
    if text.startswith("/"):
        if not name:
            return [Reply(ctx._("empty_command"))]
        if ctx.person is None:
            return [Reply(ctx._("not_registered"))]
        return [Reply(ctx._("unknown_command", command=_shown(name)))]
    begins_with_command = name in router.commands  # `งบ STR114 เหลือเท่าไหร่`: a sentence
    if isinstance(ctx, MemberContext) and not begins_with_command and not ctx.request.is_group:
        flow = flows.current(ctx)
        handler = router.flows.get(type(flow)) if flow else None
        if flow is not None and handler is not None and flow.here(*_chat(ctx)):
            return handler(ctx, flow, text)
    if not isinstance(ctx, MemberContext):
        return [] if ctx.request.is_group else [Reply(ctx._("not_registered"))]
    return intents.answer(ctx, router, text)


def _addressed_to_me(ctx: Context, text: str) -> bool:
    """In a group only a slash command for this bot (`/cmd`, `/cmd@thisbot`), or a message that
    mentions the bot (LINE), is meant for it; everything else is conversation."""
    if ctx.request.addressed:
        return True
    if not text.startswith("/"):
        return False
    head = text.split(maxsplit=1)[0]
    _, at, target = head.partition("@")
    mine = ctx.services.bot_username
    return not at or mine is None or target.lower() == mine.lower()


def _chat(ctx: Context) -> tuple[str, str]:
    """A guided flow belongs to one person in one chat: typing elsewhere does not feed it."""
    return ctx.request.channel, ctx.request.chat_id


def _shown(name: str) -> str:
    return esc(shorten(name, 40))
