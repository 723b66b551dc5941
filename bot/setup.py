"""Opening the database the way every command needs it: migrated, with the shipped plan."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime

from handlers.context import Services, system_clock
from plan_data import DEFAULT_PLAN
from plan_data.fiscal import BANGKOK
from storage.db.database import Database
from storage.plan_io.loader import load_plan_file
from storage.plan_io.queries import has_plan

log = logging.getLogger(__name__)


def open_database(url: str | None, *, load_default_plan: bool = True) -> Database:
    db = Database(url)
    if load_default_plan:
        with db.session() as session:
            empty = not has_plan(session)
        if empty:
            result = load_plan_file(db, DEFAULT_PLAN)
            log.info("loaded the shipped plan %s: %s", DEFAULT_PLAN.name, result.counts)
    return db


def make_clock(fixed: str | None) -> Callable[[], datetime]:
    """The system clock, or a fixed moment (PLANBOT_CLOCK=2021-01-11T09:00+07:00) for trying the
    FY2564 plan as if it were running now, and for reproducible tests."""
    if not fixed:
        return system_clock
    moment = datetime.fromisoformat(fixed)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BANGKOK)
    return lambda: moment


def make_services(database_url: str | None) -> Services:
    db = open_database(database_url)
    return Services(db=db, clock=make_clock(os.environ.get("PLANBOT_CLOCK")))
