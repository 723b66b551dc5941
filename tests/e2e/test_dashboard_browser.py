"""The dashboard in a real browser (Debian's chromium under Playwright) against the real webhook
app, with the link taken from a real /dashboard reply (python-telegram-bot against the fake Bot
API): the overview's figures, a project reached by its links, verifying and returning from the
page and seeing it in chat, the links that must not open (tampered, expired, forwarded), and the
Mini App's sign-in with launch data signed for this bot, and forged."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from html import unescape
from typing import Any
from urllib.parse import quote, urlencode

from bot.delivery import Delivery, RateLimits
from bot.telegram_endpoint import TelegramEndpoint
from bot.telegram_sender import TelegramSender
from handlers.context import Services
from handlers.formatting import money
from plan_data.fiscal import local_day
from plan_data.progress import frame_at
from plan_data.summary import plan_summary
from storage.unit_of_work import UnitOfWork
from tests.fakes import running_telegram_bot
from tests.fakes.telegram_api import FakeTelegram
from tests.support.catalog import contains, matches, th
from tests.support.dashboard import PHONE, browser, chromium_or_skip, dashboard_server
from tests.support.planning_scenario import PLANNER, fill
from tests.support.reviews import REVIEWER, report_id, review_scenario

LINK = re.compile(r"http://127\.0\.0\.1:\d+/dashboard/open\?t=[A-Za-z0-9_.-]+")
FAST = RateLimits(overall=1000, per_chat_interval=0.0, group_count=1000, margin=0.0)


def shown(html_text: str) -> str:
    """A catalog sentence as a browser shows it: tags gone, entities read."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html_text)).split())


@asynccontextmanager
async def everything(services: Services) -> AsyncIterator[tuple[FakeTelegram, str, Any]]:
    """The bot on the fake Bot API, the webhook app with the dashboard, and chromium."""
    chromium_or_skip()
    async with (
        FakeTelegram() as fake,
        running_telegram_bot(fake, services) as application,
        dashboard_server(services, TelegramEndpoint(application, None, webhook=False)) as base,
        browser() as chromium,
    ):
        yield fake, base, chromium


async def link_from_chat(fake: FakeTelegram, user: str) -> str:
    fake.user_message(int(user), "/dashboard")
    [reply] = await fake.wait_for(chat_id=int(user))
    assert contains(reply.text, "dashboard_link", minutes=15), reply.text
    found = LINK.search(reply.text)
    assert found is not None, reply.text
    return found.group(0)


async def text(page: Any, selector: str) -> str:
    return " ".join((await page.inner_text(selector)).split())


async def test_the_link_from_the_chat_opens_the_overview_then_a_project(
    services: Services,
) -> None:
    fill(services)
    with UnitOfWork(services.db) as uow:
        plan = uow.plans().current(local_day(services.clock()))
        assert plan is not None
        from storage.plan_io.calendar_file import load_calendar

        frame = frame_at(load_calendar(plan.fiscal_year), services.clock())
        summary = plan_summary(plan, uow.figures.for_summary(frame.period_key), frame)
    async with everything(services) as (fake, base, chromium):
        link = await link_from_chat(fake, PLANNER)
        context = await chromium.new_context(viewport=PHONE)
        page = await context.new_page()
        await page.goto(link)
        assert page.url == f"{base}/dashboard/"  # the token is not left in the address bar
        [cookie] = await context.cookies()
        assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Lax", False)
        assert await text(page, "#allocated") == money(summary.total.budget.allocated, "th")
        assert await text(page, "#spent") == money(summary.total.budget.spent, "th")
        counts = summary.total.indicators
        tiles = await text(page, "#indicators")
        assert f"{counts.on_track} {th('dash_on_track')}" in tiles
        assert f"{counts.not_reported} {th('dash_not_reported')}" in tiles
        assert await page.evaluate("document.documentElement.scrollWidth <= innerWidth")

        await page.click('#strategies [data-key="S1"] a')
        assert page.url == f"{base}/dashboard/strategy/S1"
        await page.click('#projects [data-key="STR111/64"] a')
        assert page.url == f"{base}/dashboard/project/STR111/64"
        assert await text(page, "#code") == "STR111/64"
        behind = await text(page, "li.indicator[data-seq='2'] .pill.behind")
        assert behind == th("verdict_behind", period=th("period_quarter", quarter=1, year=2564))
        assert "80%" in await text(page, "li.indicator[data-seq='2']")
        assert await page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        await context.close()


async def deliver(services: Services, fake: FakeTelegram) -> None:
    sender = TelegramSender(fake.token, fake.base_url, timeout=5)
    delivery = Delivery(services.db, lease=10)
    delivery.register(sender, FAST)
    assert await delivery.run_until_idle(timeout=20)
    await sender.close()


