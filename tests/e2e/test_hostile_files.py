"""Files that are not what they say, files that stream past the limit, and names no database
takes, sent through the real python-telegram-bot Application (fake Bot API) and the real LINE SDK
(fake LINE API), on a SQLite file and on PostgreSQL. Served files go out under the type their
bytes show, and the /files route answers 403 to any odd link, never 500."""

from __future__ import annotations

import dataclasses
import io
import logging
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from PIL import Image
from sqlalchemy import func, select

from bot.access_log import QuietAccessLogger
from bot.file_links import short_name
from handlers.context import Services
from plan_data.errors import Refusal
from plan_data.evidence import IncomingFile, check_file
from storage.db.database import Database
from storage.db.models import EvidenceFile, EvidenceLink, IndicatorReport
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.fakes import running_telegram_bot
from tests.fakes.line_api import file_event
from tests.fakes.line_harness import line_harness
from tests.fakes.telegram_api import FakeTelegram
from tests.support.catalog import contains, matches, th

HEAD = 111
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 4000
HTML = b"<html><script>fetch('/steal')</script></html>" * 20
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + b"\x00" * 4000
PDF = b"%PDF-1.4\n" + b"x" * 1000


def _picture(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, kind)
    return out.getvalue()


@pytest.fixture
def any_services(loaded: Database) -> Services:
    """The shipped plan on a SQLite file and on PostgreSQL, with a head of research."""
    with UnitOfWork(loaded) as uow:
        uow.people.add("telegram", str(HEAD), "head", "research", "Somchai")
        uow.people.add("line", "Uhead1", "head", "research", "Somsri")
    return Services(db=loaded, clock=lambda: JAN_11_2021, bot_username="planbot_test_bot")


@pytest.fixture
async def fake(any_services: Services) -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server, running_telegram_bot(server, any_services):
        yield server


def _count(services: Services, model: type) -> int:
    with services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _kept(services: Services) -> list[tuple[str, str]]:
    with services.db.session() as session:
        rows = session.execute(
            select(EvidenceLink.filename, EvidenceFile.content_type).join(
                EvidenceFile, EvidenceFile.id == EvidenceLink.file_id
            )
        ).all()
    return [(name, kind) for name, kind in rows]


def _values(services: Services) -> list[Decimal | None]:
    with services.db.session() as session:
        return list(session.scalars(select(IndicatorReport.value).order_by(IndicatorReport.id)))


@pytest.mark.parametrize(
    ("name", "claimed", "content", "kind"),
    [
        ("invoice.pdf", "image/heic", ELF, "HEIC"),  # a program claiming to be a photo
        ("x.heic", "", HTML, "HEIC"),  # a web page named as a photo
        ("pic.webp", "image/webp", WAV, "WEBP"),  # a sound named as a picture
        ("scan.pdf", "application/pdf", ELF, "PDF"),
    ],
)
async def test_a_file_that_is_not_what_it_claims_is_refused_and_the_value_stands(
    fake: FakeTelegram,
    any_services: Services,
    name: str,
    claimed: str,
    content: bytes,
    kind: str,
) -> None:
    fake.user_document(HEAD, content, name, claimed, caption="/update STR114/64 2 43")
    [answer] = await fake.wait_for(chat_id=HEAD, method="sendMessage")
    assert contains(answer.text, "evidence_not_what_it_says", kind=kind)
    assert _values(any_services) == [Decimal(43)]
    assert _count(any_services, EvidenceFile) == 0


async def test_a_picture_is_kept_under_the_type_its_bytes_show(
    fake: FakeTelegram, any_services: Services
) -> None:
    fake.user_document(
        HEAD, _picture("WEBP"), "scan.heic", "image/heic", caption="/update STR114/64 2 44"
    )
    await fake.wait_for(chat_id=HEAD, method="sendMessage")
    fake.user_document(
        HEAD, _picture("PNG"), "receipt.pdf", "application/pdf", caption="/update STR114/64 3 1"
    )
    await fake.wait_for(chat_id=HEAD, method="sendMessage")
    assert sorted(_kept(any_services)) == [
        ("receipt.pdf", "image/png"),
        ("scan.heic", "image/webp"),
    ]


