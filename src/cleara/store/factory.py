"""Build the stores the service runs on from its settings."""

from __future__ import annotations

from cleara.settings import Settings
from cleara.store.base import Cache, Stores
from cleara.store.blob import LocalBlobStore
from cleara.store.cache import InMemoryCache, RedisCache
from cleara.store.sql import migrate
from cleara.store.sql.engine import create_engine
from cleara.store.sql.item_store import SqlItemStore


def build_stores(settings: Settings) -> Stores:
    """SQL items, Redis (or in-process) cache and local blobs, as configured.

    Call `apply_migrations` first (for instance at deploy or start-up) so the tables exist.
    """
    items = SqlItemStore(create_engine(settings.effective_database_url))
    return Stores(items=items, cache=build_cache(settings), blobs=build_blob_store(settings))


def build_cache(settings: Settings) -> Cache:
    """RedisCache when `redis_url` is set, otherwise an in-process cache."""
    if settings.redis_url:
        return RedisCache(settings.redis_url)
    return InMemoryCache()


def build_blob_store(settings: Settings) -> LocalBlobStore:
    """The local blob store at `effective_blob_dir`, created when missing."""
    return LocalBlobStore(settings.effective_blob_dir)


def apply_migrations(settings: Settings) -> None:
    """Bring the database schema up to date, creating `data_dir` for the embedded default."""
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.effective_database_url)
