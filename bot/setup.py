"""Opening the database the way every command needs it: migrated, with the shipped plan."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime

from bot.cli_moment import BadMoment, parse_moment
from bot.config import ConfigError, Settings
from handlers.context import Services, system_clock
from handlers.dashboard.signing import DashboardLinks
from plan_data import DEFAULT_PLAN
from storage.db.database import Database, default_url
from storage.plan_io.loader import load_plan_file
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def database_url(settings: Settings) -> str:
    """DATABASE_URL (or --database-url), else an SQLite file in PLANBOT_DATA_DIR (made on first
    use)."""
    return settings.database_url or default_url(settings.data_dir)


def open_database(url: str, *, load_default_plan: bool = True) -> Database:
    db = Database(url)
    if load_default_plan:
        with UnitOfWork(db) as uow:
            empty = not uow.plan_store.has_plan()
        if empty:
            result = load_plan_file(db, DEFAULT_PLAN)
            log.info("loaded the shipped plan %s: %s", DEFAULT_PLAN.name, result.counts)
    return db


def make_clock(fixed: str | None) -> Callable[[], datetime]:
    """The system clock, or a fixed moment (PLANBOT_CLOCK=2021-01-11T09:00+07:00, read as `--at`
    is: Bangkok time without a zone, a Buddhist-era year allowed, a day alone at its midnight) for
    trying the FY2564 plan as if it were running now, and for reproducible tests."""
    if not fixed:
        return system_clock
    try:
        moment = parse_moment(fixed, label="PLANBOT_CLOCK=").moment
    except BadMoment as error:
        raise ConfigError(str(error)) from None
    return lambda: moment


def make_services(settings: Settings) -> Services:
    clock = make_clock(settings.clock)  # a bad PLANBOT_CLOCK stops us before the database opens
    return Services(
        db=open_database(database_url(settings)),
        clock=clock,
        evidence_max_bytes=settings.evidence_max_bytes,
        report=settings.report,
        dashboard=dashboard_links(settings),
    )


SECRET_FILE = "dashboard-secret"


def dashboard_links(settings: Settings) -> DashboardLinks | None:
    """The dashboard is served where PUBLIC_URL says; its links are signed with
    PLANBOT_DASHBOARD_SECRET, or a secret made once and kept in the data directory (several
    instances behind one address must share it: set the variable)."""
    if not settings.public_url:
        return None
    secret = settings.dashboard_secret
    if not secret:
        path = settings.data_dir / SECRET_FILE
        if not path.exists():
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(32))
        secret = path.read_text().strip()
    return DashboardLinks(settings.public_url, secret.encode())
