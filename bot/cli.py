"""The `planbot` command line. Each group of subcommands lives in its own module."""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import logging
import os
import sys
from typing import TextIO

from bot.channels import channel_secrets
from bot.cli_moment import BadMoment
from bot.config import ConfigError, Settings
from bot.log_redaction import RedactSecrets, install

# Modules with a `register(subparsers)` function, in the order `planbot --help` lists them.
SUBCOMMAND_MODULES = (
    "bot.cli_run",
    "bot.cli_plan",
    "bot.cli_people",
    "bot.cli_remind",
    "bot.cli_report",
)
NOISY_LOGGERS = ("httpx", "apscheduler", "alembic")  # WARNING and above only
OWN_PACKAGES = frozenset({"bot", "handlers", "storage", "plan_data", "bench", "__main__"})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planbot",
        description="Telegram and LINE bot for the GIT strategic plan.",
    )
    parser.add_argument(
        "--database-url",
        help="overrides DATABASE_URL (default: planbot.sqlite3 in PLANBOT_DATA_DIR, ./data)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, read the environment once into Settings, run the subcommand
    (each handler is `handler(args, settings) -> exit code`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.database_url:
            settings = dataclasses.replace(settings, database_url=args.database_url)
        # The terminal chat is a conversation: planbot's own warnings, a library's errors only
        # (not matplotlib's font-cache notes), unless -v asks for everything.
        quiet = args.command == "chat" and not args.verbose
        configure_logging(settings, verbose=args.verbose, quiet=quiet)
        result: int = args.handler(args, settings)
        sys.stdout.flush()  # here, where a closed pipe can still be handled, not at exit
    except BrokenPipeError:
        return _reader_went_away()
    except (ConfigError, BadMoment) as error:  # a bad setting or --at: one sentence
        print(f"planbot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as error:  # a file that cannot be read or written, a port in use, ...
        print(
            f"planbot: {error.strerror or error}: {error.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 1
    return result


def _reader_went_away() -> int:
    """`planbot plan export | head`: the reader closed the pipe. Stop quietly, as Python's
    documentation of SIGPIPE recommends: point standard output at devnull so that the flush at
    exit does not fail again, and exit with 1 as Python does on EPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1


def configure_logging(
    settings: Settings, *, verbose: bool, stream: TextIO | None = None, quiet: bool = False
) -> None:
    """Log lines to stderr (or `stream`), with the bot token and the other secrets of `settings`
    redacted on every root handler: httpx and python-telegram-bot log Bot API URLs, which hold
    the token. `quiet` (the terminal chat): planbot's own warnings and other libraries' errors
    only."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=stream,
    )
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if quiet:
        for handler in logging.getLogger().handlers:
            handler.addFilter(OnlyOurWarnings())
    redactor = RedactSecrets(
        settings.telegram_token,
        (*channel_secrets(settings), settings.dashboard_secret),
    )
    install(logging.getLogger().handlers, redactor)


class OnlyOurWarnings(logging.Filter):
    """Records of planbot's own packages; another library's only from ERROR up."""

    def filter(self, record: logging.LogRecord) -> bool:
        own = record.name.partition(".")[0] in OWN_PACKAGES
        return own or record.levelno >= logging.ERROR


if __name__ == "__main__":
    sys.exit(main())
