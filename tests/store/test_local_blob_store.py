"""LocalBlobStore: round trips, key safety, atomic writes and streaming."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from cleara.store.base import BlobStore, ConflictError, NotFoundError, StoreError
from cleara.store.blob import CHUNK_SIZE, LocalBlobStore


@pytest.fixture
def blobs(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


def test_satisfies_protocol(blobs: LocalBlobStore) -> None:
    assert isinstance(blobs, BlobStore)


def test_round_trip(blobs: LocalBlobStore) -> None:
    blobs.put("exports/2025/report.csv", b"a,b\n1,2\n", content_type="text/csv")
    assert blobs.exists("exports/2025/report.csv")
    assert blobs.get("exports/2025/report.csv") == b"a,b\n1,2\n"
    assert blobs.content_type("exports/2025/report.csv") == "text/csv"


def test_content_type_is_optional_and_replaced(blobs: LocalBlobStore) -> None:
    blobs.put("k", b"1", content_type="text/plain")
    blobs.put("k", b"2")
    assert blobs.content_type("k") is None


def test_missing_blob(blobs: LocalBlobStore) -> None:
    assert blobs.exists("nope") is False
    with pytest.raises(NotFoundError):
        blobs.get("nope")
    with pytest.raises(NotFoundError):
        blobs.open("nope")
    with pytest.raises(NotFoundError):
        blobs.content_type("nope")
    assert blobs.delete("nope") is False


@pytest.mark.parametrize(
    "key",
    ["../escape", "a/../../escape", "/etc/passwd", "a\\b", "", "a//b", "a/", "./a", "a/.", "a\x00"],
)
def test_unsafe_keys_are_rejected(blobs: LocalBlobStore, key: str) -> None:
    for call in (
        lambda: blobs.put(key, b"x"),
        lambda: blobs.get(key),
        lambda: blobs.open(key),
        lambda: blobs.exists(key),
        lambda: blobs.delete(key),
    ):
        with pytest.raises(ValueError):
            call()
    assert not (blobs.root.parent / "escape").exists()


@pytest.mark.parametrize("prefix", ["../", "/etc", "a/../..", "a\\"])
def test_unsafe_prefixes_are_rejected(blobs: LocalBlobStore, prefix: str) -> None:
    with pytest.raises(ValueError):
        blobs.list(prefix)


def test_list_is_sorted_and_filtered(blobs: LocalBlobStore) -> None:
    for key in ["b/2", "a/1", "b/10", "b1", "c"]:
        blobs.put(key, b"x", content_type="application/octet-stream")
    assert blobs.list() == ["a/1", "b/10", "b/2", "b1", "c"]
    assert blobs.list("b/") == ["b/10", "b/2"]
    assert blobs.list("b") == ["b/10", "b/2", "b1"]
    assert blobs.list("b/1") == ["b/10"]
    assert blobs.list("zzz/") == []


def test_delete_removes_blob_and_empty_folders(blobs: LocalBlobStore) -> None:
    blobs.put("x/y/z", b"1", content_type="text/plain")
    assert blobs.delete("x/y/z") is True
    assert blobs.exists("x/y/z") is False
    assert blobs.list() == []
    blobs.put("x", b"now a file")
    assert blobs.get("x") == b"now a file"


def test_key_colliding_with_a_blob_is_a_conflict(blobs: LocalBlobStore) -> None:
    blobs.put("a", b"1")
    with pytest.raises(ConflictError):
        blobs.put("a/b", b"2")
    blobs.put("c/d", b"3")
    with pytest.raises(ConflictError):
        blobs.put("c", b"4")
    assert blobs.get("a") == b"1"
    assert blobs.get("c/d") == b"3"


def test_overwrite_is_atomic(blobs: LocalBlobStore) -> None:
    versions = [b"A" * 300_000, b"B" * 200_000]
    blobs.put("shared", versions[0])
    torn: list[bytes] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            data = blobs.get("shared")
            if data not in versions:
                torn.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for index in range(30):
            blobs.put("shared", versions[index % 2])
    finally:
        stop.set()
        reader.join()
    assert torn == []
    assert blobs.get("shared") == versions[1]
    assert list((blobs.root / "tmp").iterdir()) == []


def test_open_streams_in_chunks(blobs: LocalBlobStore) -> None:
    data = bytes(range(256)) * (CHUNK_SIZE * 5 // 2 // 256)
    blobs.put("big.bin", data)
    chunks = list(blobs.open("big.bin"))
    assert [len(chunk) for chunk in chunks] == [CHUNK_SIZE, CHUNK_SIZE, CHUNK_SIZE // 2]
    assert b"".join(chunks) == data


def test_empty_blob(blobs: LocalBlobStore) -> None:
    blobs.put("empty", b"")
    assert blobs.get("empty") == b""
    assert list(blobs.open("empty")) == []


def test_ping(blobs: LocalBlobStore, tmp_path: Path) -> None:
    blobs.ping()
    broken = LocalBlobStore(tmp_path / "broken")
    (tmp_path / "broken" / "objects").rmdir()
    with pytest.raises(StoreError):
        broken.ping()
