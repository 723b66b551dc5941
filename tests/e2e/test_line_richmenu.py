"""The LINE rich menu, end to end: made once at start through the real line-bot-sdk against the
fake Messaging API (menus on the API host, the picture on the separate data host), set as the
default, and every tile sends a word the bot answers helpfully."""

from __future__ import annotations

import asyncio
import os
import signal
from io import BytesIO
from pathlib import Path

import pytest
from linebot.v3.messaging import AsyncMessagingApi
from linebot.v3.messaging.exceptions import ApiException
from PIL import Image, ImageChops

from bot.line_richmenu import (
    ITEMS,
    ensure_rich_menu,
    make_blob_api,
    menu_request,
    set_up_rich_menu,
    tiles,
)
from bot.line_sender import make_line_api
from bot.richmenu_image import HEIGHT, WIDTH, bounds, render_menu, shaping
from handlers.context import Services
from handlers.dashboard.signing import DashboardLinks
from handlers.wiring import build_router
from tests.fakes.line_api import FakeLine, image_problem, rich_menu_problem
from tests.fakes.line_harness import line_harness
from tests.support.catalog import plain, th
from tests.support.processes import free_port, start_webhook_server


async def test_the_menu_is_created_once_with_its_picture_and_made_the_default() -> None:
    async with FakeLine() as fake:
        first = await set_up_rich_menu(fake.base_url, fake.data_base_url, fake.access_token)
        again = await set_up_rich_menu(fake.base_url, fake.data_base_url, fake.access_token)
        assert first is not None and again == first
        assert list(fake.rich_menus) == [first] and fake.default_rich_menu == first
        assert fake.called("POST", "/v2/bot/richmenu") == 1  # a second start creates nothing
        assert fake.called("GET", "/v2/bot/richmenu/list") == 2  # each start looks first
        assert fake.called("POST", "/v2/bot/user/all/richmenu/") == 2
        assert fake.rejected == []

        menu = fake.rich_menus[first]
        assert menu["size"] == {"width": 2500, "height": 1686} and menu["selected"] is True
        assert menu["name"].startswith("planbot th ")
        assert menu["chatBarText"] == th("richmenu_chat_bar")
        labels = [area["action"]["label"] for area in menu["areas"]]
        tiles_in_order = ("status", "report", "spend", "due", "dashboard", "help")
        assert labels == [th(f"richmenu_{tile}") for tile in tiles_in_order]
        words = [area["action"]["text"] for area in menu["areas"]]
        assert words == ["สถานะ", "รายงาน", "ใช้จ่าย", "ค้างส่ง", "ภาพรวม", "ช่วยเหลือ"]
        assert {area["action"]["type"] for area in menu["areas"]} == {"message"}
        covered = sum(a["bounds"]["width"] * a["bounds"]["height"] for a in menu["areas"])
        assert covered == 2500 * 1686  # six areas, edge to edge, no overlap

        kind, picture = fake.rich_menu_images[first]
        assert kind == "image/png" and len(picture) < 1024 * 1024
        with Image.open(BytesIO(picture)) as image:
            assert image.size == (2500, 1686)
        # the upload went to the data host only
        assert ("POST", f"/v2/bot/richmenu/{first}/content") in fake.requests


