"""Numbers as a Thai reader means them, and asking before the unusual: through the dispatcher on
a real SQLite file (and PostgreSQL where the database matters), asserting on what the person
sees and on what was written."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from handlers.buttons import decode
from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Reply, Request
from plan_data.fiscal import BANGKOK
from storage.db.database import Database
from storage.db.models import IndicatorReport, SpendingEntry
from tests.conftest import JAN_11_2021
from tests.support.handler_helpers import ask, register, say, writes

NOTHING = "ยังไม่ได้บันทึก"


@pytest.fixture
def member(services: Services) -> Services:
    register(services, "1", "member", "research")
    return services


def last_spending(services: Services) -> tuple[Decimal, str]:
    with services.db.session() as session:
        entry = session.scalars(select(SpendingEntry).order_by(SpendingEntry.id.desc())).first()
        assert entry is not None
        return entry.amount, entry.note


def last_value(services: Services) -> tuple[Decimal, str]:
    with services.db.session() as session:
        report = session.scalars(
            select(IndicatorReport).order_by(IndicatorReport.id.desc())
        ).first()
        assert report is not None and report.value is not None
        return report.value, report.note


def refused(services: Services, text: str, *expected: str) -> str:
    """One sentence, containing `expected`, and nothing written."""
    before = writes(services)
    replies = ask(services, "1", text)
    assert len(replies) == 1 and not replies[0].buttons, [r.text for r in replies]
    assert writes(services) == before, f"{text!r} wrote something"
    for part in expected:
        assert part in replies[0].text, replies[0].text
    return replies[0].text


# --- A. numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "baht", "shown"),
    [
        ("2.5 แสน", Decimal(250_000), "250,000 บาท"),
        ("2.5แสน", Decimal(250_000), "250,000 บาท"),
        ("3 หมื่น", Decimal(30_000), "30,000 บาท"),
        ("๓ หมื่น", Decimal(30_000), "30,000 บาท"),
        ("1.2 ล้าน", Decimal(1_200_000), "1.2 ล้านบาท"),
        ("5 พัน", Decimal(5_000), "5,000 บาท"),
        ("5พันบาท", Decimal(5_000), "5,000 บาท"),
        ("สองแสนห้าหมื่น", Decimal(250_000), "250,000 บาท"),
        ("250 000", Decimal(250_000), "250,000 บาท"),
        ("250\u00a0000", Decimal(250_000), "250,000 บาท"),
        ("1 500 000", Decimal(1_500_000), "1.5 ล้านบาท"),
        ("๑ ๕๐๐ ๐๐๐ บาท", Decimal(1_500_000), "1.5 ล้านบาท"),
        ("1 ล้าน 5 แสน", Decimal(1_500_000), "1.5 ล้านบาท"),
    ],
)
def test_spend_reads_the_number_a_thai_reader_means(
    member: Services, typed: str, baht: Decimal, shown: str
) -> None:
    reply = say(member, "1", f"/spend STR114/64 {typed} Q1 ค่าจ้าง")
    assert reply.startswith(f"✅ บันทึกการใช้จ่าย {shown} ของ STR114/64"), reply
    assert last_spending(member) == (baht, "ค่าจ้าง")


@pytest.mark.parametrize(
    ("text", "baht", "note"),
    [
        ("/spend STR114/64 5000 Q1 พันธมิตร", Decimal(5000), "พันธมิตร"),  # a word, not พัน
        ("/spend STR114/64 2.5 แสนบาท Q1 ค่าจ้าง", Decimal(250_000), "ค่าจ้าง"),
        ("/spend STR114/64 ฿ 250 000 Q1 ค่าจ้าง", Decimal(250_000), "ค่าจ้าง"),
        ("/spend STR114/64 0.25 ลบ. Q1 งวด ๒", Decimal(250_000), "งวด ๒"),
    ],
)
def test_the_note_starts_where_the_number_ends(
    member: Services, text: str, baht: Decimal, note: str
) -> None:
    assert say(member, "1", text).startswith("✅"), text
    assert last_spending(member) == (baht, note)


def test_update_reads_spaced_thousands_as_one_number(member: Services) -> None:
    reply = say(member, "1", "/update STR114/64 2 1 400 ครบ")  # under 10× the target of 150
    assert reply.startswith("✅ บันทึกค่า 1,400 คน"), reply
    assert last_value(member) == (Decimal(1400), "ครบ")
    say(member, "1", "/update STR114/64 3 หนึ่งร้อยยี่สิบ")
    assert last_value(member) == (Decimal(120), "")


def test_the_guided_update_reads_number_words_too(member: Services) -> None:
    ask(member, "1", "/update STR114/64 2")
    [confirm] = ask(member, "1", "1\u00a0200 คน")  # no-break space, as phones insert
    assert "บันทึกค่า 1,200 คน ให้ตัวชี้วัดที่ 2" in confirm.text
    [done] = ask(member, "1", button=confirm.buttons[0][0].data)
    assert done.text.startswith("✅ บันทึกค่า 1,200 คน")
    assert last_value(member) == (Decimal(1200), "คน")


@pytest.mark.parametrize(
    "typed",
    ["1,2,3", "25,0000", "1 50", "1000 2", "1.500.000", "0,5", "1,500 000"],
)
@pytest.mark.parametrize("command", ["/spend STR114/64 {} ค่าจ้าง", "/update STR114/64 2 {}"])
def test_unclear_grouping_is_refused_with_what_to_type(
    member: Services, command: str, typed: str
) -> None:
    refused(member, command.format(typed), f"“{typed}”", "1,500,000", "1500000", NOTHING)


@pytest.mark.parametrize("typed", ["สองแสนห้า", "ร้อยห้า", "2 แสน 5", "2.5 แสน 3 หมื่น"])
def test_spoken_short_forms_that_read_two_ways_are_refused(member: Services, typed: str) -> None:
    refused(member, f"/spend STR114/64 {typed}", "อ่านได้มากกว่าหนึ่งแบบ", "150000", NOTHING)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("-0", "ติดลบไม่ได้"),
        ("1e309", "เลขยกกำลัง"),
        ("1E3", "เลขยกกำลัง"),
        ("2.5e+5", "เลขยกกำลัง"),
        ("NaN", "ไม่ใช่"),
        ("Infinity", "ไม่ใช่"),
        ("inf", "ไม่ใช่"),
        ("_1_", "ไม่ใช่"),
        ("1_000", "ไม่ใช่"),
    ],
)
@pytest.mark.parametrize("command", ["/spend STR114/64 {}", "/update STR114/64 2 {}"])
def test_odd_numbers_are_refused_with_a_clear_sentence(
    member: Services, command: str, typed: str, expected: str
) -> None:
    refused(member, command.format(typed), expected)


def test_a_fraction_of_a_person_is_refused(member: Services) -> None:
    refused(member, "/update STR114/64 2 2.5", "2.5 คน", "จำนวนเต็ม", NOTHING)
    ask(member, "1", "/update STR114/64 3")
    refused(member, "12.5", "ครึ่งคน")
    assert say(member, "1", "/update STR114/64 1 2.5").startswith("✅ บันทึกค่า 2.5%")


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/update STR114/64 1 12.34567", "ทศนิยมเกิน 4 ตำแหน่ง"),
        ("/update STR114/64 1 1." + "0" * 45, "ทศนิยมเกิน 4 ตำแหน่ง"),
        ("/update STR114/64 1 1.5" + "0" * 40, "ทศนิยมเกิน 4 ตำแหน่ง"),
        ("/spend STR114/64 12.345", "ไม่เกิน 2 ตำแหน่ง"),
        ("/spend STR114/64 1." + "0" * 45, "ไม่เกิน 2 ตำแหน่ง"),
    ],
)
def test_too_many_decimals_is_the_same_refusal_on_sqlite_and_postgres(
    loaded: Database, text: str, expected: str
) -> None:
    services = Services(db=loaded, clock=lambda: JAN_11_2021, bot_username="planbot_test_bot")
    register(services, "1", "member", "research")
    refused(services, text, expected, NOTHING)


# --- A. a % on an indicator that counts people ------------------------------------------------


def test_a_percent_on_a_count_asks_which_number_is_meant(member: Services) -> None:
    [question] = ask(member, "1", "/update STR114/64 2 80% ครึ่งปี")
    assert "80% ของเป้าหมาย (120 คน จากเป้าหมาย 150 คน) หรือ 80 คน?" in question.text
    assert writes(member) == (0, 0)
    [[share, plain]] = question.buttons
    assert share.label.startswith("120 คน") and plain.label == "80 คน"
    assert all(len(b.data.encode()) <= 64 for b in (share, plain))
    [done] = ask(member, "1", button=share.data)
    assert done.text.startswith("✅ บันทึกค่า 120 คน") and done.edit
    assert last_value(member) == (Decimal(120), "ครึ่งปี")
    [again] = ask(member, "1", button=plain.data)  # the question was answered
    assert again.text.startswith("ปุ่มนี้ถูกกดไปแล้ว")
    assert writes(member) == (1, 0)


def test_choosing_the_plain_number_records_it(member: Services) -> None:
    [question] = ask(member, "1", "/update STR114/64 3 ร้อยละ 80")
    [done] = ask(member, "1", button=question.buttons[0][1].data)
    assert done.text.startswith("✅ บันทึกค่า 80 คน")
    assert last_value(member) == (Decimal(80), "")


def test_a_percent_in_the_guided_flow_asks_too(member: Services) -> None:
    ask(member, "1", "/update STR114/64 2")
    [question] = ask(member, "1", "50 %")
    assert "50% ของเป้าหมาย (75 คน" in question.text
    assert writes(member) == (0, 0)
    ask(member, "1", button=question.buttons[0][0].data)
    assert last_value(member) == (Decimal(75), "")


def test_a_percent_that_cannot_be_a_share_of_the_target_is_refused(member: Services) -> None:
    # 33% of 150 คน is 49.5 คน: only one reading could be recorded, so neither is guessed
    refused(member, "/update STR114/64 2 33%", "นับเป็นคน ไม่ใช่ร้อยละ", NOTHING)


def test_a_percent_on_a_percent_indicator_is_recorded_as_it_is(member: Services) -> None:
    assert say(member, "1", "/update STR114/64 1 80%").startswith("✅ บันทึกค่า 80%")


def test_percent_button_data_round_trips() -> None:
    from handlers.buttons import CancelSpend, ConfirmSpend, PickValue, encode

    for data in (
        PickValue("0badc0de", True),
        PickValue("0badc0de", False),
        ConfirmSpend("0badc0de"),
        CancelSpend("0badc0de"),
    ):
        assert decode(encode(data)) == data and len(encode(data)) <= 64


# --- B. ask before the unusual ----------------------------------------------------------------


def test_a_value_far_above_the_target_is_asked_about_before_it_is_written(
    member: Services,
) -> None:
    [question] = ask(member, "1", "/update STR114/64 2 15000")
    assert "10 เท่าของเป้าหมายขึ้นไป" in question.text
    assert "บันทึกค่า 15,000 คน ให้ตัวชี้วัดที่ 2 ของ STR114/64" in question.text
    assert writes(member) == (0, 0)
    [[_confirm, cancel]] = question.buttons
    [cancelled] = ask(member, "1", button=cancel.data)
    assert cancelled.text == "ยกเลิกแล้ว ไม่มีการบันทึก" and writes(member) == (0, 0)
    [question] = ask(member, "1", "/update STR114/64 2 15000")
    [done] = ask(member, "1", button=question.buttons[0][0].data)
    assert done.text.startswith("✅ บันทึกค่า 15,000 คน") and "เท่า" not in done.text
    assert last_value(member) == (Decimal(15000), "")
    [exactly] = ask(member, "1", "/update STR114/64 3 1500")  # 10× exactly: asked too
    assert "10 เท่าของเป้าหมายขึ้นไป" in exactly.text and exactly.buttons
    assert say(member, "1", "/update STR114/64 3 1499").startswith("✅")  # just under: no question


def test_the_guided_confirm_warns_of_a_value_far_above_the_target(member: Services) -> None:
    ask(member, "1", "/update STR114/64 2")
    [confirm] = ask(member, "1", "2 หมื่น")
    assert "10 เท่าของเป้าหมายขึ้นไป" in confirm.text and "บันทึกค่า 20,000 คน" in confirm.text
    assert writes(member) == (0, 0)


def overspend_question(services: Services, text: str = "/spend STR114/64 6 ล้าน Q1 เกินงบ") -> Reply:
    [question] = ask(services, "1", text)
    assert question.text.startswith("⚠️ การใช้จ่าย 6 ล้านบาท จะทำให้ STR114/64 ใช้จ่ายเกินงบประมาณ")
    assert "งบประมาณ 5 ล้านบาท" in question.text and "จะเกินงบ 1 ล้านบาท" in question.text
    assert writes(services) == (0, 0)
    return question


def test_spending_past_the_budget_is_asked_about_and_written_on_confirm(member: Services) -> None:
    question = overspend_question(member)
    [[confirm, _cancel]] = question.buttons
    [done] = ask(member, "1", button=confirm.data)
    assert done.text.startswith("✅ บันทึกการใช้จ่าย 6 ล้านบาท ของ STR114/64") and done.edit
    assert "⚠️ ใช้จ่ายเกินงบประมาณแล้ว" in done.text
    assert last_spending(member) == (Decimal(6_000_000), "เกินงบ")
    [twice] = ask(member, "1", button=confirm.data)
    assert twice.text.startswith("ปุ่มนี้ถูกกดไปแล้ว") and writes(member) == (0, 1)


def test_cancelling_spending_past_the_budget_writes_nothing(member: Services) -> None:
    question = overspend_question(member)
    [cancelled] = ask(member, "1", button=question.buttons[0][1].data)
    assert cancelled.text == "ยกเลิกแล้ว ไม่มีการบันทึก"
    assert writes(member) == (0, 0)


def test_spending_within_the_budget_is_not_asked_about(member: Services) -> None:
    assert say(member, "1", "/spend STR114/64 5 ล้าน Q1").startswith("✅")
    [question] = ask(member, "1", "/spend STR114/64 1 Q1")  # now past it by one baht
    assert "เกินงบประมาณ" in question.text and question.buttons
    assert writes(member) == (0, 1)


def test_the_confirm_checks_the_rules_again(member: Services) -> None:
    question = overspend_question(member)
    after_the_year = datetime(2021, 11, 1, 9, 0, tzinfo=BANGKOK)
    request = Request("telegram", "1", "1", button=question.buttons[0][0].data, at=after_the_year)
    [reply] = dispatch(request, member)
    assert "ปิดรับรายงานแล้ว" in reply.text
    assert writes(member) == (0, 0)
