"""POST /v1/schema-detect."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_testkit import make_settings
from fastapi.testclient import TestClient

from platform_fixtures import authenticated_client

RECORDS = [
    {"E-mail Addr": "ann@example.com", "PLZ": "10115", "col3": "2024-01-05"},
    {"E-mail Addr": "bob@example.org", "PLZ": "80331", "col3": "2024-02-11"},
]


@pytest.fixture
def schema_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, max_body_bytes=5_000_000, max_records=1000)
    with authenticated_client(settings) as client:
        yield client


def test_json_records(schema_client: TestClient) -> None:
    response = schema_client.post("/v1/schema-detect", json={"records": RECORDS})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [c["name"] for c in body["columns"]] == ["E-mail Addr", "PLZ", "col3"]
    assert [c["type"] for c in body["columns"]][:2] == ["email", "postal_code"]
    assert body["mapping"]["columns"]["PLZ"]["type"] == "postal_code"
    assert body["json_schema"]["items"]["properties"]["E-mail Addr"]["format"] == "email"
    assert len(body["columns"][0]["alternatives"]) == 3


def test_header_false_uses_values_only(schema_client: TestClient) -> None:
    response = schema_client.post("/v1/schema-detect", json={"records": RECORDS, "header": False})
    assert response.status_code == 200
    assert all(c["evidence"]["header"]["type"] is None for c in response.json()["columns"])


def test_csv_upload(schema_client: TestClient) -> None:
    data = b"email,zip\nann@example.com,10115\nbob@example.org,80331\n"
    response = schema_client.post(
        "/v1/schema-detect", files={"file": ("people.csv", data, "text/csv")}
    )
    assert response.status_code == 200, response.text
    assert [c["type"] for c in response.json()["columns"]] == ["email", "postal_code"]


def test_raw_csv_body(schema_client: TestClient) -> None:
    response = schema_client.post(
        "/v1/schema-detect",
        content=b"email\nann@example.com\n",
        headers={"Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["columns"][0]["type"] == "email"


def test_errors(schema_client: TestClient) -> None:
    bad_json = schema_client.post(
        "/v1/schema-detect", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert bad_json.status_code == 400
    assert schema_client.post("/v1/schema-detect", json={"rows": []}).status_code == 422
    missing_file = schema_client.post("/v1/schema-detect", data={"x": "1"}, files={"y": ("a", b"")})
    assert missing_file.status_code == 422
    unsupported = schema_client.post(
        "/v1/schema-detect", content=b"x", headers={"Content-Type": "image/png"}
    )
    assert unsupported.status_code == 415


def test_too_many_records(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, max_body_bytes=5_000_000, max_records=1)
    with authenticated_client(settings) as client:
        response = client.post("/v1/schema-detect", json={"records": RECORDS})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_many_records"
