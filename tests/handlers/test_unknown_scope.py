"""A scope nobody knows is echoed back so the person sees what was not understood; a long one is
shortened with "…" (never cut bare, never inside a Thai cluster), in every command that echoes
one."""

from __future__ import annotations

import unicodedata

import pytest

from handlers.context import Services
from tests.support.catalog import fields
from tests.support.handler_helpers import ask, register

PLANNER = "71"
TYPED = "ฝ่ายที่ไม่มีอยู่จริงในสถาบันวิจัยและพัฒนาอัญมณีและเครื่องประดับแห่งชาติ"


@pytest.mark.parametrize(
    ("command", "message", "placeholder"),
    [
        ("/budget", "budget_unknown_scope", "scope"),
        ("/chart", "chart_unknown_scope", "scope"),
        ("/review", "review_scope_unknown", "typed"),
    ],
)
def test_a_long_unknown_scope_is_echoed_shortened_with_an_ellipsis(
    services: Services, command: str, message: str, placeholder: str
) -> None:
    register(services, PLANNER, "planner", "planning", "Malee")
    [reply] = ask(services, PLANNER, f"{command} {TYPED}")
    shown = fields(reply.text.split("\n")[0], message)[placeholder]
    assert shown.endswith("…") and len(shown) < len(TYPED)
    kept = shown.removesuffix("…")
    assert kept and TYPED.startswith(kept)
    following = TYPED[len(kept)]  # never a tone mark, an upper or lower vowel, ะ า ำ cut off
    assert unicodedata.category(following) != "Mn" and following not in "ะาำๅ"
