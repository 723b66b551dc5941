"""People, their roles, invites, and the chats linked to divisions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.orm import aliased

from plan_data.roles import Role, role_after_invite
from storage.db.models import Chat, Division, Invite, InviteAttempt, Person
from storage.plan_io.records import DivisionDoc as DivisionView  # a division's key and names
from storage.repositories.base import Repository, insert_for

ROLES = ("member", "head", "planner", "admin")
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
INVITE_DAYS = 14
INVITE_LENGTH = 13  # 13 symbols of 32: 65 bits, too many to guess
PLATFORM_LANGUAGE_LENGTH = 35  # an IETF tag as a platform sends it (people.platform_language)


@dataclass(frozen=True)
class PersonView:
    id: int
    channel: str
    external_id: str
    display_name: str
    role: str
    division_key: str | None
    division_name_th: str
    division_name_en: str
    language: str | None  # their /lang choice
    platform_language: str | None = None  # their chat app's language, as it last came

    @property
    def reads_everything(self) -> bool:
        return self.role in ("planner", "admin")


@dataclass(frozen=True)
class InviteView:
    code: str
    role: str
    division_key: str | None
    expires_at: datetime | None


class InviteError(Exception):
    """Why an invite cannot be used: unknown, used, or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _view(person: Person) -> PersonView:
    division = person.division
    return PersonView(
        person.id,
        person.channel,
        person.external_id,
        person.display_name,
        person.role,
        division.key if division else None,
        division.name_th if division else "",
        division.name_en if division else "",
        person.language,
        person.platform_language,
    )


# Asked on every message, so built once (building a statement costs as much as running it).
_FIND_PERSON = (
    select(
        Person.id,
        Person.channel,
        Person.external_id,
        Person.display_name,
        Person.role,
        Division.key,
        Division.name_th,
        Division.name_en,
        Person.language,
        Person.platform_language,
    )
    .outerjoin(Division, Division.id == Person.division_id)
    .where(Person.channel == bindparam("channel"), Person.external_id == bindparam("external_id"))
)


def _person(row: Any) -> PersonView:
    """A person from the first ten columns of `_FIND_PERSON` (without a division, its names are
    empty)."""
    return PersonView(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6] or "", row[7] or "", row[8], row[9]
    )


# The person and the state of the chat they write from, in one statement (asked every time).
_LINKED = aliased(Division)
_PERSON_IN_CHAT = (
    _FIND_PERSON.add_columns(Chat.id, Chat.person_id, Chat.blocked_at, _LINKED.key)
    .outerjoin(Chat, and_(Chat.channel == Person.channel, Chat.external_id == bindparam("chat_id")))
    .outerjoin(_LINKED, _LINKED.id == Chat.division_id)
)


@dataclass(frozen=True)
class Caller:
    """Who is writing, and the division the chat they write in is linked to (a group's)."""

    person: PersonView | None
    chat_division: str | None = None


