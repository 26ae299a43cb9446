"""`Cache` implementations: in-process (LRU with expiry) and Redis."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple, cast

import redis
import redis.exceptions

from cleara.store.base import StoreError

DEFAULT_MAX_ENTRIES = 10_000


class _Entry(NamedTuple):
    value: bytes
    deadline: float | None


class InMemoryCache:
    """A thread-safe cache inside this process: entries expire, and the least recently used
    entry is evicted when `max_entries` is reached. Not shared between worker processes."""

    def __init__(
        self,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._live_entry(key)
            return entry.value if entry is not None else None

    def set(self, key: str, value: bytes, *, ttl_seconds: float | None = None) -> None:
        deadline = self._deadline(ttl_seconds)
        with self._lock:
            self._store(key, _Entry(bytes(value), deadline))

    def set_if_absent(self, key: str, value: bytes, *, ttl_seconds: float | None = None) -> bool:
        deadline = self._deadline(ttl_seconds)
        with self._lock:
            if self._live_entry(key) is not None:
                return False
            self._store(key, _Entry(bytes(value), deadline))
            return True

    def delete(self, key: str) -> bool:
        with self._lock:
            existed = self._live_entry(key) is not None
            self._entries.pop(key, None)
            return existed

    def incr(self, key: str, by: int = 1, *, ttl_seconds: float | None = None) -> int:
        deadline = self._deadline(ttl_seconds)
        with self._lock:
            entry = self._live_entry(key)
            if entry is None:
                self._store(key, _Entry(str(by).encode(), deadline))
                return by
            total = _parse_counter(key, entry.value) + by
            self._store(key, _Entry(str(total).encode(), entry.deadline))
            return total

    def ping(self) -> None:
        """Always reachable: it lives in this process."""

    def close(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._entries.clear()

    def _deadline(self, ttl_seconds: float | None) -> float | None:
        return None if ttl_seconds is None else self._clock() + _checked_ttl(ttl_seconds)

    def _live_entry(self, key: str) -> _Entry | None:
        """The unexpired entry at `key`, marked as recently used; drops it if expired."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.deadline is not None and entry.deadline <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    def _store(self, key: str, entry: _Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)


class RedisCache:
    """A cache shared by every process, in Redis. Keys are stored under `prefix`."""

    def __init__(
        self,
        url: str,
        prefix: str = "cleara:",
        *,
        timeout_seconds: float = 5.0,
    ) -> None:
        self._prefix = prefix
        self._client = redis.Redis.from_url(
            url,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
            health_check_interval=30,
        )

    def get(self, key: str) -> bytes | None:
        with _redis_errors():
            value = self._client.get(self._key(key))
        return cast(bytes | None, value)

    def set(self, key: str, value: bytes, *, ttl_seconds: float | None = None) -> None:
        px = _milliseconds(ttl_seconds)
        with _redis_errors():
            self._client.set(self._key(key), value, px=px)

    def set_if_absent(self, key: str, value: bytes, *, ttl_seconds: float | None = None) -> bool:
        px = _milliseconds(ttl_seconds)
        with _redis_errors():
            stored = self._client.set(self._key(key), value, px=px, nx=True)
        return bool(stored)

    def delete(self, key: str) -> bool:
        with _redis_errors():
            removed = self._client.delete(self._key(key))
        return int(removed) > 0

    def incr(self, key: str, by: int = 1, *, ttl_seconds: float | None = None) -> int:
        px = _milliseconds(ttl_seconds)
        name = self._key(key)
        with _redis_errors(), _integer_errors(key):
            if px is None:
                return int(self._client.incrby(name, by))
            # MULTI/EXEC: create at 0 with the ttl only if absent, then add; INCRBY keeps ttls.
            pipeline = self._client.pipeline(transaction=True)
            pipeline.set(name, 0, px=px, nx=True)
            pipeline.incrby(name, by)
            results: list[Any] = pipeline.execute()
            return int(results[-1])

    def ping(self) -> None:
        with _redis_errors():
            self._client.ping()

    def close(self) -> None:
        """Close the connection pool."""
        with _redis_errors():
            self._client.close()

    def _key(self, key: str) -> str:
        return self._prefix + key


@contextmanager
def _redis_errors() -> Iterator[None]:
    """Redis failures surface as StoreError, never as redis exceptions."""
    try:
        yield
    except redis.exceptions.RedisError as error:
        raise StoreError(f"cache error: {error}") from error


@contextmanager
def _integer_errors(key: str) -> Iterator[None]:
    try:
        yield
    except redis.exceptions.ResponseError as error:
        if "not an integer" in str(error):
            raise ValueError(f"cache value at {key!r} is not an integer") from error
        raise


def _checked_ttl(ttl_seconds: float) -> float:
    if not math.isfinite(ttl_seconds) or ttl_seconds <= 0:
        raise ValueError("ttl_seconds must be a positive number")
    return ttl_seconds


def _milliseconds(ttl_seconds: float | None) -> int | None:
    if ttl_seconds is None:
        return None
    return max(1, round(_checked_ttl(ttl_seconds) * 1000))


def _parse_counter(key: str, value: bytes) -> int:
    try:
        return int(value)
    except ValueError as error:
        raise ValueError(f"cache value at {key!r} is not an integer") from error
