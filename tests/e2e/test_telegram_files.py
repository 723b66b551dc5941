"""Photos and documents through the real python-telegram-bot Application and the fake Bot API:
what is downloaded (the largest size of a photo, nothing over the limit, nothing that is group
chatter), what the Request carries, what a person is told when a download fails, and how the
files of a reply go out (albums of photos, then of documents)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import InputMediaDocument, InputMediaPhoto
from telegram.error import BadRequest

import bot.telegram_bot
from bot.config import Settings
from bot.telegram_bot import send_reply, start_telegram, stop_telegram
from bot.telegram_endpoint import make_endpoint as make_telegram
from handlers.context import Services
from handlers.request import Attachment, Button, Reply, Request
from storage.unit_of_work import UnitOfWork
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram
from tests.support.catalog import contains, en, starts_with, th
from tests.support.images import jpeg

RESEARCH = 101
GROUP = -7000
JPEG = jpeg(64, 48)
PDF = b"%PDF-1.7\n" + b"evidence " * 500
MB = 1024 * 1024


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> list[Request]:
    """Every Request the channel hands to the (real) dispatcher."""
    seen: list[Request] = []
    real = bot.telegram_bot.answer

    def recording(request: Request, services: Services) -> object:
        seen.append(request)
        return real(request, services)

    monkeypatch.setattr(bot.telegram_bot, "answer", recording)
    return seen


@pytest.fixture
async def running(
    services: Services, requests: list[Request]
) -> AsyncIterator[tuple[FakeTelegram, Any]]:
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", str(RESEARCH), "head", "research", "Somchai")
    async with FakeTelegram() as server, running_telegram_bot(server, services) as application:
        yield server, application


@pytest.fixture
def fake(running: tuple[FakeTelegram, Any]) -> FakeTelegram:
    return running[0]


@pytest.fixture
def context(running: tuple[FakeTelegram, Any]) -> Any:
    """What send_reply needs of PTB's CallbackContext: the running Application's Bot."""
    return SimpleNamespace(bot=running[1].bot)


async def test_a_captioned_photo_runs_its_caption_with_the_largest_size_attached(
    fake: FakeTelegram, requests: list[Request]
) -> None:
    update = fake.user_photo(RESEARCH, JPEG, caption="/status STR114/64")
    card, note = await fake.wait_for(chat_id=RESEARCH, count=2)
    assert card.text.startswith("<b>STR114/64</b>")  # the caption ran as the command
    assert note.text == th("evidence_not_kept_nothing_recorded")  # /status records nothing
    largest = update["message"]["photo"][-1]
    assert fake.downloads == [largest["file_id"]]  # not the thumbnail
    [request] = requests
    assert request.text == "/status STR114/64"
    attachment = request.attachment
    assert attachment is not None and attachment.content == JPEG
    assert attachment.filename == f"photo_{largest['file_unique_id']}.jpg"
    assert (attachment.content_type, attachment.is_photo) == ("image/jpeg", True)
    assert attachment.size == len(JPEG) and request.reply_to == ()


async def test_a_document_too_large_is_not_downloaded(
    fake: FakeTelegram, requests: list[Request]
) -> None:
    fake.user_document(
        RESEARCH,
        PDF,
        "รายงาน.pdf",
        "application/pdf",
        caption="/update STR114/64 2 130",
        declared_size=25 * MB,
    )
    [reply] = await fake.wait_for(chat_id=RESEARCH)
    assert fake.downloads == [] and not [c for c, _ in fake.calls if c == "getFile"]
    assert starts_with(reply.text, "update_recorded", value="130 คน")  # the entry stands
    assert contains(reply.text, "evidence_too_large", size="25.0 MB", limit="20.0 MB")
    [request] = requests
    attachment = request.attachment
    assert attachment is not None and attachment.content is None
    assert (attachment.filename, attachment.size) == ("รายงาน.pdf", 25 * MB)
    assert attachment.content_type == "application/pdf" and not attachment.is_photo


async def test_a_document_in_reply_to_the_bot_carries_that_messages_buttons(
    fake: FakeTelegram, requests: list[Request]
) -> None:
    fake.user_message(RESEARCH, "/status STR114/64")
    [card] = await fake.wait_for(chat_id=RESEARCH)
    assert card.buttons
    fake.user_document(RESEARCH, PDF, "minutes.pdf", "application/pdf", reply_to=card)
    [answer] = await fake.wait_for(chat_id=RESEARCH)
    assert answer.text == th("evidence_no_entry")  # the card is no entry, and nothing was new
    request = requests[-1]
    assert request.reply_to == tuple(data for _, data in card.buttons)
    assert request.attachment is not None and request.attachment.content == PDF
    assert request.text == ""


async def test_pictures_shared_in_a_group_are_chatter(
    fake: FakeTelegram, requests: list[Request]
) -> None:
    fake.user_photo(RESEARCH, JPEG, chat_id=GROUP, group=True)
    fake.user_photo(RESEARCH, JPEG, caption="ดูรูปนี้สิ", chat_id=GROUP, group=True)
    fake.user_document(
        RESEARCH,
        PDF,
        "a.pdf",
        "application/pdf",
        caption="/status@otherbot X",
        chat_id=GROUP,
        group=True,
    )
    fake.user_photo(
        RESEARCH, JPEG, caption="/status@planbot_test_bot STR114/64", chat_id=GROUP, group=True
    )
    reply, *_ = await fake.wait_for(chat_id=GROUP)
    assert reply.text == th("group_not_linked")  # the command for this bot was answered
    assert len(fake.downloads) == 1  # only its photo was fetched
    assert [r.text for r in requests] == ["/status@planbot_test_bot STR114/64"]


async def test_a_file_telegram_will_not_give_gets_one_sentence_and_runs_nothing(
    services: Services, fake: FakeTelegram, requests: list[Request]
) -> None:
    services.evidence_max_bytes = 50 * MB  # more than the cloud Bot API lets a bot download
    fake.user_document(
        RESEARCH,
        PDF,
        "big.pdf",
        "application/pdf",
        caption="/status STR114/64",
        declared_size=30 * MB,
    )
    [reply] = await fake.wait_for(chat_id=RESEARCH)
    assert reply.text == th("telegram_file_not_downloaded")
    assert requests == [] and fake.downloads == []
    fake.user_document(
        RESEARCH,
        PDF,
        "big.pdf",
        "application/pdf",
        caption="/status STR114/64",
        language_code="en",
        declared_size=30 * MB,
    )
    [reply] = await fake.wait_for(chat_id=RESEARCH)
    assert reply.text == en("telegram_file_not_downloaded")  # as Telegram says they read
    assert "Traceback" not in reply.text


def _jpeg(number: int) -> Attachment:
    return Attachment(f"p{number}.jpg", jpeg(64, 48, number * 20), "image/jpeg")


async def test_a_replys_words_come_first_then_photos_then_documents(
    fake: FakeTelegram, context: Any
) -> None:
    heic = Attachment("scan.heic", b"heic bytes", "image/heic")  # not a photo Telegram takes
    pdf = Attachment("minutes.pdf", PDF, "application/pdf")
    reply = Reply(
        "<b>STR114/64</b> 5 files",
        ((Button("OK", "x:1"),),),
        files=(_jpeg(1), pdf, _jpeg(2), heic, _jpeg(3)),
    )
    await send_reply(context, RESEARCH, reply)
    text, *sent = await fake.wait_for(chat_id=RESEARCH, count=6, since=0)
    assert (text.method, text.text, text.buttons) == ("sendMessage", reply.text, [("OK", "x:1")])
    assert [(s.method, s.kind, s.content) for s in sent] == [
        ("sendMediaGroup", "photo", _jpeg(1).content),
        ("sendMediaGroup", "photo", _jpeg(2).content),
        ("sendMediaGroup", "photo", _jpeg(3).content),
        ("sendMediaGroup", "document", PDF),
        ("sendMediaGroup", "document", b"heic bytes"),
    ]
    assert [s.filename for s in sent[3:]] == ["minutes.pdf", "scan.heic"]


async def test_eleven_photos_are_two_albums_and_one_file_goes_alone(
    fake: FakeTelegram, context: Any
) -> None:
    await send_reply(context, RESEARCH, Reply("", files=tuple(_jpeg(n) for n in range(11))))
    sent = await fake.wait_for(chat_id=RESEARCH, count=11, since=0)
    assert {s.method for s in sent} == {"sendMediaGroup"}  # no empty text message first
    assert len([c for c, _ in fake.calls if c == "sendMediaGroup"]) == 2
    assert [s.content for s in sent] == [_jpeg(n).content for n in range(11)]
    before = len(fake.sent)
    one = (Attachment("m.pdf", PDF, "application/pdf"), _jpeg(7))
    await send_reply(context, RESEARCH, Reply("", files=one))
    photo, document = await fake.wait_for(chat_id=RESEARCH, count=2, since=before)
    assert (photo.method, photo.content) == ("sendPhoto", _jpeg(7).content)
    assert (document.method, document.filename, document.content) == ("sendDocument", "m.pdf", PDF)


async def test_the_fake_refuses_albums_telegram_refuses(fake: FakeTelegram, context: Any) -> None:
    mixed = [InputMediaPhoto(JPEG, filename="a.jpg"), InputMediaDocument(PDF, filename="b.pdf")]
    with pytest.raises(BadRequest):
        await context.bot.send_media_group(RESEARCH, mixed)
    with pytest.raises(BadRequest):
        await context.bot.send_media_group(RESEARCH, [InputMediaPhoto(JPEG, filename="a.jpg")])
    assert not [s for s in fake.sent if s.method == "sendMediaGroup"]


@pytest.mark.parametrize("elsewhere", [False, True])
async def test_files_are_fetched_where_the_settings_say(
    services: Services, elsewhere: bool
) -> None:
    """The Application `planbot run` builds from Settings downloads from TELEGRAM_API_FILE_URL,
    or from TELEGRAM_API_BASE_URL's /file/bot when it is unset."""
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", str(RESEARCH), "head", "research", "Somchai")
    file_url = f"http://127.0.0.1:{_closed_port()}/file/bot" if elsewhere else None
    async with FakeTelegram() as fake:
        env = {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url}
        settings = Settings.from_env(
            env | ({"TELEGRAM_API_FILE_URL": file_url} if file_url else {})
        )
        telegram = make_telegram(services, settings, polling=True)
        assert telegram is not None
        await start_telegram(telegram.application, polling=True)
        try:
            fake.user_photo(RESEARCH, JPEG, caption="/status STR114/64")
            reply, *_ = await fake.wait_for(chat_id=RESEARCH)
        finally:
            await stop_telegram(telegram.application)
    if file_url is None:
        assert reply.text.startswith("<b>STR114/64</b>") and len(fake.downloads) == 1
    else:  # nothing listens there: the download failed, and the person was told so
        assert reply.text == th("telegram_file_not_downloaded") and fake.downloads == []


def _closed_port() -> int:
    """A port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
