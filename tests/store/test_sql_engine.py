"""Engine construction: URL mapping and SQLite settings."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from cleara.store.sql.engine import SQLITE_BUSY_TIMEOUT_MS, create_engine, normalize_database_url


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://u:p@db:5432/app", "postgresql+psycopg"),
        ("postgres://u@db/app", "postgresql+psycopg"),
        ("postgresql+psycopg://u@db/app", "postgresql+psycopg"),
        ("sqlite:///tmp/x.db", "sqlite"),
    ],
)
def test_urls_map_to_psycopg(given: str, driver: str) -> None:
    url = normalize_database_url(given)
    assert url.drivername == driver
    assert url.database == normalize_database_url(given.replace("postgres://", "x://")).database


def test_sqlite_file_gets_folder_wal_and_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "db.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar_one()
            timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
    finally:
        engine.dispose()
    assert path.parent.is_dir()
    assert journal == "wal"
    assert timeout == SQLITE_BUSY_TIMEOUT_MS


def test_in_memory_sqlite_is_shared_between_connections() -> None:
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE t (x INTEGER)"))
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM t")).scalar_one() == 0
    finally:
        engine.dispose()
