"""The Cache contract, run on InMemoryCache and RedisCache."""

from __future__ import annotations

import threading
import time

import pytest

from cleara.store.base import Cache

SHORT_TTL = 0.5  # long enough that a loaded machine reads the entry before it expires
PAST_SHORT_TTL = 1.1


def test_satisfies_protocol(cache: Cache) -> None:
    assert isinstance(cache, Cache)


def test_round_trip_and_overwrite(cache: Cache) -> None:
    assert cache.get("k") is None
    cache.set("k", b"\x00\xffbytes")
    assert cache.get("k") == b"\x00\xffbytes"
    cache.set("k", b"new")
    assert cache.get("k") == b"new"


def test_entries_expire(cache: Cache) -> None:
    cache.set("short", b"v", ttl_seconds=SHORT_TTL)
    cache.set("long", b"v", ttl_seconds=60)
    assert cache.get("short") == b"v"
    time.sleep(PAST_SHORT_TTL)
    assert cache.get("short") is None
    assert cache.get("long") == b"v"


def test_set_if_absent(cache: Cache) -> None:
    assert cache.set_if_absent("k", b"first") is True
    assert cache.set_if_absent("k", b"second") is False
    assert cache.get("k") == b"first"


def test_set_if_absent_after_expiry(cache: Cache) -> None:
    assert cache.set_if_absent("k", b"first", ttl_seconds=SHORT_TTL) is True
    time.sleep(PAST_SHORT_TTL)
    assert cache.set_if_absent("k", b"second") is True
    assert cache.get("k") == b"second"


def test_delete(cache: Cache) -> None:
    cache.set("k", b"v")
    assert cache.delete("k") is True
    assert cache.get("k") is None
    assert cache.delete("k") is False


def test_incr(cache: Cache) -> None:
    assert cache.incr("n") == 1
    assert cache.incr("n", 5) == 6
    assert cache.incr("n", -10) == -4
    assert cache.get("n") == b"-4"


def test_incr_ttl_is_set_on_creation_only(cache: Cache) -> None:
    assert cache.incr("window", ttl_seconds=SHORT_TTL) == 1
    assert cache.incr("window", ttl_seconds=60) == 2
    time.sleep(PAST_SHORT_TTL)
    assert cache.get("window") is None
    assert cache.incr("window", ttl_seconds=60) == 1


def test_incr_on_non_integer_is_rejected(cache: Cache) -> None:
    cache.set("text", b"hello")
    with pytest.raises(ValueError, match="not an integer"):
        cache.incr("text")
    assert cache.get("text") == b"hello"


@pytest.mark.parametrize("ttl", [0, -1, float("nan"), float("inf")])
def test_bad_ttl_is_rejected(cache: Cache, ttl: float) -> None:
    with pytest.raises(ValueError, match="ttl"):
        cache.set("k", b"v", ttl_seconds=ttl)
    with pytest.raises(ValueError, match="ttl"):
        cache.incr("n", ttl_seconds=ttl)
    assert cache.get("k") is None


def test_concurrent_incr_sums_exactly(cache: Cache) -> None:
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(50):
                cache.incr("hits", ttl_seconds=60)
        except BaseException as error:  # collected and asserted in the test thread
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get("hits") == b"400"


def test_ping(cache: Cache) -> None:
    cache.ping()
