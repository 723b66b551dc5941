"""Who gets figures from the dashboard, over HTTP against the real webhook app: no session, no
figures; a planted cookie never becomes a session (fixation); a form without the session's
token is refused (CSRF); a member sees what a member sees in chat; a person removed since loses
the session; the link never reaches a log; the downloads are the chat's files."""

from __future__ import annotations

import logging

import pytest
from aiohttp import ClientSession, CookieJar
from sqlalchemy import delete

from bot.log_redaction import RedactSecrets
from bot.web.auth import COOKIE
from handlers.context import Services
from plan_data.review import ReviewState
from storage.db.models import Person
from storage.unit_of_work import UnitOfWork
from tests.support.dashboard import dashboard_server, link_for, signed_in
from tests.support.handler_helpers import ask
from tests.support.planning_scenario import MEMBER, PLANNER, fill
from tests.support.reviews import REVIEWER, report_id, review_scenario


def cookie_of(client: ClientSession) -> str:
    """The session the dashboard set (path /dashboard/), not one planted for the whole site."""
    found = [c.value for c in client.cookie_jar if c.key == COOKIE and c["path"] == "/dashboard/"]
    return found[0] if found else ""


async def get(client: ClientSession, url: str) -> tuple[int, str]:
    async with client.get(url, allow_redirects=False) as response:
        return response.status, await response.text()


async def test_no_session_no_figures(services: Services) -> None:
    fill(services)
    async with dashboard_server(services) as base, ClientSession() as client:
        for path in (
            "/dashboard/",
            "/dashboard/project/STR114/64",
            "/dashboard/review",
            "/dashboard/download/xlsx",
            "/dashboard/strategy/S1",
        ):
            status, body = await get(client, base + path)
            assert status == 401, path
            assert 'id="allocated"' not in body and "STR114" not in body and "ล้านบาท" not in body
        status, body = await get(client, base + "/dashboard/")
        assert 'data-why="no_session"' in body and "/dashboard" in body


async def test_a_planted_cookie_never_becomes_the_victims_session(services: Services) -> None:
    """Session fixation: whatever cookie the browser brings, opening a link mints a new one; the
    planted value stays what it was (nothing, or the attacker's own session)."""
    fill(services)
    async with dashboard_server(services) as base:
        async with signed_in(services, MEMBER) as attacker:
            planted = cookie_of(attacker)
        for brought in ("made-up-session-id", planted):
            jar = CookieJar(unsafe=True)
            async with ClientSession(cookie_jar=jar) as victim:
                jar.update_cookies({COOKIE: brought}, victim._build_url(base))
                async with victim.get(link_for(services, PLANNER)) as response:
                    assert response.status == 200
                minted = cookie_of(victim)
                assert minted and minted != brought
            async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as holder:
                holder.cookie_jar.update_cookies({COOKIE: brought}, holder._build_url(base))
                status, body = await get(holder, base + "/dashboard/review")
                assert status in (401, 403)  # never the planner's queue
                assert 'id="queue-size"' not in body


async def test_a_form_without_the_sessions_token_is_refused(services: Services) -> None:
    fill(services)
    review_scenario(services)
    with UnitOfWork(services.db) as uow:
        waiting = report_id(uow, "STR114/64", 2)
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", "7009", "planner", "planning", "Wichai")
    async with dashboard_server(services) as base:
        url = f"{base}/dashboard/review/{waiting}"
        async with signed_in(services, "7009") as other:
            page = await (await other.get(f"{base}/dashboard/review")).text()
            others_token = page.split('name="csrf" value="')[1].split('"')[0]
        async with signed_in(services, REVIEWER) as admin:
            for form in ({"verdict": "verify"}, {"verdict": "verify", "csrf": others_token}):
                async with admin.post(url, data=form, allow_redirects=False) as response:
                    assert response.status == 403
                    assert 'data-why="form_expired"' in await response.text()
            with UnitOfWork(services.db) as uow:
                assert uow.reviews.report(waiting).state is ReviewState.SUBMITTED
            page = await (await admin.get(f"{base}/dashboard/review")).text()
            token = page.split('name="csrf" value="')[1].split('"')[0]
            form = {"verdict": "verify", "csrf": token}
            async with admin.post(url, data=form, allow_redirects=False) as response:
                assert response.status == 303
        with UnitOfWork(services.db) as uow:
            assert uow.reviews.report(waiting).state is ReviewState.VERIFIED


async def test_a_member_sees_what_a_member_sees_in_chat(services: Services) -> None:
    fill(services)
    async with dashboard_server(services) as base, signed_in(services, MEMBER) as member:
        for path in ("/dashboard/review", "/dashboard/download/xlsx", "/dashboard/download/report"):
            status, body = await get(member, base + path)
            assert status == 403 and 'data-why="not_allowed"' in body, path
        status, overview = await get(member, base + "/dashboard/")
        assert status == 200
        assert 'id="queue"' not in overview  # the review queue is the planners'
        assert "ฝ่ายวิจัยและพัฒนา" in overview.split('id="late"')[1].split("</section>")[0]
        assert "ฝ่ายฝึกอบรม" not in overview.split('id="late"')[1].split("</section>")[0]
        status, card = await get(member, base + "/dashboard/project/STR114/64")
        assert status == 200 and "STR114/64" in card  # /status reads any project


async def test_a_person_removed_since_gets_no_more_figures(services: Services) -> None:
    fill(services)
    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", "7010", "member", "research", "Anan")
    async with dashboard_server(services) as base, signed_in(services, "7010") as client:
        assert (await get(client, base + "/dashboard/"))[0] == 200
        with services.db.session() as session:
            session.execute(delete(Person).where(Person.external_id == "7010"))
            session.commit()
        status, body = await get(client, base + "/dashboard/")
        assert status == 401 and 'id="allocated"' not in body


async def test_the_link_and_the_cookie_never_reach_a_log(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    fill(services)
    caplog.handler.addFilter(RedactSecrets())  # what `planbot run` puts on every handler
    caplog.set_level(logging.DEBUG)
    async with dashboard_server(services) as base, signed_in(services, PLANNER) as client:
        link = link_for(services, PLANNER)
        async with client.get(link) as response:  # a second opening: refused, and logged
            assert response.status in (200, 403)
        await get(client, base + "/dashboard/")
        session = cookie_of(client)
    token = link.split("t=")[1]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/dashboard/open" in logged  # the access log saw the request...
    assert token not in logged and session not in logged  # ...but not the secrets


async def test_the_downloads_are_the_files_the_chat_sends(services: Services) -> None:
    fill(services)
    [export] = ask(services, PLANNER, "/export")
    [report] = ask(services, PLANNER, "/report")
    assert export.document is not None and report.document is not None
    async with dashboard_server(services) as base, signed_in(services, PLANNER) as client:
        for what, sent in (("xlsx", export.document), ("report", report.document)):
            async with client.get(f"{base}/dashboard/download/{what}") as response:
                assert response.status == 200
                assert response.content_type == sent.mime_type
                assert sent.filename.replace("/", "%2F") in response.headers["Content-Disposition"]
                assert (await response.read())[:4] == sent.content[:4] == b"PK\x03\x04"
