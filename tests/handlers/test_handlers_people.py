"""Who may do what, and in which language they are answered (dispatcher, real SQLite file)."""

from __future__ import annotations

import re

import pytest

from handlers.context import Services
from handlers.wiring import build_router
from storage.repositories import people
from tests.support.handler_helpers import ask, register, say, writes


def test_member_of_another_division_is_refused_and_told_why(services: Services) -> None:
    register(services, "7", "member", "training")
    reply = say(services, "7", "/update STR114/64 2 150")
    assert "คุณรายงานได้เฉพาะโครงการของฝ่ายตนเอง (ฝ่ายฝึกอบรม)" in reply
    assert "STR114/64 เป็นของฝ่ายอื่น" in reply
    [picked] = ask(services, "7", button="upd:p:STR114/64")
    assert "เป็นของฝ่ายอื่น" in picked.text
    assert writes(services) == (0, 0)


def test_head_reports_for_own_division(services: Services) -> None:
    register(services, "8", "head", "research")
    assert say(services, "8", "/spend STR114/64 1,000").startswith("✅")
    assert writes(services) == (0, 1)


def test_planner_may_report_anywhere(services: Services) -> None:
    register(services, "9", "planner", "planning")
    assert say(services, "9", "/spend STR114/64 1000").startswith("✅")
    assert say(services, "9", "/update SME111_5/64 1 10").startswith("✅")
    assert writes(services) == (1, 1)


@pytest.mark.parametrize("text", ["/status STR114/64", "/budget", "/spend STR114/64 5",
                                  "/update STR114/64 2 1", "/history STR114/64", "/find gem",
                                  "/projects", "/undo", "/invite research", "สวัสดี"])  # fmt: skip
def test_unregistered_may_not_read_or_write(services: Services, text: str) -> None:
    reply = say(services, "55", text)
    assert "ยังไม่ได้ลงทะเบียน" in reply and "/start รหัสเชิญ" in reply
    assert writes(services) == (0, 0)


def test_unregistered_may_start_help_and_lang(services: Services) -> None:
    assert "/start รหัสเชิญ" in say(services, "55", "/start")
    assert "/start รหัสเชิญ" in say(services, "55", "/help")
    assert say(services, "55", "/lang en").startswith(
        "I will answer in English once you have joined"
    )
    [button] = ask(services, "55", button="upd:ok:abcd")
    assert "ยังไม่ได้ลงทะเบียน" in button.text
    open_to_all = {name for name, spec in build_router().commands.items() if spec.roles is None}
    assert open_to_all == {"start", "help", "lang"}


def test_only_admins_invite(services: Services) -> None:
    register(services, "1", "head", "research")
    assert say(services, "1", "/invite research") == "สิทธิ์ของคุณใช้คำสั่ง /invite ไม่ได้"
    register(services, "2", "admin", None)
    reply = say(services, "2", "/invite research head")
    assert "รหัสเชิญสำหรับหัวหน้าฝ่าย ฝ่ายวิจัยและพัฒนา" in reply
    assert "https://t.me/planbot_test_bot?start=" in reply


def test_lang_en_switches_every_reply_to_english(services: Services) -> None:
    register(services, "1", "member", "research")
    assert say(services, "1", "/lang en") == "I will answer you in English."
    card = say(services, "1", "/status STR114/64")  # the platform still says Thai
    assert "Budget 5 million baht (government 5 million baht)" in card
    assert "Spent 0 baht (0%) · remaining 5 million baht" in card
    assert "target at least 150 คน" in card
    reply = say(services, "1", "/spend STR114/64 0.25ล้าน")
    assert re.match(
        r"✅ Recorded spending of 250,000 baht on STR114/64, for Q[1-4] FY2564\.", reply
    )
    assert say(services, "1", "/lang th") == "จากนี้จะตอบเป็นภาษาไทย"
    assert "งบประมาณ 5 ล้านบาท" in say(services, "1", "/status STR114/64")


def test_platform_language_is_used_until_lang(services: Services) -> None:
    register(services, "1", "member", "research")
    assert "Budget 5 million baht" in say(services, "1", "/status STR114/64", language="en-GB")
    assert "งบประมาณ 5 ล้านบาท" in say(services, "1", "/status STR114/64", language="ja")


def test_link_group_by_head(services: Services) -> None:
    register(services, "1", "head", "research")
    assert "ใช้คำสั่ง /link ในแชทกลุ่ม" in say(services, "1", "/link research")
    assert say(services, "1", "/link training", group=True) == ("หัวหน้าฝ่ายผูกกลุ่มได้เฉพาะกับฝ่ายของตนเอง")
    reply = say(services, "1", "/link", group=True)
    assert reply == "✅ ต่อจากนี้กลุ่มนี้จะได้รับการแจ้งเตือนของฝ่ายวิจัยและพัฒนา"


def test_joining_in_a_group_is_refused(services: Services) -> None:
    with services.db.session() as session:
        invite = people.create_invite(session, "research", "member", None, services.clock())
    reply = say(services, "77", f"/start {invite.code}", group=True)
    assert reply == "กรุณาส่งรหัสเชิญในแชทส่วนตัวกับบอท ไม่ใช่ในกลุ่ม"
    assert say(services, "77", f"/start {invite.code.lower()}").startswith("✅ ลงทะเบียนแล้ว")
