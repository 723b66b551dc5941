"""Invites: an admin who opens one keeps their role, an unknown division is refused with the
keys, codes carry at least 64 bits, and wrong codes are limited per person per hour."""

from __future__ import annotations

import math

from handlers.context import Services
from storage.repositories import people
from storage.unit_of_work import UnitOfWork
from tests.support.catalog import contains, fields, starts_with, th
from tests.support.handler_helpers import register, say

RESEARCH = "ฝ่ายวิจัยและพัฒนา"


def invite(services: Services, division: str = "research", role: str = "member") -> str:
    with UnitOfWork(services.db) as uow:
        return uow.people.create_invite(division, role, None, services.clock()).code


def role_of(services: Services, user: str) -> str:
    with UnitOfWork(services.db) as uow:
        person = uow.people.find("telegram", user)
    assert person is not None
    return person.role


def test_an_admin_who_opens_an_invite_keeps_their_role(services: Services) -> None:
    register(services, "1", "admin", "planning", "Admin")
    joined = say(services, "1", f"/start {invite(services)}")
    assert starts_with(joined, "joined", role=th("role_admin"), division=RESEARCH), joined
    assert role_of(services, "1") == "admin"


def test_invite_for_an_unknown_division_is_refused_with_the_keys(services: Services) -> None:
    register(services, "1", "admin", "planning", "Admin")
    for role in ("", " planner"):
        reply = say(services, "1", f"/invite nowhere{role}")
        keys = fields(reply, "unknown_division", division="nowhere")["keys"]
        assert "research" in keys and "legal" in keys, reply
        assert not contains(reply, "invite_created"), reply


def test_invite_codes_carry_at_least_64_bits(services: Services) -> None:
    code = invite(services)
    assert len(code) * math.log2(len(people.INVITE_ALPHABET)) >= 64


def test_wrong_codes_are_limited_per_person_per_hour(services: Services) -> None:
    good = invite(services)
    for attempt in range(5):
        reply = say(services, "9", f"/start WRONGCODE{attempt}")
        assert reply == th("invite_unknown", code=f"WRONGCODE{attempt}"), reply
    assert say(services, "9", f"/start {good}") == th("invite_too_many")
    joined = say(services, "10", f"/start {good}")  # someone else is not held up
    assert starts_with(joined, "joined", role=th("role_member"), division=RESEARCH), joined
