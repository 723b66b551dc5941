"""Bad input gets one clear sentence and writes nothing; forgiving input is read right.
All through the dispatcher on a real SQLite file with the FY2564 plan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.context import Services
from handlers.parsing import parse_amount
from plan_data.errors import Refusal
from storage.repositories.cards import project_status
from tests.support.handler_helpers import ask, register, say, writes


@pytest.fixture
def member(services: Services) -> Services:
    register(services, "1", "member", "research")
    return services


def one_sentence_nothing_written(services: Services, text: str, *expected: str) -> str:
    before = writes(services)
    reply = say(services, "1", text)
    assert writes(services) == before, f"{text!r} wrote something"
    for part in expected:
        assert part in reply, reply
    assert reply.count("\n") == 0, reply  # one sentence, not a wall
    return reply


def remaining(services: Services, code: str = "STR114/64") -> Decimal:
    with services.db.session() as session:
        card = project_status(session, code)
    assert card is not None
    return card.budget.remaining


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/status STR999/64", ("ไม่พบโครงการรหัส STR999/64", "หมายถึง", "STR1")),
        ("/spend XX1/64 100", ("ไม่พบโครงการรหัส XX1/64",)),
        ("/update STR114/64 9 5", ("มีตัวชี้วัดลำดับ 1 ถึง 3 ไม่มีลำดับที่ 9",)),
        ("/update STR114/64 0 5", ("ไม่มีลำดับที่ 0",)),
        ("/update STR114/64 two 5", ("“two” ไม่ใช่ลำดับตัวชี้วัด",)),
        ("/update STR114/64 2 many", ("“many” ไม่ใช่ตัวเลข",)),
        ("/update STR114/64 1 120", ("120 เกินร้อยละ 100",)),
        ("/update STR114/64 2 150%%", ("ไม่ใช่ตัวเลข",)),
        ("/update STR114/64 2 -3", ("ติดลบไม่ได้",)),
        ("/spend STR114/64 -5", ("จำนวนเงินติดลบไม่ได้",)),
        ("/spend STR114/64 0", ("ต้องมากกว่าศูนย์",)),
        ("/spend STR114/64 5000000000", ("มากกว่างบประมาณทั้งสถาบัน",)),
        ("/spend STR114/64 12.345", ("ไม่เกิน 2 ตำแหน่ง",)),
        ("/spend STR114/64 lots", ("“lots” ไม่ใช่จำนวนเงิน",)),
        ("/spend STR114/64", ("พิมพ์ /spend รหัสโครงการ จำนวนเงิน",)),
        ("/status", ("ต้องการดูโครงการไหน?",)),
        ("/", ("กรุณาพิมพ์คำสั่งต่อจากเครื่องหมาย /",)),
        ("/frobnicate", ("ไม่รู้จักคำสั่ง “frobnicate”",)),
        ("/status STR114/64 please", ("มีข้อความเกินมา", "/status STR114/64")),
        ("/history STR114/64 now", ("มีข้อความเกินมา", "/history STR114/64")),
        ("/undo everything", ("มีข้อความเกินมา", "/undo")),
        ("/lang fr", ("/lang th",)),
        ("/spend STR114/64 100 " + "ก" * 400, ("หมายเหตุยาวเกินไป",)),
        ("/status " + "x" * 2000, ("ข้อความยาวเกินไป",)),
        ("/spend STR114/64 100 \x00\x01\x02", ("อักขระที่อ่านไม่ได้",)),
        ("\ufffe\u0007binary", ("อักขระที่อ่านไม่ได้",)),
    ],
)
def test_bad_input_gets_one_sentence_and_writes_nothing(
    member: Services, text: str, expected: tuple[str, ...]
) -> None:
    one_sentence_nothing_written(member, text, *expected)


def test_unknown_code_suggests_the_nearest(member: Services) -> None:
    reply = say(member, "1", "/status STR141/64")
    assert reply.startswith("ไม่พบโครงการรหัส STR141/64 หมายถึง")
    assert "STR114/64" in reply


@pytest.mark.parametrize("typed", ["250000", "250,000", "0.25ล้าน", "0.25 ล้าน", "๒๕๐,๐๐๐",
                                   "250,000 บาท", "฿250000"])  # fmt: skip
def test_amounts_people_type_are_read_as_baht(member: Services, typed: str) -> None:
    reply = say(member, "1", f"/spend STR114/64 {typed} ค่ามัดจำ")
    assert "✅ บันทึกการใช้จ่าย 250,000 บาท ของ STR114/64" in reply
    assert remaining(member) == Decimal(4_750_000)


@pytest.mark.parametrize(
    ("typed", "error"),
    [("-1", "negative_amount"), ("0", "zero_amount"), ("1e9", "number_exponent"),
     ("2,000,000,000", "absurd_amount"), ("๑.๐๐๑", "satang"), ("ล้าน", "not_an_amount")],
)  # fmt: skip
def test_parse_amount_refuses(typed: str, error: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_amount(typed)
    assert caught.value.key == error


@pytest.mark.parametrize("code", ["str114/64", "STR114", "STR 114/64", "str๑๑๔/๖๔", "STR114/2564"])
def test_codes_are_forgiving(member: Services, code: str) -> None:
    assert say(member, "1", f"/status {code}").startswith("<b>STR114/64</b>")


def test_markup_in_a_note_is_escaped_everywhere(member: Services) -> None:
    say(member, "1", "/update STR114/64 2 150 <b>ครบ</b> & <script>")
    history = say(member, "1", "/history STR114/64")
    assert "&lt;b&gt;ครบ&lt;/b&gt; &amp; &lt;script&gt;" in history
    assert "<script>" not in history


def test_old_button_is_expired(member: Services) -> None:
    before = writes(member)
    for data in ("upd:ok:0badc0de", "upd:no:0badc0de", "upd:p:NOPE/64", "zzz:1", "upd"):
        [reply] = ask(member, "1", button=data)
        assert reply.text.startswith("ปุ่มนี้มาจากข้อความเก่าและใช้ไม่ได้แล้ว"), data
    assert writes(member) == before


def guided_until_confirm(services: Services, user: str, value: str) -> str:
    """/update STR114/64 2, then type a value: returns the confirm button's data."""
    [ask_value] = ask(services, user, "/update STR114/64 2")
    assert "พิมพ์ค่า" in ask_value.text
    [confirm] = ask(services, user, value)
    return confirm.buttons[0][0].data


