"""`planbot chat` prints the notices addressed to the person at the terminal (a chat app would
show them as messages of their own), once, with their buttons numbered and pressable."""

from __future__ import annotations

from bot.console import run_console
from handlers.buttons import PickIndicator, encode
from handlers.context import Services
from storage import outbox
from storage.unit_of_work import UnitOfWork


def test_a_notice_for_the_terminal_person_is_printed_once(services: Services) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("console", "me", "head", "research", "Me")
        again = encode(PickIndicator("STR114/64", 2))
        uow.outbox.enqueue(
            [
                outbox.NewMessage(
                    "returned:1:console:me",
                    "console",
                    "me",
                    "<b>ส่งคืน</b> STR114/64",
                    {"buttons": [["รายงานใหม่", again]]},
                ),
                outbox.NewMessage("returned:1:console:other", "console", "other", "not mine"),
            ],
        )
    shown: list[str] = []
    run_console(services, "console", "me", lines=["/help", "/help"], write=shown.append)
    assert "📨 ส่งคืน STR114/64" in shown[0] and "not mine" not in shown[0]
    assert "📨" not in shown[1]  # once
    numbered = [line for line in shown[0].splitlines() if line.strip().startswith("[")]
    assert numbered[-1].strip().endswith("รายงานใหม่")
    with UnitOfWork(services.db) as uow:
        states = {row.key: row.status for row in uow.outbox.rows()}
    assert states == {"returned:1:console:me": "sent", "returned:1:console:other": "pending"}
