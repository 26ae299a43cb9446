"""Helpers for tests of authenticated endpoints: an app on embedded stores with a valid key.

Usage in any test module (the `tests/` folder is on `sys.path`):

    from platform_fixtures import api_client  # noqa: F401  (a pytest fixture)

    def test_something(api_client):
        response = api_client.post("/v1/validate", json={...})  # sends the API key

or, with settings of your own:

    from platform_fixtures import authenticated_client
    with authenticated_client(settings) as client: ...
"""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from cleara.api.app import create_app
from cleara.platform.clock import Clock
from cleara.platform.service import Platform
from cleara.settings import Settings
from cleara.store.base import Stores
from cleara.store.blob import LocalBlobStore
from cleara.store.cache import InMemoryCache
from cleara.store.sql import migrate
from cleara.store.sql.engine import create_engine, normalize_database_url
from cleara.store.sql.item_store import SqlItemStore


class ManualClock:
    """A clock that only moves when told to (Unix seconds)."""

    def __init__(self, start: float | None = None) -> None:
        # Starts at the real time: stored items also expire by the real clock.
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@lru_cache(maxsize=1)
def _migrated_template() -> Path:
    """A migrated SQLite file, made once per test session and copied for each app."""
    folder = Path(tempfile.mkdtemp(prefix="cleara-test-template-"))
    path = folder / "cleara.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


def embedded_stores(data_dir: Path) -> Stores:
    """The embedded default stores (SQLite file, in-process cache, local blobs) in a folder."""
    data_dir.mkdir(parents=True, exist_ok=True)
    database = data_dir / "cleara.db"
    if not database.exists():
        shutil.copyfile(_migrated_template(), database)
    return Stores(
        items=SqlItemStore.from_url(f"sqlite:///{database}"),
        cache=InMemoryCache(),
        blobs=LocalBlobStore(data_dir / "blobs"),
    )


def platform_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": data_dir, "environment": "test"}
    values.update(overrides)
    return Settings(_env_file=None, **values)


def start_app(
    settings: Settings,
    stores: Stores | None = None,
    *,
    clock: Clock | None = None,
    mailer: Any = None,
) -> Any:
    """An app on `stores` (default: embedded stores in `settings.data_dir`), not started."""
    app = create_app(settings, stores=stores or embedded_stores(settings.data_dir))
    app.state.clock = clock
    app.state.mailer = mailer
    return app


def platform_of(client: TestClient) -> Platform:
    platform: Platform = client.app.state.platform  # type: ignore[attr-defined]
    return platform


def unique_email(tag: str = "user") -> str:
    """An address no other test uses (databases may be shared within a session)."""
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


def new_key(
    client: TestClient,
    email: str | None = None,
    *,
    tier: str = "enterprise",
    scopes: Iterable[str] = ("*",),
    **options: Any,
) -> str:
    """Create (or reuse) the account of `email` (default: a new one) and return a new key's
    secret."""
    platform = platform_of(client)
    account, _ = platform.accounts.get_or_create(email or unique_email(), tier=tier)
    return platform.keys.create(account.id, scopes=scopes, name="test", **options).secret


@contextmanager
def authenticated_client(
    settings: Settings,
    stores: Stores | None = None,
    *,
    tier: str = "enterprise",
    scopes: Iterable[str] = ("*",),
    clock: Clock | None = None,
) -> Iterator[TestClient]:
    """A started TestClient whose requests carry a valid API key (`client.headers`).

    The default tier, enterprise, allows 500 requests per second and 10 million a month.
    """
    owned = stores is None
    stores = stores or embedded_stores(settings.data_dir)
    app = start_app(settings, stores, clock=clock)
    try:
        with TestClient(app) as client:
            secret = new_key(client, tier=tier, scopes=scopes)
            client.headers["Authorization"] = f"Bearer {secret}"
            yield client
    finally:
        if owned:
            stores.close()


@pytest.fixture(scope="session")
def platform_postgres_url(postgres_url: str) -> Iterator[str]:
    """A migrated PostgreSQL schema of its own for the session (dropped afterwards)."""
    schema = f"cleara_platform_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = (
        normalize_database_url(postgres_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    migrate.upgrade(url)
    try:
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def api_client(tmp_path: Path) -> Iterator[TestClient]:
    """An authenticated TestClient on embedded stores in `tmp_path`."""
    with authenticated_client(platform_settings(tmp_path)) as client:
        yield client
