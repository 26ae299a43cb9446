"""Persistence of incremental-matching indexes (stored clusters) in a blob store."""

from __future__ import annotations

import orjson

from cleara.engine.dedupe.incremental import MatchIndex
from cleara.store.base import BlobStore, NotFoundError

_PREFIX = "dedupe-index/"


def _key(name: str) -> str:
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"invalid index name {name!r}")
    return f"{_PREFIX}{name}.json"


def save_index(blobs: BlobStore, name: str, index: MatchIndex) -> None:
    """Store the index's JSON state under `name` (replacing an older one)."""
    blobs.put(_key(name), orjson.dumps(index.to_state()), content_type="application/json")


def load_index(blobs: BlobStore, name: str) -> MatchIndex | None:
    """The index stored under `name`, or None when there is none."""
    try:
        data = blobs.get(_key(name))
    except NotFoundError:
        return None
    return MatchIndex.from_state(orjson.loads(data))
