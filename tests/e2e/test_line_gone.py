"""A LINE user who blocks (unfollows) the bot, or a group that removes it, gets no more
reminders there, until they write to the bot again."""

from __future__ import annotations

from handlers.context import Services
from handlers.reminders import plan_round
from storage.unit_of_work import UnitOfWork
from tests.fakes.line_api import leave_event, unfollow_event
from tests.fakes.line_harness import line_harness
from tests.support.remind_setup import JAN_11


def _reminder_chats(services: Services) -> set[str]:
    with services.db.session() as session:
        return {
            m.target.chat_id
            for m in plan_round(UnitOfWork(session=session), JAN_11, weekly=True, channels=["line"])
        }


async def test_unfollow_and_leave_stop_reminders_until_they_write_again(services: Services) -> None:
    async with line_harness(services) as line:
        line.register("Umember", "member", "research")
        line.register("Uhead", "head", "research")
        await line.say("Umember", "/help")  # their private chat becomes known
        await line.say("Uhead", "/link research", group="Cresearch")
        assert {"Umember", "Cresearch"} <= _reminder_chats(services)

        assert await line.post([unfollow_event("Umember"), leave_event("Cresearch")]) == 200
        chats = _reminder_chats(services)
        assert "Umember" not in chats and "Cresearch" not in chats

        await line.say("Umember", "/help")  # followed again and wrote: reminders resume
        assert "Umember" in _reminder_chats(services)


def test_marking_an_unknown_chat_changes_nothing(services: Services) -> None:
    with UnitOfWork(services.db) as uow:
        assert uow.people.mark_chat_gone("line", "Unobody") is False