async def test_each_tile_sends_a_word_the_bot_answers_helpfully(services: Services) -> None:
    expected = {  # how each answer begins, as LINE shows it
        "status": plain(th("status_pick_project")),
        "update": plain(th("update_pick_project")),
        "spend": plain(th("spend_usage")),
        "due": plain(th("due_answer_head", count=26, projects=6, date="7 ม.ค. 2564")),
        "dashboard": plain(th("dashboard_link", minutes=15)),
        "help": plain(th("help_title")),
    }
    services.dashboard = DashboardLinks("https://plan.example.go.th", b"x" * 32)
    async with line_harness(services) as line:
        line.register("Uhead1", "head", "research")
        assert await set_up_rich_menu(
            line.fake.base_url, line.fake.data_base_url, line.fake.access_token
        )
        [menu] = line.fake.rich_menus.values()
        choices = {}
        for item, area in zip(ITEMS, menu["areas"], strict=True):
            word = area["action"]["text"]
            assert build_router().words[word] == item.command
            answer, *_more = await line.say("Uhead1", word)  # the due list is long: 2 parts
            assert answer.startswith(expected[item.command]), (word, answer)
            choices[item.command] = [
                data for _label, data in line.fake.to("Uhead1")[-1].quick_replies
            ]
        assert "sta:STR114/64" in choices["status"] and len(choices["status"]) == 6
        assert "upd:p:STR114/64" in choices["update"]
        assert line.fake.rejected == []
        # a project picked from the status list answers with its card
        await line.press("Uhead1", "sta:STR114/64")
        assert line.fake.cards("Uhead1")[-1]["contents"]["header"]["contents"][0]["text"] == (
            "STR114/64"
        )


async def test_a_menu_left_without_its_picture_gets_it_at_the_next_start() -> None:
    async with FakeLine() as fake:
        api = make_line_api(fake.base_url, fake.access_token)
        blob = make_blob_api(fake.data_base_url, fake.access_token)
        try:
            created = await api.create_rich_menu(menu_request())  # a start that stopped here
            assert await ensure_rich_menu(api, blob) == created.rich_menu_id
        finally:
            await api.api_client.close()
            await blob.api_client.close()
        assert list(fake.rich_menus) == [created.rich_menu_id]
        assert fake.default_rich_menu == created.rich_menu_id
        assert created.rich_menu_id in fake.rich_menu_images
        assert [why for _path, _status, why in fake.rejected] == [
            "must upload richmenu image before applying it"
        ]


async def test_the_fake_checks_menus_and_pictures_like_line() -> None:
    menu = menu_request().to_dict()
    assert rich_menu_problem(menu) is None
    outside = {
        **menu,
        "areas": [{**menu["areas"][0], "bounds": {"x": 2000, "y": 0, "width": 600, "height": 100}}],
    }
    assert "outside" in (rich_menu_problem(outside) or "")
    assert "chatBarText" in (rich_menu_problem({**menu, "chatBarText": "x" * 15}) or "")
    assert "/size" in (rich_menu_problem({**menu, "size": {"width": 2500, "height": 2500}}) or "")
    assert "1..20" in (rich_menu_problem({**menu, "areas": menu["areas"] * 4}) or "")
    small = BytesIO()
    Image.new("RGB", (2500, 843)).save(small, "PNG")
    assert "does not match" in (image_problem(small.getvalue(), "image/png", menu["size"]) or "")
    assert "not image/jpeg" in (
        image_problem(render_menu(tiles()), "image/jpeg", menu["size"]) or ""
    )

    async with FakeLine() as fake:
        api: AsyncMessagingApi = make_line_api(fake.base_url, fake.access_token)
        wrong_host = make_blob_api(fake.base_url, fake.access_token)  # not the data host
        blob = make_blob_api(fake.data_base_url, fake.access_token)
        try:
            menu_id = (await api.create_rich_menu(menu_request())).rich_menu_id
            with pytest.raises(ApiException) as refused:
                await wrong_host.set_rich_menu_image(
                    menu_id, render_menu(tiles()), _headers={"Content-Type": "image/png"}
                )
            assert refused.value.status == 404
            with pytest.raises(ApiException) as refused:
                await blob.set_rich_menu_image(
                    menu_id, small.getvalue(), _headers={"Content-Type": "image/png"}
                )
            assert refused.value.status == 400
            picture = render_menu(tiles(), kind="JPEG")
            await blob.set_rich_menu_image(
                menu_id, picture, _headers={"Content-Type": "image/jpeg"}
            )
            with pytest.raises(ApiException) as refused:  # one picture per menu
                await blob.set_rich_menu_image(
                    menu_id, picture, _headers={"Content-Type": "image/jpeg"}
                )
            assert refused.value.status == 400
        finally:
            for client in (api, wrong_host, blob):
                await client.api_client.close()


