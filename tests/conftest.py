"""Shared fixtures: real SQLite files, a real PostgreSQL server, and the shipped plan loaded.

PostgreSQL comes from TEST_DATABASE_URL when set (CI starts Debian's server), otherwise from the
`pgserver` wheel. Where neither is available the PostgreSQL tests skip with the reason, except in
CI (CI=true), where they fail instead: CI never skips them.
"""

from __future__ import annotations

import os
import shutil
import uuid
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import bot  # noqa: F401  (opts python-telegram-bot in to timedelta periods, for every test)
from handlers.context import Services
from plan_data import DEFAULT_PLAN
from plan_data.fiscal import BANGKOK
from storage.db.database import Database, normalize_url
from storage.plan_io.loader import load_plan_file

# A moment inside FY2564, so "the current period" is one the plan knows.
JAN_11_2021 = datetime(2021, 1, 11, 9, 0, tzinfo=BANGKOK)


@pytest.fixture(scope="session")
def loaded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with the shipped plan, made once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "plan.sqlite3"
    db = Database(f"sqlite:///{path}")
    result = load_plan_file(db, DEFAULT_PLAN)
    assert result.written, result.validation.problems
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'planbot.sqlite3'}"


@pytest.fixture
def plan_db(loaded_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A real SQLite file holding the FY2564 plan."""
    path = tmp_path / "planbot.sqlite3"
    shutil.copy(loaded_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture
def services(plan_db: Database) -> Services:
    return Services(db=plan_db, clock=lambda: JAN_11_2021, bot_username="planbot_test_bot")


_PG_SERVER: object | None = None


def _postgres_base_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    global _PG_SERVER
    try:
        with warnings.catch_warnings():
            # platformdirs (for pgserver's lock file, at import) warns when XDG_RUNTIME_DIR is
            # unset, as in containers and CI, and falls back to /tmp/runtime-<uid>: fine here.
            warnings.filterwarnings(
                "ignore", message="XDG_RUNTIME_DIR is not set", category=UserWarning
            )
            import pgserver
    except ImportError:
        return None
    if _PG_SERVER is None:
        import tempfile

        _PG_SERVER = pgserver.get_server(
            tempfile.mkdtemp(prefix="planbot-pg-"), cleanup_mode="stop"
        )
    return str(_PG_SERVER.get_uri())


@pytest.fixture(scope="session")
def postgres_base() -> str:
    try:
        url = _postgres_base_url()
    except Exception as error:  # pgserver could not start here
        url = None
        reason = f"PostgreSQL could not be started: {error}"
    else:
        reason = "no PostgreSQL: set TEST_DATABASE_URL or install pgserver"
    if url is None:
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI must run the PostgreSQL tests)")
        pytest.skip(reason)
    return normalize_url(url)


@pytest.fixture
def postgres_url(postgres_base: str) -> Iterator[str]:
    """A fresh, empty database on the PostgreSQL server, dropped afterwards."""
    name = f"planbot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_base).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
            {"n": name},
        )
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a real SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'planbot.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def postgres_template(postgres_base: str) -> Iterator[str]:
    """A PostgreSQL database with the shipped plan, loaded once; `loaded` copies it."""
    name = f"planbot_template_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(make_url(postgres_base).set(database=name).render_as_string(hide_password=False))
    result = load_plan_file(db, DEFAULT_PLAN)
    db.dispose()  # a template may have no one connected while it is copied
    assert result.written, result.validation.problems
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def loaded(any_url: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    """The shipped plan in a fresh database, on SQLite and on PostgreSQL: a copy of a database
    the plan was loaded into once (loading it is tested on its own, in tests/storage)."""
    url = make_url(any_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        shutil.copy(request.getfixturevalue("loaded_template"), url.database)
    else:
        template = request.getfixturevalue("postgres_template")
        admin = create_engine(
            request.getfixturevalue("postgres_base"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{url.database}"'))
            connection.execute(text(f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"'))
        admin.dispose()
    db = Database(any_url)
    yield db
    db.dispose()


@pytest.fixture
def filled(services: Services) -> Services:
    """The plan with the known reports and spending of tests/support/planning_scenario.py."""
    from tests.support.planning_scenario import fill

    fill(services)
    return services
