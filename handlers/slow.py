"""Commands whose answer takes a while (a document or a picture is made): a channel that can
answer at once and send the rest later (LINE: the reply token now, a push afterwards) first
says the answer is on its way."""

from __future__ import annotations

from handlers.context import Services
from handlers.i18n import Translator, language_of
from handlers.parsing import clean_text, split_command
from handlers.request import Reply, Request
from handlers.router import CommandSpec
from handlers.wiring import build_router
from plan_data.roles import Role
from storage.unit_of_work import UnitOfWork


def slow_command(request: Request) -> CommandSpec | None:
    """The slow command a request types in a private chat (no database asked): only then is
    `on_its_way` worth asking."""
    if request.button is not None or request.attachment is not None or request.is_group:
        return None  # a group may be refused these (or the message was not for us): no promise
    text = clean_text(request.text)
    router = build_router()
    parsed = split_command(text, router.words)
    spec = router.commands.get(parsed.name) if parsed is not None else None
    if parsed is None or spec is None or not spec.makes_file:
        return None
    if not text.startswith("/") and parsed.args:
        return None  # perhaps a sentence beginning with the word: answered as it comes
    return spec


def may_be_slow(request: Request) -> bool:
    return slow_command(request) is not None


def on_its_way(request: Request, services: Services) -> Reply | None:
    """The sentence saying a slow answer is on its way, for a typed slow command the person may
    run; None for anything else (which is answered at once, or refused)."""
    spec = slow_command(request)
    if spec is None:
        return None
    with UnitOfWork(services.db) as uow:
        person = uow.people.find(request.channel, request.user_id)
    if person is None:
        return None
    if not spec.allows(Role.parse(person.role)):
        return None
    translate = Translator(language_of(person, request.language))
    return Reply(translate(spec.on_its_way_key))
