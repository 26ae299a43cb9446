"""Per-second burst limits and monthly quotas, checked together in one atomic step.

Burst limits are a sliding log: a request is admitted when fewer than `per_second` requests
were admitted in the last `window` seconds, so no window of that length ever holds more.
Quota counters count admitted billable requests per calendar month; a counter missing from
the limiter (new month, restarted Redis) is seeded from the durable metering count.

`RedisLimiter` shares both across processes with one Lua script (Redis' own clock, so hosts
need no clock agreement); `LocalLimiter` keeps them in this process (embedded default).

The limiter also holds the *credentials epoch*, a number bumped whenever a key or an account
changes (revocation, rotation, new limits). Callers that cache verified keys pass the epoch
their copy was read under; a request whose epoch is stale is refused as `stale` before
anything is counted, so the cache check costs no extra round trip.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import anyio.to_thread
import redis
import redis.asyncio
import redis.asyncio.retry
import redis.exceptions
from redis.backoff import NoBackoff
from redis.retry import Retry

from cleara.platform.clock import Clock

Outcome = Literal["ok", "rate_limited", "quota_exceeded", "stale"]


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
    epoch: int = 0
    """The credentials epoch when the check ran."""

    @property
    def allowed(self) -> bool:
        return self.outcome == "ok"


class LimiterUnavailableError(Exception):
    """The shared limiter (Redis) cannot be reached."""


SeedFunction = Callable[[], int]


class Limiter(Protocol):
    def acquire(
        self,
        account_id: str,
        policy: LimitPolicy,
        *,
        cost: int,
        seed: SeedFunction,
        epoch: int | None = None,
    ) -> Decision:
        """Admit one request costing `cost` quota units, or say why not. With `epoch`, a
        request read under another credentials epoch is refused as `stale`, uncounted."""
        ...

    async def acquire_async(
        self,
        account_id: str,
        policy: LimitPolicy,
        *,
        cost: int,
        seed: SeedFunction,
        epoch: int | None = None,
    ) -> Decision:
        """`acquire` without blocking the event loop (`seed` runs in a worker thread)."""
        ...

    def quota_used(self, account_id: str, period_key: str) -> int | None:
        """The live quota counter, or None when the limiter holds none."""
        ...

    async def epoch_async(self) -> int:
        """The current credentials epoch."""
        ...

    def bump_epoch(self) -> int:
        """Start a new credentials epoch (after a key or account changed); returns it."""
        ...

    def close(self) -> None: ...

    async def aclose(self) -> None:
        """Release what `close` cannot from outside the event loop."""
        ...


class LocalLimiter:
    """Limits inside this process (thread-safe); not shared with other workers."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, deque[float]] = {}
        self._quotas: dict[tuple[str, str], int] = {}
        self._epoch = 0

    def acquire(
        self,
        account_id: str,
        policy: LimitPolicy,
        *,
        cost: int,
        seed: SeedFunction,
        epoch: int | None = None,
    ) -> Decision:
        if not self._seeded(account_id, policy):
            self._store_seed(account_id, policy, seed())  # outside the lock: reads the database
        return self._admit(account_id, policy, cost, epoch)

    async def acquire_async(
        self,
        account_id: str,
        policy: LimitPolicy,
        *,
        cost: int,
        seed: SeedFunction,
        epoch: int | None = None,
    ) -> Decision:
        # Seeding reads the database once per account and month; the rest is in memory.
        if not self._seeded(account_id, policy):
            self._store_seed(account_id, policy, await anyio.to_thread.run_sync(seed))
        return self._admit(account_id, policy, cost, epoch)

    def _seeded(self, account_id: str, policy: LimitPolicy) -> bool:
        return (account_id, policy.period_key) in self._quotas

    def _store_seed(self, account_id: str, policy: LimitPolicy, seeded: int) -> None:
        with self._lock:
            self._quotas.setdefault((account_id, policy.period_key), seeded)

    def _admit(
        self, account_id: str, policy: LimitPolicy, cost: int, epoch: int | None
    ) -> Decision:
        quota_key = (account_id, policy.period_key)
        with self._lock:
            now = self._clock()
            current = self._epoch
            if epoch is not None and epoch != current:
                return Decision("stale", 0, 0.0, 0, now, epoch=current)
            window = self._windows.setdefault(account_id, deque())
            while window and window[0] <= now - policy.window_seconds:
                window.popleft()
            used = self._quotas[quota_key]
            if len(window) >= policy.per_second:
                reset = window[0] + policy.window_seconds - now
                return Decision("rate_limited", 0, reset, used, now, epoch=current)
            if cost and used + cost > policy.monthly_quota:
                remaining = policy.per_second - len(window)
                return Decision("quota_exceeded", remaining, 0.0, used, now, epoch=current)
            window.append(now)
            used += cost
            self._quotas[quota_key] = used
            reset = window[0] + policy.window_seconds - now
            return Decision("ok", policy.per_second - len(window), reset, used, now, epoch=current)

    def quota_used(self, account_id: str, period_key: str) -> int | None:
        with self._lock:
            return self._quotas.get((account_id, period_key))

    async def epoch_async(self) -> int:
        return self._epoch

    def bump_epoch(self) -> int:
        with self._lock:
            self._epoch += 1
            return self._epoch

    def close(self) -> None:
        with self._lock:
            self._windows.clear()
            self._quotas.clear()

    async def aclose(self) -> None:
        """Nothing to release: the limits live in this process."""


