from __future__ import annotations

import pytest

from cleara.platform.errors import PlatformError
from cleara.platform.passwords import check_password_strength, hash_password, verify_password


def test_argon2_hashes_verify_and_are_salted() -> None:
    first = hash_password("correct horse battery")
    assert first.startswith("$argon2id$")
    assert "correct horse" not in first
    assert first != hash_password("correct horse battery")
    assert verify_password(first, "correct horse battery")
    assert not verify_password(first, "wrong password!")
    assert not verify_password(None, "correct horse battery")
    assert not verify_password("not a hash", "x")


def test_password_strength() -> None:
    check_password_strength("long enough pw")
    with pytest.raises(PlatformError) as error:
        check_password_strength("short")
    assert error.value.code == "weak_password"
