"""The first messages of a new chat arriving at two instances at once: both are answered (the
chat is remembered with an upsert, not a plain insert that one of them loses)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.i18n import Translator
from handlers.request import Request
from storage.db.database import Database
from storage.db.models import Chat
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021


def test_two_instances_see_a_new_chat_at_once(loaded: Database) -> None:
    with UnitOfWork(loaded) as uow:
        for user in ("1", "2"):
            uow.people.add("telegram", user, "member", "research", f"user{user}")
    instances = [
        Services(db=Database(loaded.url, migrate=False), clock=lambda: JAN_11_2021)
        for _ in range(2)
    ]
    generic = Translator("th")("error_generic")
    for round_number in range(5):
        chat = f"-77{round_number}"
        barrier = threading.Barrier(2)
        answers: list[str] = []

        def ask(
            services: Services,
            user: str,
            chat: str = chat,
            barrier: threading.Barrier = barrier,
            answers: list[str] = answers,
        ) -> None:
            barrier.wait()
            request = Request("telegram", user, chat, text="/status STR114/64", is_group=False)
            answers.extend(reply.text for reply in dispatch(request, services))

        threads = [
            threading.Thread(target=ask, args=(s, u)) for s, u in zip(instances, "12", strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len(answers) == 2 and generic not in answers, answers
        assert all(a.startswith("<b>STR114/64</b>") for a in answers)
        with loaded.session() as session:
            rows = session.scalar(select(func.count()).where(Chat.external_id == chat))
        assert rows == 1
    for services in instances:
        services.db.dispose()


def test_a_group_a_member_writes_in_is_remembered_once(loaded: Database) -> None:
    """The group's row is committed with the first message heard there (so a later 'bot removed
    from the group' finds it), and the next message there writes nothing."""
    with UnitOfWork(loaded) as uow:
        uow.people.add("line", "U1", "member", "research", "Somchai")
    for expected_write in (True, False):
        with UnitOfWork(loaded) as uow:
            uow.people.recognise("line", "U1", "Cgroup", is_group=True, display_name="Somchai")
            assert uow.wrote is expected_write
    with UnitOfWork(loaded) as uow:
        assert uow.people.mark_chat_gone("line", "Cgroup") is True
