"""`planbot user add|list` and `planbot invite`."""

from __future__ import annotations

import argparse
import sys

from bot.channels import CHANNELS, id_examples
from bot.config import Settings
from bot.setup import database_url, make_clock, open_database
from storage.repositories import people
from storage.unit_of_work import UnitOfWork


def register(subparsers: argparse._SubParsersAction) -> None:
    user = subparsers.add_parser("user", help="register people and list them")
    actions = user.add_subparsers(dest="user_command", required=True)
    add = actions.add_parser("add", help="register someone (or change their role)")
    add.add_argument("who", help=f"channel:id, e.g. {id_examples()}")
    add.add_argument("--role", required=True, choices=people.ROLES)
    add.add_argument(
        "--division", help="division key, e.g. research (see `planbot user divisions`)"
    )
    add.add_argument("--name", default="", help="display name")
    add.set_defaults(handler=add_command)
    listing = actions.add_parser("list", help="everyone registered")
    listing.set_defaults(handler=list_command)
    divisions = actions.add_parser("divisions", help="the division keys")
    divisions.set_defaults(handler=divisions_command)
    invite = subparsers.add_parser("invite", help="create an invite code for a division and role")
    invite.add_argument("division", help="division key, e.g. research ('-' for none)")
    invite.add_argument("--role", default="member", choices=people.ROLES)
    invite.add_argument("--bot-username", help="Telegram bot username, for the deep link")
    invite.set_defaults(handler=invite_command)


NEEDS_DIVISION = ("member", "head")  # they report for their own division's projects


def split_who(who: str) -> tuple[str, str] | None:
    """`channel:id` with an id the channel could have sent (`telegram:abc` is none)."""
    channel, _, external_id = who.partition(":")
    declared = CHANNELS.get(channel)
    if declared is None or not declared.user_id.match(external_id):
        return None
    return channel, external_id


def add_command(args: argparse.Namespace, settings: Settings) -> int:
    parsed = split_who(args.who)
    if parsed is None:
        print(f"'{args.who}' is not channel:id, e.g. {id_examples()}", file=sys.stderr)
        return 2
    if args.role in NEEDS_DIVISION and not args.division:
        print(
            f"a {args.role} reports for a division: add --division KEY "
            "(see `planbot user divisions`)",
            file=sys.stderr,
        )
        return 2
    db = open_database(database_url(settings))
    try:
        with UnitOfWork(db) as uow:
            person = uow.people.add(parsed[0], parsed[1], args.role, args.division, args.name)
    except ValueError as error:
        print(f"not added: {error}", file=sys.stderr)
        return 2
    print(
        f"{person.channel}:{person.external_id} is {person.role}"
        + (f" of {person.division_key}" if person.division_key else "")
    )
    return 0


def list_command(args: argparse.Namespace, settings: Settings) -> int:
    db = open_database(database_url(settings))
    with UnitOfWork(db) as uow:
        everyone = uow.people.everyone()
    if not everyone:
        print(
            "nobody is registered yet; add the first admin with: planbot user add channel:id "
            f"--role admin (e.g. {id_examples()})"
        )
    for person in everyone:
        print(
            f"{person.channel}:{person.external_id}\t{person.role}\t{person.division_key or '-'}\t{person.display_name}"
        )
    return 0


def divisions_command(args: argparse.Namespace, settings: Settings) -> int:
    db = open_database(database_url(settings))
    with UnitOfWork(db) as uow:
        for division in uow.people.divisions():
            print(f"{division.key}\t{division.name_th}\t{division.name_en}")
    return 0


def invite_command(args: argparse.Namespace, settings: Settings) -> int:
    db = open_database(database_url(settings))
    division = None if args.division == "-" else args.division
    try:
        with UnitOfWork(db) as uow:
            made = uow.people.create_invite(division, args.role, None, make_clock(settings.clock)())
    except ValueError as error:
        print(f"no invite made: {error}", file=sys.stderr)
        return 2
    print(
        f"invite code: {made.code} ({made.role} of {made.division_key or '-'}, valid until {made.expires_at:%Y-%m-%d})"
    )
    if args.bot_username:
        print(f"Telegram link: https://t.me/{args.bot_username}?start={made.code}")
    typed = [f"{c.title}: {c.invite.format(code=made.code)}" for c in CHANNELS.values() if c.invite]
    print("    ".join(typed))
    return 0
