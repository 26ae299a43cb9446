"""Match indexes in a blob store: named, kept apart per owner, replaced and deleted."""

from __future__ import annotations

from pathlib import Path

import pytest
from people import PEOPLE

from cleara.engine.dedupe import dedupe
from cleara.engine.dedupe.incremental import MatchIndex
from cleara.store.blob import LocalBlobStore
from cleara.store.dedupe_index import delete_index, list_indexes, load_index, save_index


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.from_result(dedupe(PEOPLE, id_field="id"))


def test_an_index_is_saved_and_loaded(tmp_path: Path, index: MatchIndex) -> None:
    blobs = LocalBlobStore(tmp_path)
    assert load_index(blobs, "customers") is None
    save_index(blobs, "customers", index)
    restored = load_index(blobs, "customers")
    assert restored is not None
    assert restored.cluster_members() == index.cluster_members()
    assert restored.to_state() == index.to_state()


def test_owners_keep_their_names_apart(tmp_path: Path, index: MatchIndex) -> None:
    blobs = LocalBlobStore(tmp_path)
    save_index(blobs, "customers", index, owner="acct_1")
    assert load_index(blobs, "customers", owner="acct_2") is None
    assert load_index(blobs, "customers") is None
    assert load_index(blobs, "customers", owner="acct_1") is not None
    assert not delete_index(blobs, "customers", owner="acct_2")
    assert delete_index(blobs, "customers", owner="acct_1")
    assert load_index(blobs, "customers", owner="acct_1") is None


@pytest.mark.parametrize("name", ["", "../x", "a/b", ".hidden", "x" * 65, "bad name"])
def test_unsafe_names_are_refused(tmp_path: Path, index: MatchIndex, name: str) -> None:
    with pytest.raises(ValueError, match="invalid index name"):
        save_index(LocalBlobStore(tmp_path), name, index)
    with pytest.raises(ValueError, match="invalid index owner"):
        save_index(LocalBlobStore(tmp_path), "ok", index, owner="../other")


def test_an_owner_lists_only_their_own_indexes(tmp_path: Path, index: MatchIndex) -> None:
    blobs = LocalBlobStore(tmp_path)
    assert list_indexes(blobs, owner="acct_1") == []
    for name, owner in (("crm", "acct_1"), ("billing", "acct_1"), ("crm", "acct_2"), ("x", None)):
        save_index(blobs, name, index, owner=owner)
    assert list_indexes(blobs, owner="acct_1") == ["billing", "crm"]
    assert list_indexes(blobs, owner="acct_2") == ["crm"]
    assert list_indexes(blobs) == ["x"]
