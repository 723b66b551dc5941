"""Commands whose answer takes a while (a document or a picture is made): a channel that can
answer at once and send the rest later (LINE: the reply token now, a push afterwards) first
says the answer is on its way."""

from __future__ import annotations

from handlers.context import Services
from handlers.i18n import Translator, pick_language
from handlers.parsing import clean_text, split_command
from handlers.request import Reply, Request
from handlers.wiring import build_router
from plan_data.roles import Role
from storage.repositories import people


def on_its_way(request: Request, services: Services) -> Reply | None:
    """The sentence saying a slow answer is on its way, for a typed slow command the person may
    run; None for anything else (which is answered at once, or refused)."""
    if request.button is not None or request.attachment is not None:
        return None
    text = clean_text(request.text)
    router = build_router()
    parsed = split_command(text, router.words)
    spec = router.commands.get(parsed.name) if parsed is not None else None
    if spec is None or not spec.makes_file:
        return None
    if request.is_group:
        return None  # a group may be refused these (or the message was not for us): no promise
    if not text.startswith("/") and parsed is not None and parsed.args:
        return None  # perhaps a sentence beginning with the word: answered as it comes
    with services.db.session() as session:
        person = people.find_person(session, request.channel, request.user_id)
    if person is None:
        return None
    if not spec.allows(Role.parse(person.role)):
        return None
    translate = Translator(pick_language(person.language, request.language))
    return Reply(translate(spec.on_its_way_key))
