"""A short-lived in-process cache of verified API keys and their accounts.

Reading a key and its account from the store costs two database round trips per request;
this cache keeps the pair for `KEY_CACHE_SECONDS`, by the key's SHA-256 hash (the secret
itself is never held). Freshness has three layers:

- every change of a key or account made by this process clears the cache at once;
- each entry remembers the credentials epoch it was read under, and admission passes it to
  the limiter, which refuses a stale epoch (a change made by any process with Redis) in the
  same round trip that checks the limits;
- entries expire after `KEY_CACHE_SECONDS`, which bounds changes no epoch reports (another
  process without Redis, e.g. `cleara keys revoke` next to an embedded server).

Expiry and revocation times are still checked on every request against the cached record.
Unknown keys are never cached.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from cleara.platform.accounts import Account
from cleara.platform.api_keys import ApiKey
from cleara.platform.limits import LimiterUnavailableError

logger = logging.getLogger("cleara.platform.key_cache")

KEY_CACHE_SECONDS = 2.0
"""How long a verified key is reused without reading the store again."""
KEY_CACHE_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class VerifiedKey:
    """A key and its account as read from the store under credentials epoch `epoch`."""

    key: ApiKey
    account: Account
    epoch: int | None
    """None when the limiter could not say (such entries are not cached)."""
    loaded_at: float


class VerifiedKeyCache:
    """Thread-safe, bounded (least recently loaded entries go first), entries expire."""

    def __init__(
        self,
        ttl_seconds: float = KEY_CACHE_SECONDS,
        *,
        max_entries: int = KEY_CACHE_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._ttl = max(0.0, ttl_seconds)
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, VerifiedKey] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._ttl > 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def get(self, key_hash: str) -> VerifiedKey | None:
        """The fresh entry of a key hash, or None."""
        with self._lock:
            entry = self._entries.get(key_hash)
            if entry is None:
                return None
            if self._clock() - entry.loaded_at >= self._ttl:
                del self._entries[key_hash]
                return None
            return entry

    def put(self, key: ApiKey, account: Account, epoch: int | None) -> VerifiedKey:
        """Remember a key read from the store under `epoch` (not cached without an epoch,
        or when the cache is disabled)."""
        entry = VerifiedKey(key, account, epoch, self._clock())
        if epoch is None or not self.enabled:
            return entry
        with self._lock:
            self._entries.pop(key.hash, None)
            self._entries[key.hash] = entry
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return entry

    def discard(self, key_hash: str) -> None:
        with self._lock:
            self._entries.pop(key_hash, None)

    def clear(self) -> None:
        """Forget every entry (a key or an account changed)."""
        with self._lock:
            self._entries.clear()


def invalidation_hook(cache: VerifiedKeyCache, bump_epoch: Callable[[], int]) -> Callable[[], None]:
    """What key and account stores call after a change: clear this process' cache and start
    a new credentials epoch, so that other processes drop their copies too."""

    def changed() -> None:
        cache.clear()
        try:
            bump_epoch()
        except LimiterUnavailableError as error:
            logger.warning(
                "Other processes may use cached keys for up to %g s more: %s",
                KEY_CACHE_SECONDS,
                error,
            )

    return changed
