"""Every message id the handlers use exists in Thai and in English, with the same placeholders,
and the Thai style of numbers, money and dates."""

from __future__ import annotations

import ast
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

import handlers
import plan_data
import storage
from handlers.commands.status import CARD_VERDICT_IDS
from handlers.formatting import baht_exact, day, money, number, shorten
from handlers.i18n import _catalog
from handlers.text_fit import graphemes
from handlers.wiring import build_router
from storage.plan_io.document import DIRECTIONS, KINDS
from storage.repositories import people

HANDLERS = Path(handlers.__file__).parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def extracted_ids() -> set[str]:
    """What babel's extractor finds under the keyword `_` (ctx._("key"), _("key")), plus both
    ids of `_("a" if x else "b")`, which babel reads as one string "ab"."""
    found = extract_from_dir(str(HANDLERS), method_map=[("**.py", "python")], keywords={"_": None})
    babel_ids = {m for _file, _line, m, _comments, _context in found if m}
    constants = string_constants()
    # `_("target_" + direction)` yields the family's prefix; dynamic_ids() lists its members
    return {m for m in babel_ids if m in constants and not m.endswith("_")} | conditional_ids()


def _calls_of_underscore() -> list[ast.Call]:
    calls = []
    for path in HANDLERS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name == "_":
                    calls.append(node)
    return calls


def string_constants() -> set[str]:
    return {
        node.value
        for path in HANDLERS.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def conditional_ids() -> set[str]:
    ids = set()
    for call in _calls_of_underscore():
        first = call.args[0]
        if isinstance(first, ast.IfExp):
            ids |= {
                branch.value
                for branch in (first.body, first.orelse)
                if isinstance(branch, ast.Constant) and isinstance(branch.value, str)
            }
    return ids


def input_error_ids() -> set[str]:
    """The first argument of every InputError(...) and Refusal(...) raised in handlers/, and of
    every Refusal(...) in storage/ and plan_data/: each is a sentence a person is shown."""
    ids = set()
    for folder in (HANDLERS, Path(storage.__file__).parent, Path(plan_data.__file__).parent):
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", None) in ("InputError", "Refusal")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    ids.add(node.args[0].value)
    return ids


def dynamic_ids() -> set[str]:

    ids = {f"target_{d}" for d in DIRECTIONS} | {f"kind_{k}" for k in KINDS}
    ids |= {f"invite_{reason}" for reason in ("unknown", "used", "expired")}
    commands = build_router().commands.values()
    ids |= {spec.catalog_key for spec in commands}
    ids |= {spec.on_its_way_key for spec in commands if spec.makes_file}
    ids |= {spec.usage_key for spec in commands if spec.usage_key}
    ids |= {f"role_{role}" for role in people.ROLES}
    ids |= set(CARD_VERDICT_IDS.values())  # a card row's verdict (handlers/commands/status.py)
    return ids


def test_the_extractor_sees_the_handlers_messages() -> None:
    ids = extracted_ids()
    assert {"status_budget", "spend_recorded", "button_expired", "not_your_project"} <= ids
    assert len(ids) > 60


def test_invite_error_reasons_are_the_ones_storage_raises() -> None:
    source = Path(people.__file__).read_text()
    assert set(re.findall(r'InviteError\("(\w+)"\)', source)) == {"unknown", "used", "expired"}


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_message_id_used_exists(language: str) -> None:
    catalog = _catalog(language)
    used = extracted_ids() | input_error_ids() | dynamic_ids()
    missing = sorted(used - set(catalog))
    assert not missing, f"missing from the {language} catalog: {missing}"


def test_thai_and_english_fill_in_the_same_placeholders() -> None:
    thai, english = _catalog("th"), _catalog("en")
    assert set(thai) == set(english)
    differ = [
        key
        for key in thai
        if set(PLACEHOLDER.findall(thai[key])) != set(PLACEHOLDER.findall(english[key]))
    ]
    assert not differ


def test_messages_use_only_telegram_safe_tags() -> None:
    for language in ("th", "en"):
        for key, text in _catalog(language).items():
            tags = set(re.findall(r"</?([a-zA-Z]+)", text))
            assert tags <= {"b", "i", "code"}, (language, key, tags)


def test_thai_style_numbers_money_dates() -> None:
    assert money(Decimal(250_000), "th") == "250,000 บาท"
    assert money(Decimal("5315000"), "th") == "5.32 ล้านบาท"  # at most 2 decimals of a million
    assert money(Decimal("41345400"), "th") == "41.35 ล้านบาท"  # was 41.3454
    assert money(Decimal("5000000"), "th") == "5 ล้านบาท"
    assert baht_exact(Decimal("1626500"), "th") == "1,626,500 บาท"  # a balance: every baht
    assert money(Decimal("1234.5"), "en") == "1,234.50 baht"
    assert number(Decimal(1800), "th") == "1,800"
    assert day(date(2021, 1, 11), "th") == "11 ม.ค. 2564"
    assert day(date(2021, 1, 11), "en") == "11 Jan 2021"


def test_shorten_never_cuts_inside_a_word() -> None:
    label = shorten("2. ผู้เข้าร่วมงาน GIT 2021 จำนวน 150 คน ตลอดทั้งสามวันของการประชุม", 30)
    assert label == "2. ผู้เข้าร่วมงาน GIT 2021 จำนวน…" and graphemes(label) <= 30  # as read
    assert shorten("short", 30) == "short"
