"""At least 60 questions written as Thai office staff write them — polite particles (ครับ, ค่ะ,
คะ, นะคะ), no spaces, English words, codes typed loosely — each answered exactly as the command
and scope it means; and the answers that used to miss: a strategy's projects, one indicator,
words for files and pictures, helpful refusals, and writes offered as one tap."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.buttons import RunSuggested, decode
from handlers.context import Services
from storage.services.reporting import record_spending
from storage.unit_of_work import UnitOfWork
from tests.support.catalog import contains, plain, starts_with, th
from tests.support.handler_helpers import ask, shown, writes
from tests.support.planning_scenario import MEMBER, PLANNER
from tests.support.quick_files import quick_files  # noqa: F401  (a fixture)

# (who, what they type, the command and scope it means)
PHRASINGS = [
    # budget, polite particles, no spaces, English words, typos in codes
    (MEMBER, "งบSTR114เหลือเท่าไหร่ครับ", "/budget STR114/64"),
    (MEMBER, "งบ str 114 เหลือเท่าไรคะ", "/budget STR114/64"),
    (MEMBER, "STR114/64 เหลือเงินเท่าไหร่นะคะ", "/budget STR114/64"),
    (MEMBER, "โครงการ STR 114 ใช้งบไปเท่าไหร่แล้วครับ", "/budget STR114/64"),
    (MEMBER, "เช็คงบ str114 หน่อยค่ะ", "/budget STR114/64"),
    (MEMBER, "budget STR114 เหลือเท่าไหร่ครับ", "/budget STR114/64"),
    (MEMBER, "ขอดู budget ฝ่ายฝึกอบรมหน่อยครับ", "/budget training"),
    (MEMBER, "งบฝ่ายเราเหลือเท่าไหร่คะ", "/budget"),
    (PLANNER, "งบทั้งหมดเหลือเท่าไหร่ครับ", "/budget all"),
    (PLANNER, "ภาพรวมงบประมาณทั้งสถาบันค่ะ", "/budget all"),
    (MEMBER, "งบยุทธศาสตร์ที่ 2 เหลือเท่าไหร่", "/budget S2"),
    (MEMBER, "งบ S3 ใช้ไปเท่าไหร่แล้วคะ", "/budget S3"),
    (MEMBER, "how much is left for str114?", "/budget STR114/64"),
    # status / progress
    (MEMBER, "STR114 คืบหน้าไปถึงไหนแล้วครับ", "/status STR114/64"),
    (MEMBER, "ความคืบหน้าโครงการSTR114ค่ะ", "/status STR114/64"),
    (MEMBER, "สถานะ str114 เป็นยังไงบ้างคะ", "/status STR114/64"),
    (MEMBER, "progress of STR114 please", "/status STR114/64"),
    (MEMBER, "STR114 on track ไหมครับ", "/status STR114/64"),
    (MEMBER, "ขอดูตัวชี้วัด STR114 หน่อยค่ะ", "/status STR114/64"),
    # one indicator
    (MEMBER, "ตัวชี้วัดที่ 2 ของ STR114 ได้เท่าไหร่แล้ว", "/status STR114/64 2"),
    (MEMBER, "ตัวชี้วัดที่2 STR114 ได้เท่าไหร่แล้วครับ", "/status STR114/64 2"),
    (MEMBER, "STR114 ข้อ 2 ได้เท่าไหร่คะ", "/status STR114/64 2"),
    (MEMBER, "STR114 ตัวชี้วัด 1 เป็นยังไงบ้าง", "/status STR114/64 1"),
    (MEMBER, "indicator 3 of STR114 status?", "/status STR114/64 3"),
    # history
    (MEMBER, "ใครรายงาน STR114 บ้างครับ", "/history STR114/64"),
    (MEMBER, "ประวัติ STR114 ค่ะ", "/history STR114/64"),
    (MEMBER, "ขอดูประวัติการแก้ไขSTR114หน่อยครับ", "/history STR114/64"),
    (MEMBER, "who reported STR114?", "/history STR114/64"),
    # late (planners)
    (PLANNER, "ฝ่ายไหนยังไม่ส่งรายงานครับ", "/late"),
    (PLANNER, "ใครยังไม่ส่งบ้างคะ", "/late"),
    (PLANNER, "ยังไม่รายงานมีฝ่ายไหนบ้าง", "/late"),
    (PLANNER, "who is late?", "/late"),
    # due
    (MEMBER, "ฝ่ายเรายังค้างอะไรบ้างครับ", "/due"),
    (MEMBER, "ต้องส่งอะไรบ้างคะ", "/due"),
    (MEMBER, "กำหนดส่งเมื่อไหร่ครับ", "/due"),
    (MEMBER, "ฝ่ายไอทียังค้างอะไรบ้าง", "/due it"),
    (MEMBER, "ฝ่ายวิจัยต้องรายงานอะไรบ้างคะ", "/due research"),
    (MEMBER, "what do we still owe?", "/due"),
    # summary
    (PLANNER, "ขอสรุปหน่อยครับ", "/summary"),
    (PLANNER, "สรุปผลทั้งแผนค่ะ", "/summary"),
    (PLANNER, "overview please", "/summary"),
    # projects
    (MEMBER, "ยุทธศาสตร์ที่ 2 มีโครงการอะไรบ้าง", "/projects S2"),
    (MEMBER, "ยุทธศาสตร์ 3 มีโครงการไหนบ้างคะ", "/projects S3"),
    (MEMBER, "โครงการของยุทธศาสตร์ที่ 1 ครับ", "/projects S1"),
    (MEMBER, "ฝ่ายฝึกอบรมมีโครงการอะไรบ้าง", "/projects training"),
    (MEMBER, "ฝ่ายเรามีโครงการอะไรบ้างคะ", "/projects"),
    (MEMBER, "which projects does the training division have?", "/projects training"),
    # find
    (MEMBER, "โครงการเกี่ยวกับมาตรฐานอัญมณีมีไหมครับ", "/find มาตรฐานอัญมณี"),
    (MEMBER, "หาโครงการประกวดพลอยค่ะ", "/find ประกวดพลอย"),
    (MEMBER, "ค้นหาโครงการ ISO หน่อยครับ", "/find iso"),
    (MEMBER, "ค้นหา พลอยสี", "/find พลอยสี"),
    # chart / export / report for those who may
    (PLANNER, "กราฟงบประมาณ", "/chart"),
    (PLANNER, "ขอกราฟ STR114 หน่อยครับ", "/chart STR114/64"),
    (MEMBER, "ขอดูกราฟฝ่ายเราหน่อยค่ะ", "/chart"),
    (PLANNER, "กราฟยุทธศาสตร์ที่ 2 ค่ะ", "/chart S2"),
    (PLANNER, "ขอไฟล์excelหน่อยครับ", "/export"),
    (PLANNER, "ส่งออกข้อมูลเป็น spreadsheet ค่ะ", "/export"),
    (PLANNER, "ดาวน์โหลดไฟล์ข้อมูลแผน", "/export"),
    (PLANNER, "ขอรายงานไตรมาสหน่อยครับ", "/report"),
    (PLANNER, "ไฟล์ word รายงานผู้บริหารค่ะ", "/report"),
    (PLANNER, "quarterly report please", "/report"),
    # typos and variants of codes
    (MEMBER, "งบ STR 114/64 เหลือเท่าไหร่ครับ", "/budget STR114/64"),
    (MEMBER, "STR114/2564 คืบหน้ายังไงบ้างคะ", "/status STR114/64"),
    (MEMBER, "ขอ status STR114 หน่อยครับ", "/status STR114/64"),
    (MEMBER, "งบ sme111_5 เหลือเท่าไหร่คะ", "/budget SME111_5/64"),
    (MEMBER, "ประวัติ STR 114 ครับ", "/history STR114/64"),
    # help
    (MEMBER, "ใช้งานยังไงครับ", "/help"),
    (MEMBER, "บอททำอะไรได้บ้างคะ", "/help"),
]

pytestmark = pytest.mark.usefixtures("quick_files")  # which command, not its drawing


def test_there_are_sixty_phrasings() -> None:
    assert len(PHRASINGS) >= 60
    assert len({sentence for _who, sentence, _command in PHRASINGS}) == len(PHRASINGS)


@pytest.mark.parametrize(("who", "sentence", "command"), PHRASINGS)
def test_a_phrasing_reaches_its_command_and_scope(
    filled: Services, who: str, sentence: str, command: str
) -> None:
    before = writes(filled)
    assert shown(ask(filled, who, sentence)) == shown(ask(filled, who, command)), sentence
    assert writes(filled) == before


def test_projects_of_a_strategy(filled: Services) -> None:
    [reply] = ask(filled, MEMBER, "/projects S2")
    assert reply.text.startswith("<b>" + th("summary_strategy", number=2) + "</b>")
    assert all(code in reply.text for code in ("BAS114/64", "STR114/64", "STR115/64"))
    assert "STR113/64" not in reply.text  # S1's, though the research division's
    assert shown(ask(filled, MEMBER, "/projects ยุทธศาสตร์ที่ 2")) == shown([reply])
    [unknown] = ask(filled, MEMBER, "/projects S9")
    assert unknown.text == th("projects_no_strategy", strategy="S9")


def test_find_cuts_thai_typed_without_spaces(filled: Services) -> None:
    [glued] = ask(filled, MEMBER, "/find มาตรฐานอัญมณี")
    [spaced] = ask(filled, MEMBER, "/find มาตรฐาน อัญมณี")
    assert "STR113/64" in glued.text and glued.text.split("\n")[1:] == spaced.text.split("\n")[1:]


def test_one_indicator_in_three_lines(filled: Services) -> None:
    [reply] = ask(filled, MEMBER, "ตัวชี้วัดที่ 2 ของ STR114 ได้เท่าไหร่แล้ว")
    lines = reply.text.split("\n")
    assert len(lines) == 3
    assert starts_with(lines[0], "status_one_title", code="STR114/64", number=2)
    assert "150" in lines[0] and "40" in lines[1] and "Malee" in lines[1]  # target, value, who
    assert contains(lines[2], "verdict_on_track")


def test_a_head_asking_who_is_late_gets_their_division(filled: Services) -> None:
    [reply] = ask(filled, MEMBER, "ฝ่ายไหนยังไม่ส่งรายงานครับ")
    assert reply.text.startswith(th("late_own_division_instead"))
    assert contains(reply.text, "due_answer_head", projects=6)
    assert len(plain(reply.text).splitlines()) <= 25


def test_file_words_reach_only_the_commands_a_person_may_use(filled: Services) -> None:
    [head] = ask(filled, MEMBER, "รายงานไตรมาส")  # not theirs: the way to report instead
    assert head.text == th("intent_not_saved") + "\n" + th("update_usage")
    [chart] = ask(filled, MEMBER, "กราฟงบประมาณ")
    assert chart.image is not None


def test_spending_in_a_sentence_is_offered_as_one_tap(filled: Services) -> None:
    before = writes(filled)
    [offer] = ask(filled, MEMBER, "ใช้เงินไป 5 หมื่น STR114")
    assert offer.text == th("suggest_spend", command="/spend STR114/64 50,000")
    [[button]] = offer.buttons
    assert isinstance(decode(button.data), RunSuggested) and writes(filled) == before
    [which] = ask(filled, MEMBER, button=button.data)  # 11 January: Q1 or Q2?
    assert starts_with(which.text, "spend_which_quarter", amount="50,000 บาท")
    q1 = which.buttons[0][0]
    [done] = ask(filled, MEMBER, button=q1.data)
    assert starts_with(done.text, "spend_recorded", amount="50,000 บาท", code="STR114/64")
    assert writes(filled) == (before[0], before[1] + 1)
    [again] = ask(filled, MEMBER, button=button.data)  # a double tap writes nothing more
    assert again.text == th("button_used") and writes(filled) == (before[0], before[1] + 1)
    assert ask(filled, MEMBER, button=q1.data)[0].text == th("button_used")
    assert writes(filled) == (before[0], before[1] + 1)


def test_the_offered_spend_still_asks_before_going_past_the_budget(filled: Services) -> None:
    before = writes(filled)
    [offer] = ask(filled, MEMBER, "เบิกจ่าย STR114 ไป 4 ล้านบาทค่ะ")  # a particle glued on
    assert offer.text == th("suggest_spend", command="/spend STR114/64 4,000,000")
    [[button]] = offer.buttons
    [which] = ask(filled, MEMBER, button=button.data)
    [asked] = ask(filled, MEMBER, button=which.buttons[0][0].data)
    assert starts_with(asked.text, "spend_confirm_over") and writes(filled) == before


def test_two_numbers_in_a_sentence_are_not_guessed_between(filled: Services) -> None:
    [reply] = ask(filled, MEMBER, "วันที่ 5 ใช้เงินไป 2 หมื่น STR114")
    assert reply.text == th("intent_not_saved") + "\n" + th("spend_usage")


def test_undo_in_a_sentence_is_offered_and_takes_back_only_that_entry(filled: Services) -> None:
    ask(filled, MEMBER, "/spend STR114/64 1000 Q1")
    before = writes(filled)
    [offer] = ask(filled, MEMBER, "ยกเลิกรายการล่าสุดค่ะ")
    assert offer.text == th("suggest_undo") and writes(filled) == before
    [[button]] = offer.buttons
    [undone] = ask(filled, MEMBER, button=button.data)
    assert "1,000" in undone.text and writes(filled) == (before[0], before[1] + 1)
    assert ask(filled, MEMBER, button=button.data)[0].text == th("button_used")
    ask(filled, MEMBER, "/spend STR114/64 2000 Q1")
    [offer] = ask(filled, MEMBER, "ยกเลิกรายการล่าสุด")
    [[button]] = offer.buttons
    with UnitOfWork(filled.db) as uow:  # a newer entry meanwhile (from another chat)
        person = uow.people.find("telegram", MEMBER)
        assert person is not None
        record_spending(
            uow, person, code="STR114/64", amount=Decimal(3000), channel="line", at=filled.clock()
        )
    count = writes(filled)
    assert ask(filled, MEMBER, button=button.data)[0].text == th("suggest_undo_changed")
    assert writes(filled) == count
