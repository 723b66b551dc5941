"""A command is declared once, and everything a person meets is derived from that one
declaration: the words typed without a slash, the menus, /help and the intent table."""

from __future__ import annotations

import pytest

from handlers.router import Asked, Router
from handlers.wiring import build_router
from plan_data.roles import PLANNING, Role


def _nothing(*_args: object) -> list:
    return []


def test_a_name_or_a_word_declared_twice_is_refused() -> None:
    router = Router()
    router.command("status", _nothing, words=("สถานะ",))
    with pytest.raises(ValueError):
        router.command("status", _nothing)
    with pytest.raises(ValueError):
        router.command("state", _nothing, words=("สถานะ",))
    with pytest.raises(ValueError):
        router.open_command("help", _nothing, words=("status",))


def test_the_menus_words_and_intents_follow_the_declarations() -> None:
    router = Router()
    router.command("late", _nothing, PLANNING, words=("ล่าช้า",), asked=Asked("ใคร ยัง ไม่ ส่ง"))
    router.command("spend", _nothing, words=("เบิกจ่าย",), asked=Asked("จ่าย"), usage_key="u")
    router.open_command("help", _nothing, asked=Asked("ช่วยเหลือ, วิธี ใช้"))
    assert router.words == {"ล่าช้า": "late", "เบิกจ่าย": "spend"}
    assert [s.name for s in router.menu(Role.HEAD)] == ["spend", "help"]
    assert [s.name for s in router.menu(Role.PLANNER)] == ["late", "spend", "help"]
    assert [s.name for s in router.group_menu()] == ["spend", "help"]
    table = {i.command: i for i in router.intents()}
    assert table["help"].phrases == ("ช่วยเหลือ", "วิธี ใช้")
    assert table["spend"].writes and not table["late"].writes


def test_every_declared_command_has_its_menu_line_and_every_word_runs_it() -> None:
    router = build_router()
    for word, name in router.words.items():
        assert name in router.commands, word
    assert [s.name for s in router.menu(everyone=True)][:3] == ["status", "update", "spend"]
    assert {s.name for s in router.commands.values() if s.makes_file} == {
        "chart",
        "export",
        "report",
    }
