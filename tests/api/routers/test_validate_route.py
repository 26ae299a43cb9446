"""POST /v1/validate."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def test_type_and_values_form(client: TestClient) -> None:
    response = client.post(
        "/v1/validate",
        json={"type": "phone", "values": ["(415) 555-2671", "not a phone"], "country": "US"},
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["valid"] for r in results] == [True, False]
    assert results[0]["value"] == "+14155552671"
    assert results[0]["components"]["country"] == "US"
    assert set(results[0]) == {
        "input", "type", "valid", "value", "issues", "components", "suggestion", "placeholder",
    }  # fmt: skip
    assert results[0]["placeholder"] is False


def test_items_form_with_per_item_country(client: TestClient) -> None:
    response = client.post(
        "/v1/validate",
        json={
            "items": [
                {"type": "date", "value": "03/04/2021", "country": "GB"},
                {"type": "date", "value": "03/04/2021", "country": "US"},
                {"type": "email", "value": "jane@gmial.com"},
            ]
        },
    )
    assert response.status_code == 200
    gb, us, email = response.json()["results"]
    assert gb["value"] == "2021-04-03"
    assert us["value"] == "2021-03-04"
    assert email["suggestion"] == "jane@gmail.com"


def test_options_change_rendering(client: TestClient) -> None:
    response = client.post(
        "/v1/validate",
        json={
            "type": "phone",
            "values": ["+14155552671"],
            "options": {"phone_format": "national"},
        },
    )
    assert response.json()["results"][0]["value"] == "(415) 555-2671"


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"type": "colour", "values": ["red"]}, "type"),
        ({"type": "email"}, None),
        ({"type": "email", "values": ["a"], "items": []}, None),
        ({"type": "email", "values": ["a"], "country": "USA"}, "country"),
        ({"items": [{"type": "email"}]}, "items.0.value"),
    ],
)
def test_bad_requests_are_422_naming_the_field(client: TestClient, body, param) -> None:
    response = client.post("/v1/validate", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    if param is not None:
        assert error["param"] == param


def test_too_many_values_is_413(client: TestClient, settings) -> None:
    values = ["a@b.com"] * (settings.max_records + 1)
    response = client.post("/v1/validate", json={"type": "email", "values": values})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_many_values"


def test_a_filler_is_valid_and_marked(client: TestClient) -> None:
    response = client.post("/v1/validate", json={"type": "email", "values": ["noemail@gmail.com"]})
    (result,) = response.json()["results"]
    assert result["valid"] is True
    assert result["placeholder"] is True
    assert [issue["code"] for issue in result["issues"]] == ["email_placeholder"]