def test_pressing_confirm_twice_records_once(member: Services) -> None:
    ok = guided_until_confirm(member, "1", "150")
    [first] = ask(member, "1", button=ok)
    assert first.text.startswith("✅ บันทึกค่า 150 คน") and first.edit
    [second] = ask(member, "1", button=ok)
    assert second.text.startswith("ปุ่มนี้มาจากข้อความเก่า")
    assert writes(member) == (1, 0)


def test_second_user_racing_the_same_update_is_told_and_nothing_written(
    member: Services,
) -> None:
    register(member, "2", "head", "research", name="Prasert")
    ok_somchai = guided_until_confirm(member, "1", "150")
    ok_prasert = guided_until_confirm(member, "2", "140")
    [first] = ask(member, "2", button=ok_prasert)
    assert first.text.startswith("✅ บันทึกค่า 140 คน")
    [raced] = ask(member, "1", button=ok_somchai)
    assert "ระหว่างที่คุณพิมพ์ Prasert ได้รายงานค่า 140 คน" in raced.text
    assert "ยังไม่ได้บันทึก" in raced.text
    assert writes(member) == (1, 0)
    [again] = ask(member, "1", button=raced.buttons[0][0].data)  # yes, mine replaces it
    assert again.text.startswith("✅ บันทึกค่า 150 คน") and "แทนค่าเดิม 140 คน" in again.text
    assert writes(member) == (2, 0)


def test_a_bad_value_in_the_guided_flow_lets_the_person_try_again(member: Services) -> None:
    [_] = ask(member, "1", "/update STR114/64 1")
    assert say(member, "1", "120").startswith("120 เกินร้อยละ 100")
    [confirm] = ask(member, "1", "95 เกือบเสร็จ")
    assert "บันทึกค่า 95% ให้ตัวชี้วัดที่ 1 ของ STR114/64" in confirm.text
    [cancelled] = ask(member, "1", button=confirm.buttons[0][1].data)
    assert cancelled.text == "ยกเลิกแล้ว ไม่มีการบันทึก"
    assert writes(member) == (0, 0)


def test_undo_takes_back_by_writing_a_reversal(member: Services) -> None:
    say(member, "1", "/spend STR114/64 250000")
    assert say(member, "1", "/undo").startswith("↩️ ยกเลิกรายการใช้จ่าย 250,000 บาท ของ STR114/64")
    assert remaining(member) == Decimal(5_000_000)
    assert writes(member) == (0, 2)  # nothing deleted
    assert say(member, "1", "/undo") == "ไม่มีรายการของคุณที่ยกเลิกได้"


def test_a_value_far_above_the_target_is_asked_about_not_recorded(services: Services) -> None:
    from handlers.dispatch import dispatch
    from handlers.request import Request
    from storage.repositories import people

    with services.db.session() as session:
        people.add_person(session, "telegram", "501", "member", "research", "Typo")
    replies = dispatch(
        Request("telegram", "501", "501", text="/update STR114/64 2 15000"), services
    )
    text = "\n".join(r.text for r in replies)
    assert "บันทึกค่า 15,000 คน" in text and "ใช่หรือไม่?" in text
    assert "เกิน 10 เท่า" in text and replies[0].buttons
    assert writes(services) == (0, 0)  # tests/handlers/test_numbers.py presses the buttons
    plain = dispatch(Request("telegram", "501", "501", text="/update STR114/64 3 120"), services)
    assert "เท่า" not in plain[0].text
