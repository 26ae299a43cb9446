"""Match indexes in a blob store: named, kept apart per owner, replaced and deleted; updates
take turns through a lease in the item store."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from people import PEOPLE

from cleara.engine.dedupe import dedupe
from cleara.engine.dedupe.incremental import MatchIndex
from cleara.store.blob import LocalBlobStore
from cleara.store.dedupe_index import (
    IndexBusyError,
    delete_index,
    index_lease,
    list_indexes,
    load_index,
    save_index,
)
from cleara.store.sql import migrate
from cleara.store.sql.item_store import SqlItemStore


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


def test_a_second_update_waits_for_the_lease_and_gives_up_in_time(
    item_store: SqlItemStore, unique_name: str
) -> None:
    with index_lease(item_store, unique_name, "acct_1"):
        started = time.monotonic()
        with (
            pytest.raises(IndexBusyError, match="being updated by another request"),
            index_lease(item_store, unique_name, "acct_1", wait_seconds=0.2),
        ):
            pass
        assert 0.2 <= time.monotonic() - started < 5
        with index_lease(item_store, unique_name, "acct_2", wait_seconds=0):
            pass  # another owner's index of that name is another lease
    with index_lease(item_store, unique_name, "acct_1", wait_seconds=0) as lease:
        lease.confirm()  # released: the next update takes it at once


def test_a_waiting_update_gets_the_lease_when_the_holder_ends(
    item_store: SqlItemStore, unique_name: str
) -> None:
    order: list[str] = []
    held = threading.Event()

    def first() -> None:
        with index_lease(item_store, unique_name):
            held.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(5)
    with index_lease(item_store, unique_name, wait_seconds=10):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]


def test_an_expired_lease_is_taken_over_and_its_holder_may_not_save(
    item_store: SqlItemStore, unique_name: str
) -> None:
    with index_lease(item_store, unique_name, lease_seconds=0.05) as stale:
        time.sleep(0.1)  # the holder crashed or hung past its lease
        with index_lease(item_store, unique_name, wait_seconds=0) as current:
            with pytest.raises(IndexBusyError, match="took longer than its lease"):
                stale.confirm()
            stale.release()  # the stale holder ending does not end the new lease
            current.confirm()
            with (
                pytest.raises(IndexBusyError),
                index_lease(item_store, unique_name, wait_seconds=0),
            ):
                pass


_MATCH_IN_ANOTHER_PROCESS = """
import json, sys, time
from pathlib import Path
from cleara.store.blob import LocalBlobStore
from cleara.store.dedupe_index import index_lease, load_index, save_index
from cleara.store.sql.item_store import SqlItemStore

database, root, records = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
items = SqlItemStore.from_url(database)
blobs = LocalBlobStore(Path(root))
with index_lease(items, "customers", "acct_1", wait_seconds=60) as lease:
    index = load_index(blobs, "customers", "acct_1")
    index.match(records, [r["id"] for r in records])
    time.sleep(0.5)  # the other process is waiting now, not loading the old index
    lease.confirm()
    save_index(blobs, "customers", index, "acct_1")
items.close()
"""


def test_two_processes_updating_one_index_keep_both_additions(
    tmp_path: Path, index: MatchIndex
) -> None:
    database = f"sqlite:///{tmp_path / 'items.db'}"
    migrate.upgrade(database)
    blobs = LocalBlobStore(tmp_path / "blobs")
    save_index(blobs, "customers", index, "acct_1")
    batches = [
        [{**PEOPLE[0], "id": "new-1"}, {**PEOPLE[2], "id": "new-2"}],
        [{**PEOPLE[4], "id": "new-3"}],
    ]
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _MATCH_IN_ANOTHER_PROCESS,
                database,
                str(tmp_path / "blobs"),
                json.dumps(batch),
            ],
        )
        for batch in batches
    ]
    assert [worker.wait(120) for worker in workers] == [0, 0]
    stored = load_index(blobs, "customers", "acct_1")
    assert stored is not None
    members = {m for ids in stored.cluster_members().values() for m in ids}
    assert {"new-1", "new-2", "new-3"} <= members
    assert len(members) == len(PEOPLE) + 3
