"""`planbot run` (Telegram and/or LINE) and `planbot chat` (the terminal)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from bot.channels import CONSOLE, chat_platforms, how_to_configure, with_webhooks
from bot.config import Settings
from bot.setup import make_services
from handlers.context import Services
from storage.unit_of_work import UnitOfWork

NO_TOKEN = """planbot: no chat platform is configured, so there is nothing to connect to.

{how}

  Or try the bot right here in the terminal, no token needed:
      {prog} chat
  then type /status STR114/64 or /help.
"""


def invoked_as() -> str:
    """How the user started us (e.g. .venv/bin/planbot), so the hint can be pasted as it is."""
    program = Path(sys.argv[0])
    if program.name != "planbot":
        return "planbot"
    try:
        relative = program.resolve().relative_to(Path.cwd())
    except ValueError:
        return "planbot" if shutil.which("planbot") == str(program) else str(program)
    return str(relative)


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser(
        "run", help="run the bot (Telegram long polling; --webhook for a web server)"
    )
    routes = " and ".join(str(c.webhook) for c in with_webhooks())
    run.add_argument("--webhook", action="store_true", help=f"serve {routes} on $PORT")
    run.set_defaults(handler=run_command)
    chat = subparsers.add_parser("chat", help="talk to the bot in this terminal (no token needed)")
    chat.add_argument(
        "--as",
        dest="who",
        default=f"{CONSOLE.name}:local",
        help=f"who you are, e.g. {_example()} (default: a local admin)",
    )
    chat.set_defaults(handler=chat_command)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """The bot until SIGTERM/SIGINT (0); 2, after saying how to set one, when no chat platform
    is configured: there is nothing to run, and a supervisor must not take that for success."""
    services = make_services(settings)
    _ensure_first_admin(services, settings)
    if not chat_platforms(settings):
        prog = invoked_as()
        print(NO_TOKEN.format(prog=prog, how=how_to_configure(prog)), file=sys.stderr)
        return 2
    import threading

    from bot.scheduler import BackgroundThread
    from bot.webhook import serve
    from handlers.text_fit import warm_up

    threading.Thread(target=warm_up, name="thai-words", daemon=True).start()

    with BackgroundThread(services, settings):  # reminders + outbox delivery
        return serve(services, settings, telegram_polling=not args.webhook)


def _ensure_first_admin(services: Services, settings: Settings) -> None:
    if not settings.first_admin:
        return
    channel, _, external_id = settings.first_admin.partition(":")
    with UnitOfWork(services.db) as uow:
        if uow.people.find(channel, external_id) is None:
            uow.people.add(channel, external_id, "admin", None)


def _example() -> str:
    """An id of the first chat platform declared, as `--as` takes it."""
    first = with_webhooks()[0] if with_webhooks() else CONSOLE
    return f"{first.name}:{first.id_example}"


def chat_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli_files import files_dir
    from bot.cli_people import split_who
    from bot.console import run_console

    who = split_who(args.who)
    if who is None:
        print(f"'{args.who}' is not channel:id, e.g. {_example()}", file=sys.stderr)
        return 2
    services = make_services(settings)
    if who == (CONSOLE.name, "local"):
        with UnitOfWork(services.db) as uow:
            if uow.people.find(*who) is None:
                uow.people.add(*who, "admin", None, CONSOLE.name)
    run_console(services, *who, files=files_dir(settings))
    return 0
