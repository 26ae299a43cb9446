"""The cache of verified keys, its invalidation, and admission reading keys from it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cleara.platform.accounts import Account
from cleara.platform.api_keys import KEYS, ApiKey
from cleara.platform.context import RequestContext
from cleara.platform.errors import PlatformError
from cleara.platform.key_cache import KEY_CACHE_SECONDS, VerifiedKeyCache, invalidation_hook
from cleara.platform.limits import LimiterUnavailableError, LocalLimiter
from cleara.platform.service import AdmissionRequest, Platform, build_platform
from cleara.store.base import Item, ItemStore, Stores
from platform_fixtures import ManualClock, embedded_stores, platform_settings


def api_key(key_hash: str = "h" * 64, account_id: str = "acct_c") -> ApiKey:
    return ApiKey(
        id="key_c",
        account_id=account_id,
        hash=key_hash,
        prefix="clr_live_abcd",
        mode="live",
        name="",
        scopes=("*",),
        created_at=0.0,
    )


def account(account_id: str = "acct_c") -> Account:
    return Account(id=account_id, email="c@example.com", tier="pro", created_at=0.0)


def test_entries_expire_after_the_bound() -> None:
    clock = ManualClock(0.0)
    cache = VerifiedKeyCache(2.0, clock=clock)
    cache.put(api_key(), account(), epoch=3)
    clock.advance(1.9)
    cached = cache.get("h" * 64)
    assert cached is not None
    assert (cached.key.id, cached.account.id, cached.epoch) == ("key_c", "acct_c", 3)
    clock.advance(0.1)
    assert cache.get("h" * 64) is None
    assert len(cache) == 0


def test_entries_without_an_epoch_or_with_the_cache_off_are_not_kept() -> None:
    cache = VerifiedKeyCache(2.0)
    assert cache.put(api_key(), account(), epoch=None).key.id == "key_c"
    assert cache.get("h" * 64) is None
    off = VerifiedKeyCache(0)
    assert not off.enabled
    off.put(api_key(), account(), epoch=1)
    assert off.get("h" * 64) is None


def test_the_cache_is_bounded_and_can_be_emptied() -> None:
    cache = VerifiedKeyCache(60, max_entries=2)
    for tag in "abc":
        cache.put(api_key(tag * 64), account(), epoch=0)
    assert cache.get("a" * 64) is None  # loaded first, evicted first
    assert cache.get("c" * 64) is not None
    cache.discard("c" * 64)
    assert cache.get("c" * 64) is None
    cache.clear()
    assert len(cache) == 0
    with pytest.raises(ValueError, match="max_entries"):
        VerifiedKeyCache(1, max_entries=0)


def test_invalidation_clears_the_cache_and_starts_a_new_epoch() -> None:
    cache, limiter = VerifiedKeyCache(60), LocalLimiter()
    cache.put(api_key(), account(), epoch=0)
    invalidation_hook(cache, limiter.bump_epoch)()
    assert cache.get("h" * 64) is None
    assert asyncio.run(limiter.epoch_async()) == 1


def test_invalidation_still_clears_locally_when_the_limiter_is_down(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def unreachable() -> int:
        raise LimiterUnavailableError("Redis is unreachable")

    cache = VerifiedKeyCache(60)
    cache.put(api_key(), account(), epoch=0)
    with caplog.at_level(logging.WARNING, logger="cleara.platform.key_cache"):
        invalidation_hook(cache, unreachable)()
    assert cache.get("h" * 64) is None
    assert "cached keys" in caplog.text


class CountingItems:
    """An item store that counts the reads of each namespace."""

    def __init__(self, inner: ItemStore) -> None:
        self.inner = inner
        self.reads: dict[str, int] = {}

    def get(self, namespace: str, pk: str, sk: str = "") -> Item | None:
        self.reads[namespace] = self.reads.get(namespace, 0) + 1
        return self.inner.get(namespace, pk, sk)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture
def counted(tmp_path: Path) -> Iterator[tuple[Platform, CountingItems, ManualClock]]:
    stores = embedded_stores(tmp_path)
    items = CountingItems(stores.items)
    clock = ManualClock()
    platform = build_platform(
        platform_settings(tmp_path),
        Stores(items=items, cache=stores.cache, blobs=stores.blobs),
        clock=clock,
    )
    yield platform, items, clock
    platform.close()
    stores.close()


def admit(platform: Platform, secret: str) -> RequestContext:
    context = RequestContext(started=0.0)
    request = AdmissionRequest(
        authorization=f"Bearer {secret}", scope="validate", method="GET", path="/"
    )
    asyncio.run(platform.admit(context, request))
    return context


def test_admission_reads_a_key_from_the_store_once_per_bound(
    counted: tuple[Platform, CountingItems, ManualClock],
) -> None:
    platform, items, _ = counted
    owner = platform.accounts.create("cache@example.com", tier="pro")
    secret = platform.keys.create(owner.id).secret
    items.reads.clear()
    contexts = [admit(platform, secret) for _ in range(5)]
    assert all(context.admitted for context in contexts)
    assert items.reads.get(KEYS) == 1
    assert platform.limiter.quota_used(owner.id, contexts[0].policy.period_key) == 5  # type: ignore[union-attr]


def test_changes_in_this_process_take_effect_at_once(
    counted: tuple[Platform, CountingItems, ManualClock],
) -> None:
    platform, _, clock = counted
    owner = platform.accounts.create("change@example.com", tier="pro")
    created = platform.keys.create(owner.id)
    assert admit(platform, created.secret).policy.monthly_quota == 100_000  # type: ignore[union-attr]
    platform.accounts.save(owner, monthly_quota=7)
    assert admit(platform, created.secret).policy.monthly_quota == 7  # type: ignore[union-attr]
    platform.keys.rotate(owner.id, created.key.id, grace_seconds=60)
    assert admit(platform, created.secret).admitted  # within the grace period
    clock.advance(61)
    with pytest.raises(PlatformError, match="revoked or expired"):
        admit(platform, created.secret)
    fresh = platform.keys.create(owner.id)
    assert admit(platform, fresh.secret).admitted
    platform.keys.revoke(owner.id, fresh.key.id)
    with pytest.raises(PlatformError, match="revoked or expired"):
        admit(platform, fresh.secret)


def revoke_elsewhere(tmp_path: Path, key: ApiKey, clock: ManualClock) -> None:
    """Revoke `key` the way another process would: its own platform on the same database."""
    stores = embedded_stores(tmp_path)
    other = build_platform(platform_settings(tmp_path), stores, clock=clock)
    other.keys.revoke(key.account_id, key.id)
    other.close()
    stores.close()


def test_a_change_in_another_process_is_caught_by_the_shared_epoch(
    counted: tuple[Platform, CountingItems, ManualClock], tmp_path: Path
) -> None:
    platform, _, clock = counted
    owner = platform.accounts.create("epoch@example.com", tier="pro")
    created = platform.keys.create(owner.id)
    period = admit(platform, created.secret).policy.period_key  # type: ignore[union-attr]
    revoke_elsewhere(tmp_path, created.key, clock)
    platform.limiter.bump_epoch()  # what the other process' change does through Redis
    with pytest.raises(PlatformError, match="revoked or expired"):
        admit(platform, created.secret)
    assert platform.limiter.quota_used(owner.id, period) == 1  # the refusal was not counted


def test_without_a_shared_epoch_a_change_elsewhere_shows_within_the_bound(
    counted: tuple[Platform, CountingItems, ManualClock], tmp_path: Path
) -> None:
    platform, _, clock = counted
    cache_clock = ManualClock(0.0)
    platform.verified_keys = VerifiedKeyCache(KEY_CACHE_SECONDS, clock=cache_clock)
    owner = platform.accounts.create("bound@example.com", tier="pro")
    created = platform.keys.create(owner.id)
    assert admit(platform, created.secret).admitted
    revoke_elsewhere(tmp_path, created.key, clock)
    assert admit(platform, created.secret).admitted  # still the cached copy
    cache_clock.advance(KEY_CACHE_SECONDS)
    with pytest.raises(PlatformError, match="revoked or expired"):
        admit(platform, created.secret)