def test_the_picture_has_six_labelled_tiles_within_their_areas() -> None:
    """Each tile is its colour, and its label's white ink stays inside the tile with a margin
    (no clipped text); the file is PNG under 1 MB (a JPEG too)."""
    png = render_menu(tiles())
    assert len(png) < 1024 * 1024 and len(render_menu(tiles(), kind="JPEG")) < 1024 * 1024
    image = Image.open(BytesIO(png)).convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    for index, item in enumerate(ITEMS):
        x, y, w, h = bounds(index)
        colour = tuple(int(item.colour[i : i + 2], 16) for i in (1, 3, 5))
        assert image.getpixel((x + 60, y + h // 2)) == colour
        band = image.crop((x, y + int(h * 0.62), x + w, y + h))
        r, g, b = (channel.point(lambda v: 255 if v > 250 else 0) for channel in band.split())
        box = ImageChops.darker(ImageChops.darker(r, g), b).getbbox()  # white: all three
        assert box is not None, f"no label drawn on tile {index}"
        left, top, right, bottom = box
        assert left > 40 and right < w - 40, (index, box)  # inside the tile, not clipped
        assert top > 10 and bottom < band.height - 30, (index, box)


def test_thai_labels_are_shaped() -> None:
    """With libraqm (bundled in Pillow's wheels) tone marks sit on their consonants; the basic
    layout would draw ้ of ค้าง floating above."""
    assert shaping() == "raqm", "Pillow's wheels bundle libraqm; without it Thai is unshaped"
    from PIL import ImageDraw, ImageFont

    from handlers.fonts import THAI_FONT_BOLD

    shaped = ImageFont.truetype(str(THAI_FONT_BOLD), 112, layout_engine=ImageFont.Layout.RAQM)
    basic = ImageFont.truetype(str(THAI_FONT_BOLD), 112, layout_engine=ImageFont.Layout.BASIC)
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    top_shaped = draw.textbbox((0, 0), "ค้างส่ง", font=shaped, anchor="ls")[1]
    top_basic = draw.textbbox((0, 0), "ค้างส่ง", font=basic, anchor="ls")[1]
    assert top_shaped > top_basic  # the marks sit lower, on the consonants


async def test_planbot_run_webhook_sets_up_the_menu_and_a_restart_makes_no_other(
    tmp_path: Path,
) -> None:
    async with FakeLine() as fake:
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("TELEGRAM_", "DATABASE_URL", "LINE_"))
            },
            "LINE_CHANNEL_SECRET": "process-secret",
            "LINE_CHANNEL_ACCESS_TOKEN": fake.access_token,
            "LINE_API_BASE_URL": fake.base_url,
            "LINE_API_DATA_BASE_URL": fake.data_base_url,
            "PLANBOT_DATA_DIR": str(tmp_path / "data"),
            "PLANBOT_CLOCK": "2021-01-11T09:00+07:00",
            "HOST": "127.0.0.1",
        }
        for start in (1, 2):
            env["PORT"] = str(free_port())
            process = await start_webhook_server(tmp_path, env)
            try:
                for _ in range(600):
                    if fake.called("POST", "/v2/bot/user/all/richmenu/") == start:
                        break
                    assert process.returncode is None, "planbot run --webhook exited early"
                    await asyncio.sleep(0.1)
            finally:
                process.send_signal(signal.SIGTERM)
                output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
            assert process.returncode == 0, output.decode(errors="replace")[-2000:]
            assert b"Traceback" not in output and b"rich menu not set up" not in output
        assert len(fake.rich_menus) == 1 and fake.called("POST", "/v2/bot/richmenu") == 1
        assert list(fake.rich_menu_images) == [fake.default_rich_menu]
        assert fake.rejected == []
