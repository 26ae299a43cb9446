from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.platform.limits import (
    Limiter,
    LimiterUnavailableError,
    LimitPolicy,
    LocalLimiter,
    RedisLimiter,
)
from platform_fixtures import ManualClock


def policy(
    per_second: int = 5, quota: int = 1_000, period: str = "2026-07", window: float = 1.0
) -> LimitPolicy:
    return LimitPolicy(
        per_second=per_second,
        monthly_quota=quota,
        period_key=period,
        period_reset_seconds=1000,
        window_seconds=window,
    )


@pytest.fixture(params=["local", pytest.param("redis", marks=pytest.mark.redis)])
def limiter(request: pytest.FixtureRequest) -> Iterator[Limiter]:
    if request.param == "local":
        yield LocalLimiter()
        return
    url: str = request.getfixturevalue("redis_url")
    prefix = f"cleara-test:{uuid.uuid4().hex}:"
    # A generous timeout: 60 concurrent first connections on a loaded machine can take over
    # the 0.5 s default, and these tests are about exact counting, not about failing fast.
    shared = RedisLimiter(url, prefix=prefix, timeout_seconds=5.0)
    yield shared
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()
    shared.close()


def _burst(limiter: Limiter, account: str, count: int, limits: LimitPolicy) -> list[str]:
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = pool.map(
            lambda _: limiter.acquire(account, limits, cost=1, seed=lambda: 0).outcome,
            range(count),
        )
        return list(results)


def test_burst_limit_admits_exactly_n_under_concurrency(limiter: Limiter) -> None:
    # A long window, so that a slow machine taking over a second for the burst cannot
    # slide it and admit more: the test is about atomicity, not about the clock.
    outcomes = _burst(limiter, "acct_burst", 60, policy(per_second=10, window=60.0))
    assert outcomes.count("ok") == 10
    assert outcomes.count("rate_limited") == 50


def test_quota_is_exact_under_concurrency(limiter: Limiter) -> None:
    limits = policy(per_second=1_000, quota=25)
    outcomes = _burst(limiter, "acct_quota", 100, limits)
    assert outcomes.count("ok") == 25
    assert outcomes.count("quota_exceeded") == 75
    assert limiter.quota_used("acct_quota", limits.period_key) == 25


def test_quota_counter_is_seeded_from_the_durable_count(limiter: Limiter) -> None:
    limits = policy(quota=10)
    first = limiter.acquire("acct_seed", limits, cost=1, seed=lambda: 9)
    assert first.outcome == "ok"
    assert first.quota_used == 10
    second = limiter.acquire("acct_seed", limits, cost=1, seed=lambda: 0)
    assert second.outcome == "quota_exceeded"


def test_unbilled_requests_do_not_use_quota(limiter: Limiter) -> None:
    limits = policy(quota=1)
    assert limiter.acquire("acct_free", limits, cost=0, seed=lambda: 1).outcome == "ok"
    assert limiter.quota_used("acct_free", limits.period_key) == 1


def test_rate_limited_decision_says_when_to_retry(limiter: Limiter) -> None:
    limits = policy(per_second=1)
    assert limiter.acquire("acct_retry", limits, cost=1, seed=lambda: 0).allowed
    refused = limiter.acquire("acct_retry", limits, cost=1, seed=lambda: 0)
    assert refused.outcome == "rate_limited"
    assert 0 < refused.burst_reset_seconds <= 1.0


def test_window_frees_up_after_a_second() -> None:
    clock = ManualClock()
    local = LocalLimiter(clock)
    limits = policy(per_second=2)
    assert [local.acquire("a", limits, cost=1, seed=lambda: 0).outcome for _ in range(3)] == [
        "ok",
        "ok",
        "rate_limited",
    ]
    clock.advance(1.0)
    assert local.acquire("a", limits, cost=1, seed=lambda: 0).allowed


@settings(max_examples=40, deadline=None)
@given(
    limit=st.integers(min_value=1, max_value=5),
    gaps=st.lists(st.floats(min_value=0, max_value=0.6), min_size=1, max_size=60),
)
def test_no_one_second_window_ever_holds_more_than_the_limit(limit: int, gaps: list[float]) -> None:
    clock = ManualClock(0.0)
    local = LocalLimiter(clock)
    admitted: list[float] = []
    for gap in gaps:
        clock.advance(gap)
        if local.acquire("a", policy(per_second=limit), cost=1, seed=lambda: 0).allowed:
            admitted.append(clock())
    for index, start in enumerate(admitted):
        in_window = [t for t in admitted[index:] if t < start + 1.0]
        assert len(in_window) <= limit


def test_unreachable_redis_fails_fast_and_is_not_retried_at_once() -> None:
    down = RedisLimiter("redis://127.0.0.1:1/0", timeout_seconds=0.2, retry_after_failure=30)
    started = time.perf_counter()
    with pytest.raises(LimiterUnavailableError):
        down.acquire("a", policy(), cost=1, seed=lambda: 0)
    with pytest.raises(LimiterUnavailableError, match="moments ago"):
        down.acquire("a", policy(), cost=1, seed=lambda: 0)
    assert time.perf_counter() - started < 2.0


def test_a_stale_credentials_epoch_is_refused_before_anything_is_counted(
    limiter: Limiter,
) -> None:
    limits = policy(per_second=10, quota=100)
    current = limiter.acquire("acct_epoch", limits, cost=1, seed=lambda: 0).epoch
    newer = limiter.bump_epoch()
    assert newer != current
    stale = limiter.acquire("acct_epoch", limits, cost=1, seed=lambda: 0, epoch=current)
    assert stale.outcome == "stale"
    assert stale.epoch == newer
    assert limiter.quota_used("acct_epoch", limits.period_key) == 1
    fresh = limiter.acquire("acct_epoch", limits, cost=1, seed=lambda: 0, epoch=newer)
    assert fresh.outcome == "ok"
    assert fresh.quota_used == 2


def test_async_acquire_keeps_limits_exact_under_concurrency(limiter: Limiter) -> None:
    limits = policy(per_second=1_000, quota=25)

    async def burst() -> list[str]:
        try:
            epoch = await limiter.epoch_async()
            decisions = await asyncio.gather(
                *(
                    limiter.acquire_async("acct_async", limits, cost=1, seed=lambda: 3, epoch=epoch)
                    for _ in range(60)
                )
            )
            return [decision.outcome for decision in decisions]
        finally:
            await limiter.aclose()

    outcomes = asyncio.run(burst())
    assert outcomes.count("ok") == 22  # 3 seeded from the durable count
    assert outcomes.count("quota_exceeded") == 38
    assert limiter.quota_used("acct_async", limits.period_key) == 25


def test_unreachable_redis_fails_fast_on_the_event_loop_too() -> None:
    down = RedisLimiter("redis://127.0.0.1:1/0", timeout_seconds=0.2, retry_after_failure=30)

    async def attempt() -> None:
        try:
            with pytest.raises(LimiterUnavailableError):
                await down.acquire_async("a", policy(), cost=1, seed=lambda: 0)
            with pytest.raises(LimiterUnavailableError, match="moments ago"):
                await down.epoch_async()
        finally:
            await down.aclose()

    started = time.perf_counter()
    asyncio.run(attempt())
    assert time.perf_counter() - started < 2.0
    with pytest.raises(LimiterUnavailableError, match="moments ago"):
        down.bump_epoch()
