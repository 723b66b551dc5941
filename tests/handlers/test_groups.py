"""In a group chat, figures are shown only for the division the group is linked to; an
unlinked group shows none; a private chat shows everything the person may read."""

from __future__ import annotations

from handlers.context import Services
from handlers.i18n import Translator
from tests.support.handler_helpers import ask, register

TH = Translator("th")
HEAD = "31"


def group(services: Services, text: str) -> str:
    [reply] = ask(services, HEAD, text, group=True)
    return reply.text


def test_a_linked_group_shows_only_its_division(services: Services) -> None:
    register(services, HEAD, "head", "research", "Somchai")
    assert group(services, "/budget") == TH("group_not_linked")  # not linked: no figures
    assert group(services, "/status STR114/64") == TH("group_not_linked")
    group(services, "/link research")
    research = group(services, "/budget")
    assert research.startswith("<b>research ฝ่ายวิจัยและพัฒนา</b>"), research[:80]
    only = TH("group_only_division", division="ฝ่ายวิจัยและพัฒนา")
    for asked in ("/budget all", "/budget S1", "/summary", "/status SME111/64", "/due training"):
        assert group(services, asked) == only, asked
    assert group(services, "/status STR114/64").startswith("<b>STR114/64</b>")
    [private] = ask(services, HEAD, "/budget all")
    assert private.text.startswith("<b>ทั้งแผน</b>")


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
