"""Helpers for the HTTP API tests: store doubles, settings and test-only routes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, cast

from fastapi import APIRouter, Request
from pydantic import BaseModel

from cleara.api.deps import RequestIdDep, SettingsDep, StoresDep
from cleara.api.errors import ApiError
from cleara.settings import Settings
from cleara.store.base import BlobStore, Cache, ItemStore, Stores

TEST_MAX_BODY_BYTES = 64
TEST_DOCS_BASE_URL = "https://docs.example.test/errors"


class PingDouble:
    """A store that only answers `ping`; it fails when `failure` is set."""

    def __init__(self, failure: Exception | None = None) -> None:
        self.failure = failure
        self.pings = 0
        self.closed = False

    def ping(self) -> None:
        self.pings += 1
        if self.failure is not None:
            raise self.failure

    def close(self) -> None:
        self.closed = True


def make_stores(
    items: PingDouble | None = None,
    cache: PingDouble | None = None,
    blobs: PingDouble | None = None,
) -> Stores:
    return Stores(
        items=cast(ItemStore, items or PingDouble()),
        cache=cast(Cache, cache or PingDouble()),
        blobs=cast(BlobStore, blobs or PingDouble()),
    )


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "max_body_bytes": TEST_MAX_BODY_BYTES,
        "docs_base_url": TEST_DOCS_BASE_URL,
        "environment": "test",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


class Entry(BaseModel):
    value: int


class EchoIn(BaseModel):
    name: str
    items: list[Entry] = []


def build_test_router() -> APIRouter:
    """Routes that exist only in tests, to exercise body handling and failures."""
    router = APIRouter(prefix="/test")
    log = logging.getLogger("cleara.test.route")

    @router.post("/echo")
    def echo(payload: EchoIn, request_id: RequestIdDep, settings: SettingsDep) -> dict[str, object]:
        log.info("echo handled")
        return {
            "name": payload.name,
            "count": len(payload.items),
            "request_id": request_id,
            "environment": settings.environment,
        }

    @router.post("/raw")
    async def raw(request: Request) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        return {"size": size}

    @router.post("/bump")
    def bump() -> dict[str, bool]:
        return {"bumped": True}

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret-internal-detail")

    @router.get("/conflict")
    def conflict() -> None:
        raise ApiError(409, "version_conflict", "The item changed.", param="version")

    @router.get("/stores")
    def stores(stores: StoresDep) -> dict[str, bool]:
        return {"has_items": stores.items is not None}

    return router


def assert_error_shape(body: object, *, code: str, request_id: str) -> dict[str, object]:
    """Check the standard error body and return its `error` object."""
    assert isinstance(body, dict)
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"type", "code", "message", "param", "request_id", "doc_url"}
    assert error["code"] == code
    assert error["request_id"] == request_id
    assert error["doc_url"] == f"{TEST_DOCS_BASE_URL}#{code}"
    assert isinstance(error["message"], str)
    assert error["message"]
    return cast(dict[str, object], error)
