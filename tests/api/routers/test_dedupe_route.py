"""POST /v1/dedupe: JSON records, link records, labels, thresholds, uploads and limits."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from people import catalogues

RECORDS = [
    {"id": "a1", "name": "Jon Smith", "email": "jon.smith@example.com", "city": "Boston"},
    {"id": "a2", "name": "John Smith", "email": "JON.SMITH@example.com", "city": "boston"},
    {"id": "a3", "name": "Mary Jones", "email": "mary@example.org", "city": "Denver"},
    {"id": "a4", "name": "Peter Brown", "email": "pb@example.net", "city": "Austin"},
]


def test_json_records_return_clusters_pairs_and_threshold(client: TestClient) -> None:
    response = client.post("/v1/dedupe", json={"records": RECORDS, "id_field": "id"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {"clusters", "pairs", "threshold"} <= set(body)
    assert [(p["left_id"], p["right_id"]) for p in body["pairs"]] == [("a1", "a2")]
    pair = body["pairs"][0]
    assert set(pair) == {"left_id", "right_id", "score", "explanation"}
    assert pair["explanation"]["fields"]["email"]["level"] == "exact"
    cluster = next(c for c in body["clusters"] if len(c["members"]) == 2)
    assert set(cluster) >= {"id", "members", "golden"}
    assert cluster["golden"]["city"] in ("Boston", "boston")
    assert 0 < body["threshold"] < 1


def test_link_records_labels_and_numeric_threshold(client: TestClient) -> None:
    link = [{"ref": "b1", "full_name": "Mary Jones", "mail": "mary@example.org"}]
    response = client.post(
        "/v1/dedupe",
        json={
            "records": RECORDS,
            "link_records": link,
            "threshold": 0.3,
            "fields": [{"name": "name", "right": "full_name"}, {"name": "email", "right": "mail"}],
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["threshold"] == 0.3
    assert [(p["left_id"], p["right_id"]) for p in body["pairs"]] == [(2, 0)]
    labels = [
        {"left_id": "a1", "right_id": "a2", "match": True},
        {"left_id": "a1", "right_id": "a3", "match": False},
        {"left_id": "a2", "right_id": "a4", "match": False},
        {"left_id": "a3", "right_id": "a4", "match": False},
    ]
    labeled = client.post(
        "/v1/dedupe", json={"records": RECORDS, "id_field": "id", "labels": labels}
    )
    assert labeled.status_code == 200, labeled.text
    assert labeled.json()["model"] == "gradient_boosting"


def test_link_records_with_their_own_id_field(client: TestClient) -> None:
    link = [
        {"ref": "b1", "full_name": "Mary Jones", "mail": "mary@example.org"},
        {"ref": "b2", "full_name": "Peter Brown", "mail": "pb@example.net"},
        {"ref": "b3", "full_name": "Jon Smith", "mail": "jon.smith@example.com"},
    ]
    labels = [
        {"left_id": "a3", "right_id": "b1", "match": True},
        {"left_id": "a4", "right_id": "b2", "match": True},
        {"left_id": "a1", "right_id": "b1", "match": False},
        {"left_id": "a3", "right_id": "b2", "match": False},
    ]
    body = {"records": RECORDS, "link_records": link, "id_field": "id", "labels": labels}
    response = client.post("/v1/dedupe", json={**body, "link_id_field": "ref"})
    assert response.status_code == 200, response.text
    pairs = {(p["left_id"], p["right_id"]) for p in response.json()["pairs"]}
    assert {("a3", "b1"), ("a4", "b2")} <= pairs
    members = [m for c in response.json()["clusters"] for m in c["members"]]
    assert {"table": "link_records", "id": "b3"} in members
    missing = client.post("/v1/dedupe", json=body)
    assert missing.status_code == 422
    assert missing.json()["error"]["param"] == "id_field"
    assert "link_id_field" in missing.json()["error"]["message"]
    wrong = client.post("/v1/dedupe", json={**body, "link_id_field": "vendor"})
    assert wrong.json()["error"]["param"] == "link_id_field"
    assert "link_records: no record has the id field 'vendor'" in wrong.json()["error"]["message"]


def test_file_upload(client: TestClient) -> None:
    text = "name,email\nAnn Lee,ann@x.com\nAnne Lee,ann@x.com\nBob Stone,bob@y.org\n"
    response = client.post(
        "/v1/dedupe",
        files={"file": ("people.csv", text.encode(), "text/csv")},
        data={"threshold": "auto", "fields": json.dumps(["name", "email"])},
    )
    assert response.status_code == 200, response.text
    assert [(p["left_id"], p["right_id"]) for p in response.json()["pairs"]] == [(0, 1)]


def test_best_match_links_can_be_turned_off(client: TestClient) -> None:
    left, right = catalogues()  # two shops, each product in a plain and a Pro edition
    # A threshold low enough for the other edition (0.07) to pass.
    body = {"records": left, "link_records": right, "id_field": "id", "threshold": 0.05}
    best = client.post("/v1/dedupe", json=body)
    every = client.post("/v1/dedupe", json={**body, "best_match": False})
    assert best.status_code == every.status_code == 200, best.text + every.text
    assert len(best.json()["pairs"]) == 24  # each listing with its own product
    assert len(every.json()["pairs"]) == 48  # and with the other edition


def test_best_match_and_the_link_id_field_in_an_upload(client: TestClient) -> None:
    left, right = catalogues()

    def csv_of(rows: list[dict[str, str]], id_column: str) -> bytes:
        lines = [f"{id_column},title,brand,price"] + [",".join(r.values()) for r in rows]
        return "\n".join(lines).encode()

    response = client.post(
        "/v1/dedupe",
        files={
            "file": ("a.csv", csv_of(left, "id"), "text/csv"),
            "link_file": ("b.csv", csv_of(right, "sku"), "text/csv"),
        },
        data={
            "id_field": "id",
            "link_id_field": "sku",
            "threshold": "0.05",
            "best_match": "false",
        },
    )
    assert response.status_code == 200, response.text
    pairs = response.json()["pairs"]
    assert len(pairs) == 48
    assert {p["right_id"] for p in pairs} == {r["id"] for r in right}


def test_schema_and_country_reach_the_cleaned_golden_records(client: TestClient) -> None:
    records = [
        {"id": "q1", "name": "Ann Lee", "code": "06 12 34 56 78"},
        {"id": "q2", "name": "Ann Lee", "code": "0612345678"},
        {"id": "q3", "name": "Bob Ray", "code": "0687654321"},
    ]
    body = {"records": records, "id_field": "id", "clean": True, "schema": {"code": "phone"}}
    phones = []
    for country in ("fr", "NL"):
        response = client.post("/v1/dedupe", json={**body, "country": country})
        assert response.status_code == 200, response.text
        cluster = next(c for c in response.json()["clusters"] if "q1" in c["members"])
        phones.append(cluster["golden"]["code"])
        fields = {f["name"]: f for f in response.json()["fields"]}
        assert fields["code"]["type"] == "phone"
    assert phones == ["+33612345678", "+31612345678"]
    upload = client.post(
        "/v1/dedupe",
        files={"file": ("a.csv", b"id,code\nq1,0612345678\nq2,06 12 34 56 78\n", "text/csv")},
        data={"id_field": "id", "clean": "true", "schema": '{"code": "phone"}', "country": "fr"},
    )
    assert upload.status_code == 200, upload.text
    assert upload.json()["clusters"][0]["golden"]["code"] == "+33612345678"
    for bad, param in (({"schema": {"code": "fon"}}, "schema"), ({"country": "France"}, "country")):
        response = client.post("/v1/dedupe", json={**body, **bad})
        assert response.status_code == 422, response.text
        assert response.json()["error"]["param"] == param


@pytest.mark.parametrize("value", ["[oops", "[" * 100_000])
def test_a_form_field_that_is_not_json_is_a_clear_error(client: TestClient, value: str) -> None:
    response = client.post(
        "/v1/dedupe",
        files={"file": ("a.csv", b"name\nAnn\nBob\n", "text/csv")},
        data={"labels": value},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"] == response.json()["error"] | {
        "code": "invalid_json",
        "param": "labels",
    }


def test_a_best_match_that_is_not_a_boolean_is_a_clear_error(client: TestClient) -> None:
    as_json = client.post("/v1/dedupe", json={"records": RECORDS, "best_match": "perhaps"})
    upload = client.post(
        "/v1/dedupe",
        files={"file": ("a.csv", b"name\nAnn\nBob\n", "text/csv")},
        data={"best_match": "perhaps"},
    )
    for response in (as_json, upload):
        assert response.status_code == 422, response.text
        assert response.json()["error"]["param"] == "best_match"


def test_bad_input_and_limits(client: TestClient) -> None:
    bad_threshold = client.post("/v1/dedupe", json={"records": RECORDS, "threshold": 3})
    assert bad_threshold.status_code == 422
    assert bad_threshold.json()["error"]["param"] == "threshold"
    bad_id = client.post("/v1/dedupe", json={"records": RECORDS, "id_field": "nope"})
    assert bad_id.status_code == 422
    assert bad_id.json()["error"]["code"] == "invalid_input"
    too_many = client.post("/v1/dedupe", json={"records": [{"a": i} for i in range(10_001)]})
    assert too_many.status_code == 413
    assert too_many.json()["error"]["code"] == "too_many_records"
    unsupported = client.post("/v1/dedupe", content=b"x", headers={"content-type": "text/plain"})
    assert unsupported.status_code == 415


def test_clean_records_give_golden_records_in_clean_form(client: TestClient) -> None:
    records = [
        {"id": "a1", "name": "SMITH, JOHN", "phone": "(415) 555-2671", "dob": "3/4/1985"},
        {"id": "a2", "name": "John Smith", "phone": "+1 415 555 2671", "dob": "1985-03-04"},
        {"id": "a3", "name": "Mary Jones", "phone": "(303) 555-1234", "dob": "12/11/1990"},
    ]
    body = {"records": records, "id_field": "id", "clean": True}
    response = client.post("/v1/dedupe", json=body)
    assert response.status_code == 200, response.text
    result = response.json()
    golden = next(c["golden"] for c in result["clusters"] if len(c["members"]) == 2)
    assert golden == {"name": "John Smith", "phone": "+14155552671", "dob": "1985-03-04"}
    assert result["stats"]["cleaning"]["changed_values"] > 0
    upload = client.post(
        "/v1/dedupe",
        files={"file": ("a.csv", b'name\n"SMITH, JOHN"\nJohn Smith\n', "text/csv")},
        data={"clean": "true"},
    )
    assert upload.status_code == 200, upload.text
    assert upload.json()["stats"]["cleaning"]["changed_values"] == 1
