"""Evidence through LINE from end to end: a head reports, sends a picture (LINE has no captions),
says yes to the question, and a planner gets the picture back as an image message whose link
the webhook server answers with the same bytes."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from handlers.context import Services
from storage.db.models import EvidenceFile, EvidenceLink, IndicatorReport
from tests.fakes.line_api import image_event, text_event
from tests.fakes.line_harness import line_harness
from tests.support.catalog import contains, th

PUBLIC = "https://planbot.example.org"


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), "#1A3D6D").save(out, "JPEG", quality=90)
    return out.getvalue()


async def test_a_picture_sent_after_update_is_attached_on_yes_and_comes_back_to_a_planner(
    services: Services,
) -> None:
    photo = _photo()
    async with line_harness(services, public_url=PUBLIC) as line:
        line.register("Uhead1", "head", "research", "Somchai")
        line.register("Uplanner1", "planner", "planning", "Malee")
        [recorded] = await line.say("Uhead1", "/update STR114/64 2 130")
        assert contains(recorded, "update_recorded", code="STR114/64", number=2)

        line.fake.add_content("7001", photo, "image/jpeg")
        before = len(line.fake.to("Uhead1"))
        token = line.fake.reply_token("Uhead1")
        assert await line.post([image_event("Uhead1", "7001", token)]) == 200
        [asked] = line.fake.to("Uhead1")[before:]
        entry = th("evidence_entry_value", code="STR114/64", seq=2)
        assert asked.texts == [th("evidence_ask", name="image_7001.jpg", entry=entry)]
        yes = next(data for label, data in asked.quick_replies if label == th("evidence_yes"))

        [attached] = await line.press("Uhead1", yes)
        assert attached == th("evidence_attached", name="image_7001.jpg", entry=entry, count=1)
        with services.db.session() as session:
            link, file, report = session.execute(
                select(EvidenceLink, EvidenceFile, IndicatorReport)
                .join(EvidenceFile, EvidenceFile.id == EvidenceLink.file_id)
                .join(IndicatorReport, IndicatorReport.id == EvidenceLink.report_id)
            ).one()
            assert bytes(file.content) == photo and file.content_type == "image/jpeg"
            assert link.filename == "image_7001.jpg" and link.channel == "line"
            assert report.value == 130

        before = len(line.fake.to("Uplanner1"))
        token = line.fake.reply_token("Uplanner1")
        assert await line.post([text_event("Uplanner1", "/evidence STR114/64 2", token)]) == 200
        assert line.fake.rejected == []
        [delivered] = line.fake.to("Uplanner1")[before:]
        assert delivered.kind == "reply"
        listing, image = delivered.messages
        assert contains(listing["text"], "evidence_header", count=1)
        assert image["type"] == "image"
        assert image["originalContentUrl"].startswith(f"{PUBLIC}/files/")
        assert await line.fetch(image["originalContentUrl"]) == (200, "image/jpeg", photo)
        assert await line.fetch(image["previewImageUrl"]) == (200, "image/jpeg", photo)


async def test_in_a_group_only_a_picture_that_can_find_an_entry_is_fetched(
    services: Services,
) -> None:
    """People share pictures in a division's group all day: the bot fetches one only from
    someone who made an entry in the last ten minutes (and then asks), never the others."""
    photo = _photo()
    async with line_harness(services, public_url=PUBLIC) as line:
        line.register("Uhead1", "head", "research", "Somchai")
        line.register("Umember1", "member", "research", "Dao")
        line.fake.add_content("8001", photo, "image/jpeg")
        line.fake.add_content("8002", photo, "image/jpeg")
        token = line.fake.reply_token("Cresearch")
        assert await line.post([image_event("Umember1", "8001", token, group="Cresearch")]) == 200
        assert line.fake.called("GET", "/v2/bot/message/8001/content") == 0
        assert line.fake.to("Cresearch") == []

        await line.say("Uhead1", "/update STR114/64 2 130", group="Cresearch")
        token = line.fake.reply_token("Cresearch")
        assert await line.post([image_event("Uhead1", "8002", token, group="Cresearch")]) == 200
        assert line.fake.called("GET", "/v2/bot/message/8002/content") == 1
        asked = line.fake.to("Cresearch")[-1]
        entry = th("evidence_entry_value", code="STR114/64", seq=2)
        assert asked.texts == [th("evidence_ask", name="image_8002.jpg", entry=entry)]
