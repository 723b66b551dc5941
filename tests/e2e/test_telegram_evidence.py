"""Evidence end to end in Telegram (the real python-telegram-bot Application against the fake
Bot API): a head reports with a photo as the caption's evidence, the database keeps the value
and the photo's bytes with it, a planner's /evidence sends the same bytes back, and a file of a
refused type gets one sentence and is not kept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from handlers.context import Services
from storage.db.models import EvidenceFile, EvidenceLink, Indicator, IndicatorReport, Project
from storage.unit_of_work import UnitOfWork
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram
from tests.support.catalog import contains, starts_with
from tests.support.images import jpeg

HEAD, PLANNER = 111, 222
JPEG = jpeg(640, 480)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2000


@pytest.fixture
async def fake(services: Services) -> AsyncIterator[FakeTelegram]:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", str(HEAD), "head", "research", "Somchai")
        uow.people.add("telegram", str(PLANNER), "planner", "planning", "Malee")
    async with FakeTelegram() as server, running_telegram_bot(server, services):
        yield server


def reports_with_files(services: Services) -> list[tuple[Decimal | None, bytes, str]]:
    """(value, file bytes, file name) of every file linked to a report of STR114/64 no. 2."""
    with services.db.session() as session:
        rows = session.execute(
            select(IndicatorReport.value, EvidenceFile.content, EvidenceLink.filename)
            .join(EvidenceLink, EvidenceLink.report_id == IndicatorReport.id)
            .join(EvidenceFile, EvidenceFile.id == EvidenceLink.file_id)
            .join(Indicator, Indicator.id == IndicatorReport.indicator_id)
            .join(Project, Project.id == Indicator.project_id)
            .where(Project.code == "STR114/64", Indicator.seq == 2)
        ).all()
    return [(value, bytes(content), name) for value, content, name in rows]


def kept_files(services: Services) -> int:
    with services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(EvidenceFile)) or 0)


async def test_a_photo_reported_with_update_comes_back_to_a_planner(
    fake: FakeTelegram, services: Services
) -> None:
    update = fake.user_photo(HEAD, JPEG, caption="/update STR114/64 2 130")
    [confirmation] = await fake.wait_for(chat_id=HEAD)
    assert starts_with(
        confirmation.text, "update_recorded", value="130 คน", number=2, code="STR114/64"
    )
    assert contains(confirmation.text, "evidence_attached", count=1)
    photo_name = f"photo_{update['message']['photo'][-1]['file_unique_id']}.jpg"
    assert reports_with_files(services) == [(Decimal(130), JPEG, photo_name)]

    fake.user_message(PLANNER, "/evidence STR114/64 2")
    listing, photo = await fake.wait_for(chat_id=PLANNER, count=2)
    assert contains(listing.text, "evidence_header", count=1)
    assert photo.method in ("sendPhoto", "sendMediaGroup") and photo.kind == "photo"
    assert photo.content == JPEG  # the very bytes the head sent


async def test_a_program_sent_as_evidence_gets_one_sentence_and_is_not_kept(
    fake: FakeTelegram, services: Services
) -> None:
    fake.user_message(HEAD, "/update STR114/64 2 130")
    [confirmation] = await fake.wait_for(chat_id=HEAD)
    assert confirmation.buttons  # its 📎 button names the entry a reply belongs to
    fake.user_document(HEAD, EXE, "setup.exe", "application/x-msdownload", reply_to=confirmation)
    [refusal] = await fake.wait_for(chat_id=HEAD)
    assert contains(refusal.text, "evidence_type", kind="application/x-msdownload")
    assert "\n" not in refusal.text.strip()  # one sentence
    assert kept_files(services) == 0 and reports_with_files(services) == []
