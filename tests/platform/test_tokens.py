from __future__ import annotations

import jwt
import pytest

from cleara.platform.errors import PlatformError
from cleara.platform.tokens import OneTimeTokens, SessionTokens, load_jwt_secret
from cleara.settings import Settings
from cleara.store.sql.item_store import SqlItemStore
from platform_fixtures import ManualClock


@pytest.fixture
def sessions(items: SqlItemStore, clock: ManualClock) -> SessionTokens:
    return SessionTokens(items, b"s" * 32, clock, access_seconds=900, refresh_seconds=3600)


def _refused(call: object, *args: object) -> PlatformError:
    with pytest.raises(PlatformError) as error:
        call(*args)  # type: ignore[operator]
    return error.value


def test_access_token_is_short_lived_jwt(sessions: SessionTokens, clock: ManualClock) -> None:
    pair = sessions.open_session("acct_1")
    claims = sessions.verify_access(pair.access_token)
    assert claims.account_id == "acct_1"
    clock.advance(901)
    assert _refused(sessions.verify_access, pair.access_token).code == "invalid_token"


def test_forged_or_refresh_tokens_are_not_access_tokens(sessions: SessionTokens) -> None:
    pair = sessions.open_session("acct_1")
    forged = jwt.encode({"sub": "acct_2", "sid": pair.session_id, "typ": "access", "exp": 9e9},
                        b"w" * 32, algorithm="HS256")  # fmt: skip
    assert _refused(sessions.verify_access, forged).status == 401
    assert _refused(sessions.verify_access, pair.refresh_token).status == 401


def test_refresh_rotates_and_reuse_revokes_the_session(sessions: SessionTokens) -> None:
    first = sessions.open_session("acct_r")
    second = sessions.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    assert sessions.verify_access(second.access_token).account_id == "acct_r"
    assert _refused(sessions.refresh, first.refresh_token).code == "invalid_token"
    # The replay ended the session: the latest tokens stop working too.
    assert _refused(sessions.refresh, second.refresh_token).status == 401
    assert _refused(sessions.verify_access, second.access_token).status == 401


def test_revoking_ends_access_and_refresh(sessions: SessionTokens) -> None:
    pair = sessions.open_session("acct_l")
    other = sessions.open_session("acct_l")
    sessions.revoke_session(pair.session_id)
    assert _refused(sessions.verify_access, pair.access_token).status == 401
    assert _refused(sessions.refresh, pair.refresh_token).status == 401
    assert sessions.verify_access(other.access_token).account_id == "acct_l"
    assert sessions.revoke_all("acct_l") == 2
    assert _refused(sessions.verify_access, other.access_token).status == 401


def test_expired_refresh_token_is_refused(sessions: SessionTokens, clock: ManualClock) -> None:
    pair = sessions.open_session("acct_e")
    clock.advance(3601)
    assert _refused(sessions.refresh, pair.refresh_token).status == 401


def test_one_time_tokens_are_single_use_and_expire(items: SqlItemStore, clock: ManualClock) -> None:
    tokens = OneTimeTokens(items, clock)
    token = tokens.issue("verify_email", "acct_v", 60)
    assert _refused(tokens.consume, "reset_password", token).code == "invalid_token"
    assert tokens.consume("verify_email", token) == "acct_v"
    assert _refused(tokens.consume, "verify_email", token).code == "invalid_token"
    late = tokens.issue("verify_email", "acct_v", 60)
    clock.advance(61)
    assert _refused(tokens.consume, "verify_email", late).code == "expired_token"


def test_jwt_secret_is_generated_once_and_kept(tmp_path: object) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)
    first = load_jwt_secret(settings)
    assert len(first) >= 32
    assert load_jwt_secret(settings) == first
    assert (settings.data_dir / "jwt_secret").stat().st_mode & 0o077 == 0
    configured = Settings(_env_file=None, data_dir=tmp_path, jwt_secret="x" * 40)
    assert load_jwt_secret(configured) == b"x" * 40
