"""/export, /chart and /summary end to end: the real python-telegram-bot Application against the
local fake Bot API server; the spreadsheet arrives as a document openpyxl can open."""

from __future__ import annotations

from collections.abc import AsyncIterator
from io import BytesIO

import pytest
from openpyxl import load_workbook
from PIL import Image

from handlers.context import Services
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram
from tests.support.planning_scenario import MEMBER, PLANNER, fill


@pytest.fixture
async def fake(services: Services) -> AsyncIterator[FakeTelegram]:
    fill(services)
    async with FakeTelegram() as server, running_telegram_bot(server, services):
        yield server


async def test_export_sent_as_a_document_to_a_planner(fake: FakeTelegram) -> None:
    fake.user_message(int(PLANNER), "/export")
    [sent] = await fake.wait_for(chat_id=int(PLANNER), timeout=15)
    assert sent.method == "sendDocument"
    assert sent.filename == "planbot-FY2564-2564-Q1-20210111.xlsx"
    assert sent.content is not None
    book = load_workbook(BytesIO(sent.content))
    assert book.sheetnames[:2] == ["สรุป", "โครงการ"]
    projects = {r[0].value: r[9].value for r in book["โครงการ"].iter_rows(min_row=2)}
    assert projects["STR111/64"] == 2000000 and projects["รวมทั้งแผน"] == 4000000
    assert "ข้อมูลแผนปีงบประมาณ 2564" in sent.text


async def test_export_refused_for_a_member(fake: FakeTelegram) -> None:
    fake.user_message(int(MEMBER), "/export")
    [sent] = await fake.wait_for(chat_id=int(MEMBER))
    assert sent.method == "sendMessage"
    assert sent.text == "สิทธิ์ของคุณใช้คำสั่ง /export ไม่ได้"
    assert not [s for s in fake.sent if s.method == "sendDocument"]


async def test_chart_sent_as_a_photo_and_summary_as_one_message(fake: FakeTelegram) -> None:
    fake.user_message(int(MEMBER), "/chart STR114/64")
    [photo] = await fake.wait_for(chat_id=int(MEMBER), timeout=15)
    assert photo.method == "sendPhoto" and photo.content is not None
    with Image.open(BytesIO(photo.content)) as picture:
        assert picture.format == "PNG" and picture.size == (1080, 1350)
    fake.user_message(int(MEMBER), "/summary")
    [summary] = await fake.wait_for(chat_id=int(MEMBER))
    assert summary.method == "sendMessage"
    assert "ตัวชี้วัดรายงานแล้ว 6/147" in summary.text
