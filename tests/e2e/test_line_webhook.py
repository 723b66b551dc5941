"""LINE end to end: signed webhook posts to the aiohttp app, the real line-bot-sdk answering a
local fake Messaging API, a real SQLite file with the FY2564 plan."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from handlers.context import Services
from handlers.text_fit import graphemes
from storage.db.models import ProcessedEvent, SpendingEntry
from tests.fakes.line_api import (
    follow_event,
    join_event,
    postback_event,
    redelivered,
    text_event,
)
from tests.fakes.line_harness import line_harness


def _spending_rows(services: Services) -> int:
    with services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(SpendingEntry)) or 0)


def _claimed(services: Services) -> int:
    with services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(ProcessedEvent)) or 0)


async def test_status_from_a_registered_line_user_is_answered_with_the_reply_token(
    services: Services,
) -> None:
    async with line_harness(services) as line:
        line.register("Uresearch1", "member", "research")
        [text] = await line.say("Uresearch1", "/status STR114/64")
        assert text.startswith("STR114/64")  # <b> is gone: LINE shows plain text
        assert "<b>" not in text and "&amp;" not in text
        assert "งบประมาณ 5 ล้านบาท" in text and "1. (ผลลัพธ์)" in text
        assert [d.kind for d in line.fake.to("Uresearch1")] == ["reply"]


async def test_thai_alias_without_slash_works_like_the_command(services: Services) -> None:
    async with line_harness(services) as line:
        line.register("Uresearch1", "member", "research")
        [text] = await line.say("Uresearch1", "สถานะ str 114/64")
        assert text.startswith("STR114/64") and "งบประมาณ 5 ล้านบาท" in text


async def test_spend_is_recorded_and_status_shows_the_new_remaining(services: Services) -> None:
    async with line_harness(services) as line:
        line.register("Uresearch1", "member", "research")
        [text] = await line.say("Uresearch1", "spend STR114/64 250,000 Q1 มัดจำสถานที่")
        assert "250,000 บาท" in text and "คงเหลือ 4,750,000 บาท" in text
        assert _spending_rows(services) == 1
        [status] = await line.say("Uresearch1", "/status STR114/64")
        assert "คงเหลือ 4,750,000 บาท" in status


async def test_unregistered_line_user_sees_no_plan_data(services: Services) -> None:
    async with line_harness(services) as line:
        [text] = await line.say("Ustranger", "/status STR114/64")
        assert "ยังไม่ได้ลงทะเบียน" in text and "STR114/64" not in text


async def test_guided_update_through_quick_reply_postbacks(services: Services) -> None:
    async with line_harness(services) as line:
        line.register("Uhead1", "head", "research")
        await line.say("Uhead1", "/update")
        projects = line.fake.to("Uhead1")[-1].quick_replies
        assert any(
            label.startswith("STR114/64") and data == "upd:p:STR114/64" for label, data in projects
        )
        assert len(projects) <= 13 and all(graphemes(label) <= 20 for label, _ in projects)

        token = line.fake.reply_token("Uhead1")
        assert await line.post([postback_event("Uhead1", "upd:p:STR114/64", token)]) == 200
        indicators = line.fake.to("Uhead1")[-1].quick_replies
        assert indicators[0][1] == "upd:i:STR114/64:1"
        assert all(graphemes(label) <= 20 for label, _ in indicators)

        token = line.fake.reply_token("Uhead1")
        assert await line.post([postback_event("Uhead1", "upd:i:STR114/64:1", token)]) == 200
        asked = line.fake.texts("Uhead1")[-1]
        assert "STR114/64" in asked
        cancel = line.fake.to("Uhead1")[-1].quick_replies
        assert len(cancel) == 1 and cancel[0][1].startswith("upd:no:")

        answer = await line.say("Uhead1", "85")
        confirm = line.fake.to("Uhead1")[-1].quick_replies
        assert confirm, answer  # a confirm / cancel choice
        token = line.fake.reply_token("Uhead1")
        yes = next(data for _label, data in confirm if not data.startswith("upd:no"))
        assert await line.post([postback_event("Uhead1", yes, token)]) == 200
        assert line.fake.texts("Uhead1")[-1].startswith("✅ บันทึกค่า 85% ให้ตัวชี้วัดที่ 1 ของ STR114/64")
        [status] = await line.say("Uhead1", "/status STR114/64")
        assert re.search(r"ล่าสุด 85% ของไตรมาส [1-4]/2564 โดย Somchai", status), status


async def test_follow_greets_with_how_to_join(services: Services) -> None:
    async with line_harness(services) as line:
        token = line.fake.reply_token("Unew")
        assert await line.post([follow_event("Unew", token)]) == 200
        [text] = line.fake.texts("Unew")
        assert "planbot" in text and "/start" in text


async def test_invite_code_typed_without_slash_joins_from_line(services: Services) -> None:
    async with line_harness(services) as line:
        code = line.invite("research")
        [text] = await line.say("Unew", f"start {code}")
        assert "research" in text.lower() or "วิจัย" in text
        [status] = await line.say("Unew", "/status STR114/64")
        assert status.startswith("STR114/64")


async def test_group_join_welcomes_and_a_head_links_it(services: Services) -> None:
    async with line_harness(services) as line:
        token = line.fake.reply_token("Cgroup1")
        assert await line.post([join_event("Cgroup1", token)]) == 200
        [welcome] = line.fake.texts("Cgroup1")
        assert "/link" in welcome and "research" in welcome

        line.register("Uhead1", "head", "research")
        [done] = await line.say("Uhead1", "/link research", group="Cgroup1")
        assert done.startswith("✅") and "วิจัย" in done
        # people chatting in the group are left alone
        assert await line.say("Uhead1", "ประชุมกี่โมงครับ", group="Cgroup1") == []


async def test_bad_or_missing_signature_is_refused_and_nothing_is_written(
    services: Services,
) -> None:
    async with line_harness(services) as line:
        line.register("Uresearch1", "member", "research")
        event = text_event(
            "Uresearch1", "/spend STR114/64 1000 Q1", line.fake.reply_token("Uresearch1")
        )
        assert await line.post([event], secret="not-the-channel-secret") == 401
        assert await line.post([event], signature="") == 400
        assert await line.post([event], signature="AAAA") == 401
        assert _spending_rows(services) == 0 and _claimed(services) == 0
        assert line.fake.delivered == []


async def test_redelivered_spend_is_counted_once(services: Services) -> None:
    async with line_harness(services) as line:
        line.register("Uresearch1", "member", "research")
        event = text_event(
            "Uresearch1", "/spend STR114/64 250000 Q1", line.fake.reply_token("Uresearch1")
        )
        assert await line.post([event]) == 200
        assert await line.post([redelivered(event)]) == 200
        assert await line.post([event]) == 200
        assert _spending_rows(services) == 1
        assert len(line.fake.texts("Uresearch1")) == 1
        [status] = await line.say("Uresearch1", "/status STR114/64")
        assert "คงเหลือ 4,750,000 บาท" in status


async def test_stale_reply_token_falls_back_to_push(services: Services) -> None:
    async with line_harness(services) as line:
        line.register("Uresearch1", "member", "research")
        event = text_event("Uresearch1", "/status STR114/64", "expired-token")
        event["timestamp"] -= 5 * 60 * 1000  # sent five minutes ago: the token is dead
        assert await line.post([event]) == 200
        [delivered] = line.fake.to("Uresearch1")
        assert delivered.kind == "push" and delivered.shown[0].startswith("STR114/64")


async def test_used_reply_token_falls_back_to_push(services: Services) -> None:
    async with line_harness(services) as line:
        line.register("Uresearch1", "member", "research")
        token = line.fake.reply_token("Uresearch1")
        line.fake.expire(token)  # LINE refuses it (used or expired)
        assert await line.post([text_event("Uresearch1", "/status STR114/64", token)]) == 200
        assert [d.kind for d in line.fake.to("Uresearch1")] == ["push"]
        assert line.fake.rejected[0][1] == 400
