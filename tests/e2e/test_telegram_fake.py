"""The fake Bot API behaves like Telegram where the bot's correctness depends on it: checked with
python-telegram-bot's own client, so the other tests can trust it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta
from io import BytesIO

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from tests.fakes.telegram_api import FakeTelegram, html_problem


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def client(fake: FakeTelegram) -> AsyncIterator[Bot]:
    request = HTTPXRequest(read_timeout=0.5, connect_timeout=0.5)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as bot:
        yield bot


async def test_get_me_and_updates_with_offsets(fake: FakeTelegram, client: Bot) -> None:
    assert (await client.get_me()).username == "planbot_test_bot"
    first = fake.user_message(5, "/status STR114/64", language_code="en")
    fake.press(5, 77, "upd:ok:1")
    updates = await client.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first["update_id"], first["update_id"] + 1]
    message = updates[0].message
    assert message is not None and message.text == "/status STR114/64"
    assert message.from_user is not None and message.from_user.language_code == "en"
    assert updates[1].callback_query is not None and updates[1].callback_query.data == "upd:ok:1"
    assert await client.get_updates(offset=updates[1].update_id + 1, timeout=0) == ()


async def test_send_edit_and_refuse_bad_html(fake: FakeTelegram, client: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="upd:ok:1")]])
    sent = await client.send_message(
        5, "<b>a</b> &amp; b", parse_mode="HTML", reply_markup=keyboard
    )
    assert fake.sent[0].buttons == [("ok", "upd:ok:1")] and fake.sent[0].parse_mode == "HTML"
    await client.edit_message_text("done", chat_id=5, message_id=sent.message_id)
    assert fake.sent[-1].method == "editMessageText" and fake.sent[-1].text == "done"
    with pytest.raises(BadRequest, match="not modified"):
        await client.edit_message_text("done", chat_id=5, message_id=sent.message_id)
    for bad in ("<b>open", "a & b", "<script>x</script>", "x" * 4097, ""):
        with pytest.raises(BadRequest):
            await client.send_message(5, bad, parse_mode="HTML")
    assert html_problem("<b>a</b> &lt;i&gt;") is None


async def test_document_keeps_filename_and_bytes(fake: FakeTelegram, client: Bot) -> None:
    await client.send_document(5, BytesIO(b"PK\x03\x04data"), filename="plan.xlsx", caption="x")
    assert (fake.sent[0].filename, fake.sent[0].content) == ("plan.xlsx", b"PK\x03\x04data")


async def test_faults_blocked_chats_and_counters(fake: FakeTelegram, client: Bot) -> None:
    fake.fail_next("sendMessage", 2, status=502)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await client.send_message(5, "hi")
    await client.send_message(5, "hi")
    await client.send_message(5, "hi")
    assert fake.server_errors_sent == 2 and fake.per_text[(5, "hi")] == 2
    fake.block(6)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await client.send_message(6, "hi")
    assert fake.forbidden_sent == 1
    fake.delay("sendMessage", 1.0, count=1)
    with pytest.raises(TimedOut):
        await client.send_message(5, "late")
    await client.send_message(5, "on time")


async def test_limits_answer_429_with_retry_after(fake: FakeTelegram, client: Bot) -> None:
    fake.enforce_limits = True
    stopped = time.monotonic()
    fake.clock = lambda: stopped  # every send below falls in the same second, however slow
    await client.send_message(5, "one")
    with pytest.raises(RetryAfter) as caught:
        await client.send_message(5, "two")  # 1 per second per chat
    assert caught.value.retry_after in (1, timedelta(seconds=1))
    for chat in range(100, 129):
        await client.send_message(chat, "x")  # 30 in a second overall, counting "one"
    with pytest.raises(RetryAfter):
        await client.send_message(200, "x")
    assert fake.too_many_sent == 2


async def test_group_limit_is_20_a_minute(fake: FakeTelegram, client: Bot) -> None:
    fake.enforce_limits = True
    now = time.monotonic()
    fake._chat_times[-9].extend(now - 2 - i for i in range(20))  # 20 sent in the last minute
    with pytest.raises(RetryAfter):
        await client.send_message(-9, "x")
