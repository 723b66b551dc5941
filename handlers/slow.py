"""Commands whose answer takes a while (a document or a picture is made): a channel that can
answer at once and send the rest later (LINE: the reply token now, a push afterwards) first
says the answer is on its way."""

from __future__ import annotations

from handlers.context import Services
from handlers.dispatch import ALIASES
from handlers.i18n import Translator, language_of
from handlers.parsing import clean_text, split_command
from handlers.request import Reply, Request
from handlers.wiring import build_router
from plan_data.roles import Role
from storage.repositories import people

ON_ITS_WAY = {
    "report": "on_its_way_report",
    "export": "on_its_way_export",
    "chart": "on_its_way_chart",
}


def may_be_slow(request: Request) -> bool:
    """Whether the request types a slow command in a private chat (no database asked): only
    then is `on_its_way` worth asking."""
    if request.button is not None or request.attachment is not None or request.is_group:
        return False  # a group may be refused these (or the message was not for us): no promise
    text = clean_text(request.text)
    parsed = split_command(text, ALIASES)
    if parsed is None or parsed.name not in ON_ITS_WAY:
        return False
    return text.startswith("/") or not parsed.args  # else perhaps a sentence: answered as it comes


def on_its_way(request: Request, services: Services) -> Reply | None:
    """The sentence saying a slow answer is on its way, for a typed slow command the person may
    run; None for anything else (which is answered at once, or refused)."""
    if not may_be_slow(request):
        return None
    parsed = split_command(clean_text(request.text), ALIASES)
    assert parsed is not None
    with services.db.session() as session:
        person = people.find_person(session, request.channel, request.user_id)
    if person is None:
        return None
    spec = build_router().commands[parsed.name]
    if not spec.allows(Role.parse(person.role)):
        return None
    translate = Translator(language_of(person, request.language))
    return Reply(translate(ON_ITS_WAY[parsed.name]))
