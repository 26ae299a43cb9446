"""Behaviour particular to each cache: LRU bounds, and Redis failures and prefixes."""

from __future__ import annotations

import pytest
import redis

from cleara.store.base import StoreError
from cleara.store.cache import InMemoryCache, RedisCache


class FakeClock:
    """A settable monotonic clock, so expiry is tested without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_least_recently_used_entry_is_evicted() -> None:
    cache = InMemoryCache(max_entries=2)
    cache.set("a", b"1")
    cache.set("b", b"2")
    assert cache.get("a") == b"1"  # "b" is now the least recently used
    cache.set("c", b"3")
    assert len(cache) == 2
    assert cache.get("b") is None
    assert cache.get("a") == b"1"
    assert cache.get("c") == b"3"


def test_expiry_follows_the_clock() -> None:
    clock = FakeClock()
    cache = InMemoryCache(clock=clock)
    cache.set("k", b"v", ttl_seconds=10)
    clock.now += 9.9
    assert cache.get("k") == b"v"
    clock.now += 0.1
    assert cache.get("k") is None
    assert len(cache) == 0


def test_incr_keeps_the_first_deadline() -> None:
    clock = FakeClock()
    cache = InMemoryCache(clock=clock)
    cache.incr("n", ttl_seconds=10)
    clock.now += 5
    cache.incr("n", ttl_seconds=100)
    clock.now += 5
    assert cache.get("n") is None


def test_max_entries_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_entries"):
        InMemoryCache(max_entries=0)


def test_close_empties_the_cache() -> None:
    cache = InMemoryCache()
    cache.set("k", b"v")
    cache.close()
    assert cache.get("k") is None


def test_unreachable_redis_raises_store_error() -> None:
    cache = RedisCache("redis://127.0.0.1:1/0", timeout_seconds=0.5)
    with pytest.raises(StoreError, match="cache error"):
        cache.ping()
    with pytest.raises(StoreError):
        cache.get("k")
    with pytest.raises(StoreError):
        cache.incr("n", ttl_seconds=1)
    cache.close()


@pytest.mark.redis
def test_redis_keys_carry_the_prefix(redis_url: str, unique_name: str) -> None:
    prefix = f"cleara-test:{unique_name}:"
    cache = RedisCache(redis_url, prefix=prefix)
    client = redis.Redis.from_url(redis_url)
    try:
        cache.set("k", b"v", ttl_seconds=30)
        assert client.get(f"{prefix}k") == b"v"
        assert 0 < client.pttl(f"{prefix}k") <= 30_000
    finally:
        client.delete(f"{prefix}k")
        client.close()
        cache.close()
