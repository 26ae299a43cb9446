"""Stored match indexes: PUT, POST .../match, GET and DELETE /v1/dedupe/indexes/{name}."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from cleara.store import dedupe_index as dedupe_index_store
from platform_fixtures import new_key

RECORDS = [
    {"id": "a1", "name": "Jon Smith", "email": "jon.smith@example.com", "city": "Boston"},
    {"id": "a2", "name": "John Smith", "email": "JON.SMITH@example.com", "city": "boston"},
    {"id": "a3", "name": "Mary Jones", "email": "mary@example.org", "city": "Denver"},
    {"id": "a4", "name": "Peter Brown", "email": "pb@example.net", "city": "Austin"},
]
NEW = [
    {"id": "n1", "name": "Jonathan Smith", "email": "jon.smith@example.com", "city": "Boston"},
    {"id": "n2", "name": "Wendy Darling", "email": "wendy@example.co.uk", "city": "London"},
]


def _create(client: TestClient, name: str = "customers") -> dict[str, Any]:
    response = client.put(f"/v1/dedupe/indexes/{name}", json={"records": RECORDS, "id_field": "id"})
    assert response.status_code == 200, response.text
    return response.json()


def test_new_records_join_stored_clusters_and_grow_the_index(client: TestClient) -> None:
    created = _create(client)
    assert [(p["left_id"], p["right_id"]) for p in created["pairs"]] == [("a1", "a2")]
    assert created["index"]["name"] == "customers"
    assert created["index"]["records"] == 4
    assert created["index"]["clusters"] == 3
    response = client.post(
        "/v1/dedupe/indexes/customers/match", json={"records": NEW, "id_field": "id"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    jon, wendy = body["matches"]
    assert jon["id"] == "n1"
    assert not jon["new_cluster"]
    assert set(jon["matched_ids"]) == {"a1", "a2"}
    assert jon["merged_cluster_ids"] == []
    assert jon["score"] >= created["threshold"]
    assert wendy["new_cluster"]
    assert wendy["matched_ids"] == []
    assert body["index"]["records"] == 6
    info = client.get("/v1/dedupe/indexes/customers").json()
    assert info == body["index"]


def test_records_without_ids_are_numbered_after_the_stored_ones(client: TestClient) -> None:
    _create(client)
    records = [{k: v for k, v in r.items() if k != "id"} for r in NEW]
    body = client.post("/v1/dedupe/indexes/customers/match", json={"records": records}).json()
    assert [m["id"] for m in body["matches"]] == [4, 5]


def test_an_id_already_stored_is_refused_and_nothing_is_added(client: TestClient) -> None:
    _create(client)
    records = [NEW[1], {**NEW[0], "id": "a3"}]
    response = client.post(
        "/v1/dedupe/indexes/customers/match", json={"records": records, "id_field": "id"}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert "a3" in error["message"]
    assert error["param"] == "records.1"
    assert client.get("/v1/dedupe/indexes/customers").json()["records"] == 4
    missing = client.post(
        "/v1/dedupe/indexes/customers/match",
        json={"records": [{"name": "x"}], "id_field": "id"},
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["param"] == "records.0.id"


def test_deleted_and_unknown_indexes_are_not_found(client: TestClient) -> None:
    _create(client, "old")
    assert client.delete("/v1/dedupe/indexes/old").status_code == 204
    for response in (
        client.get("/v1/dedupe/indexes/old"),
        client.delete("/v1/dedupe/indexes/old"),
        client.post("/v1/dedupe/indexes/old/match", json={"records": NEW}),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert client.get("/v1/dedupe/indexes/bad%20name").status_code == 422


def test_indexes_belong_to_the_account_that_made_them(client: TestClient) -> None:
    _create(client)
    _create(client, "suppliers")
    other = {"Authorization": f"Bearer {new_key(client)}"}
    assert client.get("/v1/dedupe/indexes/customers", headers=other).status_code == 404
    assert client.get("/v1/dedupe/indexes/customers").status_code == 200
    assert client.get("/v1/dedupe/indexes").json() == {"indexes": ["customers", "suppliers"]}
    assert client.get("/v1/dedupe/indexes", headers=other).json() == {"indexes": []}


def test_matching_is_never_answered_from_the_response_cache(client: TestClient) -> None:
    _create(client)
    request = {"records": NEW, "id_field": "id"}
    assert client.post("/v1/dedupe/indexes/customers/match", json=request).status_code == 200
    again = client.post("/v1/dedupe/indexes/customers/match", json=request)
    assert again.status_code == 422  # the records are stored now, not replayed


def test_new_records_may_come_as_an_uploaded_file(client: TestClient) -> None:
    _create(client)
    table = "id,name,email,city\nn1,Jonathan Smith,jon.smith@example.com,Boston\n"
    response = client.post(
        "/v1/dedupe/indexes/customers/match",
        files={"file": ("new.csv", table.encode(), "text/csv")},
        data={"id_field": "id"},
    )
    assert response.status_code == 200, response.text
    [match] = response.json()["matches"]
    assert (match["id"], set(match["matched_ids"])) == ("n1", {"a1", "a2"})
    wrong = client.post(
        "/v1/dedupe/indexes/customers/match", content=b"id\nx", headers={"content-type": "text/csv"}
    )
    assert wrong.status_code == 415


def test_an_update_waiting_too_long_for_another_gets_409_and_changes_nothing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _create(client)
    stores = client.app.state.stores  # type: ignore[attr-defined]
    (key,) = stores.blobs.list("dedupe-index/")
    owner = key.split("/")[1]
    monkeypatch.setattr(dedupe_index_store, "WAIT_SECONDS", 0.2)
    with dedupe_index_store.index_lease(stores.items, "customers", owner):  # another process
        match = client.post(
            "/v1/dedupe/indexes/customers/match", json={"records": NEW, "id_field": "id"}
        )
        deleted = client.delete("/v1/dedupe/indexes/customers")
    for response in (match, deleted):
        assert response.status_code == 409, response.text
        assert response.headers["retry-after"] == "5"
        error = response.json()["error"]
        assert error["code"] == "conflict"
        assert "being updated by another request" in error["message"]
    assert client.get("/v1/dedupe/indexes/customers").json()["records"] == 4
    retried = client.post(
        "/v1/dedupe/indexes/customers/match", json={"records": NEW, "id_field": "id"}
    )
    assert retried.status_code == 200
    assert retried.json()["index"]["records"] == 6
