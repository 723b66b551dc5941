"""SQL statements and commits per request through the dispatcher, on SQLite: /status of a
project with reports, of a parent with sub-activities, /update and /spend. The goal: one
transaction each and at most 8 statements for /status.

    .venv/bin/python -m bench.statements
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Request
from plan_data import DEFAULT_PLAN
from plan_data.fiscal import BANGKOK
from storage.db.database import Database
from storage.plan_io.loader import load_plan_file
from storage.unit_of_work import UnitOfWork

NOW = datetime(2021, 1, 11, 9, 0, tzinfo=BANGKOK)


class Counter:
    def __init__(self, db: Database) -> None:
        self.statements = 0
        self.commits = 0
        event.listen(db.engine, "before_cursor_execute", self._statement)
        event.listen(db.engine, "commit", self._commit)

    def _statement(self, *_args: Any) -> None:
        self.statements += 1

    def _commit(self, *_args: Any) -> None:
        self.commits += 1

    def reset(self) -> None:
        self.statements = self.commits = 0


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        load_plan_file(db, DEFAULT_PLAN)
        with UnitOfWork(db) as uow:
            uow.people.add("telegram", "1", "planner", "planning", "Malee")
        services = Services(db=db, clock=lambda: NOW)
        counter = Counter(db)
        asks = [
            ("/status STR114/64 (warm-up)", "/status STR114/64"),
            ("/status STR114/64", "/status STR114/64"),
            ("/status SME111/64 (parent)", "/status SME111/64"),
            ("/update STR114/64 1 40", "/update STR114/64 1 40"),
            ("/spend STR114/64 1000", "/spend STR114/64 1000"),
            ("/status STR114/64 (after writes)", "/status STR114/64"),
        ]
        for number, (label, text) in enumerate(asks):
            counter.reset()
            request = Request(
                "telegram", "1", "1", text=text, display_name="Malee", claim=str(number)
            )
            dispatch(request, services)
            print(f"{label:36} {counter.statements:3} statements, {counter.commits} commit(s)")
        db.dispose()


if __name__ == "__main__":
    main()
