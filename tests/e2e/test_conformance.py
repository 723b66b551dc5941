"""Issue 22's conformance run: a broad session through both channels — every project's /status,
every scope of /budget, /due and /late for every division, the reminders of a round, /review
with many reports waiting, /evidence with more files than an album — and every call checked by
the strict fakes (Telegram: HTML, text and caption lengths after entities, photo dimensions,
albums, callback data; LINE: messages per call, UTF-16 texts, labels in graphemes, Flex as LINE
validates it, bubble and carousel sizes as sent), every LINE message also against the SDK's
models. Every cut made in the session is checked to fall between Thai clusters; the same cuts
made by code point (the old way) are counted beside them. Run with -s to see the numbers."""

from __future__ import annotations

import asyncio
import dataclasses
import unicodedata
from collections import Counter
from typing import Any

import pytest

import handlers.text_fit as text_fit
from bot.config import Settings
from bot.delivery import Delivery, configured_senders
from handlers.context import Services
from handlers.reminders import write_round
from plan_data.evidence import IncomingFile
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.fakes import running_telegram_bot
from tests.fakes.line_api import FakeLine
from tests.fakes.line_harness import line_harness
from tests.fakes.telegram_api import FakeTelegram
from tests.support.handler_helpers import ask
from tests.support.images import jpeg, png
from tests.support.line_models import validated
from tests.support.remind_setup import report_everything

PLANNER_TG, HEAD_TG = 5001, 5002
PLANNER_LINE = "Uconformanceplanner000000000000001"
LEADING = "เแโใไ"
MARKS = "ัิีึืฺุู็่้๊๋์ํำ"


def bad_cut(text: str, index: int) -> bool:
    """Whether cutting `text` at `index` splits a Thai cluster: a mark left behind without its
    consonant, or a leading vowel kept without it."""
    if index <= 0 or index >= len(text):
        return False
    after, before = text[index], text[index - 1]
    return after in MARKS or unicodedata.category(after) in ("Mn", "Mc") or before in LEADING


@pytest.fixture
def cuts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int]]:
    """Every cut text_fit makes: (text, room, index chosen)."""
    seen: list[tuple[str, int, int]] = []
    real = text_fit._cut

    def recording(text: str, room: int, count: Any) -> int:
        index = real(text, room, count)
        if any("\u0e00" <= c <= "\u0e7f" for c in text):
            seen.append((text, room, index))
        return index

    monkeypatch.setattr(text_fit, "_cut", recording)
    return seen


