"""The application factory: lifespan, routers, OpenAPI and the reusable error responses."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from api_testkit import PingDouble, make_settings, make_stores
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
from uvicorn.importer import import_from_string

from cleara.api import app as app_module
from cleara.api.app import create_app, include_routers
from cleara.api.schemas import ERROR_RESPONSES, ErrorResponse, error_responses
from cleara.settings import Settings, get_settings
from cleara.store.base import Stores


class Thing(BaseModel):
    name: str


def test_factory_import_string_builds_an_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEARA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CLEARA_MAX_BODY_BYTES", "1234")
    get_settings.cache_clear()
    try:
        factory = import_from_string("cleara.api.app:create_app")
        app = factory()
    finally:
        get_settings.cache_clear()
    assert isinstance(app, FastAPI)
    assert app.state.settings.max_body_bytes == 1234
    assert app.state.stores is None


def test_app_metadata_and_docs(tmp_path: Path) -> None:
    client = TestClient(create_app(make_settings(tmp_path), stores=make_stores()))
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "Cleara API"
    assert schema["info"]["version"]
    assert "Request-Id" in schema["info"]["description"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


def test_lifespan_builds_migrates_and_closes_stores_when_not_injected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    items = PingDouble()
    built = make_stores(items=items)

    def apply_migrations(settings: Settings) -> None:
        calls.append(f"migrate:{settings.environment}")

    def build_stores(settings: Settings) -> Stores:
        calls.append("build")
        return built

    factory = types.ModuleType("cleara.store.factory")
    factory.apply_migrations = apply_migrations  # type: ignore[attr-defined]
    factory.build_stores = build_stores  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cleara.store.factory", factory)

    app = create_app(make_settings(tmp_path))
    with TestClient(app) as client:
        assert app.state.stores is built
        assert client.get("/readyz").status_code == 200
    assert calls == ["migrate:test", "build"]
    assert app.state.stores is None
    assert items.closed


def test_injected_stores_are_not_closed(tmp_path: Path) -> None:
    items = PingDouble()
    stores = make_stores(items=items)
    app = create_app(make_settings(tmp_path), stores=stores)
    with TestClient(app):
        pass
    assert app.state.stores is stores
    assert not items.closed


def test_lifespan_with_the_real_store_factory(tmp_path: Path) -> None:
    pytest.importorskip("cleara.store.factory")
    app = create_app(make_settings(tmp_path))
    with TestClient(app) as client:
        response = client.get("/readyz")
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "ready"
    assert app.state.stores is None


def test_include_routers_mounts_the_service_routes() -> None:
    app = FastAPI()
    include_routers(app)
    assert {"/healthz", "/readyz"} <= set(app.openapi()["paths"])
    assert TestClient(app).get("/healthz").json() == {"status": "ok"}


def test_no_demo_endpoints_are_shipped(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path), stores=make_stores())
    assert not [p for p in app.openapi()["paths"] if p.startswith("/test")]


def test_error_responses_document_the_error_model(tmp_path: Path) -> None:
    router = APIRouter()

    @router.post("/things", responses={**ERROR_RESPONSES, **error_responses(404)})
    def make_thing(thing: Thing) -> Thing:
        return thing

    app = create_app(make_settings(tmp_path), stores=make_stores())
    app.include_router(router)
    responses = app.openapi()["paths"]["/things"]["post"]["responses"]
    assert set(responses) >= {"400", "404", "413", "415", "422", "500"}
    for status in ("400", "404", "413", "415", "422", "500"):
        content = responses[status]["content"]["application/json"]
        assert content["schema"]["$ref"].endswith("/ErrorResponse")
        ErrorResponse.model_validate(content["example"])
    assert responses["422"]["content"]["application/json"]["example"]["error"]["param"]
    assert responses["404"]["content"]["application/json"]["example"]["error"]["code"] == (
        "not_found"
    )


def test_error_responses_rejects_undocumented_status() -> None:
    with pytest.raises(ValueError, match="418"):
        error_responses(418)


def test_error_responses_returns_fresh_dicts() -> None:
    first = error_responses(404)
    first[404]["description"] = "changed"
    assert error_responses(404)[404]["description"] != "changed"


def test_package_version_is_reported(tmp_path: Path) -> None:
    assert create_app(make_settings(tmp_path), stores=make_stores()).version == (
        app_module._package_version()
    )


@pytest.mark.parametrize("enabled", [True, False])
def test_startup_warms_the_engine_up_when_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    from cleara.engine import warmup

    calls: list[str] = []
    monkeypatch.setattr(warmup, "warm_up", lambda: calls.append("warm") or 0.5)
    settings = make_settings(tmp_path, warm_up=enabled)
    monkeypatch.setattr(app_module.gc, "freeze", lambda: calls.append("freeze"))
    with TestClient(create_app(settings, stores=make_stores())) as client:
        assert calls == (["warm", "freeze"] if enabled else [])
        assert client.get("/healthz").status_code == 200


def test_every_schema_the_api_document_refers_to_is_in_it(tmp_path: Path) -> None:
    schema = create_app(make_settings(tmp_path), stores=make_stores()).openapi()
    refs: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    refs.add(value.rsplit("/", 1)[-1])
                else:
                    collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(schema)
    components = schema["components"]["schemas"]
    assert {"DedupeRequest", "CleanRequest", "MatchRequest"} <= refs
    assert refs <= set(components)
    assert components["MatchRequest"]["properties"]["records"]["type"] == "array"
