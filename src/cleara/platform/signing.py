"""Request signing: `Cleara-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`."""

from __future__ import annotations

import hashlib
import hmac

from cleara.platform.errors import PlatformError

SIGNATURE_HEADER = "Cleara-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The `Cleara-Signature` header value a client sends."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    digests: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif name == "v1" and value:
            digests.append(value.strip().lower())
    if timestamp is None or not digests:
        raise PlatformError(
            401, "invalid_signature", f"{SIGNATURE_HEADER} must look like t=<unix>,v1=<hex>."
        )
    return timestamp, digests


def verify_signature(
    header: str | None,
    secret: str,
    body: bytes,
    *,
    now: float,
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
) -> str:
    """Check a signature header; returns the matching digest (the replay-detection key).

    Raises PlatformError 401 `missing_signature`, `invalid_signature` or `signature_expired`.
    """
    if not header:
        raise PlatformError(
            401, "missing_signature", f"This key requires a {SIGNATURE_HEADER} header."
        )
    timestamp, digests = _parse(header)
    if abs(now - timestamp) > tolerance_seconds:
        raise PlatformError(
            401,
            "signature_expired",
            f"The signature timestamp is more than {int(tolerance_seconds)} s from server time.",
        )
    expected = signature(secret, timestamp, body)
    matched = [d for d in digests if hmac.compare_digest(d.encode(), expected.encode())]
    if not matched:
        raise PlatformError(401, "invalid_signature", "The request signature does not match.")
    return expected
