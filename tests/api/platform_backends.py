"""Backends of the platform API tests: the embedded default, and PostgreSQL with Redis."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from cleara.settings import Settings, TierLimits
from cleara.store.base import Stores
from cleara.store.blob import LocalBlobStore
from cleara.store.cache import RedisCache
from cleara.store.sql.item_store import SqlItemStore
from platform_fixtures import embedded_stores, platform_settings, start_app

TEST_TIERS = {
    "free": TierLimits(monthly_quota=500, per_second=3),
    "pro": TierLimits(monthly_quota=100_000, per_second=20),
    "enterprise": TierLimits(monthly_quota=1_000_000, per_second=1_000),
}
ClientFactory = Callable[..., AbstractContextManager[TestClient]]


def _backend_stores(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> tuple[Stores, dict[str, Any], Callable[[], None]]:
    if kind == "embedded":
        stores = embedded_stores(tmp_path)
        return stores, {}, stores.close
    redis_url: str = request.getfixturevalue("redis_url")
    database_url: str = request.getfixturevalue("platform_postgres_url")
    prefix = f"cleara-test:{uuid.uuid4().hex}:"
    stores = Stores(
        items=SqlItemStore.from_url(database_url),
        cache=RedisCache(redis_url, prefix=prefix),
        blobs=LocalBlobStore(tmp_path / "blobs"),
    )

    def cleanup() -> None:
        stores.close()
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()

    return stores, {"redis_url": redis_url}, cleanup


@pytest.fixture(
    params=[
        "embedded",
        pytest.param("postgres+redis", marks=[pytest.mark.postgres, pytest.mark.redis]),
    ]
)
def make_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ClientFactory]:
    """Start apps on the backend: `with make_client(clock=..., **settings) as client:`."""
    cleanups: list[Callable[[], None]] = []

    @contextmanager
    def factory(*, clock: Any = None, mailer: Any = None, **overrides: Any) -> Iterator[TestClient]:
        stores, backend_settings, cleanup = _backend_stores(request.param, request, tmp_path)
        cleanups.append(cleanup)
        values: dict[str, Any] = {"tiers": TEST_TIERS, **backend_settings, **overrides}
        settings: Settings = platform_settings(tmp_path, **values)
        with TestClient(start_app(settings, stores, clock=clock, mailer=mailer)) as client:
            yield client

    yield factory
    for cleanup in cleanups:
        cleanup()
