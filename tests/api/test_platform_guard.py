"""Authentication, scopes, signing, limits, idempotency and caching on the data endpoints."""

from __future__ import annotations

import logging
import re
import time

import pytest
from fastapi.testclient import TestClient
from platform_backends import ClientFactory, make_client

from cleara.platform.api_keys import ApiKey
from cleara.platform.key_cache import KEY_CACHE_SECONDS
from cleara.platform.service import build_platform
from cleara.platform.signing import signature_header
from platform_fixtures import (
    ManualClock,
    new_key,
    platform_of,
    platform_postgres_url,
    unique_email,
)

__all__ = ["make_client", "platform_postgres_url"]

VALIDATE = "/v1/validate"
BODY = {"type": "email", "values": ["Jane@Example.com"]}


REVOKED_EMAIL, QUOTA_EMAIL, STRANGER_EMAIL = unique_email(), unique_email(), unique_email()
USED_EMAIL, ELSEWHERE_EMAIL, UPGRADED_EMAIL = unique_email(), unique_email(), unique_email()
A_EMAIL, B_EMAIL, SIGNER_EMAIL, LOGS_EMAIL = (unique_email() for _ in range(4))


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def error_code(response: object) -> str:
    return str(response.json()["error"]["code"])  # type: ignore[attr-defined]


def test_every_v1_endpoint_needs_credentials(make_client: ClientFactory) -> None:
    with make_client() as client:
        public = ("/v1/auth/",)
        paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
        checked = 0
        for template, operations in paths.items():
            if not template.startswith("/v1/") or template.startswith(public):
                continue
            path = re.sub(r"\{[^}]+\}", "key_x", template)
            for method in operations:
                response = client.request(method, path, json={})
                assert response.status_code == 401, (method, path, response.text)
                checked += 1
        assert checked >= 8


def test_missing_and_invalid_keys(make_client: ClientFactory) -> None:
    with make_client() as client:
        missing = client.post(VALIDATE, json=BODY)
        assert missing.status_code == 401
        assert error_code(missing) == "missing_api_key"
        assert missing.headers["WWW-Authenticate"].startswith("Bearer")
        for bad in ("clr_live_" + "a" * 32, "nonsense", "Basic abc"):
            response = client.post(VALIDATE, json=BODY, headers={"Authorization": f"Bearer {bad}"})
            assert error_code(response) == "invalid_api_key"
        secret = new_key(client, REVOKED_EMAIL)
        platform = platform_of(client)
        [(key, _)] = platform.keys.list(platform.accounts.by_email(REVOKED_EMAIL).id)  # type: ignore[union-attr]
        platform.keys.revoke(key.account_id, key.id)
        assert (
            error_code(client.post(VALIDATE, json=BODY, headers=auth(secret))) == "invalid_api_key"
        )


def only_key(client: TestClient, email: str) -> ApiKey:
    platform = platform_of(client)
    account = platform.accounts.by_email(email)
    assert account is not None
    [(key, _)] = platform.keys.list(account.id)
    return key


def test_a_key_in_use_stops_working_as_soon_as_it_is_revoked(make_client: ClientFactory) -> None:
    with make_client() as client:
        secret = new_key(client, USED_EMAIL)
        assert client.post(VALIDATE, json=BODY, headers=auth(secret)).status_code == 200
        key = only_key(client, USED_EMAIL)
        platform_of(client).keys.revoke(key.account_id, key.id)
        refused = client.post(VALIDATE, json=BODY, headers=auth(secret))
        assert refused.status_code == 401
        assert error_code(refused) == "invalid_api_key"


def test_a_revocation_by_another_process_is_seen_within_the_bound(
    make_client: ClientFactory,
) -> None:
    with make_client() as client:
        secret = new_key(client, ELSEWHERE_EMAIL)
        assert client.post(VALIDATE, json=BODY, headers=auth(secret)).status_code == 200
        platform = platform_of(client)
        # Another worker process: a platform of its own (own key cache, own limiter).
        other = build_platform(platform.settings, client.app.state.stores)  # type: ignore[attr-defined]
        key = only_key(client, ELSEWHERE_EMAIL)
        other.keys.revoke(key.account_id, key.id)
        other.limiter.close()
        if platform.settings.redis_url is None:
            time.sleep(KEY_CACHE_SECONDS)  # no shared epoch: the cache bound applies
        # With Redis the shared credentials epoch makes it immediate.
        refused = client.post(VALIDATE, json=BODY, headers=auth(secret))
        assert error_code(refused) == "invalid_api_key"


