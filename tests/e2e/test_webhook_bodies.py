"""Authenticated but malformed webhook bodies, through the real aiohttp webhook server: POST
/telegram with the right secret token and POST /line signed with the channel secret answer 400
(never 500) when the body is not an update, nothing is written to the database, nothing is sent,
and the server keeps answering /health. A non-ASCII secret token header is a 401, not a crash.

Listed cases first, then bodies made by hypothesis (any JSON value, and objects shaped roughly
like a Telegram update or a LINE webhook body)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.line_endpoint import LINE_SIGNATURE_HEADER
from bot.telegram_bot import build_application
from bot.telegram_endpoint import TELEGRAM_SECRET_HEADER, TelegramEndpoint
from handlers.context import Services
from storage.db.models import Base
from tests.fakes.line_api import sign
from tests.fakes.line_harness import SECRET as LINE_SECRET
from tests.fakes.line_harness import LineHarness, line_harness
from tests.fakes.telegram_api import FakeTelegram

SECRET = "telegram-webhook-secret"


@pytest.fixture
async def server(services: Services) -> AsyncIterator[tuple[LineHarness, FakeTelegram]]:
    async with FakeTelegram() as fake:
        application = build_application(fake.token, services, fake.base_url, rate_limit=False)
        await application.initialize()
        try:
            async with line_harness(
                services, telegram=TelegramEndpoint(application, SECRET)
            ) as line:
                yield line, fake
        finally:
            await application.shutdown()


def _rows(services: Services) -> dict[str, int]:
    """How many rows each table holds."""
    with services.db.session() as session:
        return {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def _post(line: LineHarness, channel: str, body: bytes) -> int:
    if channel == "telegram":
        headers = {TELEGRAM_SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    else:
        headers = {
            LINE_SIGNATURE_HEADER: sign(LINE_SECRET, body),
            "Content-Type": "application/json",
        }
    response = await line.client.post(f"/{channel}", data=body, headers=headers)
    return response.status


async def _healthy(line: LineHarness) -> bool:
    response = await line.client.get("/health")
    return response.status == 200 and (await response.json())["database"] is True


def _nested(depth: int, inner: bytes = b"") -> bytes:
    return b"[" * depth + inner + b"]" * depth


def _nested_objects(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


NOT_AN_OBJECT = [
    b"null",
    b"[1,2]",
    b"5",
    b'"update"',
    b"true",
    _nested(100_000),
    _nested(5_000),
    _nested_objects(100_000),
    b"",
    b"{",
    b"\xff\xfe{}",
]
TELEGRAM_MALFORMED = [
    b"{}",
    b'{"update_id":77,"message":5}',
    b'{"update_id":"77"}',
    b'{"update_id":true}',
    b'{"update_id":77,"message":[1,2]}',
    b'{"update_id":77,"message":{}}',
    b'{"update_id":77,"callback_query":"x"}',
    b'{"update_id":77,"message":{"message_id":1,"date":"x","chat":5}}',
    b'{"update_id":77,"message":' + _nested(900) + b"}",
    b'{"update_id":77,"message":' + _nested_objects(900) + b"}",
    # Authenticated, shaped like an update, with fields of the wrong type (issue 17, item 7).
    *[
        b'{"update_id":78,"message":{"message_id":1,"date":1,"chat":{"id":%s,"type":"private"},'
        b'"from":{"id":42,"is_bot":false,"first_name":"S"},"text":%s}}' % (chat, text)
        for chat, text in ((b'"abc"', b'"/status"'), (b"42", b"12345"), (b"42", b'["a"]'))
    ],
    b'{"update_id":79,"callback_query":{"id":"1","chat_instance":"1","data":5,'
    b'"from":{"id":42,"is_bot":false,"first_name":"S"}}}',
    b'{"update_id":80,"message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},'
    b'"from":{"id":42,"is_bot":false,"first_name":"S"},"document":{"file_id":"f",'
    b'"file_unique_id":"u","file_size":"big","file_name":"a.pdf"}}}',
]
LINE_MALFORMED = [
    b"{}",
    b'{"events":5}',
    b'{"events":null}',
    b'{"events":{"type":"message"}}',
    b'{"events":[{}]}',
    b'{"events":[5]}',
    b'{"events":[{"type":5}]}',
    b'{"events":[{"type":""}]}',
    b'{"destination":"Ubot","events":[' + _nested(990) + b"]}",
    b'{"events":[{"type":"message","message":' + _nested_objects(900) + b"}]}",
]
CASES = [
    *[("telegram", body) for body in NOT_AN_OBJECT + TELEGRAM_MALFORMED],
    *[("line", body) for body in NOT_AN_OBJECT + LINE_MALFORMED],
]


@pytest.mark.parametrize(
    ("channel", "body"), CASES, ids=lambda v: v[:40] if isinstance(v, bytes) else v
)
async def test_authenticated_malformed_body_is_400_and_changes_nothing(
    server: tuple[LineHarness, FakeTelegram], services: Services, channel: str, body: bytes
) -> None:
    line, fake = server
    before = _rows(services)
    assert await _post(line, channel, body) == 400
    assert _rows(services) == before
    assert fake.sent == [] and line.fake.delivered == []
    assert await _healthy(line)


async def test_well_formed_bodies_without_anything_to_do_are_still_200(
    server: tuple[LineHarness, FakeTelegram], services: Services
) -> None:
    """What the platforms really send and we ignore: LINE's webhook verification (no events),
    an event kind the SDK does not know yet, a Telegram update of a kind we did not ask for."""
    line, _fake = server
    before = _rows(services)
    assert await _post(line, "line", b'{"destination":"Ubot","events":[]}') == 200
    assert await _post(line, "line", b'{"events":[{"type":"someday","mode":"active"}]}') == 200
    assert await _post(line, "telegram", b'{"update_id":78}') == 200
    assert _rows(services) == before


# -- fuzz ---------------------------------------------------------------------------------------
SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=16,
)
TELEGRAM_KINDS = ("message", "edited_message", "callback_query", "my_chat_member", "channel_post")
TELEGRAM_BODIES = JSON | st.fixed_dictionaries(
    {"update_id": st.integers() | JSON},
    optional={
        kind: JSON
        | st.fixed_dictionaries(
            {},
            optional={
                "message_id": st.integers() | JSON,
                "date": st.integers() | JSON,
                "chat": JSON
                | st.fixed_dictionaries({"id": st.integers(), "type": st.text(max_size=8)}),
                "from": JSON,
                "text": st.text(max_size=20) | JSON,
                "data": JSON,
                "id": JSON,
            },
        )
        for kind in TELEGRAM_KINDS
    },
)
LINE_EVENT = JSON | st.fixed_dictionaries(
    {"type": st.sampled_from(["message", "postback", "follow", "unfollow", "join", "leave", "x"])},
    optional={
        "source": JSON
        | st.fixed_dictionaries(
            {"type": st.sampled_from(["user", "group"])}, optional={"userId": JSON, "groupId": JSON}
        ),
        "timestamp": st.integers() | JSON,
        "mode": st.sampled_from(["active", "standby"]) | JSON,
        "webhookEventId": st.text(max_size=8) | JSON,
        "deliveryContext": JSON,
        "replyToken": JSON,
        "message": JSON,
        "postback": JSON,
    },
)
LINE_BODIES = JSON | st.fixed_dictionaries(
    {"events": JSON | st.lists(LINE_EVENT, max_size=3)}, optional={"destination": JSON}
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


async def _fuzz_one(line: LineHarness, services: Services, channel: str, value: Any) -> None:
    body = json.dumps(value).encode()
    before = _rows(services)
    status = await _post(line, channel, body)
    assert status in (200, 400), (status, body[:300])
    if status == 400:
        assert _rows(services) == before, body[:300]
    if not isinstance(value, dict):
        assert status == 400, body[:300]
    assert await _healthy(line)


@FUZZ
@given(value=TELEGRAM_BODIES)
async def test_fuzzed_telegram_bodies_never_break_the_server(
    server: tuple[LineHarness, FakeTelegram], services: Services, value: Any
) -> None:
    line, _fake = server
    await _fuzz_one(line, services, "telegram", value)


@FUZZ
@given(value=LINE_BODIES)
async def test_fuzzed_line_bodies_never_break_the_server(
    server: tuple[LineHarness, FakeTelegram], services: Services, value: Any
) -> None:
    line, _fake = server
    await _fuzz_one(line, services, "line", value)


# -- who may post -------------------------------------------------------------------------------
async def _raw_post(port: int, path: str, header: bytes, body: bytes = b"{}") -> int:
    """A request written byte by byte: a header value that is not ASCII (or not even UTF-8),
    which an HTTP client library would refuse to send."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n".encode()
            + header
            + b"\r\n\r\n"
            + body
        )
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout=10)
    finally:
        writer.close()
    return int(status_line.split()[1])


