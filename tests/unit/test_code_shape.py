"""The shape of a project code is one rule (plan_data.codes): the plan loader takes exactly the
codes that lookup finds, a sub-activity at any depth included (STR114_1_2/64 was refused by the
loader while lookup took it)."""

from __future__ import annotations

import pytest

from plan_data.codes import is_code, is_split_code, normalize_code, resolve_code
from storage.plan_io.document import parse_plan
from tests.support.plan_support import find_project, shipped_plan

GOOD = ["STR114/64", "STR114_1/64", "STR114_1_2/64", "SME111_10/64", "HR11/65"]
BAD = [
    "str114/64",
    "STR114",
    "STR114/2564",
    "S114/64",
    "STR1/64",
    "STR114_/64",
    "STR114-1/64",
    "STR 114/64",
    "STR114/64/1",
    "STR114/6",
    "ABCDEFG114/64",
]


def loader_refuses(code: str) -> bool:
    data = shipped_plan()
    find_project(data, "STR114/64")["code"] = code
    _plan, check = parse_plan(data, "plan.yaml")
    return any(p.field == "code" and "is not a project code" in p.message for p in check.errors)


@pytest.mark.parametrize("code", GOOD)
def test_loader_and_lookup_take_every_code_of_the_shape(code: str) -> None:
    assert is_code(code)
    assert not loader_refuses(code)
    assert resolve_code(code, {code}, 2564).code == code
    assert normalize_code(code.lower(), None) == code


@pytest.mark.parametrize("code", BAD)
def test_the_loader_refuses_any_other_shape(code: str) -> None:
    assert not is_code(code)
    assert loader_refuses(code)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("str114", "STR114/64"),
        ("STR114_1_2", "STR114_1_2/64"),
        ("str114_1/2564", "STR114_1/64"),
        ("STR๑๑๔/๖๔", "STR114/64"),
        ("str 114_1_2/64", "STR114_1_2/64"),
    ],
)
def test_lookup_reads_a_code_as_typed_into_the_loaders_shape(typed: str, meant: str) -> None:
    wanted = normalize_code(typed, "/64")
    assert wanted == meant and is_code(wanted)
    assert resolve_code(typed, {"STR114/64", "STR114_1/64", "STR114_1_2/64"}, 2564).code == meant


def test_a_code_typed_in_two_words() -> None:
    assert is_split_code("STR", "114/64") and is_split_code("str", "114_1_2")
    assert is_split_code("SME", "๑๑๑_๕/๖๔")
    assert not is_split_code("STR", "114/64x") and not is_split_code("งบ", "114")