def test_new_limits_of_an_account_in_use_apply_at_once(make_client: ClientFactory) -> None:
    with make_client() as client:
        secret = new_key(client, UPGRADED_EMAIL, tier="free")
        first = client.post(VALIDATE, json=BODY, headers=auth(secret))
        assert '"monthly";q=500;' in first.headers["RateLimit-Policy"]
        platform = platform_of(client)
        account = platform.accounts.by_email(UPGRADED_EMAIL)
        assert account is not None
        platform.accounts.save(account, tier="pro")
        second = client.post(VALIDATE, json=BODY, headers=auth(secret))
        assert second.headers["RateLimit-Policy"].startswith(
            '"burst";q=20;w=1, "monthly";q=100000;'
        )


def test_wrong_scope_is_forbidden(make_client: ClientFactory) -> None:
    with make_client() as client:
        secret = new_key(client, scopes=["clean"])
        response = client.post(VALIDATE, json=BODY, headers=auth(secret))
        assert response.status_code == 403
        assert error_code(response) == "insufficient_scope"
        allowed = new_key(client, scopes=["validate"])
        assert client.post(VALIDATE, json=BODY, headers=auth(allowed)).status_code == 200


def test_rate_limit_headers_on_every_response_and_429(make_client: ClientFactory) -> None:
    with make_client(clock=ManualClock()) as client:
        secret = new_key(client, tier="free")
        ok = client.post(VALIDATE, json=BODY, headers=auth(secret))
        invalid = client.post(VALIDATE, json={"type": "nope"}, headers=auth(secret))
        assert ok.status_code == 200
        assert invalid.status_code == 422
        for response in (ok, invalid):
            assert response.headers["RateLimit-Policy"].startswith(
                '"burst";q=3;w=1, "monthly";q=500;'
            )
            assert re.fullmatch(
                r'"burst";r=\d+;t=\d+, "monthly";r=\d+;t=\d+', response.headers["RateLimit"]
            )
        assert '"monthly";r=498;' in invalid.headers["RateLimit"]
        responses = [client.post(VALIDATE, json=BODY, headers=auth(secret)) for _ in range(3)]
        limited = [r for r in responses if r.status_code == 429]
        assert limited, [r.status_code for r in responses]
        assert error_code(limited[0]) == "rate_limited"
        assert int(limited[0].headers["Retry-After"]) >= 1
        assert limited[0].headers["RateLimit"].startswith('"burst";r=0;')


def test_monthly_quota_is_enforced(make_client: ClientFactory) -> None:
    with make_client() as client:
        secret = new_key(client, QUOTA_EMAIL, tier="free")
        platform = platform_of(client)
        account = platform.accounts.by_email(QUOTA_EMAIL)
        assert account is not None
        platform.accounts.save(account, monthly_quota=4, per_second=100)
        statuses = [
            client.post(
                VALIDATE, json={**BODY, "values": [f"u{i}@example.com"]}, headers=auth(secret)
            ).status_code
            for i in range(6)
        ]
        assert statuses == [200, 200, 200, 200, 429, 429]
        refused = client.post(VALIDATE, json=BODY, headers=auth(secret))
        assert error_code(refused) == "quota_exceeded"
        assert int(refused.headers["Retry-After"]) > 0
        assert '"monthly";r=0;' in refused.headers["RateLimit"]
        usage = client.get("/v1/usage", headers=auth(secret)).json()
        assert usage["quota"] == {**usage["quota"], "limit": 4, "used": 4, "remaining": 0}


def test_idempotency_keys(make_client: ClientFactory) -> None:
    with make_client() as client:
        secret = new_key(client)
        headers = {**auth(secret), "Idempotency-Key": "order-42", "Cache-Control": "no-cache"}
        first = client.post(VALIDATE, json=BODY, headers=headers)
        again = client.post(VALIDATE, json=BODY, headers=headers)
        assert first.status_code == again.status_code == 200
        assert again.content == first.content
        assert again.headers["Idempotent-Replayed"] == "true"
        assert "Idempotent-Replayed" not in first.headers
        other = client.post(VALIDATE, json={**BODY, "values": ["x@y.z"]}, headers=headers)
        assert other.status_code == 409
        assert error_code(other) == "idempotency_key_reused"
        # Keys are per account: another account may use the same key for its own request.
        stranger = {**headers, **auth(new_key(client, STRANGER_EMAIL))}
        own = client.post(VALIDATE, json={**BODY, "values": ["x@y.z"]}, headers=stranger)
        assert own.status_code == 200
        assert "Idempotent-Replayed" not in own.headers


