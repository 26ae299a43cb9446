"""Engine construction: URL normalisation, SQLite pragmas and folder creation."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import StaticPool

#: Milliseconds a SQLite writer waits for the lock before failing.
SQLITE_BUSY_TIMEOUT_MS = 30_000

_POSTGRES_ALIASES = frozenset({"postgresql", "postgres"})


def normalize_database_url(database_url: str | URL) -> URL:
    """Parse a database URL; plain `postgresql://` (or `postgres://`) uses psycopg 3."""
    url = make_url(database_url)
    if url.drivername in _POSTGRES_ALIASES:
        url = url.set(drivername="postgresql+psycopg")
    return url


def is_sqlite(url: URL) -> bool:
    """True for SQLite URLs, whatever the driver."""
    return url.get_backend_name() == "sqlite"


def is_sqlite_memory(url: URL) -> bool:
    """True for an in-memory SQLite database (no file)."""
    database = url.database or ""
    return database in ("", ":memory:") or "mode=memory" in database


def create_engine(database_url: str | URL, *, immediate_transactions: bool = False) -> Engine:
    """A sync engine for `database_url`.

    SQLite gets WAL, a busy timeout and its parent folder created. With
    `immediate_transactions`, every SQLite transaction starts with `BEGIN IMMEDIATE`, so
    concurrent writers (such as two processes migrating at once) queue instead of failing.
    """
    url = normalize_database_url(database_url)
    if is_sqlite(url):
        return _create_sqlite_engine(url, immediate_transactions=immediate_transactions)
    return sa.create_engine(url, pool_pre_ping=True)


def _create_sqlite_engine(url: URL, *, immediate_transactions: bool) -> Engine:
    connect_args: dict[str, Any] = {
        "check_same_thread": False,
        "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
    }
    options: dict[str, Any] = {}
    if is_sqlite_memory(url):
        # One shared connection, otherwise every connection would see its own empty database.
        options["poolclass"] = StaticPool
    else:
        _make_parent_folder(url)
    if immediate_transactions:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        connect_args["isolation_level"] = None
    engine = sa.create_engine(url, connect_args=connect_args, **options)
    sa.event.listen(engine, "connect", _set_sqlite_pragmas)
    if immediate_transactions:
        sa.event.listen(engine, "begin", _begin_immediate)
    return engine


def _make_parent_folder(url: URL) -> None:
    database = url.database or ""
    if database.startswith("file:"):
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        _enable_wal(cursor)
        # Safe with WAL: a crash may lose the last commits but never corrupts the file.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _enable_wal(cursor: Any) -> None:
    """Switch to WAL once per file. The switch needs an exclusive lock and ignores the busy
    timeout, so a connection opened while another holds the lock retries for a while."""
    if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        return
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _begin_immediate(connection: sa.Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
