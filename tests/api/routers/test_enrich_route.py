"""POST /v1/enrich: JSON records, options and file uploads."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

RECORDS = [
    {"zip": "02134", "city": None, "state": None, "email": "info@acme.io"},
    {"zip": "60601", "city": None, "state": "CA", "email": None},
]


def test_json_records_are_enriched_with_sources_and_conflicts(client: TestClient) -> None:
    response = client.post("/v1/enrich", json={"records": RECORDS})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"][:4] == ["zip", "city", "state", "email"]
    assert body["records"][0]["city"] == "Allston"
    assert body["records"][0]["email_type"] == "corporate"
    first = body["enrichments"][0]
    assert set(first) == {"row", "column", "value", "source", "confidence", "explanation"}
    assert body["conflicts"][0]["code"] == "zip_state_mismatch"
    assert body["records"][1]["state"] == "CA"


def test_options_and_schema(client: TestClient) -> None:
    response = client.post(
        "/v1/enrich",
        json={
            "records": [{"c1": "02134", "c2": None}],
            "schema": {"c1": "postal_code", "c2": "state"},
            "options": {"min_confidence": 0.95, "fields": ["c2"]},
        },
    )
    body = response.json()
    assert body["records"] == [{"c1": "02134", "c2": "MA"}]
    assert body["added_columns"] == []


def test_predict_missing_reports_models(client: TestClient) -> None:
    records = [{"a": i % 10, "b": "hi" if i % 10 > 4 else "lo"} for i in range(40)]
    records[0]["b"] = None
    response = client.post(
        "/v1/enrich", json={"records": records, "options": {"predict_missing": True}}
    )
    body = response.json()
    assert {m["column"] for m in body["models"]} == {"a", "b"}


def test_file_upload(client: TestClient) -> None:
    files = {"file": ("people.csv", b"zip,city\n02134,\n", "text/csv")}
    response = client.post(
        "/v1/enrich", files=files, data={"options": json.dumps({"fields": ["city"]})}
    )
    assert response.status_code == 200, response.text
    assert response.json()["records"] == [{"zip": "02134", "city": "Allston"}]


def test_bad_input_is_a_clear_error(client: TestClient) -> None:
    bad_confidence = client.post(
        "/v1/enrich", json={"records": [], "options": {"min_confidence": 2}}
    )
    assert bad_confidence.status_code == 422
    bad_field = client.post(
        "/v1/enrich", json={"records": [{"a": 1}], "options": {"fields": ["nope"]}}
    )
    assert bad_field.status_code == 422
    assert bad_field.json()["error"]["code"] == "invalid_input"
    too_many = client.post("/v1/enrich", json={"records": [{"a": 1}] * 51})
    assert too_many.status_code == 413


def test_requires_an_api_key(client: TestClient) -> None:
    response = client.post("/v1/enrich", json={"records": RECORDS}, headers={"Authorization": ""})
    assert response.status_code == 401
