"""The `planbot` command line. Each group of subcommands lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

# Modules with a `register(subparsers)` function, in the order `planbot --help` lists them.
SUBCOMMAND_MODULES = (
    "bot.cli_run",
    "bot.cli_plan",
    "bot.cli_people",
    "bot.cli_remind",
    "bot.cli_report",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planbot",
        description="Telegram and LINE bot for the GIT strategic plan.",
    )
    parser.add_argument(
        "--database-url", help="overrides DATABASE_URL (default: data/planbot.sqlite3)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        result: int = args.handler(args)
    except KeyboardInterrupt:
        return 130
    except OSError as error:  # a file that cannot be read or written, a port in use, ...
        print(
            f"planbot: {error.strerror or error}: {error.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
