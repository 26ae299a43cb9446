"""Store interfaces. Callers depend on these protocols only, never on SQL, Redis or files.

Access is key-based on purpose (partition key + sort key, atomic counters, conditional writes),
so that a DynamoDB implementation can be added later without touching callers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


class StoreError(Exception):
    """Base class of store failures."""


class ConflictError(StoreError):
    """A conditional write failed: the item exists already, or its version changed."""


class NotFoundError(StoreError):
    """The item, blob or key does not exist."""


@dataclass(frozen=True, slots=True)
class Item:
    """One stored record: addressed by (namespace, pk, sk), with a JSON body and a version."""

    namespace: str
    pk: str
    sk: str
    data: Mapping[str, Any]
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """A page of query results and the cursor of the next page (None when there is none)."""

    items: list[Item] = field(default_factory=list)
    next_cursor: str | None = None


@runtime_checkable
class ItemStore(Protocol):
    """Durable key-based records (SQL now; DynamoDB later)."""

    def get(self, namespace: str, pk: str, sk: str = "") -> Item | None:
        """The item at this key, or None. Expired items are not returned."""
        ...

    def put(
        self,
        namespace: str,
        pk: str,
        sk: str,
        data: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        if_absent: bool = False,
        expires_at: datetime | None = None,
    ) -> Item:
        """Create or replace an item. `if_absent` or `expected_version` make it conditional,
        raising ConflictError when the condition fails. Returns the stored item."""
        ...

    def delete(self, namespace: str, pk: str, sk: str = "") -> bool:
        """Delete an item; True if it existed."""
        ...

    def query(
        self,
        namespace: str,
        pk: str,
        *,
        sk_prefix: str = "",
        sk_from: str | None = None,
        sk_to: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        descending: bool = False,
    ) -> Page:
        """Items of one partition ordered by sort key, optionally filtered by prefix/range."""
        ...

    def increment(self, namespace: str, pk: str, sk: str, by: int = 1) -> int:
        """Atomically add `by` to a counter (created at 0) and return the new value."""
        ...

    def counter(self, namespace: str, pk: str, sk: str) -> int:
        """The current value of a counter (0 when absent)."""
        ...

    def ping(self) -> None:
        """Raise StoreError when the store cannot be reached."""
        ...


@runtime_checkable
class Cache(Protocol):
    """A shared cache of byte values with expiry (Redis or in-process)."""

    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, *, ttl_seconds: float | None = None) -> None: ...

    def set_if_absent(self, key: str, value: bytes, *, ttl_seconds: float | None = None) -> bool:
        """Store only when the key is absent; True if stored."""
        ...

    def delete(self, key: str) -> bool: ...

    def incr(self, key: str, by: int = 1, *, ttl_seconds: float | None = None) -> int:
        """Atomically add to an integer counter; the ttl is set when the counter is created."""
        ...

    def ping(self) -> None:
        """Raise StoreError when the cache cannot be reached."""
        ...


@runtime_checkable
class BlobStore(Protocol):
    """Named binary objects (local folder now; S3 later). Keys are `/`-separated paths."""

    def put(self, key: str, data: bytes, *, content_type: str | None = None) -> None: ...

    def get(self, key: str) -> bytes:
        """The blob's bytes; NotFoundError when absent."""
        ...

    def open(self, key: str) -> Iterator[bytes]:
        """Stream the blob in chunks; NotFoundError when absent."""
        ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> bool: ...

    def list(self, prefix: str = "") -> list[str]: ...

    def ping(self) -> None: ...


@dataclass(slots=True)
class Stores:
    """The three stores the service runs on, built from settings by `store.factory`."""

    items: ItemStore
    cache: Cache
    blobs: BlobStore

    def close(self) -> None:
        """Release connections held by the implementations that hold any."""
        for store in (self.items, self.cache, self.blobs):
            close = getattr(store, "close", None)
            if callable(close):
                close()