async def test_verify_and_return_from_the_page_are_seen_in_chat(services: Services) -> None:
    fill(services)
    review_scenario(services)
    with UnitOfWork(services.db) as uow:
        photo_report, later_report = report_id(uow, "STR114/64", 2), report_id(uow, "STR111/64", 3)
    reason = "ขอหลักฐานการส่งตัวอย่าง"
    async with everything(services) as (fake, base, chromium):
        fake.user_message(int(PLANNER), "/help")  # the reporter's chat, where notices go
        await fake.wait_for(chat_id=int(PLANNER))
        link = await link_from_chat(fake, REVIEWER)
        context = await chromium.new_context(viewport=PHONE)
        page = await context.new_page()
        await page.goto(link)
        await page.click("a[href='/dashboard/review']")
        item = f"#report-{photo_report}"
        image = await page.get_attribute(f"{item} img", "src")
        assert image is not None
        served = await page.request.get(base + image)
        assert (served.status, served.headers["content-type"]) == (200, "image/png")
        assert "list.pdf" in await text(page, f"{item} a.file")
        stale = await context.new_page()  # the same queue, opened before the verdict
        await stale.goto(f"{base}/dashboard/review")

        await page.click(f"{item} button[value='verify']")
        entry = th("evidence_entry_value", code="STR114/64", seq=2)
        done = th("review_verified_done", entry=entry, value="40 คน")
        assert await text(page, "#done") == shown(done)
        assert await page.locator(item).count() == 0

        await stale.click(f"{item} button[value='verify']")  # a second verdict: refused
        # the verdict that stands, and who gave it
        assert matches(await text(stale, "#done"), "review_already_verified_by")

        later = f"#report-{later_report}"
        await page.fill(f"{later} textarea[name='reason']", reason)
        await page.click(f"{later} button.warn")
        assert reason in await text(page, "#done")
        await context.close()

        await deliver(services, fake)  # the reporter hears of the return, as from chat
        [notice] = await fake.wait_for(chat_id=int(PLANNER), contains=reason)
        assert contains(notice.text, "review_returned_notice", reason=reason)
        fake.user_message(int(REVIEWER), "/status STR114/64")
        [status] = await fake.wait_for(chat_id=int(REVIEWER))
        assert "✔" in status.text


async def test_a_tampered_expired_or_forwarded_link_shows_no_figures(services: Services) -> None:
    fill(services)
    async with everything(services) as (fake, base, chromium):
        link = await link_from_chat(fake, PLANNER)
        assert services.dashboard is not None
        with UnitOfWork(services.db) as uow:
            person = uow.people.find("telegram", PLANNER)
        assert person is not None
        expired = services.dashboard.personal_link(
            person.id, "telegram", PLANNER, services.clock() - timedelta(minutes=16)
        )
        tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
        owner = await chromium.new_context(viewport=PHONE)
        first = await owner.new_page()
        await first.goto(link)
        assert await first.locator("#allocated").count() == 1
        for address, why in ((tampered, "link_bad"), (expired, "link_bad"), (link, "link_used")):
            other = await chromium.new_context(viewport=PHONE)  # someone the link reached
            page = await other.new_page()
            response = await page.goto(address)
            assert response is not None and response.status == 403
            assert await page.get_attribute("#refused", "data-why") == why
            assert await page.locator("#allocated").count() == 0
            assert shown(th("dash_get_new_link")) in await text(page, "#refused")
            again = await page.goto(f"{base}/dashboard/")
            assert again is not None and again.status == 401
            assert await page.locator("#allocated").count() == 0
            await other.close()
        await owner.close()


def launch_data(token: str, user_id: int, at: int, **extra: str) -> str:
    """Mini App launch data signed as Telegram documents: HMAC-SHA256 of the sorted fields,
    keyed by HMAC-SHA256("WebAppData", bot token)."""
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "auth_date": str(at),
        "user": json.dumps({"id": user_id, "first_name": "Malee", "language_code": "th"}),
        **extra,
    }
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


async def test_the_mini_app_signs_in_with_launch_data_signed_for_this_bot(
    services: Services,
) -> None:
    fill(services)
    now = int(services.clock().timestamp())
    theme = json.dumps({"bg_color": "#17212b", "text_color": "#f5f5f5"})
    async with everything(services) as (fake, base, chromium):
        cases = {
            "signed": launch_data(fake.token, int(PLANNER), now),
            "forged": launch_data("654321:OTHER", int(PLANNER), now),
            "stale": launch_data(fake.token, int(PLANNER), now - 2 * 3600),
            "stranger": launch_data(fake.token, 999_999, now),
        }
        for name, data in cases.items():
            context = await chromium.new_context(viewport=PHONE)
            page = await context.new_page()
            fragment = f"tgWebAppData={quote(data)}&tgWebAppVersion=7.10&tgWebAppPlatform=ios"
            await page.goto(f"{base}/dashboard/app#{fragment}&tgWebAppThemeParams={quote(theme)}")
            await page.wait_for_selector("#allocated, #refused")
            if name == "signed":
                assert page.url == f"{base}/dashboard/"
                assert await page.locator("#allocated").count() == 1
                colour = await page.evaluate(
                    "getComputedStyle(document.documentElement)"
                    ".getPropertyValue('--tg-theme-bg-color')"
                )
                assert colour.strip() == "#17212b"  # Telegram's theme, kept after sign-in
            else:
                why = "unknown" if name == "stranger" else "mini_app_bad"
                assert await page.get_attribute("#refused", "data-why") == why, name
                assert await page.locator("#allocated").count() == 0
            await context.close()