def _scene(services: Services) -> tuple[list[str], list[str]]:
    """The people, the reports waiting for review and the evidence; the codes and divisions."""
    db = services.db
    with UnitOfWork(db) as uow:
        plan = uow.plans().plans[uow.plans().years[-1]]
        codes = [p.code for p in plan.projects]
        divisions = [d.key for d in plan.divisions]
    with UnitOfWork(db) as uow:
        uow.people.add("telegram", str(PLANNER_TG), "planner", "planning", "Malee")
        uow.people.add("telegram", str(HEAD_TG), "head", "research", "Somchai")
        uow.people.add("line", PLANNER_LINE, "planner", "planning", "Malee")
        linker = uow.people.add("telegram", "linker", "admin", None, "Linker")
        for number, key in enumerate(divisions):
            uow.people.link_chat("telegram", str(-9000 - number), key, linker.id)
            uow.people.link_chat("line", f"Cgroup{number:030d}", key, linker.id)
    report_everything(db, "research", "2564-Q1", JAN_11_2021)  # many reports wait for review
    ask(services, str(HEAD_TG), "/update STR114/64 2 130")
    files = [
        (f"ภาพกิจกรรมอบรมผู้ประกอบการ_{n}.jpg", jpeg(640, 480, n * 9), "image/jpeg") for n in range(12)
    ]
    files += [
        ("รายงานการประชุมคณะกรรมการ.pdf", b"%PDF-1.4\n" + b"x" * 900, "application/pdf"),
        ("สรุปผล.pdf", b"%PDF-1.4\n" + b"y" * 900, "application/pdf"),
        (
            "งบประมาณ.xlsx",
            b"PK\x03\x04" + b"z" * 900,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ]
    files.append(("long_screenshot.png", png(800, 12000), "image/png"))
    for name, content, kind in files:
        incoming = IncomingFile(
            name, kind, len(content), content, is_photo=kind.startswith("image")
        )
        from handlers.dispatch import dispatch
        from handlers.request import Request

        dispatch(
            Request(
                "telegram",
                str(HEAD_TG),
                str(HEAD_TG),
                text="/update STR114/64 2 130",
                language="th",
                attachment=incoming,
            ),
            services,
        )
    return codes, divisions


def _commands(codes: list[str], divisions: list[str]) -> list[str]:
    scopes = ["", "all", *(f"S{n}" for n in range(1, 7)), *divisions, "nowhere-ไม่มีฝ่ายนี้เลยจริงๆนะ"]
    return [
        *(f"/status {code}" for code in codes),
        *(f"/budget {scope}".strip() for scope in scopes),
        *(f"/due {key}" for key in divisions),
        *(f"/late {key}" for key in divisions),
        "/review",
        "/evidence STR114/64",
        "/evidence STR114/64 2",
        "/summary",
        "/update",
        "/chart STR114/64",
        "/chart all",
        "/export",
        "/find วิจัยและพัฒนาด้านเทคโนโลยีการเจียระไนอัญมณีและเครื่องประดับของผู้ประกอบการ",
    ]


async def _quiet(fake: FakeTelegram) -> None:
    """Until the bot has sent nothing new for a moment (albums follow the words)."""
    count = -1
    while count != len(fake.sent):
        count = len(fake.sent)
        await asyncio.sleep(0.3)


async def test_a_broad_session_meets_every_platform_rule(
    services: Services, cuts: list[tuple[str, int, int]]
) -> None:
    codes, divisions = _scene(services)
    commands = _commands(codes, divisions)
    async with FakeTelegram() as telegram, running_telegram_bot(telegram, services):
        for command in commands:
            telegram.user_message(PLANNER_TG, command)
            await telegram.wait_for(chat_id=PLANNER_TG, timeout=20)
            await _quiet(telegram)
        pages = [s for s in telegram.sent if any(d.startswith("ev:p:") for _l, d in s.buttons)]
        for sent in pages[:2]:
            data = next(d for _l, d in sent.buttons if d.startswith("ev:p:"))
            telegram.press(PLANNER_TG, sent, data)
            await telegram.wait_for(chat_id=PLANNER_TG, timeout=20)
            await _quiet(telegram)
        async with FakeLine() as line_push:
            settings = dataclasses.replace(
                Settings.from_env(),
                telegram_token=telegram.token,
                telegram_api_base_url=telegram.base_url,
                line_channel_secret="secret",
                line_channel_access_token=line_push.access_token,
                line_api_base_url=line_push.base_url,
            )
            senders = configured_senders(settings, timeout=5)
            assert write_round(services.db, JAN_11_2021, weekly=True).written >= len(divisions)
            assert await Delivery(services.db, senders, lease=10).run_until_idle(timeout=60)
            for sender in senders:
                await sender.close()
            line_checks, line_rejected = Counter(line_push.checks), list(line_push.rejected)
            line_messages = [m for d in line_push.delivered for m in d.messages]
    async with line_harness(services) as line:
        for command in commands:
            await line.say(PLANNER_LINE, command)
        line_checks.update(line.fake.checks)
        line_rejected += line.fake.rejected
        line_messages += [m for d in line.fake.delivered for m in d.messages]
    for message in line_messages:
        validated(message)
    line_checks["SDK models (from_dict, same JSON back)"] += len(line_messages)

    old_bad = sum(bad_cut(text, min(room, len(text))) for text, room, _i in cuts)
    new_bad = [(text, index) for text, _r, index in cuts if bad_cut(text, index)]
    print(f"\nTelegram: {len(telegram.calls)} calls; checks per rule:")
    for rule, count in sorted(telegram.checks.items()):
        print(f"  {rule}: {count}")
    print(f"LINE: {len(line_messages)} messages; checks per rule:")
    for rule, count in sorted(line_checks.items()):
        print(f"  {rule}: {count}")
    print(
        f"Thai cuts: {len(cuts)} made; inside a cluster by code point (before): {old_bad}; "
        f"as cut now: {len(new_bad)}"
    )

    assert telegram.refused == []
    assert line_rejected == []
    assert new_bad == []
    assert telegram.checks["photo dimensions, ratio and size"] > 0
    assert telegram.checks["caption length (1024 after entities)"] > 0
    sent_docs = [s.filename for s in telegram.sent if s.kind == "document"]
    assert "long_screenshot.png" in sent_docs and "สรุปผล.pdf" in sent_docs  # past the tenth
    assert line_checks["label length (graphemes, 1..20)"] > 0
