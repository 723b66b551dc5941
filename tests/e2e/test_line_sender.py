"""Outbox delivery to LINE through LineSender and the real SDK, against the fake Messaging API:
the retry key makes a repeated push harmless, and LINE's answers map to delivery outcomes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.line_sender import LineSender, make_line_api, retry_key
from tests.fakes.line_api import FakeLine

REMINDER = (
    "<b>รายงานไตรมาส 2/2564</b> ครบกำหนด 5 เม.ย. 2564\n"
    "• STR114/64 ตัวชี้วัดที่ 2 — พิมพ์ <code>/update STR114/64 2 ค่า</code>\n"
    "R&amp;D &lt;ฝ่ายวิจัย&gt;"
)


@pytest.fixture
async def line() -> AsyncIterator[tuple[FakeLine, LineSender]]:
    async with FakeLine() as fake:
        api = make_line_api(fake.base_url, fake.access_token)
        try:
            yield fake, LineSender(api)
        finally:
            await api.api_client.close()


async def test_reminder_is_pushed_to_a_line_group_as_plain_text(
    line: tuple[FakeLine, LineSender],
) -> None:
    fake, sender = line
    result = await sender.send("Cgroup1", REMINDER, {}, "reminder:research:2564-Q2:due:w2")
    assert result.outcome == "sent"
    [delivered] = fake.to("Cgroup1")
    assert delivered.kind == "push"
    assert delivered.texts == [
        "รายงานไตรมาส 2/2564 ครบกำหนด 5 เม.ย. 2564\n"
        "• STR114/64 ตัวชี้วัดที่ 2 — พิมพ์ /update STR114/64 2 ค่า\n"
        "R&D <ฝ่ายวิจัย>"
    ]
    assert delivered.retry_key == retry_key("reminder:research:2564-Q2:due:w2")


async def test_a_retried_push_is_not_shown_twice(line: tuple[FakeLine, LineSender]) -> None:
    fake, sender = line
    key = "reminder:research:2564-Q2:due:w2"
    first = await sender.send("Cgroup1", REMINDER, {}, key)
    again = await sender.send("Cgroup1", REMINDER, {}, key)  # e.g. the answer was lost
    assert (first.outcome, again.outcome) == ("sent", "sent")  # LINE's 409 counts as sent
    assert len(fake.to("Cgroup1")) == 1
    assert max(fake.per_text.values()) == 1
    other = await sender.send("Cgroup1", REMINDER, {}, "reminder:research:2564-Q2:due:w3")
    assert other.outcome == "sent" and len(fake.to("Cgroup1")) == 2


async def test_rate_limit_is_a_retry_and_the_retry_then_goes_through(
    line: tuple[FakeLine, LineSender],
) -> None:
    fake, sender = line
    fake.rate_limit(1)
    limited = await sender.send("Uperson", REMINDER, {}, "k1")
    assert limited.outcome == "retry" and limited.retry_after and limited.retry_after > 0
    assert "429" in limited.error
    assert fake.to("Uperson") == []
    assert (await sender.send("Uperson", REMINDER, {}, "k1")).outcome == "sent"
    assert len(fake.to("Uperson")) == 1


async def test_blocked_chat_and_server_errors(line: tuple[FakeLine, LineSender]) -> None:
    fake, sender = line
    fake.block("Ublocker")
    blocked = await sender.send("Ublocker", REMINDER, {}, "k2")
    assert blocked.outcome == "blocked" and "403" in blocked.error
    fake.fail_next(1, 503)
    assert (await sender.send("Uperson", REMINDER, {}, "k3")).outcome == "retry"
    assert (await sender.send("Uperson", REMINDER, {}, "k3")).outcome == "sent"


async def test_long_reminder_is_split_within_lines_limits(
    line: tuple[FakeLine, LineSender],
) -> None:
    fake, sender = line
    lines = [f"• SME111_{i % 9}/64 ตัวชี้วัดที่ {i} ยังไม่ได้รายงาน " + "ก" * 80 for i in range(400)]
    result = await sender.send("Cgroup1", "\n".join(lines), {}, "long")
    assert result.outcome == "sent", result.error
    assert fake.rejected == []
    pushes = fake.to("Cgroup1")
    texts = [t for p in pushes for t in p.texts]
    assert len(texts) == 11 and all(len(t) <= 5000 for t in texts)  # 50 kB of text
    assert [len(p.messages) for p in pushes] == [5, 5, 1]
    assert "\n".join(texts) == "\n".join(lines)
    assert len({p.retry_key for p in pushes}) == 3