@pytest.mark.parametrize(
    "value",
    [
        b"\xff\xfe",
        "ลับ".encode(),
        SECRET.encode() + b"\xc3\xa9",
        b"\xe0\xb8",
        (SECRET[:-1] + "๑").encode(),
    ],
    ids=["latin-1", "thai", "secret-plus-e-acute", "cut-utf8", "thai-digit"],
)
async def test_non_ascii_secret_token_is_401(
    server: tuple[LineHarness, FakeTelegram], services: Services, value: bytes
) -> None:
    line, fake = server
    before = _rows(services)
    update = json.dumps(fake.user_message(42, "/status STR114/64")).encode()
    status = await _raw_post(
        line.client.port, "/telegram", TELEGRAM_SECRET_HEADER.encode() + b": " + value, update
    )
    assert status == 401
    assert _rows(services) == before and fake.sent == []
    assert await _healthy(line)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"", 400),
        (LINE_SIGNATURE_HEADER.encode() + b": \xff\xfe", 401),
        (LINE_SIGNATURE_HEADER.encode() + b": " + "ลายเซ็น".encode(), 401),
        (LINE_SIGNATURE_HEADER.encode() + b": not-base64", 401),
    ],
    ids=["missing", "latin-1", "thai", "wrong"],
)
async def test_bad_or_missing_line_signature_stays_refused(
    server: tuple[LineHarness, FakeTelegram], services: Services, header: bytes, expected: int
) -> None:
    line, _fake = server
    before = _rows(services)
    body = b'{"destination":"Ubot","events":[]}'
    status = await _raw_post(line.client.port, "/line", header or b"X-Other: 1", body)
    assert status == expected
    assert _rows(services) == before and line.fake.delivered == []
    assert await _healthy(line)