async def test_nul_in_a_file_name_or_a_person_s_name_never_fails_the_request(
    fake: FakeTelegram, any_services: Services
) -> None:
    fake.user_document(
        HEAD,
        PDF,
        "x\u0000y.pdf",
        "application/pdf",
        caption="/update STR114/64 2 43",
        first_name="Som\u0000chai",
    )
    [answer] = await fake.wait_for(chat_id=HEAD, method="sendMessage")
    assert matches(answer.text.split("\n")[0], "update_recorded", value="43 คน")
    assert _values(any_services) == [Decimal(43)]
    assert _kept(any_services) == [("xy.pdf", "application/pdf")]
    fake.user_message(HEAD, "/status STR114/64", first_name="Som\u0000chai")
    [card] = await fake.wait_for(chat_id=HEAD, method="sendMessage")
    assert "STR114/64" in card.text and th("error_generic") not in card.text


async def test_a_file_that_streams_past_the_limit_is_refused_like_a_big_one(
    any_services: Services,
) -> None:
    small = dataclasses.replace(any_services, evidence_max_bytes=1024 * 1024)
    async with FakeTelegram() as server, running_telegram_bot(server, small):
        # Declared 1,000 bytes; the download goes on for 6 MB.
        server.user_document(
            HEAD,
            PDF + b"0" * 6 * 1024 * 1024,
            "claim.pdf",
            "application/pdf",
            caption="/update STR114/64 2 45",
            declared_size=1000,
        )
        [answer] = await server.wait_for(chat_id=HEAD, method="sendMessage")
    assert contains(answer.text, "evidence_too_large_streamed", limit="1.0 MB")
    assert _values(any_services) == [Decimal(45)] and _count(any_services, EvidenceFile) == 0


async def test_a_line_file_that_streams_past_the_limit_is_refused(services: Services) -> None:
    with UnitOfWork(services.db) as uow:
        uow.people.add("line", "Uhead1", "head", "research", "Somsri")
    small = dataclasses.replace(services, evidence_max_bytes=1024 * 1024)
    async with line_harness(small, public_url="https://bot.example.org") as line:
        await line.say("Uhead1", "/update STR114/64 2 46")
        line.fake.add_content("9001", PDF + b"0" * 6 * 1024 * 1024, "application/pdf")
        token = line.fake.reply_token("Uhead1")
        assert await line.post([file_event("Uhead1", "9001", "claim.pdf", 1000, token)]) == 200
        shown = "\n".join(line.fake.shown("Uhead1"))
    assert th("evidence_too_large_streamed", limit="1.0 MB") in shown
    assert _count(services, EvidenceFile) == 0


async def test_odd_file_links_are_refused_never_a_server_error(services: Services) -> None:
    async with line_harness(services, public_url="https://bot.example.org") as line:
        base = "/files/" + "a" * 64 + "/x.pdf"
        for expires in ("9" * 4400, "²", "-1", "1e9", "", "１２３"):
            response = await line.client.get(base, params={"exp": expires, "sig": "x"})
            assert response.status == 403, expires
    assert short_name("..") == "file" and short_name(".") == "file"
    assert short_name("../../etc/passwd") == ".._.._etc_passwd"


def test_the_access_log_keeps_no_link_query_digest_or_name(
    caplog: pytest.LogCaptureFixture,
) -> None:
    digest = "ab" * 32
    request = make_mocked_request("GET", f"/files/{digest}/ใบเสร็จ.pdf?exp=1999999999&sig=SECRET")
    logger = logging.getLogger("aiohttp.access")
    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        QuietAccessLogger(logger, "").log(request, web.Response(status=403), 0.01)
    [line] = caplog.messages
    assert "GET /files/abababab… 403" in line
    assert "SECRET" not in line and "exp=" not in line and digest not in line
    assert "ใบเสร็จ" not in line


def test_every_allowed_kind_is_checked_by_its_bytes() -> None:
    for name, claimed, content in (
        ("a.heic", "image/heic", ELF),
        ("a.webp", "", WAV),
        ("a.docx", "", b"PK\x03\x04" + b"\x00" * 100),
        ("a.xls", "", b"MZ" + b"\x00" * 100),
    ):
        with pytest.raises(Refusal) as refused:
            check_file(IncomingFile(name, claimed, len(content), content))
        assert refused.value.key == "evidence_not_what_it_says", name
    assert check_file(IncomingFile("a.jpg", "", 10, _picture("JPEG"))) == "image/jpeg"