def test_response_cache_is_scoped_per_account(make_client: ClientFactory) -> None:
    with make_client() as client:
        mine, theirs = new_key(client, A_EMAIL), new_key(client, B_EMAIL)
        first = client.post(VALIDATE, json=BODY, headers=auth(mine))
        second = client.post(VALIDATE, json=BODY, headers=auth(mine))
        other = client.post(VALIDATE, json=BODY, headers=auth(theirs))
        bypass = client.post(
            VALIDATE, json=BODY, headers={**auth(mine), "Cache-Control": "no-cache"}
        )
        assert first.headers["Cache-Status"] == "Cleara; fwd=miss; stored"
        assert second.headers["Cache-Status"] == "Cleara; hit"
        assert second.content == first.content
        assert other.headers["Cache-Status"] == "Cleara; fwd=miss; stored"
        assert bypass.headers["Cache-Status"] == "Cleara; fwd=request"
        assert "RateLimit" in second.headers


def test_signed_keys_need_fresh_valid_signatures(make_client: ClientFactory) -> None:
    clock = ManualClock()
    with make_client(clock=clock) as client:
        platform = platform_of(client)
        account, _ = platform.accounts.get_or_create(SIGNER_EMAIL, tier="pro")
        created = platform.keys.create(account.id, signed=True)
        assert created.signing_secret is not None
        body = b'{"type": "email", "values": ["a@b.co"]}'
        headers = {**auth(created.secret), "Content-Type": "application/json"}

        def send(extra: dict[str, str]) -> object:
            return client.post(VALIDATE, content=body, headers={**headers, **extra})

        assert error_code(send({})) == "missing_signature"
        good = signature_header(created.signing_secret, int(clock()), body)
        assert send({"Cleara-Signature": good}).status_code == 200  # type: ignore[attr-defined]
        assert error_code(send({"Cleara-Signature": good})) == "signature_replayed"
        stale = signature_header(created.signing_secret, int(clock()) - 301, body)
        assert error_code(send({"Cleara-Signature": stale})) == "signature_expired"
        tampered = signature_header(created.signing_secret, int(clock()) + 1, body + b" ")
        assert error_code(send({"Cleara-Signature": tampered})) == "invalid_signature"
        clock.advance(299)
        body = b'{"type": "email", "values": ["c@d.co"]}'
        recent = signature_header(created.signing_secret, int(clock()) - 299, body)
        assert send({"Cleara-Signature": recent}).status_code == 200  # type: ignore[attr-defined]


@pytest.mark.parametrize(("mode", "status"), [("open", 200), ("closed", 503)])
def test_redis_down_fails_open_or_closed(
    make_client: ClientFactory, mode: str, status: int
) -> None:
    down = "redis://127.0.0.1:1/0"
    with make_client(redis_url=down, rate_limit_failure_mode=mode) as client:
        secret = new_key(client)
        started = time.perf_counter()
        responses = [
            client.post(VALIDATE, json=BODY, headers={**auth(secret), "Cache-Control": "no-cache"})
            for _ in range(3)
        ]
        assert [r.status_code for r in responses] == [status] * 3
        assert time.perf_counter() - started < 5
        if mode == "closed":
            assert error_code(responses[0]) == "limiter_unavailable"
            assert responses[0].headers["Retry-After"] == "1"
        else:
            assert "RateLimit-Policy" in responses[0].headers


def test_secrets_never_reach_the_logs(
    make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    password = "Sup3r-secret-pa55word"
    with make_client() as client:
        signup = client.post("/v1/auth/signup", json={"email": LOGS_EMAIL, "password": password})
        tokens = signup.json()
        session = {"Authorization": f"Bearer {tokens['access_token']}"}
        created = client.post(
            "/v1/keys", json={"name": "ci", "signed": True}, headers=session
        ).json()
        client.post(VALIDATE, json=BODY, headers=auth(created["secret"]))
        client.post("/v1/auth/login", json={"email": LOGS_EMAIL, "password": password + "x"})
        refreshed = client.post(
            "/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        ).json()
        client.post("/v1/auth/password-reset/request", json={"email": LOGS_EMAIL})
    secrets = [
        password,
        tokens["access_token"],
        tokens["refresh_token"],
        refreshed["refresh_token"],
        created["secret"],
        created["signing_secret"],
    ]
    logged = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    assert len(caplog.records) > 5
    for secret in secrets:
        assert secret not in logged
