from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleara.platform.errors import PlatformError
from cleara.platform.signing import signature, signature_header, verify_signature

SECRET = "clr_sig_secret"
NOW = 1_780_000_000


def _code(header: str | None, body: bytes = b"{}", now: float = NOW) -> str:
    with pytest.raises(PlatformError) as error:
        verify_signature(header, SECRET, body, now=now, tolerance_seconds=300)
    assert error.value.status == 401
    return error.value.code


@given(body=st.binary(max_size=200), skew=st.integers(min_value=-300, max_value=300))
def test_signatures_within_tolerance_verify(body: bytes, skew: int) -> None:
    header = signature_header(SECRET, NOW + skew, body)
    assert verify_signature(header, SECRET, body, now=NOW) == signature(SECRET, NOW + skew, body)


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), b"123.abc", hashlib.sha256).hexdigest()
    assert signature(SECRET, 123, b"abc") == expected


def test_refusals() -> None:
    assert _code(None) == "missing_signature"
    assert _code("v1=abc") == "invalid_signature"
    assert _code("t=abc,v1=00") == "invalid_signature"
    assert _code(signature_header(SECRET, NOW - 301, b"{}")) == "signature_expired"
    assert _code(signature_header(SECRET, NOW + 301, b"{}")) == "signature_expired"
    assert _code(signature_header("other", NOW, b"{}")) == "invalid_signature"
    assert _code(signature_header(SECRET, NOW, b"{}"), body=b"{ }") == "invalid_signature"
