"""Alembic environment: run against the connection the Database hands over."""

from alembic import context
from sqlalchemy import create_engine

from storage.db.models import Base

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # `alembic` run by hand, e.g. to write a new revision
    url = config.get_main_option("sqlalchemy.url") or "sqlite:///data/planbot.sqlite3"
    with create_engine(url).begin() as own_connection:
        context.configure(
            connection=own_connection, target_metadata=Base.metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