# KEYS: burst zset, quota counter, credentials epoch. ARGV: per_second, window_us, member,
# quota, cost, seed, quota_ttl_ms, expected epoch ('' for any). Returns {status,
# burst_remaining, reset_us, quota_used, now_us, epoch}; status 1 ok, 0 rate limited, 2 quota
# exceeded, -1 quota counter missing (call again with a seed), -2 stale epoch (nothing counted).
_ACQUIRE_SCRIPT = """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local quota = tonumber(ARGV[4])
local cost = tonumber(ARGV[5])
local seed = tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local epoch = redis.call('GET', KEYS[3]) or '0'
if ARGV[8] ~= '' and ARGV[8] ~= epoch then return {-2, 0, 0, 0, now, tonumber(epoch)} end
epoch = tonumber(epoch)
local used = redis.call('GET', KEYS[2])
if not used then
  if seed < 0 then return {-1, 0, 0, 0, now, epoch} end
  redis.call('SET', KEYS[2], seed, 'PX', ARGV[7], 'NX')
  used = redis.call('GET', KEYS[2])
end
used = tonumber(used)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, 0, tonumber(oldest[2]) + window - now, used, now, epoch}
end
if cost > 0 and used + cost > quota then
  return {2, limit - count, 0, used, now, epoch}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
if cost > 0 then used = redis.call('INCRBY', KEYS[2], cost) end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {1, limit - count - 1, tonumber(oldest[2]) + window - now, used, now, epoch}
"""
_OUTCOMES: dict[int, Outcome] = {1: "ok", 0: "rate_limited", 2: "quota_exceeded", -2: "stale"}

QUOTA_KEY_DAYS = 40
"""Quota counters outlive their month by a little, then Redis drops them."""


