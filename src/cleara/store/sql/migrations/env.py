"""Alembic environment of the SQL store.

`cleara.store.sql.migrate` hands over an open connection in `config.attributes["connection"]`;
otherwise the URL in the `sqlalchemy.url` option is used.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from cleara.store.sql.engine import create_engine
from cleara.store.sql.tables import metadata


def run_migrations_on(connection: Connection) -> None:
    """Apply the migrations over `connection`."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters tables by copying them; batch mode does that for later revisions.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate over the given connection, or a new engine on the configured URL."""
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        run_migrations_on(connection)
        return
    engine = create_engine(_configured_url(), immediate_transactions=True)
    try:
        with engine.connect() as new_connection:
            run_migrations_on(new_connection)
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    """Write the migration SQL instead of running it (`alembic upgrade --sql`)."""
    context.configure(url=_configured_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _configured_url() -> str:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: set sqlalchemy.url or pass a connection")
    return url


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
