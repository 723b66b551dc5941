"""tests/support/catalog.py, which the other tests compare replies with, can fail: a wrong value,
extra text, a second different value for a repeated placeholder, a typo in an id or a
placeholder name."""

from __future__ import annotations

import pytest

from handlers.i18n import Translator
from tests.support.catalog import contains, en, fields, matches, plain, starts_with, th


def test_th_and_en_render_as_the_handlers_do() -> None:
    values = {"role": "หัวหน้าฝ่าย", "division": "ฝ่ายวิจัยและพัฒนา"}
    assert th("joined", **values) == Translator("th")("joined", **values)
    assert en("undo_nothing") == Translator("en")("undo_nothing")


def test_a_reply_matches_its_message_and_nothing_more() -> None:
    reply = th("not_your_project", division="ฝ่ายฝึกอบรม", code="STR114/64")
    assert matches(reply, "not_your_project", code="STR114/64")
    assert not matches(reply, "not_your_project", code="STR115/64")
    assert not matches(reply + " ", "not_your_project", division="ฝ่ายฝึกอบรม", code="STR114/64")
    assert not matches("x" + reply, "not_your_project")
    assert not matches(reply, "unknown_code")
    assert starts_with(reply + "\nmore", "not_your_project", code="STR114/64")
    assert contains("before\n" + reply + "\nafter", "not_your_project", code="STR114/64")
    assert not contains("before\n" + reply, "unknown_code")


def test_a_left_out_value_is_one_line_and_a_repeated_one_is_the_same_text() -> None:
    assert not contains("งบประมาณ 5 ล้านบาท (งปม.\n5 ล้านบาท)", "status_budget")
    refusal = th("fraction_of_count", value="1.5", unit="คน")
    assert matches(refusal, "fraction_of_count")
    assert not matches(refusal.replace("นับคน", "นับชิ้น"), "fraction_of_count")


def test_fields_are_what_the_left_out_placeholders_showed() -> None:
    reply = th("unknown_code_suggest", code="STR141/64", suggestions="STR114/64, STR121/64")
    shown = fields(reply, "unknown_code_suggest", code="STR141/64")
    assert shown == {"suggestions": "STR114/64, STR121/64"}
    with pytest.raises(AssertionError):
        fields(reply, "unknown_code")


def test_typos_fail_loudly() -> None:
    with pytest.raises(KeyError):
        th("not_registerd")
    with pytest.raises(TypeError):
        th("joined", role="หัวหน้าฝ่าย")  # no division
    with pytest.raises(TypeError):
        matches("x", "joined", rol="หัวหน้าฝ่าย")


def test_plain_is_what_line_and_the_terminal_show() -> None:
    title = th("remind_title_overdue", period="ไตรมาส 1/2564", division="R&amp;D")
    assert plain(title) == title.replace("<b>", "").replace("</b>", "").replace("&amp;", "&")
