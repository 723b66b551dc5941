"""Evidence files in LINE: pictures and files people send are fetched from LINE's data host and
reach the conversation; kept files go back as signed links to the webhook server, which serves
the bytes from the database. The real line-bot-sdk against the fake LINE API, signed webhooks,
a real SQLite file."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from PIL import Image

import bot.line_bot
from bot.file_links import FileLinks
from bot.line_render import batches, render
from handlers.context import Services
from handlers.dispatch import Answer
from handlers.request import Attachment, Reply, Request
from storage.unit_of_work import UnitOfWork
from tests.conftest import JAN_11_2021
from tests.fakes.line_api import file_event, image_event, redelivered
from tests.fakes.line_harness import SECRET, LineHarness, line_harness
from tests.support.catalog import th

PUBLIC = "https://planbot.example.org"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"x" * 100


def _keep(services: Services, content: bytes, content_type: str) -> str:
    with UnitOfWork(services.db) as uow:
        uow.evidence.keep(content, content_type, JAN_11_2021)
    return hashlib.sha256(content).hexdigest()


def _links(line: LineHarness) -> FileLinks:
    links = line.bot.media.links
    assert links is not None
    return links


def _seen(monkeypatch: pytest.MonkeyPatch) -> list[Request]:
    """The Requests the LINE bot hands to the real dispatcher."""
    seen: list[Request] = []
    real = bot.line_bot.answer

    def recording(request: Request, services: Services) -> Answer:
        seen.append(request)
        return real(request, services)

    monkeypatch.setattr(bot.line_bot, "answer", recording)
    return seen


async def test_a_signed_link_serves_the_kept_bytes_with_their_type(services: Services) -> None:
    digest = _keep(services, PDF, "application/pdf")
    async with line_harness(services, public_url=PUBLIC) as line:
        url = _links(line).link(digest, "ใบเสร็จ มกราคม.pdf")
        assert url.startswith(f"{PUBLIC}/files/{digest}/")
        status, kind, body = await line.fetch(url)
        assert (status, kind, body) == (200, "application/pdf", PDF)
        response = await line.client.get("/" + url.split("/", 3)[3])
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment; filename*=UTF-8''")
        # A Thai name is not percent-encoded into the link: the link names the file by its digest
        assert disposition == f"attachment; filename*=UTF-8''file-{digest[:8]}.pdf"
        assert len(url) < 200 and "%E0" not in url

        picture = _keep(services, PNG, "image/png")
        response = await line.client.get("/" + _links(line).link(picture, "a.png").split("/", 3)[3])
        assert response.status == 200 and await response.read() == PNG
        assert "Content-Disposition" not in response.headers  # a picture opens in place


async def test_a_bad_or_expired_signature_is_refused_and_an_unknown_file_is_not_found(
    services: Services,
) -> None:
    digest = _keep(services, PDF, "application/pdf")
    async with line_harness(services, public_url=PUBLIC) as line:
        good = _links(line).link(digest, "report.pdf")
        assert (await line.fetch(good))[0] == 200
        wrong_sig = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
        assert (await line.fetch(wrong_sig))[0] == 403
        assert (await line.fetch(good.replace("report.pdf", "other.pdf")))[0] == 403
        other_secret = FileLinks(PUBLIC, "not-the-channel-secret").link(digest, "report.pdf")
        assert (await line.fetch(other_secret))[0] == 403
        week_ago = FileLinks(PUBLIC, SECRET, wall_clock=lambda: JAN_11_2021.timestamp())
        expired = week_ago.link(digest, "report.pdf")  # signed right, 7 days after 2021
        assert (await line.fetch(expired))[0] == 403
        assert (await line.fetch(good.split("?")[0]))[0] == 403  # no signature at all

        unknown = _links(line).link("0" * 64, "report.pdf")
        assert (await line.fetch(unknown))[0] == 404
        assert (await line.fetch(f"{PUBLIC}/files/not-a-digest/x.pdf?exp=1&sig=x"))[0] == 404


async def test_without_public_url_no_file_is_served(services: Services) -> None:
    digest = _keep(services, PDF, "application/pdf")
    async with line_harness(services) as line:
        url = FileLinks(PUBLIC, SECRET).link(digest, "report.pdf")
        assert (await line.fetch(url))[0] == 404


async def test_a_picture_is_fetched_from_the_data_host_and_reaches_the_dispatcher(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _seen(monkeypatch)
    async with line_harness(services) as line:
        line.register("Uhead1", "head", "research")
        line.fake.add_content("5001", PNG, "image/png")
        event = image_event("Uhead1", "5001", line.fake.reply_token("Uhead1"))
        assert await line.post([event]) == 200
        assert line.fake.called("GET", "/v2/bot/message/5001/content") == 1
        [request] = seen
        assert request.text == "" and request.button is None
        assert request.claim == event["webhookEventId"]
        file = request.attachment
        assert file is not None
        assert (file.filename, file.content_type, file.size) == ("image_5001.jpg", "image/png", 72)
        assert file.content == PNG and file.is_photo

        assert await line.post([redelivered(event)]) == 200  # the same event id: a no-op
        assert len(seen) == 1 and line.fake.called("GET", "/v2/bot/message/5001/content") == 1


async def test_a_file_is_fetched_under_its_name_and_one_too_big_is_not_fetched(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _seen(monkeypatch)
    services.evidence_max_bytes = 1000
    async with line_harness(services) as line:
        line.register("Uhead1", "head", "research")
        line.fake.add_content("6001", PDF, "application/octet-stream")
        token = line.fake.reply_token("Uhead1")
        assert await line.post([file_event("Uhead1", "6001", "ผลการจัดงาน.pdf", len(PDF), token)])
        token = line.fake.reply_token("Uhead1")
        assert await line.post([file_event("Uhead1", "6002", "วิดีโอ.pdf", 5_000_000, token)])
        assert line.fake.called("GET", "/v2/bot/message/6002/content") == 0
        small, big = (request.attachment for request in seen)
        assert small is not None and big is not None
        assert (small.filename, small.size, small.content, small.is_photo) == (
            "ผลการจัดงาน.pdf",
            len(PDF),
            PDF,
            False,
        )
        assert (big.filename, big.size, big.content) == ("วิดีโอ.pdf", 5_000_000, None)


async def test_a_failed_download_is_one_sentence_and_nothing_is_dispatched(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _seen(monkeypatch)
    async with line_harness(services) as line:
        line.register("Uhead1", "head", "research")
        token = line.fake.reply_token("Uhead1")
        assert await line.post([image_event("Uhead1", "gone", token)]) == 200
        assert line.fake.texts("Uhead1") == [th("line_file_download_failed")]
        assert seen == []
        token = line.fake.reply_token("Cgroup")  # in a group: silence, it may be chatter
        assert await line.post([image_event("Uhead1", "gone", token, group="Cgroup")]) == 200
        assert line.fake.to("Cgroup") == [] and seen == []


def _jpeg(side: int, noise: bool = False) -> bytes:
    image = Image.new("RGB", (side, side), "navy")
    if noise:
        image = Image.frombytes(
            "RGB", (side, side), hashlib.sha256().digest() * (side * side // 10 + 1)
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def _attachment(services: Services, name: str, content: bytes, kind: str) -> Attachment:
    return Attachment(name, content, kind, sha256=_keep(services, content, kind))


async def test_kept_files_go_to_line_as_pictures_and_links_that_fetch_the_same_bytes(
    services: Services,
) -> None:
    photo = _attachment(services, "image_1.jpg", _jpeg(64), "image/jpeg")
    pdf = _attachment(services, "สรุปผล.pdf", PDF, "application/pdf")
    async with line_harness(services, public_url=PUBLIC) as line:
        reply = Reply("หลักฐาน STR114/64 ตัวชี้วัดที่ 2", files=(photo, pdf))
        [group] = batches(render([reply], line.bot.media, "th"))
        await line.bot.push("Uplanner", group)
        assert line.fake.rejected == []
        [delivered] = line.fake.to("Uplanner")
        text, image = delivered.messages
        assert text["type"] == "text" and image["type"] == "image"
        assert text["text"].startswith("หลักฐาน STR114/64 ตัวชี้วัดที่ 2\n\n📎 สรุปผล.pdf: https://")
        assert text["text"].endswith(th("line_files_links_last", days=7))
        assert image["originalContentUrl"] == image["previewImageUrl"]
        assert await line.fetch(image["originalContentUrl"]) == (200, "image/jpeg", photo.content)
        link = text["text"].split("📎 สรุปผล.pdf: ")[1].split("\n")[0]
        assert await line.fetch(link) == (200, "application/pdf", PDF)


async def test_more_pictures_than_one_reply_holds_go_as_links(services: Services) -> None:
    photos = [
        _attachment(services, f"image_{i}.jpg", _jpeg(16 + i), "image/jpeg") for i in range(7)
    ]
    async with line_harness(services, public_url=PUBLIC) as line:
        messages = render([Reply("7 รูป", files=tuple(photos))], line.bot.media, "th")
        assert len(messages) == 5
        text, *pictures = messages
        assert [p["type"] for p in pictures] == ["image"] * 4
        assert text["text"].count("📎 image_") == 3  # the 5th, 6th and 7th by link
        await line.bot.push("Uplanner", messages)
        assert line.fake.rejected == []


async def test_a_big_picture_has_a_small_preview(services: Services) -> None:
    big = _attachment(services, "big.jpg", _jpeg(1200, noise=True), "image/jpeg")
    assert len(big.content) > 1024 * 1024
    async with line_harness(services, public_url=PUBLIC) as line:
        [message] = render([Reply("", files=(big,))], line.bot.media, "th")
        image: dict[str, Any] = message
        assert image["previewImageUrl"] == image["originalContentUrl"] + "&preview=1"
        status, kind, preview = await line.fetch(image["previewImageUrl"])
        assert (status, kind) == (200, "image/jpeg") and len(preview) <= 1024 * 1024
        assert max(Image.open(io.BytesIO(preview)).size) <= 480
        assert (await line.fetch(image["originalContentUrl"]))[2] == big.content


async def test_without_public_url_the_files_are_listed_with_where_to_open_them(
    services: Services,
) -> None:
    photo = _attachment(services, "image_1.jpg", _jpeg(64), "image/jpeg")
    async with line_harness(services) as line:
        [message] = render([Reply("หลักฐาน", files=(photo,))], line.bot.media, "th")
        text = message["text"]
        size = f"{max(1, round(len(photo.content) / 1024))} KB"
        assert text == "\n".join(
            [
                "หลักฐาน",
                "",
                th("line_files_item", filename="image_1.jpg", size=size),
                th("line_files_no_public_url"),
            ]
        )
