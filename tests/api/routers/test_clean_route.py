"""POST /v1/clean: JSON records, multipart uploads and raw file bodies."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

RECORDS = [
    {"name": "SMITH, JOHN", "email": " John@Example.COM ", "phone": "(415) 555-2671"},
    {"name": "mary o'brien", "email": "N/A", "phone": "415.555.0132"},
]
CSV_TEXT = "name,email,zip\nSMITH; JOHN,a@B.com,2134\n"


def test_json_records(client: TestClient) -> None:
    response = client.post("/v1/clean", json={"records": RECORDS, "options": {"country": "US"}})
    assert response.status_code == 200
    body = response.json()
    assert body["columns"] == ["name", "email", "phone"]
    assert body["records"][0] == {
        "name": "John Smith",
        "email": "John@example.com",
        "phone": "+14155552671",
    }
    assert body["records"][1]["email"] is None
    first = body["changes"][0]
    assert set(first) == {"row", "column", "before", "after", "rule", "confidence"}
    assert {s["column"]: s["type"] for s in body["summary"]}["phone"] == "phone"


def test_schema_and_invalid_null_option(client: TestClient) -> None:
    response = client.post(
        "/v1/clean",
        json={
            "records": [{"c1": "not-an-email"}],
            "schema": {"c1": "email"},
            "options": {"invalid": "null"},
        },
    )
    body = response.json()
    assert body["records"] == [{"c1": None}]
    assert body["problems"][0]["code"] == "email_invalid"


def test_placeholders_null_option(client: TestClient) -> None:
    records = [{"email": "noemail@gmail.com"}, {"email": "ann@gmail.com"}]
    kept = client.post("/v1/clean", json={"records": records}).json()
    assert kept["records"][0]["email"] == "noemail@gmail.com"
    assert kept["problems"][0]["code"] == "email_placeholder"
    body = {"records": records, "options": {"placeholders": "null"}}
    nulled = client.post("/v1/clean", json=body).json()
    assert nulled["records"] == [{"email": None}, {"email": "ann@gmail.com"}]
    assert nulled["changes"][0]["rule"] == "placeholder_to_null"
    wrong = client.post("/v1/clean", json={"records": records, "options": {"placeholders": "x"}})
    assert wrong.status_code == 422


def test_multipart_upload_returns_json_or_the_same_format(client: TestClient) -> None:
    files = {"file": ("contacts.csv", CSV_TEXT.encode(), "text/csv")}
    options = json.dumps({"country": "US"})
    as_json = client.post("/v1/clean", files=files, data={"options": options})
    assert as_json.status_code == 200
    assert as_json.json()["records"][0]["zip"] == "02134"
    as_file = client.post("/v1/clean", files=files, data={"output": "file", "options": options})
    assert as_file.status_code == 200
    assert as_file.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_file.text)))
    assert rows[0]["zip"] == "02134"
    assert int(as_file.headers["Cleara-Changes"]) >= 1


def test_raw_csv_body(client: TestClient) -> None:
    response = client.post(
        "/v1/clean",
        content=CSV_TEXT.encode(),
        headers={"content-type": "text/csv"},
        params={"options": json.dumps({"country": "US"})},
    )
    assert response.status_code == 200
    assert response.json()["records"][0]["email"] == "a@b.com"


def test_too_many_records_is_413(client: TestClient, settings) -> None:
    records = [{"a": "x"}] * (settings.max_records + 1)
    response = client.post("/v1/clean", json={"records": records})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_many_records"
    assert str(settings.max_records) in error["message"]


@pytest.mark.parametrize("body", [b"{not json", b"[" * 100_000 + b"]" * 100_000])
def test_malformed_json_is_400(client: TestClient, body: bytes) -> None:
    response = client.post("/v1/clean", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_validation_errors_name_the_field(client: TestClient) -> None:
    response = client.post("/v1/clean", json={"records": [{"a": {"nested": 1}}]})
    assert response.status_code == 422
    assert response.json()["error"]["param"].startswith("records.0.a")
    bad_option = client.post("/v1/clean", json={"records": [], "options": {"country": "USA"}})
    assert bad_option.json()["error"]["param"] == "options.country"


def test_unknown_schema_column_is_422(client: TestClient) -> None:
    response = client.post("/v1/clean", json={"records": [{"a": 1}], "schema": {"b": "email"}})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_bad_upload_names_the_line(client: TestClient) -> None:
    files = {"file": ("bad.jsonl", b'{"a": 1}\n{oops\n', "application/x-ndjson")}
    response = client.post("/v1/clean", files=files)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_file"
    assert "line 2" in error["message"]


def test_multipart_without_file(client: TestClient) -> None:
    response = client.post("/v1/clean", data={"output": "json"}, files={"x": ("a", b"1")})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "missing_file"


def test_unsupported_raw_type_is_415(client: TestClient) -> None:
    response = client.post("/v1/clean", content=b"x", headers={"content-type": "image/png"})
    assert response.status_code == 415
