"""Commands whose answer takes a while (a document or a picture is made): a channel that can
answer at once and send the rest later (LINE: the reply token now, a push afterwards) first
says the answer is on its way."""

from __future__ import annotations

from handlers.context import Services
from handlers.dispatch import ALIASES
from handlers.i18n import Translator, pick_language
from handlers.parsing import clean_text, split_command
from handlers.request import Reply, Request
from handlers.wiring import build_router
from plan_data.roles import Role
from storage.unit_of_work import UnitOfWork

ON_ITS_WAY = {
    "report": "on_its_way_report",
    "export": "on_its_way_export",
    "chart": "on_its_way_chart",
}


def on_its_way(request: Request, services: Services) -> Reply | None:
    """The sentence saying a slow answer is on its way, for a typed slow command the person may
    run; None for anything else (which is answered at once, or refused)."""
    if request.button is not None or request.attachment is not None:
        return None
    text = clean_text(request.text)
    parsed = split_command(text, ALIASES)
    if parsed is None or parsed.name not in ON_ITS_WAY:
        return None
    if request.is_group:
        return None  # a group may be refused these (or the message was not for us): no promise
    if not text.startswith("/") and parsed.args:
        return None  # perhaps a sentence beginning with the word: answered as it comes
    with UnitOfWork(services.db) as uow:
        person = uow.people.find(request.channel, request.user_id)
    if person is None:
        return None
    spec = build_router().commands[parsed.name]
    if not spec.allows(Role.parse(person.role)):
        return None
    translate = Translator(pick_language(person.language, request.language))
    return Reply(translate(ON_ITS_WAY[parsed.name]))
