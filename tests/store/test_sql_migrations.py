"""Migrations: applied from code, idempotent, in step with the table definitions."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from cleara.store.sql import migrate
from cleara.store.sql.engine import create_engine
from cleara.store.sql.tables import metadata


def _table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _schema_differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_fresh_database_is_pending(sqlite_url: str) -> None:
    assert migrate.current(sqlite_url) is None
    assert migrate.pending(sqlite_url) is True


def test_upgrade_creates_tables_and_is_idempotent(sqlite_url: str) -> None:
    migrate.upgrade(sqlite_url)
    migrate.upgrade(sqlite_url)
    assert {"items", "counters", "alembic_version"} <= _table_names(sqlite_url)
    assert migrate.current(sqlite_url) == migrate.head() == "0001"
    assert migrate.pending(sqlite_url) is False


def test_migrated_schema_matches_table_definitions(sqlite_url: str) -> None:
    migrate.upgrade(sqlite_url)
    assert _schema_differences(sqlite_url) == []


def test_concurrent_upgrades_all_succeed(sqlite_url: str) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            migrate.upgrade(sqlite_url)
        except BaseException as error:  # collected and asserted in the test thread
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert migrate.pending(sqlite_url) is False


@pytest.mark.postgres
def test_postgres_upgrade_is_idempotent(postgres_schema: str) -> None:
    assert migrate.pending(postgres_schema) is True
    migrate.upgrade(postgres_schema)
    migrate.upgrade(postgres_schema)
    assert migrate.current(postgres_schema) == migrate.head()
    assert migrate.pending(postgres_schema) is False
    assert _schema_differences(postgres_schema) == []


def test_new_revision_follows_head_and_applies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(
        migrate.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", migrations)

    path = migrate.new_revision("add usage table")

    assert path == migrations / "versions" / "0002_add_usage_table.py"
    text = path.read_text()
    assert "revision: str = '0002'" in text
    assert "down_revision: str | None = '0001'" in text
    migrate.upgrade(sqlite_url)
    assert migrate.current(sqlite_url) == "0002"


def test_new_revision_needs_a_message() -> None:
    with pytest.raises(ValueError, match="message"):
        migrate.new_revision("  ")
