"""API keys: `clr_live_...` / `clr_test_...`, stored only as a SHA-256 hash and a prefix.

Items: `api_key/<sha256>` holds the key record, `account_keys/<account>/<key id>` lists an
account's keys, `api_key_used/<sha256>` holds the last-used time (written by metering).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from cleara.platform.clock import Clock
from cleara.platform.crypto import constant_time_equals, new_id, random_token, sha256_hex
from cleara.platform.errors import PlatformError
from cleara.store.base import ItemStore

KEYS = "api_key"
ACCOUNT_KEYS = "account_keys"
KEYS_USED = "api_key_used"

KeyMode = Literal["live", "test"]
KEY_PREFIXES: dict[str, str] = {"live": "clr_live_", "test": "clr_test_"}
SIGNING_SECRET_PREFIX = "clr_sig_"
ALL_SCOPES = "*"
SECRET_BODY_LENGTH = 32
VISIBLE_BODY_CHARS = 4
_KEY_PATTERN = re.compile(r"clr_(live|test)_[A-Za-z0-9]{32}")
_SCOPE_PATTERN = re.compile(r"\*|[a-z][a-z0-9_-]{0,40}")


def looks_like_api_key(secret: str) -> bool:
    """True for strings of the API-key shape (the store is consulted only for these)."""
    return _KEY_PATTERN.fullmatch(secret) is not None


def check_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    """The scopes, validated: `*` or endpoint names such as `validate`, `clean`."""
    checked = tuple(dict.fromkeys(scopes))
    if not checked:
        raise PlatformError(
            422, "invalid_scopes", "A key needs at least one scope.", param="scopes"
        )
    for scope in checked:
        if not _SCOPE_PATTERN.fullmatch(scope):
            raise PlatformError(422, "invalid_scopes", f"Invalid scope {scope!r}.", param="scopes")
    return checked


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key. The secret itself is never stored, only `hash` and `prefix`."""

    id: str
    account_id: str
    hash: str
    prefix: str
    mode: str
    name: str
    scopes: tuple[str, ...]
    created_at: float
    expires_at: float | None = None
    revoked_at: float | None = None
    rotated_to: str | None = None
    signing_secret: str | None = None

    def allows(self, scope: str) -> bool:
        return ALL_SCOPES in self.scopes or scope in self.scopes

    def is_valid(self, now: float) -> bool:
        """Not revoked and not expired (a rotated key is valid until its grace period ends)."""
        if self.revoked_at is not None and self.revoked_at <= now:
            return False
        return self.expires_at is None or now < self.expires_at

    def public(self, last_used_at: float | None = None, now: float | None = None) -> dict[str, Any]:
        """What the owner may see: never the hash or the signing secret."""
        status = "active"
        if self.revoked_at is not None:
            status = "revoked"
        elif now is not None and not self.is_valid(now):
            status = "expired"
        return {
            "id": self.id,
            "prefix": self.prefix,
            "mode": self.mode,
            "name": self.name,
            "scopes": list(self.scopes),
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "revoked_at": self.revoked_at,
            "last_used_at": last_used_at,
            "rotated_to": self.rotated_to,
            "signed": self.signing_secret is not None,
            "status": status,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ApiKey:
        return cls(**{**data, "scopes": tuple(data["scopes"])})


@dataclass(frozen=True, slots=True)
class CreatedKey:
    """A new key with its secret, which is shown once and then only its hash is known."""

    key: ApiKey
    secret: str
    signing_secret: str | None


class KeyStore:
    """Creation, lookup, listing, revocation and rotation of API keys.

    `on_change` is called after a stored key changes (revocation, rotation), so that caches
    of verified keys can drop their copies.
    """

    def __init__(
        self, items: ItemStore, clock: Clock, on_change: Callable[[], None] | None = None
    ) -> None:
        self._items = items
        self._clock = clock
        self._on_change = on_change

    def create(
        self,
        account_id: str,
        *,
        name: str = "",
        scopes: Iterable[str] = (ALL_SCOPES,),
        mode: str = "live",
        expires_at: float | None = None,
        signed: bool = False,
        signing_secret: str | None = None,
    ) -> CreatedKey:
        if mode not in KEY_PREFIXES:
            raise PlatformError(422, "invalid_mode", "Key mode is `live` or `test`.", param="mode")
        if expires_at is not None and expires_at <= self._clock():
            raise PlatformError(422, "invalid_expiry", "Expiry is in the past.", param="expires_at")
        secret = KEY_PREFIXES[mode] + random_token(SECRET_BODY_LENGTH)
        if signed and signing_secret is None:
            signing_secret = SIGNING_SECRET_PREFIX + random_token(SECRET_BODY_LENGTH)
        key = ApiKey(
            id=new_id("key"),
            account_id=account_id,
            hash=sha256_hex(secret),
            prefix=secret[: len(KEY_PREFIXES[mode]) + VISIBLE_BODY_CHARS],
            mode=mode,
            name=name,
            scopes=check_scopes(scopes),
            created_at=self._clock(),
            expires_at=expires_at,
            signing_secret=signing_secret,
        )
        self._items.put(KEYS, key.hash, "", _data(key), if_absent=True)
        self._items.put(ACCOUNT_KEYS, account_id, key.id, {"hash": key.hash})
        return CreatedKey(key, secret, signing_secret if signed else None)

    def authenticate(self, secret: str) -> ApiKey | None:
        """The valid key for a presented secret, or None (unknown, revoked or expired)."""
        if not looks_like_api_key(secret):
            return None
        digest = sha256_hex(secret)
        item = self._items.get(KEYS, digest)
        if item is None:
            return None
        key = ApiKey.from_data(dict(item.data))
        # The lookup is by hash already; comparing again keeps the check explicit.
        if not constant_time_equals(key.hash, digest) or not key.is_valid(self._clock()):
            return None
        return key

    def get(self, account_id: str, key_id: str) -> ApiKey | None:
        """The account's key with this id; None when it belongs to another account."""
        index = self._items.get(ACCOUNT_KEYS, account_id, key_id)
        if index is None:
            return None
        item = self._items.get(KEYS, str(index.data["hash"]))
        if item is None:
            return None
        key = ApiKey.from_data(dict(item.data))
        return key if key.account_id == account_id else None

    def list(self, account_id: str) -> list[tuple[ApiKey, float | None]]:
        """Every key of the account with its last-used time, oldest first."""
        found: list[tuple[ApiKey, float | None]] = []
        cursor: str | None = None
        while True:
            page = self._items.query(ACCOUNT_KEYS, account_id, cursor=cursor, limit=100)
            for index in page.items:
                item = self._items.get(KEYS, str(index.data["hash"]))
                if item is not None:
                    key = ApiKey.from_data(dict(item.data))
                    found.append((key, self.last_used(key.hash)))
            cursor = page.next_cursor
            if cursor is None:
                break
        return sorted(found, key=lambda pair: pair[0].created_at)

    def last_used(self, key_hash: str) -> float | None:
        item = self._items.get(KEYS_USED, key_hash)
        return float(item.data["at"]) if item is not None else None

    def touch(self, key_hash: str, at: float) -> None:
        """Record a use of the key (called in batches by metering, not per request)."""
        self._items.put(KEYS_USED, key_hash, "", {"at": at})

    def revoke(self, account_id: str, key_id: str) -> ApiKey:
        key = self._owned(account_id, key_id)
        if key.revoked_at is not None:
            return key
        return self._save(replace(key, revoked_at=self._clock()))

    def rotate(self, account_id: str, key_id: str, grace_seconds: float) -> CreatedKey:
        """A new key with the same settings; the old one works for `grace_seconds` more."""
        old = self._owned(account_id, key_id)
        now = self._clock()
        if not old.is_valid(now):
            raise PlatformError(409, "key_inactive", "Only an active key can be rotated.")
        created = self.create(
            account_id,
            name=old.name,
            scopes=old.scopes,
            mode=old.mode,
            expires_at=old.expires_at,
            signing_secret=old.signing_secret,
        )
        grace_end = now + max(0.0, grace_seconds)
        expires_at = grace_end if old.expires_at is None else min(old.expires_at, grace_end)
        self._save(replace(old, expires_at=expires_at, rotated_to=created.key.id))
        return created

    def _owned(self, account_id: str, key_id: str) -> ApiKey:
        key = self.get(account_id, key_id)
        if key is None:
            raise PlatformError(404, "key_not_found", f"No key {key_id!r} in this account.")
        return key

    def _save(self, key: ApiKey) -> ApiKey:
        self._items.put(KEYS, key.hash, "", _data(key))
        if self._on_change is not None:
            self._on_change()
        return key


def _data(key: ApiKey) -> dict[str, Any]:
    data = asdict(key)
    data["scopes"] = list(key.scopes)
    return data
