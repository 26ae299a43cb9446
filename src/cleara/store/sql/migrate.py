"""Schema migrations of the SQL store, run from code (no alembic.ini needed on disk).

Add a revision with `new_revision("add usage table")`, which writes
`migrations/versions/000N_add_usage_table.py` from the template, then fill in its
`upgrade()` and `downgrade()` with `op.*` calls and mirror the change in `tables.py`.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from cleara.store.sql.engine import create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Any constant works; it only has to be the same in every process that migrates.
_POSTGRES_LOCK_KEY = 0x436C65617261


def alembic_config(database_url: str | None = None) -> Config:
    """An Alembic configuration built in code, pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if database_url is not None:
        # ConfigParser interpolates `%`, which URL-encoded passwords contain.
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str) -> None:
    """Apply every pending migration. Safe to run again, and from several processes at once."""
    engine = create_engine(database_url, immediate_transactions=True)
    try:
        with engine.begin() as connection:
            _lock_against_concurrent_migrations(connection)
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def current(database_url: str) -> str | None:
    """The revision the database is at (None before the first migration)."""
    return _single(_current_heads(database_url))


def head() -> str | None:
    """The newest revision shipped with the package."""
    return _single(_script().get_heads())


def pending(database_url: str) -> bool:
    """True when the database lacks migrations shipped with the package."""
    return set(_current_heads(database_url)) != set(_script().get_heads())


def new_revision(message: str) -> Path:
    """Write an empty, numbered revision file after the current head; returns its path."""
    if not message.strip():
        raise ValueError("a revision needs a message")
    script = command.revision(alembic_config(), message=message, rev_id=_next_revision_id())
    if script is None or isinstance(script, list):
        raise RuntimeError("alembic did not write exactly one revision")
    return Path(script.path)


def _next_revision_id() -> str:
    numbers = [int(rev.revision) for rev in _script().walk_revisions() if rev.revision.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def _current_heads(database_url: str) -> tuple[str, ...]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return tuple(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()


def _single(revisions: tuple[str, ...] | list[str]) -> str | None:
    if len(revisions) > 1:
        raise RuntimeError(f"several migration heads: {', '.join(sorted(revisions))}")
    return revisions[0] if revisions else None


def _lock_against_concurrent_migrations(connection: sa.Connection) -> None:
    """Serialise migrations on PostgreSQL (SQLite serialises through BEGIN IMMEDIATE)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_POSTGRES_LOCK_KEY)))
