"""Session tokens (JWT access tokens, rotating refresh tokens) and one-time email tokens.

A login opens a session. Its access tokens are short-lived HS256 JWTs naming the session;
its refresh tokens are opaque, single-use and stored only as hashes. Using a refresh token
twice revokes the whole session (the token was stolen or replayed). Revoking a session also
invalidates its unexpired access tokens, because every access token check reads the session.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from cleara.platform.clock import Clock, utc_datetime
from cleara.platform.crypto import new_id, random_token, sha256_hex
from cleara.platform.errors import PlatformError
from cleara.settings import Settings
from cleara.store.base import ConflictError, ItemStore

SESSIONS = "session"
ACCOUNT_SESSIONS = "account_sessions"
REFRESH_TOKENS = "refresh_token"
ONE_TIME_TOKENS = "one_time_token"
REFRESH_PREFIX = "clr_rt_"
JWT_ALGORITHM = "HS256"
JWT_SECRET_FILE = "jwt_secret"


def load_jwt_secret(settings: Settings) -> bytes:
    """The configured secret, or the one kept in `<data_dir>/jwt_secret` (created once)."""
    if settings.jwt_secret is not None:
        return settings.jwt_secret.get_secret_value().encode("utf-8")
    path = settings.data_dir / JWT_SECRET_FILE
    if not path.exists():
        _create_secret_file(path)
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def _create_secret_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when several workers start at once, exactly one writes the secret.
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(random_token(64))


def invalid_token(message: str = "The token is invalid or expired.") -> PlatformError:
    return PlatformError(401, "invalid_token", message)


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: str

    def public(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "token_type": "bearer",
            "expires_in": self.expires_in,
        }


@dataclass(frozen=True, slots=True)
class AccessClaims:
    account_id: str
    session_id: str


class SessionTokens:
    """Issues, checks, rotates and revokes session tokens."""

    def __init__(
        self,
        items: ItemStore,
        secret: bytes,
        clock: Clock,
        *,
        access_seconds: int,
        refresh_seconds: int,
    ) -> None:
        self._items = items
        self._secret = secret
        self._clock = clock
        self._access_seconds = access_seconds
        self._refresh_seconds = refresh_seconds

    def open_session(self, account_id: str) -> TokenPair:
        """A new session for a successful login."""
        session_id = new_id("sess")
        now = self._clock()
        self._items.put(
            SESSIONS, session_id, "", {"account_id": account_id, "revoked": False, "created": now}
        )
        self._items.put(ACCOUNT_SESSIONS, account_id, session_id, {})
        return self._pair(account_id, session_id)

    def verify_access(self, token: str) -> AccessClaims:
        """The claims of a valid access token of a live session; 401 `invalid_token` else."""
        try:
            # Expiry is checked below against the injectable clock.
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[JWT_ALGORITHM],
                options={"verify_exp": False, "require": ["sub", "sid", "exp", "typ"]},
            )
        except jwt.PyJWTError:
            raise invalid_token() from None
        if claims.get("typ") != "access" or float(claims["exp"]) <= self._clock():
            raise invalid_token()
        session_id = str(claims["sid"])
        if not self._session_live(session_id):
            raise invalid_token("The session has ended; log in again.")
        return AccessClaims(account_id=str(claims["sub"]), session_id=session_id)

    def refresh(self, refresh_token: str) -> TokenPair:
        """Trade a refresh token for a new pair. A token used twice ends its session."""
        item = self._items.get(REFRESH_TOKENS, sha256_hex(refresh_token))
        if item is None or float(item.data["expires"]) <= self._clock():
            raise invalid_token("The refresh token is invalid or expired.")
        session_id = str(item.data["session_id"])
        if item.data["used"]:
            self.revoke_session(session_id)
            raise invalid_token("The refresh token was used already; the session is revoked.")
        try:
            self._items.put(
                REFRESH_TOKENS,
                item.pk,
                "",
                {**item.data, "used": True},
                expected_version=item.version,
                expires_at=item.expires_at,
            )
        except ConflictError:
            # Another request spent this token at the same moment: treat it as a replay.
            self.revoke_session(session_id)
            raise invalid_token("The refresh token was used already.") from None
        if not self._session_live(session_id):
            raise invalid_token("The session has ended; log in again.")
        return self._pair(str(item.data["account_id"]), session_id)

    def revoke_session(self, session_id: str) -> None:
        item = self._items.get(SESSIONS, session_id)
        if item is not None and not item.data["revoked"]:
            self._items.put(SESSIONS, session_id, "", {**item.data, "revoked": True})

    def revoke_all(self, account_id: str) -> int:
        """End every session of the account (after a password change); returns how many."""
        count = 0
        cursor: str | None = None
        while True:
            page = self._items.query(ACCOUNT_SESSIONS, account_id, cursor=cursor, limit=100)
            for item in page.items:
                self.revoke_session(item.sk)
                count += 1
            cursor = page.next_cursor
            if cursor is None:
                return count

    def _session_live(self, session_id: str) -> bool:
        item = self._items.get(SESSIONS, session_id)
        return item is not None and not item.data["revoked"]

    def _pair(self, account_id: str, session_id: str) -> TokenPair:
        now = self._clock()
        claims = {
            "sub": account_id,
            "sid": session_id,
            "typ": "access",
            "iat": int(now),
            "exp": now + self._access_seconds,
            "jti": random_token(16),
        }
        access = jwt.encode(claims, self._secret, algorithm=JWT_ALGORITHM)
        refresh = REFRESH_PREFIX + random_token(48)
        expires = now + self._refresh_seconds
        self._items.put(
            REFRESH_TOKENS,
            sha256_hex(refresh),
            "",
            {"account_id": account_id, "session_id": session_id, "used": False, "expires": expires},
            if_absent=True,
            expires_at=utc_datetime(expires),
        )
        return TokenPair(access, refresh, self._access_seconds, session_id)


class OneTimeTokens:
    """Single-use, expiring tokens mailed to users (email verification, password reset)."""

    def __init__(self, items: ItemStore, clock: Clock) -> None:
        self._items = items
        self._clock = clock

    def issue(self, purpose: str, account_id: str, ttl_seconds: float) -> str:
        token = random_token(40)
        expires = self._clock() + ttl_seconds
        self._items.put(
            ONE_TIME_TOKENS,
            sha256_hex(token),
            "",
            {"purpose": purpose, "account_id": account_id, "expires": expires},
            expires_at=utc_datetime(expires),
        )
        return token

    def consume(self, purpose: str, token: str) -> str:
        """The account id of a valid token, which is used up; 400 `invalid_token` else."""
        digest = sha256_hex(token)
        item = self._items.get(ONE_TIME_TOKENS, digest)
        if item is None or item.data["purpose"] != purpose:
            raise PlatformError(400, "invalid_token", "The token is invalid or was used already.")
        # Delete first: of two concurrent uses, only the one whose delete removed it wins.
        if not self._items.delete(ONE_TIME_TOKENS, digest):
            raise PlatformError(400, "invalid_token", "The token is invalid or was used already.")
        if float(item.data["expires"]) <= self._clock():
            raise PlatformError(400, "expired_token", "The token has expired; ask for a new one.")
        return str(item.data["account_id"])
