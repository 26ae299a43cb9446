"""Persistence of incremental-matching indexes (stored clusters) in a blob store.

Indexes are named; an `owner` (the account of an API caller) keeps one caller's names apart
from another's: `dedupe-index/<owner>/<name>.json`, or `dedupe-index/<name>.json` without.

An update loads an index, adds records and saves it whole, so two processes updating one
index at once would each save their own additions and the later save would drop the other's.
`index_lease` serializes updates across processes and hosts with a lease item in the shared
item store (SQLite or PostgreSQL): one writer at a time, the others wait; a lease left by a
crashed process expires.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta

import orjson

from cleara.engine.dedupe.incremental import MatchIndex
from cleara.store.base import BlobStore, ConflictError, ItemStore, NotFoundError, StoreError

_PREFIX = "dedupe-index/"
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
"""Index names: 1-64 letters, digits, `_`, `.` and `-`, starting with a letter or digit."""
_NAME = re.compile(NAME_PATTERN)
_LEASES = "dedupe-index-lease"
LEASE_SECONDS = 900.0
"""How long a lease lasts: longer than any one update; a crashed holder's lease ends then."""
WAIT_SECONDS = 120.0
"""How long an update waits for another process's update of the same index."""


class IndexBusyError(StoreError):
    """Another update of the index held its lease for longer than the caller would wait, or
    took the lease over after this one's expired (nothing was saved)."""


class IndexLease:
    """A held lease on one index: `confirm` before saving."""

    def __init__(self, items: ItemStore, pk: str, token: str) -> None:
        self._items, self._pk, self._token = items, pk, token

    def confirm(self) -> None:
        """Raise IndexBusyError unless this lease is still the live one."""
        item = self._items.get(_LEASES, self._pk)
        if item is None or item.data.get("token") != self._token:
            raise IndexBusyError(
                "the update took longer than its lease and another update of the index began"
            )

    def release(self) -> None:
        """End the lease if it is still this one (a conditional write: never another's)."""
        item = self._items.get(_LEASES, self._pk)
        if item is None or item.data.get("token") != self._token:
            return
        now = datetime.now(UTC)
        # Taken over in between (ConflictError): the lease is no longer this one's to end.
        with suppress(ConflictError):
            self._items.put(
                _LEASES, self._pk, "", {}, expected_version=item.version, expires_at=now
            )


@contextmanager
def index_lease(
    items: ItemStore,
    name: str,
    owner: str | None = None,
    *,
    lease_seconds: float = LEASE_SECONDS,
    wait_seconds: float | None = None,
) -> Iterator[IndexLease]:
    """Hold the update lease of the index `name` (waiting up to `wait_seconds`, default
    WAIT_SECONDS, for another holder); IndexBusyError when it stays taken."""
    pk = _key(name, owner)
    token = secrets.token_hex(16)
    give_up = time.monotonic() + (WAIT_SECONDS if wait_seconds is None else wait_seconds)
    pause = 0.02
    while True:
        expires = datetime.now(UTC) + timedelta(seconds=lease_seconds)
        try:
            items.put(_LEASES, pk, "", {"token": token}, if_absent=True, expires_at=expires)
            break
        except ConflictError:
            if time.monotonic() >= give_up:
                raise IndexBusyError(
                    f"index {name!r} is being updated by another request; retry shortly"
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
    lease = IndexLease(items, pk, token)
    try:
        yield lease
    finally:
        lease.release()


def _key(name: str, owner: str | None) -> str:
    if not _NAME.match(name):
        raise ValueError(
            f"invalid index name {name!r}: use 1-64 letters, digits, '_', '.' or '-', "
            "starting with a letter or digit"
        )
    if owner is not None and not _NAME.match(owner):
        raise ValueError(f"invalid index owner {owner!r}")
    return f"{_PREFIX}{owner}/{name}.json" if owner else f"{_PREFIX}{name}.json"


def save_index(blobs: BlobStore, name: str, index: MatchIndex, owner: str | None = None) -> None:
    """Store the index's JSON state under `name` (replacing an older one)."""
    blobs.put(_key(name, owner), orjson.dumps(index.to_state()), content_type="application/json")


def load_index(blobs: BlobStore, name: str, owner: str | None = None) -> MatchIndex | None:
    """The index stored under `name`, or None when there is none."""
    try:
        data = blobs.get(_key(name, owner))
    except NotFoundError:
        return None
    return MatchIndex.from_state(orjson.loads(data))


def delete_index(blobs: BlobStore, name: str, owner: str | None = None) -> bool:
    """Remove the index stored under `name`; False when there was none."""
    return blobs.delete(_key(name, owner))


def list_indexes(blobs: BlobStore, owner: str | None = None) -> list[str]:
    """The names of the indexes stored for `owner` (without one: those stored without owner)."""
    prefix = f"{_PREFIX}{owner}/" if owner else _PREFIX
    if owner is not None and not _NAME.match(owner):
        raise ValueError(f"invalid index owner {owner!r}")
    names = (key[len(prefix) :] for key in blobs.list(prefix))
    return [name[: -len(".json")] for name in names if "/" not in name and name.endswith(".json")]
