"""In a group chat, figures are shown only for the division the group is linked to; an
unlinked group shows none; a private chat shows everything the person may read."""

from __future__ import annotations

from handlers.context import Services
from tests.support.catalog import th
from tests.support.handler_helpers import ask, register

HEAD = "31"


def group(services: Services, text: str) -> str:
    [reply] = ask(services, HEAD, text, group=True)
    return reply.text


def test_a_linked_group_shows_only_its_division(services: Services) -> None:
    register(services, HEAD, "head", "research", "Somchai")
    assert group(services, "/budget") == th("group_not_linked")  # not linked: no figures
    assert group(services, "/status STR114/64") == th("group_not_linked")
    group(services, "/link research")
    research = group(services, "/budget")
    assert research.startswith("<b>research ฝ่ายวิจัยและพัฒนา</b>"), research[:80]
    only = th("group_only_division", division="ฝ่ายวิจัยและพัฒนา")
    for asked in ("/budget all", "/budget S1", "/summary", "/status SME111/64", "/due training"):
        assert group(services, asked) == only, asked
    assert group(services, "/status STR114/64").startswith("<b>STR114/64</b>")
    [private] = ask(services, HEAD, "/budget all")
    assert private.text.startswith(f"<b>{th('budget_whole_plan')}</b>")


def test_legal_and_internal_audit_are_responsible_units_of_their_own(services: Services) -> None:
    register(services, "41", "planner", "planning", "Malee")
    [legal] = ask(services, "41", "/budget legal")
    assert legal.text.startswith("<b>legal งานกฎหมาย</b>") and "REV122/64" in legal.text
    [audit] = ask(services, "41", "/budget internal_audit")
    assert "REV123/64" in audit.text and "REV122/64" not in audit.text
    [admin] = ask(services, "41", "/budget admin")
    assert "REV122/64" not in admin.text and "REV123/64" not in admin.text
    [english] = ask(services, "41", "/projects legal", language="en")
    assert "Legal Affairs Unit" in english.text


def test_a_head_cannot_take_another_divisions_group_and_the_loser_is_told(
    services: Services,
) -> None:
    from sqlalchemy import select

    from storage.db.models import Chat, OutboxMessage

    register(services, HEAD, "head", "research", "Somchai")
    register(services, "32", "head", "training", "Malee")
    register(services, "33", "planner", "planning", "Napa")
    ask(services, HEAD, "/start")  # the research head's private chat is known
    [linked] = ask(services, HEAD, "/link research", group=True)
    assert linked.text == th("link_done", division="ฝ่ายวิจัยและพัฒนา")
    chat = f"-{HEAD}"

    def ask_in_group(user: str, text: str) -> str:
        from handlers.dispatch import dispatch
        from handlers.request import Request

        [reply] = dispatch(Request("telegram", user, chat, text=text, is_group=True), services)
        return reply.text

    assert ask_in_group("32", "/link training") == th("link_taken")
    assert ask_in_group("33", "/link training") == th("link_done", division="ฝ่ายฝึกอบรม")
    with services.db.session() as session:
        linked_to = session.scalar(select(Chat.division_id).where(Chat.external_id == chat))
        told = list(session.scalars(select(OutboxMessage.chat_external_id)))
    assert linked_to is not None
    assert told == [HEAD]  # research's head hears it in their private chat