class RedisLimiter:
    """Limits shared by every process through Redis.

    Requests on the event loop use an asyncio client (`acquire_async`), so a check costs
    one round trip and no thread hop; `acquire` serves synchronous callers. After a
    failure, Redis is not tried again for `retry_after_failure` seconds, so a down Redis
    costs one connection attempt per interval instead of one per request.
    """

    def __init__(
        self,
        client_or_url: redis.Redis | str,
        *,
        prefix: str = "cleara:limits:",
        timeout_seconds: float = 0.5,
        retry_after_failure: float = 1.0,
    ) -> None:
        self._async_client: redis.asyncio.Redis | None = None
        if isinstance(client_or_url, str):
            self._client: redis.Redis = redis.Redis.from_url(
                client_or_url,
                socket_timeout=timeout_seconds,
                socket_connect_timeout=timeout_seconds,
                retry=Retry(NoBackoff(), 0),
            )
            # Connects lazily, inside the event loop that first uses it.
            self._async_client = redis.asyncio.Redis.from_url(
                client_or_url,
                socket_timeout=timeout_seconds,
                socket_connect_timeout=timeout_seconds,
                retry=redis.asyncio.retry.Retry(NoBackoff(), 0),
            )
        else:
            self._client = client_or_url
        self._prefix = prefix
        self._epoch_key = f"{prefix}credentials_epoch"
        self._script = self._client.register_script(_ACQUIRE_SCRIPT)
        self._async_script = (
            self._async_client.register_script(_ACQUIRE_SCRIPT)
            if self._async_client is not None
            else None
        )
        self._retry_after_failure = retry_after_failure
        self._down_until = 0.0
        self._lock = threading.Lock()

    def acquire(
        self,
        account_id: str,
        policy: LimitPolicy,
        *,
        cost: int,
        seed: SeedFunction,
        epoch: int | None = None,
    ) -> Decision:
        keys, args = self._script_input(account_id, policy, cost, epoch)
        result = self._call(lambda: self._script(keys=keys, args=args))
        if int(result[0]) == -1:
            args[5] = max(0, seed())
            result = self._call(lambda: self._script(keys=keys, args=args))
        return _decision(result)

    async def acquire_async(
        self,
        account_id: str,
        policy: LimitPolicy,
        *,
        cost: int,
        seed: SeedFunction,
        epoch: int | None = None,
    ) -> Decision:
        script = self._async_script
        if script is None:  # built on a caller's synchronous client
            return await anyio.to_thread.run_sync(
                lambda: self.acquire(account_id, policy, cost=cost, seed=seed, epoch=epoch)
            )
        keys, args = self._script_input(account_id, policy, cost, epoch)
        result = await self._call_async(lambda: script(keys=keys, args=args))
        if int(result[0]) == -1:
            args[5] = max(0, await anyio.to_thread.run_sync(seed))
            result = await self._call_async(lambda: script(keys=keys, args=args))
        return _decision(result)

    def _script_input(
        self, account_id: str, policy: LimitPolicy, cost: int, epoch: int | None
    ) -> tuple[list[str], list[Any]]:
        keys = [
            f"{self._prefix}burst:{account_id}",
            f"{self._prefix}quota:{account_id}:{policy.period_key}",
            self._epoch_key,
        ]
        window_us = round(policy.window_seconds * 1_000_000)
        ttl_ms = max(1, math.ceil(policy.period_reset_seconds * 1000)) + QUOTA_KEY_DAYS * 86_400_000
        expected = "" if epoch is None else str(epoch)
        args: list[Any] = [
            policy.per_second,
            window_us,
            uuid.uuid4().hex,
            policy.monthly_quota,
            cost,
            -1,  # no seed: the script asks for one when the counter is missing
            ttl_ms,
            expected,
        ]
        return keys, args

    def quota_used(self, account_id: str, period_key: str) -> int | None:
        value = self._call(
            lambda: self._client.get(f"{self._prefix}quota:{account_id}:{period_key}")
        )
        return int(value) if value is not None else None

    async def epoch_async(self) -> int:
        if self._async_client is None:
            return await anyio.to_thread.run_sync(self.epoch)
        client = self._async_client
        value = await self._call_async(lambda: client.get(self._epoch_key))
        return int(value or 0)

    def epoch(self) -> int:
        """The current credentials epoch (synchronous)."""
        return int(self._call(lambda: self._client.get(self._epoch_key)) or 0)

    def bump_epoch(self) -> int:
        return int(self._call(lambda: self._client.incr(self._epoch_key)))

    def close(self) -> None:
        self._client.close()

    async def aclose(self) -> None:
        if self._async_client is not None:
            await self._async_client.aclose()

    def _call(self, operation: Callable[[], Any]) -> Any:
        self._check_up()
        try:
            return operation()
        except redis.exceptions.RedisError as error:
            raise self._went_down(error) from error

    async def _call_async(self, operation: Callable[[], Awaitable[Any]]) -> Any:
        self._check_up()
        try:
            return await operation()
        except redis.exceptions.RedisError as error:
            raise self._went_down(error) from error

    def _check_up(self) -> None:
        if time.monotonic() < self._down_until:
            raise LimiterUnavailableError("Redis was unreachable moments ago")

    def _went_down(self, error: redis.exceptions.RedisError) -> LimiterUnavailableError:
        with self._lock:
            self._down_until = time.monotonic() + self._retry_after_failure
        return LimiterUnavailableError(f"Redis is unreachable: {error}")


def _decision(result: Any) -> Decision:
    status, remaining, reset_us, used, now_us, epoch = (int(v) for v in result)
    return Decision(
        _OUTCOMES[status], remaining, max(0, reset_us) / 1e6, used, now_us / 1e6, epoch=epoch
    )
