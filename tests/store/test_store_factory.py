"""Building the stores from settings."""

from __future__ import annotations

from pathlib import Path

from cleara.settings import Settings
from cleara.store.blob import LocalBlobStore
from cleara.store.cache import InMemoryCache, RedisCache
from cleara.store.factory import apply_migrations, build_stores
from cleara.store.sql import migrate
from cleara.store.sql.item_store import SqlItemStore


def _settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": data_dir, "database_url": None, "redis_url": None}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_embedded_defaults_work_end_to_end(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "data")
    apply_migrations(settings)
    assert (tmp_path / "data" / "cleara.db").is_file()
    assert migrate.pending(settings.effective_database_url) is False

    stores = build_stores(settings)
    try:
        assert isinstance(stores.items, SqlItemStore)
        assert isinstance(stores.cache, InMemoryCache)
        assert isinstance(stores.blobs, LocalBlobStore)
        assert stores.blobs.root == tmp_path / "data" / "blobs"
        stored = stores.items.put("ns", "p", "s", {"ok": True})
        assert stores.items.get("ns", "p", "s") == stored
        stores.blobs.put("k", b"v")
        assert stores.blobs.get("k") == b"v"
        stores.items.ping()
        stores.blobs.ping()
    finally:
        stores.close()


def test_configured_redis_and_blob_dir_are_used(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path / "data",
        redis_url="redis://127.0.0.1:1/0",
        blob_dir=tmp_path / "elsewhere" / "blobs",
    )
    stores = build_stores(settings)
    try:
        assert isinstance(stores.cache, RedisCache)
        assert isinstance(stores.blobs, LocalBlobStore)
        assert (tmp_path / "elsewhere" / "blobs").is_dir()
    finally:
        stores.close()
