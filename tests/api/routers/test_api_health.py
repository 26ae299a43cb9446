"""Liveness and readiness probes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from api_testkit import PingDouble, make_settings, make_stores
from fastapi.testclient import TestClient

from cleara.api.app import create_app
from cleara.store.base import StoreError


def test_healthz_is_ok_without_touching_stores(tmp_path: Path) -> None:
    items = PingDouble(StoreError("down"))
    client = TestClient(create_app(make_settings(tmp_path), stores=make_stores(items=items)))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["Request-Id"]
    assert items.pings == 0


def test_readyz_is_ready_when_every_store_answers(tmp_path: Path) -> None:
    doubles = [PingDouble(), PingDouble(), PingDouble()]
    stores = make_stores(*doubles)
    client = TestClient(create_app(make_settings(tmp_path), stores=stores))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "blobs": "ok"},
    }
    assert [double.pings for double in doubles] == [1, 1, 1]


@pytest.mark.parametrize("failing", ["database", "cache", "blobs"])
def test_readyz_is_503_naming_the_failing_check(
    tmp_path: Path, failing: str, caplog: pytest.LogCaptureFixture
) -> None:
    broken = PingDouble(StoreError("connection refused to db.internal:5432"))
    kwargs = {{"database": "items"}.get(failing, failing): broken}
    client = TestClient(create_app(make_settings(tmp_path), stores=make_stores(**kwargs)))
    with caplog.at_level(logging.WARNING, logger="cleara.api.health"):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][failing] == "error"
    assert all(v == "ok" for k, v in body["checks"].items() if k != failing)
    assert "db.internal" not in response.text
    assert any("db.internal" in r.getMessage() for r in caplog.records)
    assert response.headers["Request-Id"]


def test_readyz_treats_unexpected_ping_failures_as_not_ready(tmp_path: Path) -> None:
    stores = make_stores(cache=PingDouble(TimeoutError("slow")))
    response = TestClient(create_app(make_settings(tmp_path), stores=stores)).get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error"


def test_readyz_without_stores_is_503(tmp_path: Path) -> None:
    response = TestClient(create_app(make_settings(tmp_path))).get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "error", "cache": "error", "blobs": "error"},
    }


def test_health_endpoints_are_documented_with_examples(tmp_path: Path) -> None:
    schema = create_app(make_settings(tmp_path), stores=make_stores()).openapi()
    healthz = schema["paths"]["/healthz"]["get"]
    readyz = schema["paths"]["/readyz"]["get"]
    assert healthz["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/LivenessResponse"
    )
    assert "500" in healthz["responses"]
    assert set(readyz["responses"]) >= {"200", "503", "500"}
    unavailable = readyz["responses"]["503"]["content"]["application/json"]
    assert unavailable["example"]["status"] == "unavailable"
    components = schema["components"]["schemas"]
    assert components["LivenessResponse"]["examples"] == [{"status": "ok"}]
    assert components["ReadinessResponse"]["examples"]
    assert "ErrorResponse" in components
