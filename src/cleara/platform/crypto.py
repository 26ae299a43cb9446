"""Random secrets, hashes and constant-time comparison."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

_BASE62 = string.ascii_letters + string.digits


def random_token(length: int = 32) -> str:
    """A random base62 string; 32 characters carry about 190 bits of entropy."""
    return "".join(secrets.choice(_BASE62) for _ in range(length))


def sha256_hex(value: str | bytes) -> str:
    """The SHA-256 digest of a value, as 64 hex digits."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    return hashlib.sha256(data).hexdigest()


def constant_time_equals(left: str, right: str) -> bool:
    """Compare secrets without leaking where they differ through timing."""
    return hmac.compare_digest(left.encode("utf-8"), right.encode("utf-8"))


def new_id(prefix: str) -> str:
    """A public identifier such as `acct_3kT9...` (not a secret)."""
    return f"{prefix}_{random_token(20)}"
