"""Accounts: one per email address, with a tier and optional per-account limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from cleara.platform.clock import Clock
from cleara.platform.crypto import new_id
from cleara.platform.errors import PlatformError
from cleara.store.base import ConflictError, ItemStore

ACCOUNTS = "account"
ACCOUNT_EMAILS = "account_email"


def normalize_email(email: str) -> str:
    """The form accounts are looked up by: trimmed and lower-cased."""
    return email.strip().lower()


@dataclass(frozen=True, slots=True)
class Account:
    """An account. `monthly_quota` / `per_second` override the tier's limits when set."""

    id: str
    email: str
    tier: str
    created_at: float
    password_hash: str | None = None
    email_verified: bool = False
    monthly_quota: int | None = None
    per_second: int | None = None

    def public(self) -> dict[str, Any]:
        """The fields shown to the account's owner (never the password hash)."""
        return {
            "id": self.id,
            "email": self.email,
            "tier": self.tier,
            "email_verified": self.email_verified,
            "created_at": self.created_at,
        }


class AccountStore:
    """Accounts in the item store: `account/<id>` plus a unique `account_email/<email>` index.

    `on_change` is called after an account is saved (tier, limits), so that caches of
    verified keys can drop their copies.
    """

    def __init__(
        self,
        items: ItemStore,
        clock: Clock,
        tiers: set[str],
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self._items = items
        self._clock = clock
        self._tiers = tiers
        self._on_change = on_change

    def create(
        self,
        email: str,
        *,
        tier: str = "free",
        password_hash: str | None = None,
        monthly_quota: int | None = None,
        per_second: int | None = None,
    ) -> Account:
        """A new account; PlatformError 409 `email_taken` when the email has one already."""
        self.check_tier(tier)
        account = Account(
            id=new_id("acct"),
            email=normalize_email(email),
            tier=tier,
            created_at=self._clock(),
            password_hash=password_hash,
            monthly_quota=monthly_quota,
            per_second=per_second,
        )
        self._items.put(ACCOUNTS, account.id, "", asdict(account), if_absent=True)
        try:
            self._items.put(
                ACCOUNT_EMAILS, account.email, "", {"account_id": account.id}, if_absent=True
            )
        except ConflictError:
            self._items.delete(ACCOUNTS, account.id)
            raise PlatformError(
                409, "email_taken", "An account with this email exists already.", param="email"
            ) from None
        return account

    def get(self, account_id: str) -> Account | None:
        item = self._items.get(ACCOUNTS, account_id)
        return Account(**item.data) if item is not None else None

    def by_email(self, email: str) -> Account | None:
        index = self._items.get(ACCOUNT_EMAILS, normalize_email(email))
        return self.get(str(index.data["account_id"])) if index is not None else None

    def get_or_create(self, email: str, *, tier: str) -> tuple[Account, bool]:
        """The account of `email` (True when it was created now)."""
        existing = self.by_email(email)
        if existing is not None:
            return existing, False
        try:
            return self.create(email, tier=tier), True
        except PlatformError:
            found = self.by_email(email)  # created concurrently
            if found is None:
                raise
            return found, False

    def save(self, account: Account, **changes: Any) -> Account:
        """Store `account` with `changes` applied; returns the updated account."""
        if "tier" in changes:
            self.check_tier(str(changes["tier"]))
        updated = replace(account, **changes)
        self._items.put(ACCOUNTS, updated.id, "", asdict(updated))
        if self._on_change is not None:
            self._on_change()
        return updated

    def check_tier(self, tier: str) -> None:
        if tier not in self._tiers:
            known = ", ".join(sorted(self._tiers))
            raise PlatformError(422, "unknown_tier", f"Unknown tier {tier!r}; known: {known}.")
