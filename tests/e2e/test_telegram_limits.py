# ruff: noqa: F811  (the fixtures of test_telegram_files, imported to be shared)
"""Pictures and captions Telegram would refuse (issue 22): a long screenshot or a receipt strip
goes as a document, a long caption goes as a message of its own, and a file that still fails is
named once — the words are never sent again and nothing says the wrong thing about saving."""

from __future__ import annotations

from typing import Any

from bot.telegram_bot import deliver, send_reply
from handlers.request import Attachment, Reply
from handlers.text_fit import visible_utf16
from tests.e2e.test_telegram_files import RESEARCH, context, fake, requests, running  # noqa: F401
from tests.fakes.telegram_api import FakeTelegram, photo_problem
from tests.support.catalog import th
from tests.support.images import jpeg, png


def _picture(name: str, content: bytes) -> Attachment:
    return Attachment(name, content, "image/jpeg" if name.endswith(".jpg") else "image/png")


def test_the_fake_refuses_what_telegram_refuses() -> None:
    assert photo_problem(jpeg(800, 12000)) == "Bad Request: PHOTO_INVALID_DIMENSIONS"
    assert photo_problem(jpeg(2500, 100)) == "Bad Request: PHOTO_INVALID_DIMENSIONS"  # ratio 25
    assert photo_problem(jpeg(1080, 2400)) is None


async def test_photos_outside_telegrams_limits_go_as_documents(
    fake: FakeTelegram, context: Any
) -> None:
    files = (
        _picture("screen.jpg", jpeg(800, 12000)),
        _picture("strip.png", png(2500, 100)),
        _picture("ok.jpg", jpeg(640, 480)),
    )
    await send_reply(context, RESEARCH, Reply("หลักฐาน", files=files))
    sent = await fake.wait_for(chat_id=RESEARCH, count=4, since=0)
    shown = [(s.method, s.kind, s.filename) for s in sent[1:]]
    assert ("sendPhoto", "photo", "ok.jpg") in shown
    assert {(k, f) for _m, k, f in shown if f != "ok.jpg"} == {
        ("document", "screen.jpg"),
        ("document", "strip.png"),
    }
    assert sent[0].text == "หลักฐาน"


async def test_a_long_caption_becomes_its_own_message(fake: FakeTelegram, context: Any) -> None:
    text = "<b>สรุป</b> " + "ผู้ประกอบการได้รับคำปรึกษา " * 60
    assert visible_utf16(text) > 1024
    await deliver(context, RESEARCH, Reply(text, image=_picture("chart.png", png(800, 600))))
    words, picture = await fake.wait_for(chat_id=RESEARCH, count=2, since=0)
    assert (words.method, words.text) == ("sendMessage", text)
    assert (picture.method, picture.text) == ("sendPhoto", "")


async def test_a_file_that_fails_is_named_and_the_words_are_not_sent_again(
    fake: FakeTelegram, context: Any
) -> None:
    fake.fail_next("sendPhoto", count=2, status=400)
    chart = _picture("chart.png", png(800, 600))
    long_reply = Reply("✅ บันทึกแล้ว " + "ก" * 1100, image=chart, saved_note="saved")
    await deliver(context, RESEARCH, long_reply, "th")
    sent = await fake.wait_for(chat_id=RESEARCH, count=2, since=0)
    assert [s.method for s in sent] == ["sendMessage", "sendMessage"]
    assert sent[0].text == long_reply.text
    assert sent[1].text == th("telegram_file_not_sent", names="chart.png")
    assert fake.per_text[(RESEARCH, long_reply.text)] == 1
    assert not any(s.text == "saved" for s in fake.sent)


def test_what_goes_as_a_photo() -> None:
    from bot.telegram_limits import fits_as_photo

    assert fits_as_photo(jpeg(1080, 2400), "image/jpeg")
    assert not fits_as_photo(jpeg(800, 12000), "image/jpeg")
    assert not fits_as_photo(b"\xff\xd8\xff\xe0 not really", "image/jpeg")
