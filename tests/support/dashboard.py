"""The dashboard as tests reach it: the real webhook app (bot.webhook.build_app, which mounts
bot/web) on a local port, a person signed in by their personal link, and the browser (Debian's
chromium driven by Playwright) where it is installed.

Chromium missing: the browser tests skip with the reason, except in CI (CI=true), where they
fail instead (the PostgreSQL rule of tests/conftest.py)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestServer
from lxml import html as lxml_html

from handlers.context import Services
from handlers.dashboard.signing import DashboardLinks
from storage.unit_of_work import UnitOfWork
from tests.support.processes import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SECRET = b"dashboard-test-secret-0123456789"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


@asynccontextmanager
async def dashboard_server(services: Services, telegram: Any = None) -> AsyncIterator[str]:
    """The webhook server with the dashboard mounted; yields its address (PUBLIC_URL)."""
    from bot.webhook import build_app

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    services.dashboard = DashboardLinks(base, SECRET)
    endpoints = [telegram] if telegram is not None else []
    server = TestServer(build_app(services, endpoints), host="127.0.0.1", port=port)
    await server.start_server()
    try:
        yield base
    finally:
        await server.close()


def link_for(services: Services, external_id: str, channel: str = "telegram") -> str:
    assert services.dashboard is not None
    with UnitOfWork(services.db) as uow:
        person = uow.people.find(channel, external_id)
    assert person is not None
    return services.dashboard.personal_link(person.id, channel, external_id, services.clock())


@asynccontextmanager
async def signed_in(services: Services, external_id: str) -> AsyncIterator[ClientSession]:
    """An HTTP client that opened the person's link (and so holds their session cookie)."""
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
        async with client.get(link_for(services, external_id)) as response:
            assert response.status == 200, await response.text()
        yield client


async def page(client: ClientSession, url: str) -> Any:
    async with client.get(url) as response:
        assert response.status == 200, (url, response.status)
        return lxml_html.fromstring(await response.text())


def text_of(tree: Any, selector: str) -> str:
    found = tree.xpath(_xpath(selector))
    return " ".join(" ".join(node.text_content().split()) for node in found)


def _xpath(selector: str) -> str:
    """The two selector shapes the tests use: #id and [data-key="K"]."""
    if selector.startswith("#"):
        return f"//*[@id='{selector[1:]}']"
    key = selector.split('"')[1]
    return f"//*[@data-key='{key}']"


def chromium_or_skip() -> Path:
    if not CHROMIUM.exists():
        reason = f"no {CHROMIUM}: install Debian's chromium for the browser tests"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI must run the browser tests)")
        pytest.skip(reason)
    return CHROMIUM


@asynccontextmanager
async def browser() -> AsyncIterator[Any]:
    """Debian's chromium under Playwright (Playwright's own browser download is not used)."""
    from playwright.async_api import async_playwright

    executable = chromium_or_skip()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(executable), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            await launched.close()
