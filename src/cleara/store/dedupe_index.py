"""Persistence of incremental-matching indexes (stored clusters) in a blob store.

Indexes are named; an `owner` (the account of an API caller) keeps one caller's names apart
from another's: `dedupe-index/<owner>/<name>.json`, or `dedupe-index/<name>.json` without.
"""

from __future__ import annotations

import re

import orjson

from cleara.engine.dedupe.incremental import MatchIndex
from cleara.store.base import BlobStore, NotFoundError

_PREFIX = "dedupe-index/"
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
"""Index names: 1-64 letters, digits, `_`, `.` and `-`, starting with a letter or digit."""
_NAME = re.compile(NAME_PATTERN)


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
