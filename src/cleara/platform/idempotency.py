"""Idempotency keys and the response cache of deterministic data endpoints.

Both are scoped per account: one account's keys or cached responses are never visible to
another. Responses are stored whole (status, chosen headers, body) up to `MAX_STORED_BYTES`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson

from cleara.platform.clock import Clock, utc_datetime
from cleara.platform.errors import PlatformError
from cleara.store.base import Cache, ConflictError, ItemStore
from cleara.store.cache import InMemoryCache

IDEMPOTENCY = "idempotency"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_STORED_BYTES = 1024 * 1024
IN_PROGRESS_SECONDS = 300
_KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
# Response headers worth replaying; per-request ones (Request-Id, RateLimit...) are not.
_STORED_HEADERS = frozenset(
    {"content-type", "content-disposition", "cleara-changes", "cleara-problems"}
)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def to_data(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "headers": [list(pair) for pair in self.headers],
            "body": base64.b64encode(self.body).decode("ascii"),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> StoredResponse:
        return cls(
            status=int(data["status"]),
            headers=[(str(name), str(value)) for name, value in data["headers"]],
            body=base64.b64decode(data["body"]),
        )


def replayable_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers if name.lower() in _STORED_HEADERS]


def request_fingerprint(method: str, path: str, query: str, content_type: str, body: bytes) -> str:
    """A digest of everything that makes two requests the same request."""
    digest = hashlib.sha256()
    for part in (method, path, query, content_type):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    digest.update(body)
    return digest.hexdigest()


class IdempotencyStore:
    """`idempotency/<account>|<key>`: an in-progress marker, then the stored response."""

    def __init__(self, items: ItemStore, clock: Clock, ttl_seconds: float) -> None:
        self._items = items
        self._clock = clock
        self._ttl = ttl_seconds

    def begin(self, account_id: str, key: str, fingerprint: str) -> StoredResponse | None:
        """None: this request runs and must `complete` or `abandon`. A stored response: the
        replay to send. PlatformError 409 when the key was used for another request or is
        still running."""
        if not _KEY_PATTERN.fullmatch(key):
            raise PlatformError(
                400,
                "invalid_idempotency_key",
                f"{IDEMPOTENCY_HEADER} must be 1 to 255 visible ASCII characters.",
            )
        pk = _pk(account_id, key)
        marker = {"fingerprint": fingerprint, "response": None}
        in_progress_until = utc_datetime(self._clock()) + timedelta(seconds=IN_PROGRESS_SECONDS)
        try:
            self._items.put(
                IDEMPOTENCY, pk, "", marker, if_absent=True, expires_at=in_progress_until
            )
            return None
        except ConflictError:
            pass
        item = self._items.get(IDEMPOTENCY, pk)
        if item is None:  # expired between the two calls: a fresh start
            return self.begin(account_id, key, fingerprint)
        if item.data["fingerprint"] != fingerprint:
            raise PlatformError(
                409,
                "idempotency_key_reused",
                "This Idempotency-Key was used with a different request.",
            )
        if item.data["response"] is None:
            raise PlatformError(
                409,
                "idempotency_key_in_use",
                "A request with this Idempotency-Key is still being processed.",
            )
        return StoredResponse.from_data(item.data["response"])

    def complete(
        self, account_id: str, key: str, fingerprint: str, response: StoredResponse
    ) -> None:
        self._items.put(
            IDEMPOTENCY,
            _pk(account_id, key),
            "",
            {"fingerprint": fingerprint, "response": response.to_data()},
            expires_at=utc_datetime(self._clock()) + timedelta(seconds=self._ttl),
        )

    def abandon(self, account_id: str, key: str) -> None:
        """Forget a key whose request failed on the server side, so it can be retried."""
        self._items.delete(IDEMPOTENCY, _pk(account_id, key))


def _pk(account_id: str, key: str) -> str:
    return f"{account_id}|{hashlib.sha256(key.encode()).hexdigest()}"


class ResponseCache:
    """Successful responses of deterministic endpoints, in the shared cache."""

    def __init__(self, cache: Cache, ttl_seconds: float) -> None:
        self._cache = cache
        self._ttl = ttl_seconds

    @property
    def enabled(self) -> bool:
        return self._ttl > 0

    @property
    def in_process(self) -> bool:
        """True when lookups never leave the process (cheap enough for the event loop)."""
        return isinstance(self._cache, InMemoryCache)

    @staticmethod
    def key(account_id: str, fingerprint: str) -> str:
        return f"response:{account_id}:{fingerprint}"

    def get(self, key: str) -> StoredResponse | None:
        raw = self._cache.get(key)
        return StoredResponse.from_data(orjson.loads(raw)) if raw is not None else None

    def put(self, key: str, response: StoredResponse) -> None:
        self._cache.set(key, orjson.dumps(response.to_data()), ttl_seconds=self._ttl)
