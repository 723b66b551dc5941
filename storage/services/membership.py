"""The write services for people and groups: linking a group chat to a division, creating and
redeeming invites. Each checks the rules of plan_data.roles in the request's transaction and
raises plan_data.errors.Refusal (a catalog message id) instead of writing around them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from plan_data.errors import Refusal
from plan_data.roles import (
    INVITE_ATTEMPTS_PER_HOUR,
    Role,
    may_link_group,
    may_manage_people,
    reads_everything,
)
from storage.repositories.people import InviteError, InviteView, PersonView
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Linked:
    division_key: str
    previous_key: str | None  # the division that had the group before, if another one


def link_group(
    uow: UnitOfWork, person: PersonView, *, channel: str, chat_id: str, division_key: str
) -> Linked:
    """Link a group chat to a division. A head links their own division's groups; taking a group
    that belongs to another division needs that division's head, a planner or an admin."""
    role = Role(person.role)
    if not may_link_group(role, person.division_key, division_key):
        raise Refusal("link_not_your_division")
    current = uow.people.chat_division(channel, chat_id)
    previous = current if current and current != division_key else None
    if previous and not reads_everything(role) and person.division_key != previous:
        raise Refusal("link_taken")
    uow.people.link_chat(channel, chat_id, division_key, person.id)
    return Linked(division_key, previous)


def create_invite(
    uow: UnitOfWork, person: PersonView, *, division_key: str | None, role: str, at: datetime
) -> InviteView:
    if not may_manage_people(Role(person.role)):
        raise Refusal("not_allowed_command", command="invite")
    return uow.people.create_invite(division_key, role, person.id, at)


def redeem_invite(
    uow: UnitOfWork,
    *,
    code: str,
    channel: str,
    user_id: str,
    chat_id: str,
    display_name: str,
    at: datetime,
) -> PersonView:
    """Join with an invite code; the private chat is remembered for reminders. Raises
    InviteError('unknown' | 'used' | 'expired' | 'too_many'); a wrong code is counted
    (the caller answers instead of rolling back), and after a few in an hour even a right one
    must wait."""
    since = at - timedelta(hours=1)
    if uow.people.failed_invite_attempts(channel, user_id, since) >= INVITE_ATTEMPTS_PER_HOUR:
        raise InviteError("too_many")
    try:
        person = uow.people.redeem_invite(code, channel, user_id, display_name, now=at)
    except InviteError:
        uow.people.note_failed_invite(channel, user_id, at)
        raise
    uow.people.remember_chat(channel, chat_id, is_group=False, person_id=person.id)
    return person
