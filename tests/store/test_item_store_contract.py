"""The ItemStore contract, run on SQLite and PostgreSQL."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from cleara.store.base import ConflictError, Item, ItemStore
from cleara.store.sql.item_store import SqlItemStore


def _past() -> datetime:
    return datetime.now(UTC) - timedelta(seconds=5)


def _future() -> datetime:
    return datetime.now(UTC) + timedelta(hours=1)


def _run_in_threads(count: int, work: Callable[[int], None]) -> None:
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as error:  # collected and re-raised in the test thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def test_satisfies_protocol(item_store: SqlItemStore) -> None:
    assert isinstance(item_store, ItemStore)


def test_round_trip(item_store: SqlItemStore, namespace: str) -> None:
    data = {"name": "Zoë", "tags": ["a", "b"], "nested": {"n": 1.5, "ok": True, "none": None}}
    stored = item_store.put(namespace, "user#1", "profile", data)
    fetched = item_store.get(namespace, "user#1", "profile")
    assert fetched == stored
    assert fetched is not None
    assert fetched.data == data
    assert fetched.version == 1
    assert fetched.created_at is not None
    assert fetched.created_at.tzinfo is not None
    assert fetched.created_at == fetched.updated_at


def test_missing_item_is_none(item_store: SqlItemStore, namespace: str) -> None:
    assert item_store.get(namespace, "nobody") is None


def test_default_sort_key_is_empty(item_store: SqlItemStore, namespace: str) -> None:
    item_store.put(namespace, "solo", "", {"v": 1})
    assert item_store.get(namespace, "solo") == item_store.get(namespace, "solo", "")


def test_namespaces_are_isolated(item_store: SqlItemStore, namespace: str) -> None:
    item_store.put(namespace, "p", "s", {"v": 1})
    assert item_store.get(namespace + "_other", "p", "s") is None


def test_replace_bumps_version_and_keeps_created_at(
    item_store: SqlItemStore, namespace: str
) -> None:
    first = item_store.put(namespace, "p", "s", {"v": 1})
    second = item_store.put(namespace, "p", "s", {"v": 2})
    assert second.version == 2
    assert second.data == {"v": 2}
    assert second.created_at == first.created_at
    assert second.updated_at is not None
    assert first.updated_at is not None
    assert second.updated_at >= first.updated_at


def test_if_absent_conflicts_with_existing_item(item_store: SqlItemStore, namespace: str) -> None:
    item_store.put(namespace, "p", "s", {"v": 1}, if_absent=True)
    with pytest.raises(ConflictError):
        item_store.put(namespace, "p", "s", {"v": 2}, if_absent=True)
    fetched = item_store.get(namespace, "p", "s")
    assert fetched is not None
    assert fetched.data == {"v": 1}


def test_if_absent_takes_over_expired_item(item_store: SqlItemStore, namespace: str) -> None:
    item_store.put(namespace, "p", "s", {"v": 1})
    item_store.put(namespace, "p", "s", {"v": 1}, expires_at=_past())
    taken = item_store.put(namespace, "p", "s", {"v": 2}, if_absent=True)
    assert taken.version == 1
    assert taken.expires_at is None
    assert item_store.get(namespace, "p", "s") == taken


def test_expected_version_updates_matching_item(item_store: SqlItemStore, namespace: str) -> None:
    item_store.put(namespace, "p", "s", {"v": 1})
    updated = item_store.put(namespace, "p", "s", {"v": 2}, expected_version=1)
    assert updated.version == 2
    assert updated.data == {"v": 2}


def test_stale_version_conflicts(item_store: SqlItemStore, namespace: str) -> None:
    item_store.put(namespace, "p", "s", {"v": 1})
    item_store.put(namespace, "p", "s", {"v": 2})
    with pytest.raises(ConflictError):
        item_store.put(namespace, "p", "s", {"v": 3}, expected_version=1)
    current = item_store.get(namespace, "p", "s")
    assert current is not None
    assert current.data == {"v": 2}


def test_expected_version_on_missing_item_conflicts(
    item_store: SqlItemStore, namespace: str
) -> None:
    with pytest.raises(ConflictError):
        item_store.put(namespace, "p", "s", {"v": 1}, expected_version=1)
    assert item_store.get(namespace, "p", "s") is None


def test_expected_version_zero_means_absent(item_store: SqlItemStore, namespace: str) -> None:
    created = item_store.put(namespace, "p", "s", {"v": 1}, expected_version=0)
    assert created.version == 1
    with pytest.raises(ConflictError):
        item_store.put(namespace, "p", "s", {"v": 2}, expected_version=0)


def test_contradictory_conditions_are_rejected(item_store: SqlItemStore, namespace: str) -> None:
    with pytest.raises(ValueError, match="if_absent"):
        item_store.put(namespace, "p", "s", {}, if_absent=True, expected_version=3)
    with pytest.raises(ValueError, match="expected_version"):
        item_store.put(namespace, "p", "s", {}, expected_version=-1)


def test_expired_item_is_invisible(item_store: SqlItemStore, namespace: str) -> None:
    item_store.put(namespace, "p", "gone", {"v": 1}, expires_at=_past())
    item_store.put(namespace, "p", "kept", {"v": 2}, expires_at=_future())
    assert item_store.get(namespace, "p", "gone") is None
    assert [item.sk for item in item_store.query(namespace, "p").items] == ["kept"]
    with pytest.raises(ConflictError):
        item_store.put(namespace, "p", "gone", {"v": 3}, expected_version=1)
    assert item_store.delete(namespace, "p", "gone") is False


def test_expiry_round_trips_in_utc(item_store: SqlItemStore, namespace: str) -> None:
    local = datetime.now(UTC).astimezone(timezone(timedelta(hours=5))) + timedelta(hours=1)
    stored = item_store.put(namespace, "p", "s", {}, expires_at=local)
    assert stored.expires_at is not None
    assert stored.expires_at == local
    assert stored.expires_at.utcoffset() == timedelta(0)


def test_replacing_expired_item_restarts_it(item_store: SqlItemStore, namespace: str) -> None:
    item_store.put(namespace, "p", "s", {"v": 1})
    item_store.put(namespace, "p", "s", {"v": 1}, expires_at=_past())
    fresh = item_store.put(namespace, "p", "s", {"v": 2})
    assert fresh.version == 1
    assert fresh.expires_at is None


def test_naive_expiry_is_rejected(item_store: SqlItemStore, namespace: str) -> None:
    with pytest.raises(ValueError, match="timezone"):
        item_store.put(namespace, "p", "s", {}, expires_at=datetime(2030, 1, 1))


def test_delete(item_store: SqlItemStore, namespace: str) -> None:
    item_store.put(namespace, "p", "s", {"v": 1})
    assert item_store.delete(namespace, "p", "s") is True
    assert item_store.get(namespace, "p", "s") is None
    assert item_store.delete(namespace, "p", "s") is False


@pytest.mark.parametrize(
    "data",
    [{"x": math.nan}, {"x": object()}, {"x": "nul\x00byte"}, {"k\x00": 1}],
    ids=["nan", "object", "nul-value", "nul-key"],
)
def test_non_json_data_is_rejected(
    item_store: SqlItemStore, namespace: str, data: dict[str, object]
) -> None:
    with pytest.raises(ValueError, match="data"):
        item_store.put(namespace, "p", "s", data)
    assert item_store.get(namespace, "p", "s") is None


def test_literal_backslash_u0000_text_is_accepted(item_store: SqlItemStore, namespace: str) -> None:
    stored = item_store.put(namespace, "p", "s", {"x": "\\u0000"})
    assert stored.data == {"x": "\\u0000"}


@pytest.mark.parametrize(
    ("namespace_", "pk", "sk"),
    [("", "p", "s"), ("n", "p" * 256, "s"), ("n", "p", "s" * 513), ("n", "p\x00", "s")],
    ids=["empty-namespace", "long-pk", "long-sk", "nul-pk"],
)
def test_bad_keys_are_rejected(item_store: SqlItemStore, namespace_: str, pk: str, sk: str) -> None:
    with pytest.raises(ValueError):
        item_store.put(namespace_, pk, sk, {})


def _fill(item_store: SqlItemStore, namespace: str, sort_keys: list[str]) -> None:
    for sk in sort_keys:
        item_store.put(namespace, "p", sk, {"sk": sk})


def _sks(items: list[Item]) -> list[str]:
    return [item.sk for item in items]


def test_query_orders_by_sort_key(item_store: SqlItemStore, namespace: str) -> None:
    keys = ["b", "a", "B", "a-b", "ab", "é", "a b", "10", "9"]
    _fill(item_store, namespace, keys)
    item_store.put(namespace, "other", "a", {})
    assert _sks(item_store.query(namespace, "p").items) == sorted(keys)
    assert _sks(item_store.query(namespace, "p", descending=True).items) == sorted(keys)[::-1]


def test_query_prefix_is_case_sensitive(item_store: SqlItemStore, namespace: str) -> None:
    _fill(item_store, namespace, ["job#1", "job#2", "JOB#3", "job", "jobs", "job#\U0010ffff"])
    page = item_store.query(namespace, "p", sk_prefix="job#")
    assert _sks(page.items) == ["job#1", "job#2", "job#\U0010ffff"]


def test_query_range_is_inclusive(item_store: SqlItemStore, namespace: str) -> None:
    _fill(item_store, namespace, ["2024-01", "2024-02", "2024-03", "2024-04"])
    page = item_store.query(namespace, "p", sk_from="2024-02", sk_to="2024-03")
    assert _sks(page.items) == ["2024-02", "2024-03"]
    newest = item_store.query(namespace, "p", sk_from="2024-02", descending=True, limit=1)
    assert _sks(newest.items) == ["2024-04"]


@pytest.mark.parametrize("descending", [False, True])
def test_query_pages_through_cursor(
    item_store: SqlItemStore, namespace: str, descending: bool
) -> None:
    keys = [f"k{index:02d}" for index in range(7)]
    _fill(item_store, namespace, keys)
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = item_store.query(namespace, "p", limit=3, cursor=cursor, descending=descending)
        seen.extend(_sks(page.items))
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == sorted(keys, reverse=descending)
    assert pages == 3


def test_exact_last_page_has_no_cursor(item_store: SqlItemStore, namespace: str) -> None:
    _fill(item_store, namespace, ["a", "b"])
    page = item_store.query(namespace, "p", limit=2)
    assert _sks(page.items) == ["a", "b"]
    assert page.next_cursor is None


def test_empty_partition_gives_empty_page(item_store: SqlItemStore, namespace: str) -> None:
    page = item_store.query(namespace, "nothing-here")
    assert page.items == []
    assert page.next_cursor is None


def test_bad_query_arguments_are_rejected(item_store: SqlItemStore, namespace: str) -> None:
    with pytest.raises(ValueError, match="cursor"):
        item_store.query(namespace, "p", cursor="not base64 ✓")
    with pytest.raises(ValueError, match="limit"):
        item_store.query(namespace, "p", limit=0)


def test_counters(item_store: SqlItemStore, namespace: str) -> None:
    assert item_store.counter(namespace, "usage", "2025-01") == 0
    assert item_store.increment(namespace, "usage", "2025-01") == 1
    assert item_store.increment(namespace, "usage", "2025-01", by=10) == 11
    assert item_store.increment(namespace, "usage", "2025-01", by=-4) == 7
    assert item_store.counter(namespace, "usage", "2025-01") == 7
    assert item_store.counter(namespace, "usage", "2025-02") == 0


def test_counters_hold_64_bit_values(item_store: SqlItemStore, namespace: str) -> None:
    big = 2**40
    assert item_store.increment(namespace, "c", "big", by=big) == big
    assert item_store.increment(namespace, "c", "big", by=big) == 2 * big


def test_concurrent_increments_sum_exactly(item_store: SqlItemStore, namespace: str) -> None:
    def work(_index: int) -> None:
        for _ in range(50):
            item_store.increment(namespace, "hits", "total")

    _run_in_threads(8, work)
    assert item_store.counter(namespace, "hits", "total") == 400


def test_concurrent_if_absent_has_one_winner(item_store: SqlItemStore, namespace: str) -> None:
    winners: list[int] = []

    def work(index: int) -> None:
        try:
            item_store.put(namespace, "lock", "", {"owner": index}, if_absent=True)
            winners.append(index)
        except ConflictError:
            pass

    _run_in_threads(8, work)
    assert len(winners) == 1
    held = item_store.get(namespace, "lock")
    assert held is not None
    assert held.data == {"owner": winners[0]}


def test_optimistic_updates_lose_nothing(item_store: SqlItemStore, namespace: str) -> None:
    item_store.put(namespace, "doc", "", {"count": 0})

    def work(_index: int) -> None:
        for _ in range(10):
            while True:
                current = item_store.get(namespace, "doc")
                assert current is not None
                count = current.data["count"] + 1
                try:
                    item_store.put(
                        namespace, "doc", "", {"count": count}, expected_version=current.version
                    )
                    break
                except ConflictError:
                    continue

    _run_in_threads(4, work)
    final = item_store.get(namespace, "doc")
    assert final is not None
    assert final.data == {"count": 40}
    assert final.version == 41


def test_purge_expired(item_store: SqlItemStore, namespace: str) -> None:
    item_store.put(namespace, "p", "old", {}, expires_at=_past())
    item_store.put(namespace, "p", "live", {}, expires_at=_future())
    assert item_store.purge_expired() >= 1
    assert item_store.delete(namespace, "p", "old") is False
    assert item_store.get(namespace, "p", "live") is not None


def test_ping(item_store: SqlItemStore) -> None:
    item_store.ping()
