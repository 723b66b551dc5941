"""Talking to the dispatcher the way a channel does, and counting what got written."""

from __future__ import annotations

from sqlalchemy import func, select

from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import ChannelTraits, Reply, Request
from storage.db.models import IndicatorReport, SpendingEntry
from storage.repositories.people import PersonView
from storage.unit_of_work import UnitOfWork

NO_CHANNEL = ChannelTraits()  # a request's traits when no channel declared them


def register(
    services: Services, user_id: str, role: str, division: str | None, name: str = "Somchai"
) -> PersonView:
    """Someone registered on Telegram, as `planbot people add` does."""
    with UnitOfWork(services.db) as uow:
        return uow.people.add("telegram", user_id, role, division, name)


def ask(
    services: Services,
    user_id: str,
    text: str = "",
    *,
    button: str | None = None,
    language: str = "th",
    group: bool = False,
    traits: ChannelTraits = NO_CHANNEL,
) -> list[Reply]:
    """A Telegram person's request; `traits` are those of no declared channel unless given
    (pass bot.channels.TELEGRAM.traits for what Telegram's chats can and cannot do)."""
    chat = f"-{user_id}" if group else user_id
    request = Request(
        "telegram",
        user_id,
        chat,
        text=text,
        button=button,
        language=language,
        is_group=group,
        traits=traits,
    )
    return dispatch(request, services)


def say(services: Services, user_id: str, text: str, **options: object) -> str:
    """The one reply to `text` (asserting there is exactly one)."""
    replies = ask(services, user_id, text, **options)
    assert len(replies) == 1, [r.text for r in replies]
    return replies[0].text


def writes(services: Services) -> tuple[int, int]:
    """(indicator reports, spending entries) in the database."""
    with services.db.session() as session:
        reports = session.scalar(select(func.count()).select_from(IndicatorReport))
        spending = session.scalar(select(func.count()).select_from(SpendingEntry))
    return int(reports or 0), int(spending or 0)


def shown(replies: list[Reply]) -> list[tuple[object, ...]]:
    """What a person sees of replies: text, buttons, and any picture or file by name."""
    return [
        (
            r.text,
            r.buttons,
            r.image.filename if r.image else None,
            r.document.filename if r.document else None,
            r.edit,
        )
        for r in replies
    ]
