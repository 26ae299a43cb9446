"""Password hashing with argon2id (argon2-cffi's RFC 9106 low-memory profile)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cleara.platform.errors import PlatformError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("a password nobody has")


def check_password_strength(password: str) -> None:
    """Raise a 422 PlatformError for a password that is too short or too long."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise PlatformError(
            422,
            "weak_password",
            f"Passwords need {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.",
            param="password",
        )


def hash_password(password: str) -> str:
    """An argon2id hash of the password, with its own random salt."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches. Without a hash, a dummy hash is checked anyway so that
    unknown accounts take as long to reject as wrong passwords."""
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False