class PeopleRepository(Repository):
    """People, their chats and invites, as the unit of work's `uow.people`."""

    def recognise(
        self,
        channel: str,
        user_id: str,
        chat_id: str,
        *,
        is_group: bool,
        display_name: str,
        platform_language: str | None = None,
    ) -> Caller:
        """Who is writing; for a registered person, keep their display name, the language their
        chat app is set to (`platform_language`; reminders follow it as replies do) and the
        chat they write from (so reminders can reach them) — each written only when it changed,
        so a read-only request writes nothing."""
        session = self._session
        row = self._run(
            _PERSON_IN_CHAT, {"channel": channel, "external_id": user_id, "chat_id": chat_id}
        ).first()
        if row is None:
            return Caller(None)
        person = _person(row)
        if display_name and display_name != person.display_name:
            self._set_display_name(person.id, display_name)
        platform_language = (platform_language or "")[:PLATFORM_LANGUAGE_LENGTH] or None
        if platform_language is not None and platform_language != person.platform_language:
            session.execute(
                update(Person)
                .where(Person.id == person.id)
                .values(platform_language=platform_language)
            )
            self._wrote()
            person = replace(person, platform_language=platform_language)
        chat_id_known, chat_person, blocked_at = row[10], row[11], row[12]
        wanted_person = None if is_group else person.id
        if (
            chat_id_known is None
            or blocked_at is not None
            or (wanted_person is not None and chat_person != wanted_person)
        ):
            self.remember_chat(channel, chat_id, is_group=is_group, person_id=person.id)
        return Caller(person, row[13])

    def find(self, channel: str, external_id: str) -> PersonView | None:
        row = self._run(_FIND_PERSON, {"channel": channel, "external_id": external_id}).first()
        if row is None:
            return None
        return _person(row)

    def everyone(self) -> list[PersonView]:
        return [_view(p) for p in self._session.scalars(select(Person).order_by(Person.id))]

    def divisions(self) -> list[DivisionView]:
        return [
            DivisionView(d.key, d.name_th, d.name_en)
            for d in self._session.scalars(select(Division).order_by(Division.id))
        ]

    def _role_and_division(self, role: str, division_key: str | None) -> Division | None:
        """The division row for a key (None for none), after checking the role and the key."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if not division_key:
            return None
        return self._division(division_key)

    def _division(self, division_key: str) -> Division:
        division = self._session.scalar(select(Division).where(Division.key == division_key))
        if division is None:
            raise ValueError(f"unknown division {division_key!r}")
        return division

    def add(
        self,
        channel: str,
        external_id: str,
        role: str,
        division_key: str | None,
        display_name: str = "",
    ) -> PersonView:
        """Register someone, or change the role and division of someone already registered."""
        division = self._role_and_division(role, division_key)
        person = self._session.scalar(
            select(Person).where(Person.channel == channel, Person.external_id == external_id)
        )
        if person is None:
            person = Person(channel=channel, external_id=external_id, role=role)
            self._session.add(person)
        person.role = role
        person.division = division
        if display_name:
            person.display_name = display_name
        self._session.flush()
        return _view(person)

    def _set_display_name(self, person_id: int, name: str) -> None:
        person = self._session.get(Person, person_id)
        if person and name and person.display_name != name:
            person.display_name = name

    def set_language(self, person_id: int, language: str) -> None:
        person = self._session.get(Person, person_id)
        if person:
            person.language = language

    def create_invite(
        self,
        division_key: str | None,
        role: str,
        created_by_id: int | None,
        now: datetime | None = None,
    ) -> InviteView:
        division = self._role_and_division(role, division_key)
        code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))
        expires = (now or datetime.now(UTC)) + timedelta(days=INVITE_DAYS)
        self._session.add(
            Invite(
                code=code,
                division=division,
                role=role,
                created_by_id=created_by_id,
                expires_at=expires,
            )
        )
        self._session.flush()
        return InviteView(code, role, division_key, expires)

    def redeem_invite(
        self,
        code: str,
        channel: str,
        external_id: str,
        display_name: str,
        now: datetime | None = None,
    ) -> PersonView:
        """Join with an invite; raises InviteError('unknown' | 'used' | 'expired')."""
        now = now or datetime.now(UTC)
        invite = self._session.scalar(
            select(Invite).where(Invite.code == code.strip().upper()).with_for_update()
        )
        if invite is None:
            raise InviteError("unknown")
        if invite.used_at is not None:
            raise InviteError("used")
        if invite.expires_at is not None and invite.expires_at < now:
            raise InviteError("expired")
        current = self.find(channel, external_id)
        role = role_after_invite(Role(current.role) if current else None, Role(invite.role))
        person = self.add(
            channel,
            external_id,
            role.value,
            invite.division.key if invite.division else None,
            display_name,
        )
        invite.used_at = now
        invite.used_by_id = person.id
        return person

    def failed_invite_attempts(self, channel: str, external_id: str, since: datetime) -> int:
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(InviteAttempt)
                .where(
                    InviteAttempt.channel == channel,
                    InviteAttempt.external_id == external_id,
                    InviteAttempt.at >= since,
                )
            )
            or 0
        )

    def note_failed_invite(self, channel: str, external_id: str, at: datetime) -> None:
        self._session.add(InviteAttempt(channel=channel, external_id=external_id, at=at))
        self._session.flush()

    def remember_chat(
        self,
        channel: str,
        external_id: str,
        *,
        is_group: bool,
        person_id: int | None = None,
    ) -> None:
        """Keep the chat a person talks to the bot in, so private reminders can reach them. The
        row is made with INSERT … ON CONFLICT DO NOTHING, so two instances seeing a new chat's
        first messages at once do not collide."""
        session = self._session
        session.execute(
            insert_for(self._dialect)(Chat)
            .values(
                channel=channel,
                external_id=external_id,
                is_group=is_group,
                created_at=datetime.now(UTC),
            )
            .on_conflict_do_nothing(index_elements=["channel", "external_id"])
        )
        self._wrote()  # a core statement: without the mark a new group's row was rolled back
        chat = self._chat(channel, external_id)
        assert chat is not None
        if person_id is not None and not is_group and chat.person_id != person_id:
            chat.person_id = person_id
        if chat.blocked_at is not None:
            chat.blocked_at = None  # they wrote to us again, so they unblocked the bot

    def _chat(self, channel: str, external_id: str) -> Chat | None:
        return self._session.scalar(
            select(Chat).where(Chat.channel == channel, Chat.external_id == external_id)
        )

    def mark_chat_gone(self, channel: str, external_id: str, at: datetime | None = None) -> bool:
        """The person unfollowed, or the bot was removed from the group: send nothing there
        until they write again (remember_chat clears it). True when a known chat was marked."""
        chat = self._chat(channel, external_id)
        if chat is None:
            return False
        if chat.blocked_at is None:
            chat.blocked_at = at or datetime.now(UTC)
        return True

    def chat_division(self, channel: str, external_id: str) -> str | None:
        """The key of the division a chat is linked to, if any."""
        return self._session.scalar(
            select(Division.key)
            .join(Chat, Chat.division_id == Division.id)
            .where(Chat.channel == channel, Chat.external_id == external_id)
        )

    def link_chat(
        self, channel: str, external_id: str, division_key: str, by_person_id: int
    ) -> None:
        division = self._division(division_key)
        chat = self._chat(channel, external_id)
        if chat is None:
            chat = Chat(channel=channel, external_id=external_id, is_group=True)
            self._session.add(chat)
        chat.division_id = division.id
        chat.linked_by_id = by_person_id
        self._session.flush()
