"""Per-second burst limits and monthly quotas, checked together in one atomic step.

Burst limits are a sliding log: a request is admitted when fewer than `per_second` requests
were admitted in the last `window` seconds, so no window of that length ever holds more.
Quota counters count admitted billable requests per calendar month; a counter missing from
the limiter (new month, restarted Redis) is seeded from the durable metering count.

`RedisLimiter` shares both across processes with one Lua script (Redis' own clock, so hosts
need no clock agreement); `LocalLimiter` keeps them in this process (embedded default).
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import redis
import redis.exceptions
from redis.backoff import NoBackoff
from redis.retry import Retry

from cleara.platform.clock import Clock

Outcome = Literal["ok", "rate_limited", "quota_exceeded"]


@dataclass(frozen=True, slots=True)
class LimitPolicy:
    """The limits of one account for one request."""

    per_second: int
    monthly_quota: int
    period_key: str
    """The quota period, e.g. `2026-07`."""
    period_reset_seconds: float
    """Seconds until the quota period ends."""
    period_seconds: float = 31 * 86_400.0
    """Length of the quota period."""
    window_seconds: float = 1.0


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of one admission check."""

    outcome: Outcome
    burst_remaining: int
    burst_reset_seconds: float
    quota_used: int
    admitted_at: float
    checked: bool = True
    """False when the limiter was unreachable and the request was let through (fail open)."""

    @property
    def allowed(self) -> bool:
        return self.outcome == "ok"


class LimiterUnavailableError(Exception):
    """The shared limiter (Redis) cannot be reached."""


SeedFunction = Callable[[], int]


class Limiter(Protocol):
    def acquire(
        self, account_id: str, policy: LimitPolicy, *, cost: int, seed: SeedFunction
    ) -> Decision:
        """Admit one request costing `cost` quota units, or say why not."""
        ...

    def quota_used(self, account_id: str, period_key: str) -> int | None:
        """The live quota counter, or None when the limiter holds none."""
        ...

    def close(self) -> None: ...


class LocalLimiter:
    """Limits inside this process (thread-safe); not shared with other workers."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, deque[float]] = {}
        self._quotas: dict[tuple[str, str], int] = {}

    def acquire(
        self, account_id: str, policy: LimitPolicy, *, cost: int, seed: SeedFunction
    ) -> Decision:
        quota_key = (account_id, policy.period_key)
        if quota_key not in self._quotas:
            seeded = seed()  # outside the lock: it reads the database
            with self._lock:
                self._quotas.setdefault(quota_key, seeded)
        with self._lock:
            now = self._clock()
            window = self._windows.setdefault(account_id, deque())
            while window and window[0] <= now - policy.window_seconds:
                window.popleft()
            used = self._quotas[quota_key]
            if len(window) >= policy.per_second:
                reset = window[0] + policy.window_seconds - now
                return Decision("rate_limited", 0, reset, used, now)
            if cost and used + cost > policy.monthly_quota:
                return Decision("quota_exceeded", policy.per_second - len(window), 0.0, used, now)
            window.append(now)
            used += cost
            self._quotas[quota_key] = used
            reset = window[0] + policy.window_seconds - now
            return Decision("ok", policy.per_second - len(window), reset, used, now)

    def quota_used(self, account_id: str, period_key: str) -> int | None:
        with self._lock:
            return self._quotas.get((account_id, period_key))

    def close(self) -> None:
        with self._lock:
            self._windows.clear()
            self._quotas.clear()


# KEYS: burst zset, quota counter. ARGV: per_second, window_us, member, quota, cost, seed,
# quota_ttl_ms. Returns {status, burst_remaining, reset_us, quota_used, now_us}; status
# 1 ok, 0 rate limited, 2 quota exceeded, -1 quota counter missing (call again with a seed).
_ACQUIRE_SCRIPT = """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local quota = tonumber(ARGV[4])
local cost = tonumber(ARGV[5])
local seed = tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local used = redis.call('GET', KEYS[2])
if not used then
  if seed < 0 then return {-1, 0, 0, 0, now} end
  redis.call('SET', KEYS[2], seed, 'PX', ARGV[7], 'NX')
  used = redis.call('GET', KEYS[2])
end
used = tonumber(used)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, 0, tonumber(oldest[2]) + window - now, used, now}
end
if cost > 0 and used + cost > quota then
  return {2, limit - count, 0, used, now}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
if cost > 0 then used = redis.call('INCRBY', KEYS[2], cost) end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {1, limit - count - 1, tonumber(oldest[2]) + window - now, used, now}
"""

QUOTA_KEY_DAYS = 40
"""Quota counters outlive their month by a little, then Redis drops them."""


class RedisLimiter:
    """Limits shared by every process through Redis.

    After a failure, Redis is not tried again for `retry_after_failure` seconds, so a down
    Redis costs one connection attempt per interval instead of one per request.
    """

    def __init__(
        self,
        client_or_url: redis.Redis | str,
        *,
        prefix: str = "cleara:limits:",
        timeout_seconds: float = 0.5,
        retry_after_failure: float = 1.0,
    ) -> None:
        if isinstance(client_or_url, str):
            self._client: redis.Redis = redis.Redis.from_url(
                client_or_url,
                socket_timeout=timeout_seconds,
                socket_connect_timeout=timeout_seconds,
                retry=Retry(NoBackoff(), 0),
            )
        else:
            self._client = client_or_url
        self._prefix = prefix
        self._script = self._client.register_script(_ACQUIRE_SCRIPT)
        self._retry_after_failure = retry_after_failure
        self._down_until = 0.0
        self._lock = threading.Lock()

    def acquire(
        self, account_id: str, policy: LimitPolicy, *, cost: int, seed: SeedFunction
    ) -> Decision:
        keys = [
            f"{self._prefix}burst:{account_id}",
            f"{self._prefix}quota:{account_id}:{policy.period_key}",
        ]
        window_us = round(policy.window_seconds * 1_000_000)
        ttl_ms = max(1, math.ceil(policy.period_reset_seconds * 1000)) + QUOTA_KEY_DAYS * 86_400_000
        args: list[Any] = [policy.per_second, window_us, uuid.uuid4().hex, policy.monthly_quota]
        result = self._run(keys, [*args, cost, -1, ttl_ms])
        if int(result[0]) == -1:
            result = self._run(keys, [*args, cost, max(0, seed()), ttl_ms])
        status, remaining, reset_us, used, now_us = (int(v) for v in result)
        outcome: Outcome = {1: "ok", 0: "rate_limited", 2: "quota_exceeded"}[status]  # type: ignore[assignment]
        return Decision(outcome, remaining, max(0, reset_us) / 1e6, used, now_us / 1e6)

    def quota_used(self, account_id: str, period_key: str) -> int | None:
        value = self._call(
            lambda: self._client.get(f"{self._prefix}quota:{account_id}:{period_key}")
        )
        return int(value) if value is not None else None

    def close(self) -> None:
        self._client.close()

    def _run(self, keys: list[str], args: list[Any]) -> list[Any]:
        result = self._call(lambda: self._script(keys=keys, args=args))
        return list(result)

    def _call(self, operation: Callable[[], Any]) -> Any:
        if time.monotonic() < self._down_until:
            raise LimiterUnavailableError("Redis was unreachable moments ago")
        try:
            return operation()
        except redis.exceptions.RedisError as error:
            with self._lock:
                self._down_until = time.monotonic() + self._retry_after_failure
            raise LimiterUnavailableError(f"Redis is unreachable: {error}") from error
