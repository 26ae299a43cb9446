from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cleara.platform.metering import Meter, UsageEvent, UsageStore
from cleara.platform.quotas import month_period
from cleara.store.sql.item_store import SqlItemStore
from platform_fixtures import embedded_stores

NOW = time.time()


def event(
    index: int, account: str = "acct_m", *, status: int = 200, billable: bool = True
) -> UsageEvent:
    return UsageEvent(
        account_id=account,
        key_id="key_1",
        key_hash="h" * 64,
        endpoint="POST /v1/validate",
        status=status,
        records=3,
        bytes_in=10,
        bytes_out=20,
        latency_ms=1.5,
        at=NOW + index / 1000,
        billable=billable,
        request_id=f"req_{index}",
    )


def test_clean_shutdown_writes_every_record(items: SqlItemStore) -> None:
    usage = UsageStore(items)
    meter = Meter(usage, interval=60)  # the timer never fires: only close() writes
    meter.start()
    for index in range(300):
        meter.record(event(index, status=200 if index % 10 else 422))
    assert usage.events("acct_m") == []
    meter.close()
    stored = usage.events("acct_m")
    assert sorted(e.request_id for e in stored) == sorted(f"req_{i}" for i in range(300))
    [rollup] = usage.rollups("acct_m", month_period(NOW).start, month_period(NOW).end)
    assert rollup["requests"] == 300
    assert rollup["errors"] == 30
    assert rollup["records"] == 900
    assert usage.billable_count("acct_m", month_period(NOW).key) == 300


def test_background_writer_flushes_every_interval(items: SqlItemStore) -> None:
    usage = UsageStore(items)
    meter = Meter(usage, interval=0.05)
    meter.start()
    try:
        meter.record(event(1, "acct_bg"))
        deadline = time.monotonic() + 5
        while not usage.events("acct_bg") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(usage.events("acct_bg")) == 1
        assert meter.pending == 0
    finally:
        meter.close()


def test_unbillable_requests_are_recorded_but_not_counted(items: SqlItemStore) -> None:
    usage = UsageStore(items)
    usage.write([event(1, "acct_nb", billable=False), event(2, "acct_nb")])
    assert usage.billable_count("acct_nb", month_period(NOW).key) == 1
    assert len(usage.events("acct_nb")) == 2


class _FailingStore(UsageStore):
    def __init__(self) -> None:
        self.fail = True
        self.written: list[UsageEvent] = []

    def write(self, events: list[UsageEvent]) -> None:
        if self.fail:
            raise RuntimeError("database down")
        self.written += events


def test_failed_flush_keeps_the_records_for_the_next_one() -> None:
    store = _FailingStore()
    meter = Meter(store, interval=60)
    meter.record(event(1))
    with pytest.raises(RuntimeError):
        meter.flush()
    meter.record(event(2))
    assert meter.pending == 2
    store.fail = False
    assert meter.flush() == 2
    assert [e.request_id for e in store.written] == ["req_1", "req_2"]


_CRASHING_WORKER = textwrap.dedent(
    """
    import os, sys, time
    from cleara.platform.metering import Meter, UsageEvent, UsageStore
    from cleara.store.sql.item_store import SqlItemStore

    meter = Meter(UsageStore(SqlItemStore.from_url(sys.argv[1])), interval=0.2)
    meter.start()

    def record(tag, count):
        for i in range(count):
            meter.record(UsageEvent("acct_crash", "k", "h", "GET /v1/x", 200, 0, 0, 0, 0.1,
                                    time.time(), True, f"{tag}{i}"))

    record("early", 200)
    time.sleep(0.8)          # several flush intervals pass
    record("late", 50)
    os._exit(1)              # crash: no clean shutdown, no final flush
    """
)


def test_a_crash_loses_at_most_the_last_flush_interval(tmp_path: Path) -> None:
    stores = embedded_stores(tmp_path)
    url = f"sqlite:///{tmp_path / 'cleara.db'}"
    result = subprocess.run([sys.executable, "-c", _CRASHING_WORKER, url], timeout=60)
    assert result.returncode == 1
    ids = {e.request_id for e in UsageStore(stores.items).events("acct_crash")}
    assert {f"early{i}" for i in range(200)} <= ids  # older than one interval: all written
    assert not ids - {f"early{i}" for i in range(200)} - {f"late{i}" for i in range(50)}
    stores.close()
