"""Fixtures of the platform tests: item stores on SQLite and PostgreSQL, a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cleara.store.sql.item_store import SqlItemStore
from platform_fixtures import ManualClock, embedded_stores, platform_postgres_url

__all__ = ["platform_postgres_url"]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def items(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlItemStore]:
    """An item store on the embedded SQLite default, then on PostgreSQL."""
    if request.param == "sqlite":
        store = embedded_stores(tmp_path).items
    else:
        store = SqlItemStore.from_url(request.getfixturevalue("platform_postgres_url"))
    assert isinstance(store, SqlItemStore)
    yield store
    store.close()
