"""`/v1/keys` for logged-in users, `GET /v1/usage`, and isolation between accounts."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from platform_backends import ClientFactory, make_client

from platform_fixtures import ManualClock, platform_of, platform_postgres_url, unique_email

__all__ = ["make_client", "platform_postgres_url"]

BODY = {"type": "email", "values": ["a@example.com", "b@example.com"]}


def session(client: TestClient) -> dict[str, str]:
    email = unique_email()
    response = client.post("/v1/auth/signup", json={"email": email, "password": "long password 1"})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def create_key(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/v1/keys", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_key_secret_is_shown_once_and_listed_by_prefix(make_client: ClientFactory) -> None:
    with make_client() as client:
        owner = session(client)
        created = create_key(client, owner, name="ci", scopes=["validate"], mode="test")
        assert created["secret"].startswith("clr_test_")
        listing = client.get("/v1/keys", headers=owner)
        assert created["secret"] not in listing.text
        [key] = listing.json()["data"]
        assert key["prefix"] == created["secret"][:13]
        assert key["scopes"] == ["validate"]
        fetched = client.get(f"/v1/keys/{key['id']}", headers=owner).json()
        assert "secret" not in fetched


def test_revoke_and_rotate_through_the_api(make_client: ClientFactory) -> None:
    clock = ManualClock()
    with make_client(clock=clock) as client:
        owner = session(client)
        key = create_key(client, owner)
        data = {"Authorization": f"Bearer {key['secret']}"}
        assert client.post("/v1/validate", json=BODY, headers=data).status_code == 200
        rotated = client.post(
            f"/v1/keys/{key['key']['id']}/rotate", json={"grace_seconds": 120}, headers=owner
        )
        assert rotated.status_code == 201
        new = {"Authorization": f"Bearer {rotated.json()['secret']}"}
        clock.advance(119)
        assert client.post("/v1/validate", json=BODY, headers=data).status_code == 200
        assert client.post("/v1/validate", json=BODY, headers=new).status_code == 200
        clock.advance(2)
        assert client.post("/v1/validate", json=BODY, headers=data).status_code == 401
        revoked = client.delete(f"/v1/keys/{rotated.json()['key']['id']}", headers=owner)
        assert revoked.json()["status"] == "revoked"
        assert (
            client.post("/v1/validate", json=BODY, headers=new).json()["error"]["code"]
            == "invalid_api_key"
        )


def test_accounts_cannot_see_or_change_each_others_keys_or_usage(
    make_client: ClientFactory,
) -> None:
    with make_client() as client:
        alice, bob = session(client), session(client)
        alice_key = create_key(client, alice)
        key_id = alice_key["key"]["id"]
        alice_data = {"Authorization": f"Bearer {alice_key['secret']}"}
        assert client.post("/v1/validate", json=BODY, headers=alice_data).status_code == 200
        assert client.get(f"/v1/keys/{key_id}", headers=bob).status_code == 404
        assert client.delete(f"/v1/keys/{key_id}", headers=bob).status_code == 404
        assert client.post(f"/v1/keys/{key_id}/rotate", headers=bob).status_code == 404
        assert client.get("/v1/keys", headers=bob).json()["data"] == []
        assert client.get("/v1/usage", headers=bob).json()["by_endpoint"] == []
        assert client.post("/v1/validate", json=BODY, headers=alice_data).status_code == 200
        # An API key is not a session: it cannot manage keys.
        assert client.get("/v1/keys", headers=alice_data).status_code == 401


def test_usage_report_counts_the_callers_requests(make_client: ClientFactory) -> None:
    clock = ManualClock()
    with make_client(clock=clock) as client:
        owner = session(client)
        secret = create_key(client, owner)["secret"]
        key = {"Authorization": f"Bearer {secret}"}
        platform = platform_of(client)
        stored_key = platform.keys.authenticate(secret)
        assert stored_key is not None
        account = platform.accounts.get(stored_key.account_id)
        assert account is not None
        platform.accounts.save(account, monthly_quota=50, per_second=50)  # Redis time is real
        for index in range(3):
            body = {"type": "email", "values": [f"user{index}@example.com", "x"]}
            assert client.post("/v1/validate", json=body, headers=key).status_code == 200
            clock.advance(1)
        client.post("/v1/validate", json={"type": "nope"}, headers=key)
        clock.advance(1)
        report = client.get("/v1/usage", headers=key)
        assert report.status_code == 200
        usage = report.json()
        assert set(usage) == {"period", "tier", "quota", "by_endpoint", "by_day"}
        [validate] = usage["by_endpoint"]
        assert validate["endpoint"] == "POST /v1/validate"
        assert validate["requests"] == 4
        assert validate["errors"] == 1
        assert validate["records"] == 6
        assert usage["quota"] == {**usage["quota"], "limit": 50, "used": 4, "remaining": 46}
        assert sum(day["requests"] for day in usage["by_day"]) == 4
        # The usage call itself is metered but not billed.
        assert client.get("/v1/usage", headers=owner).json()["quota"]["used"] == 4
        ranged = client.get(
            "/v1/usage", params={"start": "2020-01-01", "end": "2020-01-31"}, headers=key
        )
        assert ranged.json()["by_endpoint"] == []
        assert len(ranged.json()["by_day"]) == 31
        bad = client.get(
            "/v1/usage", params={"start": "2020-02-01", "end": "2020-01-01"}, headers=key
        )
        assert bad.status_code == 422


def test_metering_survives_a_clean_shutdown(make_client: ClientFactory) -> None:
    with make_client(metering_flush_seconds=3600) as client:
        secret = create_key(client, session(client))["secret"]
        for _ in range(5):
            client.post("/v1/validate", json=BODY, headers={"Authorization": f"Bearer {secret}"})
        platform = platform_of(client)
        account = platform.keys.authenticate(secret)
        assert account is not None
        assert platform.usage.events(account.account_id) == []
    # Leaving the client ran the shutdown, which wrote the buffered records.
    assert len(platform.usage.events(account.account_id)) == 5
