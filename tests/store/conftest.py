"""Store fixtures: every contract suite runs on each implementation.

PostgreSQL tests run in a schema of their own (dropped afterwards); Redis tests use a key
prefix of their own (deleted afterwards). Each test works in a namespace of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from cleara.store.base import Cache
from cleara.store.cache import InMemoryCache, RedisCache
from cleara.store.sql import migrate
from cleara.store.sql.engine import create_engine, normalize_database_url
from cleara.store.sql.item_store import SqlItemStore


def postgres_schema_url(base_url: str, schema: str) -> str:
    """`base_url` with every connection's search_path set to `schema`."""
    url = normalize_database_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def postgres_schema(postgres_url: str, unique_name: str) -> Iterator[str]:
    """A URL whose connections work in a new, empty schema (dropped afterwards)."""
    yield from _schema_url(postgres_url, f"cleara_test_{unique_name}")


@pytest.fixture(scope="session")
def _session_postgres_url(postgres_url: str) -> Iterator[str]:
    yield from _schema_url(postgres_url, f"cleara_test_{uuid.uuid4().hex[:12]}")


def _schema_url(postgres_url: str, schema: str) -> Iterator[str]:
    admin = create_engine(postgres_url)
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        yield postgres_schema_url(postgres_url, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def item_store(request: pytest.FixtureRequest) -> Iterator[SqlItemStore]:
    """An SqlItemStore on SQLite, then on PostgreSQL."""
    url: str = request.getfixturevalue(f"_migrated_{request.param}")
    store = SqlItemStore.from_url(url)
    yield store
    store.close()


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('items') / 'items.db'}"
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def _migrated_postgres(_session_postgres_url: str) -> str:
    migrate.upgrade(_session_postgres_url)
    return _session_postgres_url


@pytest.fixture
def namespace(unique_name: str) -> str:
    """A namespace no other test writes to."""
    return f"t_{unique_name}"


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def cache(request: pytest.FixtureRequest, unique_name: str) -> Iterator[Cache]:
    """An InMemoryCache, then a RedisCache under a key prefix of its own."""
    if request.param == "memory":
        yield InMemoryCache()
        return
    url: str = request.getfixturevalue("redis_url")
    prefix = f"cleara-test:{unique_name}:"
    store = RedisCache(url, prefix=prefix)
    yield store
    store.close()
    _delete_prefixed_keys(url, prefix)


def _delete_prefixed_keys(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file URL inside a folder that does not exist yet."""
    return f"sqlite:///{tmp_path / 'nested' / 'cleara.db'}"
