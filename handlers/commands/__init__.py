"""Importing this package registers every command with the dispatcher."""

from handlers.commands import (  # noqa: F401
    admin,
    budget,
    due,
    history,
    planning,
    reporting,
    start_help,
    status,
)
