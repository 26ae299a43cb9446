"""Usage metering: every authenticated request becomes a `UsageEvent`.

`Meter.record` only appends to an in-memory buffer, so the request path never waits for the
database. A background thread writes the buffer every flush interval; `close` writes what is
left, so a clean shutdown loses nothing and a crash loses at most the last interval.

Durable items: `usage_events/<account>/<time>|<batch>` (the raw events of one flush),
`usage_rollup/<account>/<day>|<endpoint>` (daily totals per endpoint) and the counter
`usage_quota/<account>/<month>` (billable requests, which seeds the quota counters).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cleara.platform.api_keys import KEYS_USED
from cleara.platform.clock import utc_datetime, utc_day
from cleara.platform.crypto import random_token
from cleara.platform.quotas import month_period
from cleara.store.base import ConflictError, ItemStore

logger = logging.getLogger("cleara.platform.metering")

EVENTS = "usage_events"
ROLLUPS = "usage_rollup"
QUOTA_COUNTERS = "usage_quota"

EVENT_RETENTION_DAYS = 400
EVENTS_PER_ITEM = 200
ROLLUP_FIELDS = ("requests", "billable", "errors", "records", "bytes_in", "bytes_out")
_MAX_RETRIES = 20


@dataclass(frozen=True, slots=True)
class UsageEvent:
    """One authenticated request."""

    account_id: str
    key_id: str
    key_hash: str
    endpoint: str
    status: int
    records: int
    bytes_in: int
    bytes_out: int
    latency_ms: float
    at: float
    billable: bool
    request_id: str
    admitted_at: float | None = None


class UsageStore:
    """Writes batches of events and reads the totals back."""

    def __init__(self, items: ItemStore) -> None:
        self._items = items

    def write(self, events: list[UsageEvent]) -> None:
        """Store a batch: raw events, daily rollups, quota counters, key last-use times."""
        by_account: dict[str, list[UsageEvent]] = defaultdict(list)
        for event in events:
            by_account[event.account_id].append(event)
        for account_id, account_events in by_account.items():
            self._write_account(account_id, account_events)

    def _write_account(self, account_id: str, events: list[UsageEvent]) -> None:
        # Small items, with the GIL handed back between them: one big JSON document would
        # stall the request-serving thread for as long as it takes to encode.
        for start in range(0, len(events), EVENTS_PER_ITEM):
            self._put_events(account_id, events[start : start + EVENTS_PER_ITEM])
            time.sleep(0)
        billable: dict[str, int] = defaultdict(int)
        rollups: dict[str, list[float]] = {}
        last_used: dict[str, float] = {}
        calendar = _Calendar()
        for event in events:
            day, month = calendar.keys(event.at)
            if event.billable:
                billable[month] += 1
            sort_key = f"{day}|{event.endpoint}"
            totals = rollups.get(sort_key)
            if totals is None:
                totals = rollups[sort_key] = [0.0] * len(_TOTAL_FIELDS)
            _add_event(totals, event)
            if event.at > last_used.get(event.key_hash, 0.0):
                last_used[event.key_hash] = event.at
        for period_key, count in billable.items():
            self._items.increment(QUOTA_COUNTERS, account_id, period_key, count)
        for sort_key, sums in rollups.items():
            self._add_to_rollup(account_id, sort_key, dict(zip(_TOTAL_FIELDS, sums, strict=True)))
        for key_hash, at in last_used.items():
            self._items.put(KEYS_USED, key_hash, "", {"at": at})

    def _put_events(self, account_id: str, events: list[UsageEvent]) -> None:
        first = min(event.at for event in events)
        self._items.put(
            EVENTS,
            account_id,
            f"{first:017.6f}|{random_token(12)}",
            {"events": [_event_data(event) for event in events]},
            expires_at=utc_datetime(first) + timedelta(days=EVENT_RETENTION_DAYS),
        )

    def _add_to_rollup(self, account_id: str, sort_key: str, totals: dict[str, float]) -> None:
        # Optimistic concurrency: several worker processes may flush the same rollup at once.
        for _ in range(_MAX_RETRIES):
            item = self._items.get(ROLLUPS, account_id, sort_key)
            current: dict[str, Any] = dict(item.data) if item is not None else {}
            merged = {
                name: current.get(name, 0) + totals.get(name, 0)
                for name in (*ROLLUP_FIELDS, "latency_ms")
            }
            try:
                self._items.put(
                    ROLLUPS,
                    account_id,
                    sort_key,
                    merged,
                    expected_version=item.version if item is not None else 0,
                )
                return
            except ConflictError:
                continue
        raise ConflictError(f"rollup {account_id}/{sort_key} kept changing")

    def billable_count(self, account_id: str, period_key: str) -> int:
        """Billable requests of the account in a month, as written so far."""
        return self._items.counter(QUOTA_COUNTERS, account_id, period_key)

    def rollups(self, account_id: str, start: date, end: date) -> list[dict[str, Any]]:
        """Daily totals per endpoint between two days (inclusive), oldest first."""
        found: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            page = self._items.query(
                ROLLUPS,
                account_id,
                sk_from=f"{start.isoformat()}|",
                sk_to=f"{end.isoformat()}|\U0010ffff",
                cursor=cursor,
                limit=500,
            )
            for item in page.items:
                day, _, endpoint = item.sk.partition("|")
                found.append({"date": day, "endpoint": endpoint, **item.data})
            cursor = page.next_cursor
            if cursor is None:
                return found

    def events(self, account_id: str) -> list[UsageEvent]:
        """Every stored raw event of the account, in write order (audits and tests)."""
        found: list[UsageEvent] = []
        cursor: str | None = None
        while True:
            page = self._items.query(EVENTS, account_id, cursor=cursor, limit=500)
            for item in page.items:
                found += [UsageEvent(**data) for data in item.data["events"]]
            cursor = page.next_cursor
            if cursor is None:
                return found


_EVENT_FIELDS = tuple(field.name for field in fields(UsageEvent))
_TOTAL_FIELDS = (*ROLLUP_FIELDS, "latency_ms")


def _event_data(event: UsageEvent) -> dict[str, Any]:
    # Every field is a scalar: no need for `asdict`'s deep copies (it is 10x slower).
    return {name: getattr(event, name) for name in _EVENT_FIELDS}


def _add_event(totals: list[float], event: UsageEvent) -> None:
    """Add one event to running totals ordered as `_TOTAL_FIELDS`."""
    totals[0] += 1
    totals[1] += 1 if event.billable else 0
    totals[2] += 1 if event.status >= 400 else 0
    totals[3] += event.records
    totals[4] += event.bytes_in
    totals[5] += event.bytes_out
    totals[6] += event.latency_ms


class _Calendar:
    """The UTC day (`2026-07-01`) and month (`2026-07`) of moments, computed once per day
    instead of once per event (a flush holds the events of about one second)."""

    def __init__(self) -> None:
        self._start = self._end = 0.0
        self._keys = ("", "")

    def keys(self, moment: float) -> tuple[str, str]:
        if not self._start <= moment < self._end:
            day = utc_day(moment)
            self._start = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
            self._end = self._start + 86_400  # Unix time has no leap seconds
            self._keys = (day.isoformat(), month_period(moment).key)
        return self._keys


class Meter:
    """Buffers events in memory and writes them in the background every `interval` seconds."""

    def __init__(self, store: UsageStore, interval: float = 1.0) -> None:
        self._store = store
        self._interval = interval
        self._buffer: list[UsageEvent] = []
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._buffer)

    def record(self, event: UsageEvent) -> None:
        """Queue one event; never touches the database."""
        with self._lock:
            self._buffer.append(event)

    def flush(self) -> int:
        """Write every queued event now; returns how many were written.

        On a failure the events go back to the front of the queue for the next attempt.
        """
        with self._flush_lock:
            with self._lock:
                batch, self._buffer = self._buffer, []
            if not batch:
                return 0
            try:
                self._store.write(batch)
            except Exception:
                with self._lock:
                    self._buffer[:0] = batch
                raise
            return len(batch)

    def start(self) -> None:
        """Start the background writer (idempotent)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="cleara-meter", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the writer and write what is left."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.flush()
            except Exception:
                logger.exception("Writing usage records failed; retrying at the next flush")


def days_between(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)
