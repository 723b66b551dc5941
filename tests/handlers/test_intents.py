"""Questions in plain Thai and English (handlers.intents) through handlers.dispatch, on a real
SQLite file with the FY2564 plan and known reports and spending: each is answered exactly as the
command it means; sentences that read like a write, chatter and greetings run nothing and get
the closest read commands as buttons, which answer exactly as their commands."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from handlers.buttons import RunCommand, decode
from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Reply, Request
from storage.plan_io.loader import load_plan_file
from storage.unit_of_work import UnitOfWork
from tests.fakes.line_api import text_event
from tests.fakes.line_harness import line_harness
from tests.support.catalog import contains, starts_with, th
from tests.support.handler_helpers import ask, shown, writes
from tests.support.plan_support import shipped_plan, write_yaml
from tests.support.planning_scenario import MEMBER, PLANNER
from tests.support.quick_files import quick_files  # noqa: F401  (a fixture)

# (who, what they type, the command it means)
SAME_AS_COMMAND = [
    (MEMBER, "งบ STR114 เหลือเท่าไหร่", "/budget STR114/64"),
    (MEMBER, "สถานะ STR114", "/status STR114/64"),  # a command word: run as typed, as before
    (MEMBER, "สถานะ STR114/64", "/status STR114/64"),
    (PLANNER, "ใครยังไม่รายงาน", "/late"),
    (PLANNER, "ขอไฟล์ excel หน่อยครับ", "/export"),
    (PLANNER, "รายงานไตรมาส", "/report"),
    (MEMBER, "ฝ่ายวิจัยยังค้างอะไร", "/due research"),
    (MEMBER, "ขอกราฟ", "/chart"),
    (PLANNER, "สรุปภาพรวม", "/summary"),
    (MEMBER, "โครงการของฝ่ายฝึกอบรม", "/projects training"),
    (MEMBER, "หาโครงการอบรม", "/find อบรม"),
    (MEMBER, "ประวัติ STR114", "/history STR114/64"),
    (MEMBER, "how much budget is left for STR114", "/budget STR114/64"),
    (PLANNER, "who hasn't reported", "/late"),
    (PLANNER, "Who hasn’t reported yet?", "/late"),
    (MEMBER, "ใช้งบไปเท่าไหร่แล้ว", "/budget"),
    (MEMBER, "งบฝ่ายฝึกอบรมเหลือเท่าไหร่", "/budget training"),
    (PLANNER, "งบทั้งหมดเหลือเท่าไหร่", "/budget all"),
    (MEMBER, "ยุทธศาสตร์ที่ 2 ใช้งบไปเท่าไหร่", "/budget S2"),
    (MEMBER, "งบSTR114/64เหลือเท่าไร", "/budget STR114/64"),  # no spaces at all
    (MEMBER, "STR114 ใช้เงินไปเท่าไหร่แล้ว", "/budget STR114/64"),  # a question: only reads
    (MEMBER, "งบ STR999 เหลือเท่าไหร่", "/budget STR999"),  # no such project: the same answer
    (MEMBER, "ขอกราฟ STR114", "/chart STR114/64"),
    (MEMBER, "show me the chart for STR114", "/chart STR114/64"),
    (MEMBER, "projects of training division", "/projects training"),
    (MEMBER, "what is the research division missing?", "/due research"),
    (MEMBER, "ฝ่ายเรายังต้องรายงานอะไรบ้าง", "/due"),
    (MEMBER, "ฝ่ายไอทีค้างอะไร", "/due it"),
    (MEMBER, "งานกฎหมายมีโครงการอะไรบ้าง", "/projects legal"),
    (MEMBER, "ขอดูความคืบหน้าโครงการ STR114 หน่อย", "/status STR114/64"),
    (MEMBER, "STR๑๑๔ เป็นยังไงบ้าง", "/status STR114/64"),  # Thai digits
    (MEMBER, "status of STR114 please", "/status STR114/64"),
    (MEMBER, "ใครรายงาน STR114 บ้าง", "/history STR114/64"),
    (MEMBER, "ขอประวัติการรายงาน STR114", "/history STR114/64"),
    (MEMBER, "ค้นหาโครงการเกี่ยวกับอัญมณี", "/find อัญมณี"),
    (MEMBER, "find projects about gems", "/find gems"),
    (MEMBER, "ทำอะไรได้บ้าง", "/help"),
    (PLANNER, "summary please", "/summary"),
    (MEMBER, "ขอดูแดชบอร์ดหน่อย", "/dashboard"),
]

# (what they type, the write it reads like, or None) — nothing is run, nothing is written
NOT_A_COMMAND = [
    ("รายงาน STR114 ข้อ 2 ได้ 130", "update"),
    ("อัปเดตผล STR114 ตัวที่ 1 เป็น 80%", "update"),
    ("ใช้เงินไป 5000", "spend"),
    ("เบิกเงินค่าอาหาร 2 หมื่น", "spend"),
    ("I spent 5000 on STR999", "spend"),  # no such project: how to type it
    ("สวัสดีครับ", None),
    ("hello", None),
    ("ขอบคุณมากครับ", None),
    ("วันนี้ฝนตกหนักมาก", None),
    ("ok", None),
    ("STR114", None),
]

pytestmark = pytest.mark.usefixtures("quick_files")  # which command, not its drawing


@pytest.mark.parametrize(("who", "sentence", "command"), SAME_AS_COMMAND)
def test_a_question_is_answered_as_its_command(
    filled: Services, who: str, sentence: str, command: str
) -> None:
    before = writes(filled)
    asked = ask(filled, who, sentence)
    assert shown(asked) == shown(ask(filled, who, command)), sentence
    assert writes(filled) == before


def test_the_table_asks_for_thirty_phrasings_and_every_read_command() -> None:
    assert len(SAME_AS_COMMAND) + len(NOT_A_COMMAND) >= 30
    asked = {command.split()[0].lstrip("/") for _who, _sentence, command in SAME_AS_COMMAND}
    assert asked >= _read_commands()


def test_a_division_is_found_by_the_aliases_its_plan_gives_it(
    filled: Services, tmp_path: Path
) -> None:
    data = shipped_plan()
    for division in data["divisions"]:
        if division["key"] == "research":
            division["aliases"] = ["อาร์แอนด์ดี"]
        if division["key"] == "it":
            del division["aliases"]  # ไอที no longer names it
    assert load_plan_file(filled.db, write_yaml(tmp_path, data)).written
    for sentence, command in [
        ("ฝ่ายอาร์แอนด์ดียังค้างอะไร", "/due research"),
        ("อาร์แอนด์ดีมีโครงการอะไรบ้าง", "/projects research"),
        ("งบอาร์แอนด์ดีเหลือเท่าไหร่", "/budget research"),
        ("/due อาร์แอนด์ดี", "/due research"),  # typed as a command's argument too
    ]:
        assert shown(ask(filled, MEMBER, sentence)) == shown(ask(filled, MEMBER, command)), sentence
    assert shown(ask(filled, MEMBER, "ฝ่ายไอทีค้างอะไร")) != shown(ask(filled, MEMBER, "/due it"))


def test_english_questions_are_answered_in_english(filled: Services) -> None:
    asked = ask(filled, MEMBER, "how much budget is left for STR114", language="en")
    assert shown(asked) == shown(ask(filled, MEMBER, "/budget STR114/64", language="en"))
    assert contains(asked[0].text, "budget_figures", "en")


@pytest.mark.parametrize(("sentence", "write"), NOT_A_COMMAND)
def test_a_write_chatter_or_greeting_runs_nothing_and_offers_read_commands(
    filled: Services, sentence: str, write: str | None
) -> None:
    before = writes(filled)
    [reply] = ask(filled, MEMBER, sentence)
    assert writes(filled) == before
    with UnitOfWork(filled.db) as uow:
        person = uow.people.find("telegram", MEMBER)
        assert person is not None and uow.flows.get(person.id) is None
    usage = {"update": "update_usage", "spend": "spend_usage", "undo": "intent_undo_usage"}
    if write is not None:
        assert reply.text == th("intent_not_saved") + "\n" + th(usage[write])
    elif sentence in ("สวัสดีครับ", "hello", "ขอบคุณมากครับ"):
        assert reply.text == th("intent_hello")
    else:
        assert reply.text == th("intent_suggest")
    assert "ไม่เข้าใจ" not in reply.text  # a rule for the wording: never "I don't understand"
    offered = [button for row in reply.buttons for button in row]
    assert 2 <= len(offered) <= 3
    for button in offered:
        data = decode(button.data)
        assert isinstance(data, RunCommand) and len(button.data.encode()) <= 64
        assert data.text.split()[0] in _read_commands()
        assert button.label == "/" + data.text


def test_the_buttons_answer_as_their_commands(filled: Services) -> None:
    [reply] = ask(filled, MEMBER, "รายงาน STR114 ข้อ 2 ได้ 130")
    offered = [button for row in reply.buttons for button in row]
    assert [b.label for b in offered] == [
        "/status STR114/64 2",
        "/status STR114/64",
        "/budget STR114/64",
    ]
    for button in offered:
        pressed = ask(filled, MEMBER, button=button.data)
        assert shown(pressed) == shown(ask(filled, MEMBER, button.label))
    [chatter] = ask(filled, PLANNER, "วันนี้ฝนตกหนักมาก")
    labels = [b.label for row in chatter.buttons for b in row]
    assert labels == ["/summary", "/late", "/help"]  # what a planner looks at first


def test_a_button_runs_only_a_read_command_and_checks_the_role(filled: Services) -> None:
    before = writes(filled)
    for forged in ("run:spend STR114/64 100", "run:update STR114/64 1 50", "run:undo"):
        [reply] = ask(filled, MEMBER, button=forged)
        assert reply.text == th("button_expired")
    assert writes(filled) == before
    assert ask(filled, MEMBER, "/late")[0].text == th("not_allowed_command", command="late")
    # asked by a button (or a question), a member gets their own division's state instead
    [instead] = ask(filled, MEMBER, button="run:late")
    assert instead.text.startswith(th("late_own_division_instead") + "\n\n")
    assert instead.text.endswith(ask(filled, MEMBER, "/due")[0].text)


def test_a_command_word_with_its_arguments_still_runs_as_typed(services: Services) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", "1", "member", "research", "Somchai")
    [spent] = ask(services, "1", "ใช้จ่าย STR114/64 1000 Q1")
    assert starts_with(spent.text, "spend_recorded", amount="1,000 บาท", code="STR114/64")
    assert writes(services) == (0, 1)
    [undone] = ask(services, "1", "undo")  # the command word alone is the command
    assert writes(services) == (0, 2) and "1,000" in undone.text
    [usage] = ask(services, "1", "ใช้จ่าย")
    assert usage.text.startswith(th("spend_usage"))  # and what my projects have left


def test_a_guided_update_still_takes_its_value_and_a_question_meanwhile_is_answered(
    services: Services,
) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", "1", "head", "research", "Somchai")
    [asked_value] = ask(services, "1", "/update STR114/64 2")
    assert "STR114/64" in asked_value.text
    question = ask(services, "1", "งบ STR114 เหลือเท่าไหร่")
    assert shown(question) == shown(ask(services, "1", "/budget STR114/64"))
    [confirm] = ask(services, "1", "40")  # the flow still waits for its value
    assert confirm.buttons and "40" in confirm.text


def test_unregistered_people_get_the_registration_hint(services: Services) -> None:
    [reply] = ask(services, "99", "งบ STR114 เหลือเท่าไหร่")
    assert reply.text == th("not_registered")
    [reply] = ask(services, "99", "สวัสดีครับ")
    assert reply.text == th("not_registered")


def test_in_a_group_only_a_message_that_mentions_the_bot_is_read(services: Services) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("line", "U1", "head", "research", "Somchai")
        uow.people.add("telegram", "1", "head", "research", "Somchai")

    def in_group(channel: str, user: str, text: str, *, addressed: bool) -> list[Reply]:
        request = Request(channel, user, "G1", text=text, is_group=True, addressed=addressed)
        return dispatch(request, services)

    assert in_group("telegram", "1", "งบ STR114 เหลือเท่าไหร่", addressed=False) == []
    assert in_group("line", "U1", "งบ STR114 เหลือเท่าไหร่", addressed=False) == []
    [linked] = in_group("line", "U1", "/link research", addressed=False)
    assert linked.text == th("link_done", division="ฝ่ายวิจัยและพัฒนา")
    question = in_group("line", "U1", "งบ STR114 เหลือเท่าไหร่", addressed=True)
    command = in_group("line", "U1", "/budget STR114/64", addressed=False)
    assert shown(question) == shown(command) and "STR114/64" in question[0].text
    other = in_group("line", "U1", "งบฝ่ายฝึกอบรมเหลือเท่าไหร่", addressed=True)
    assert shown(other) == shown(in_group("line", "U1", "/budget training", addressed=False))


def _read_commands() -> set[str]:
    from handlers.wiring import build_router

    return {i.command for i in build_router().intents() if not i.writes}


def test_the_intent_table_comes_from_the_declarations_and_writes_are_never_run() -> None:
    from handlers.wiring import build_router

    table = build_router().intents()
    assert {i.command for i in table if i.writes} == {"update", "spend", "undo"}
    assert len(table) >= 10
    assert {"late", "budget", "report", "help"} <= {i.command for i in table}


async def test_a_question_typed_in_line_gets_the_budget_answer(services: Services) -> None:
    async with line_harness(services) as line:
        line.register("Uresearch1", "member", "research")
        [answer] = await line.say("Uresearch1", "งบ STR114 เหลือเท่าไหร่")
        [command] = await line.say("Uresearch1", "/budget STR114/64")
        assert answer == command and answer.startswith("STR114/64")
        await line.say("Uresearch1", "ใช้เงินไป 5000")
        offered = line.fake.to("Uresearch1")[-1].quick_replies
        assert offered and all(data.startswith("run:") for _label, data in offered)


async def test_a_line_group_message_that_mentions_the_bot_is_read(services: Services) -> None:
    async with line_harness(services) as line:
        line.register("Uhead1", "head", "research")
        await line.say("Uhead1", "/link research", group="Cgroup1")
        text = "@planbot งบ STR114 เหลือเท่าไหร่"
        event = text_event("Uhead1", text, line.fake.reply_token("Cgroup1"), group="Cgroup1")
        event["message"]["mention"] = _mention_of_the_bot(len("@planbot"))
        before = len(line.fake.shown("Cgroup1"))
        assert await line.post([event]) == 200
        [answer] = line.fake.shown("Cgroup1")[before:]  # the budget card, as its texts
        [command] = await line.say("Uhead1", "/budget STR114/64", group="Cgroup1")
        assert answer == command
        assert await line.say("Uhead1", "งบ STR114 เหลือเท่าไหร่", group="Cgroup1") == []


def _mention_of_the_bot(length: int) -> dict[str, Any]:
    return {
        "mentionees": [
            {
                "index": 0,
                "length": length,
                "type": "user",
                "userId": "U" + uuid.uuid4().hex,
                "isSelf": True,
            }
        ]
    }
