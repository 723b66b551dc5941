"""The LINE rich menu: six tiles under the chat — project status, report, spending, due, the
dashboard (its personal link), help — each sending the word the dispatcher knows (`สถานะ`,
`รายงาน`, `ภาพรวม`, …; a command's declared words, handlers.wiring), so a tap is the same as typing it.

`planbot run --webhook` makes it the channel's default menu at start (`ensure_rich_menu`): the
menus are listed first and one with the same name is used as it is, so restarts create nothing.
The name carries a digest of the menu and of the picture's design, so a changed menu is a new
one. The picture (bot/richmenu_image.py) goes to LINE's data host, LINE_API_DATA_BASE_URL.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from linebot.v3.messaging import (
    AsyncApiClient,
    AsyncMessagingApi,
    AsyncMessagingApiBlob,
    Configuration,
    MessageAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
)
from linebot.v3.messaging.exceptions import ApiException

from bot.richmenu_image import HEIGHT, WIDTH, Tile, bounds, render_menu, shaping
from handlers.i18n import Translator

log = logging.getLogger(__name__)
DESIGN = "tiles-2x3-v2"  # change when the picture changes, so a new menu is made
API_TIMEOUT_SECONDS = 20.0
NAME_PREFIX = "planbot"


@dataclass(frozen=True)
class MenuItem:
    command: str  # what the word means to the dispatcher
    word_th: str  # what the tile sends in Thai (one of its command's declared words)
    label_id: str  # the tile's label, from the catalog
    colour: str
    icon: str


ITEMS = (
    MenuItem("status", "สถานะ", "richmenu_status", "#1A3D6D", "status"),
    MenuItem("update", "รายงาน", "richmenu_report", "#2E7D32", "report"),
    MenuItem("spend", "ใช้จ่าย", "richmenu_spend", "#9A4F00", "spend"),
    MenuItem("due", "ค้างส่ง", "richmenu_due", "#B71C1C", "due"),
    MenuItem("dashboard", "ภาพรวม", "richmenu_dashboard", "#5E35B1", "summary"),
    MenuItem("help", "ช่วยเหลือ", "richmenu_help", "#37474F", "help"),
)


def word(item: MenuItem, language: str) -> str:
    return item.word_th if language == "th" else item.command


def tiles(language: str = "th") -> list[Tile]:
    _ = Translator(language)
    return [Tile(_(item.label_id), item.colour, item.icon) for item in ITEMS]


def menu_request(language: str = "th") -> RichMenuRequest:
    """The default menu: the picture split in six tappable areas, each sending its word."""
    _ = Translator(language)
    areas = []
    for index, item in enumerate(ITEMS):
        x, y, width, height = bounds(index)
        action = MessageAction(label=_(item.label_id)[:20], text=word(item, language))
        areas.append(
            RichMenuArea(bounds=RichMenuBounds(x=x, y=y, width=width, height=height), action=action)
        )
    menu = RichMenuRequest(
        size=RichMenuSize(width=WIDTH, height=HEIGHT),
        selected=True,
        name=NAME_PREFIX,
        chatBarText=_("richmenu_chat_bar")[:14],
        areas=areas,
    )
    menu.name = menu_name(menu, language)
    return menu


def menu_name(menu: RichMenuRequest, language: str) -> str:
    """planbot th 1a2b3c4d5e6f: the same menu and picture design, the same name."""
    described = menu.to_dict() | {"name": None, "design": DESIGN, "language": language}
    digest = hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:12]
    return f"{NAME_PREFIX} {language} {digest}"


def make_blob_api(data_base_url: str, access_token: str) -> AsyncMessagingApiBlob:
    """The SDK's client for LINE's data host (uploads); call inside a loop."""
    configuration = Configuration(host=data_base_url.rstrip("/"), access_token=access_token)
    return AsyncMessagingApiBlob(AsyncApiClient(configuration))


async def ensure_rich_menu(
    api: AsyncMessagingApi, blob: AsyncMessagingApiBlob, language: str = "th"
) -> str:
    """Make our menu the default: found by name among the channel's menus, or created with its
    picture. Returns its id. A menu an earlier start created but whose picture never arrived
    gets it now (LINE refuses such a menu as the default)."""
    menu = menu_request(language)
    listed = await api.get_rich_menu_list(_request_timeout=API_TIMEOUT_SECONDS)
    found = next((m.rich_menu_id for m in listed.richmenus if m.name == menu.name), None)
    if found is None:
        created = await api.create_rich_menu(menu, _request_timeout=API_TIMEOUT_SECONDS)
        found = created.rich_menu_id
        await _upload(blob, found, language)
        log.info("LINE rich menu %s created (%s)", found, menu.name)
    try:
        await api.set_default_rich_menu(found, _request_timeout=API_TIMEOUT_SECONDS)
    except ApiException as error:
        if error.status != 400:
            raise
        log.info("LINE rich menu %s has no picture yet; uploading it", found)
        await _upload(blob, found, language)
        await api.set_default_rich_menu(found, _request_timeout=API_TIMEOUT_SECONDS)
    return found


async def _upload(blob: AsyncMessagingApiBlob, menu_id: str, language: str) -> None:
    if shaping() != "raqm":
        log.warning("Pillow has no libraqm here: Thai tone marks on the rich menu may sit badly")
    picture = render_menu(tiles(language))
    await blob.set_rich_menu_image(
        menu_id,
        picture,
        _headers={"Content-Type": "image/png"},
        _request_timeout=API_TIMEOUT_SECONDS,
    )


async def set_up_rich_menu(base_url: str, data_base_url: str, access_token: str) -> str | None:
    """`ensure_rich_menu` with clients of its own, for the start of `planbot run`: a failure is
    logged and the bot runs on without the menu (it is tried again at the next start)."""
    api = AsyncMessagingApi(
        AsyncApiClient(Configuration(host=base_url.rstrip("/"), access_token=access_token))
    )
    blob = make_blob_api(data_base_url, access_token)
    try:
        return await ensure_rich_menu(api, blob)
    except Exception as error:
        detail = getattr(error, "body", None) or error
        log.warning("LINE rich menu not set up: %s", detail)
        return None
    finally:
        await api.api_client.close()
        await blob.api_client.close()
