"""Every failure answers with the standard error shape, the right status and a Request-Id."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from api_testkit import TEST_MAX_BODY_BYTES, assert_error_shape, build_test_router, make_stores
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from starlette.exceptions import HTTPException

from cleara.api.app import create_app
from cleara.api.errors import (
    ApiError,
    ErrorType,
    default_error_code,
    default_error_type,
    from_validation_error,
    param_of,
)
from cleara.settings import Settings

GENERATED_ID = re.compile(r"req_[0-9a-f]{32}")


def _error(response: Any) -> dict[str, object]:
    """The checked `error` object of a test client response."""
    request_id = response.headers["Request-Id"]
    body = response.json()
    return assert_error_shape(body, code=body["error"]["code"], request_id=request_id)


def test_unknown_path_is_404_not_found_and_echoes_request_id(client: TestClient) -> None:
    response = client.get("/nowhere", headers={"Request-Id": "client-id.1_2"})
    assert response.status_code == 404
    assert response.headers["Request-Id"] == "client-id.1_2"
    error = assert_error_shape(response.json(), code="not_found", request_id="client-id.1_2")
    assert error["type"] == "invalid_request_error"
    assert error["param"] is None
    assert "/nowhere" in str(error["message"])


def test_wrong_method_is_405_with_allow_header(client: TestClient) -> None:
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    error = _error(response)
    assert error["code"] == "method_not_allowed"
    assert GENERATED_ID.fullmatch(str(error["request_id"]))


@pytest.mark.parametrize(
    "body", [b'{"name": ', b"not json", b'{"name": "x",}', b'{"name": "\xff\xfe"}']
)
def test_malformed_json_is_400_invalid_json(client: TestClient, body: bytes) -> None:
    response = client.post("/test/echo", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "invalid_json"
    assert error["type"] == "invalid_request_error"


def test_body_over_content_length_limit_is_413(client: TestClient) -> None:
    body = b'{"name": "' + b"x" * TEST_MAX_BODY_BYTES + b'"}'
    response = client.post("/test/echo", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    error = _error(response)
    assert error["code"] == "payload_too_large"
    assert str(TEST_MAX_BODY_BYTES) in str(error["message"])


def _chunks(total: int, size: int = 16) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


@pytest.mark.parametrize("path", ["/test/echo", "/test/raw"])
def test_chunked_body_over_limit_is_413(client: TestClient, path: str) -> None:
    content_type = "application/json" if path == "/test/echo" else "text/csv"
    response = client.post(
        path,
        content=_chunks(TEST_MAX_BODY_BYTES * 4),
        headers={"Content-Type": content_type},
    )
    assert response.status_code == 413
    assert _error(response)["code"] == "payload_too_large"


def test_chunked_body_within_limit_is_accepted(client: TestClient) -> None:
    response = client.post(
        "/test/raw", content=_chunks(TEST_MAX_BODY_BYTES), headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 200
    assert response.json() == {"size": TEST_MAX_BODY_BYTES}


def test_invalid_content_length_is_400(client: TestClient) -> None:
    response = client.post(
        "/test/raw", content=b"a,b", headers={"Content-Type": "text/csv", "Content-Length": "3x"}
    )
    assert response.status_code == 400
    assert _error(response)["code"] == "bad_request"


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", None],
)
def test_unaccepted_content_type_is_415(client: TestClient, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/test/raw", content=b"a,b", headers=headers)
    assert response.status_code == 415
    error = _error(response)
    assert error["code"] == "unsupported_media_type"
    assert "application/json" in str(error["message"])


@pytest.mark.parametrize(
    "content_type",
    [
        "text/csv",
        "text/tab-separated-values",
        "application/x-ndjson",
        "application/vnd.apache.parquet",
        "application/octet-stream",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/json; charset=utf-8",
        "application/merge-patch+json",
        "TEXT/CSV; charset=UTF-8",
    ],
)
def test_accepted_content_types_pass(client: TestClient, content_type: str) -> None:
    response = client.post("/test/raw", content=b"{}", headers={"Content-Type": content_type})
    assert response.status_code == 200
    assert response.json() == {"size": 2}


def test_post_without_body_needs_no_content_type(client: TestClient) -> None:
    response = client.post("/test/bump")
    assert response.status_code == 200
    assert response.json() == {"bumped": True}


def test_invalid_field_is_422_naming_the_field(client: TestClient) -> None:
    response = client.post("/test/echo", json={"name": "n", "items": [{"value": "abc"}]})
    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "validation_error"
    assert error["param"] == "items.0.value"
    assert "items.0.value" in str(error["message"])


def test_missing_field_is_422_and_counts_further_errors(client: TestClient) -> None:
    response = client.post("/test/echo", json={"items": [{"value": "abc"}]})
    assert response.status_code == 422
    error = _error(response)
    assert error["param"] in {"name", "items.0.value"}
    assert "1 more error" in str(error["message"])


def test_valid_body_reaches_the_route(client: TestClient) -> None:
    response = client.post(
        "/test/echo", json={"name": "n", "items": [{"value": 1}]}, headers={"Request-Id": "r1"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "name": "n",
        "count": 1,
        "request_id": "r1",
        "environment": "test",
    }


def test_unhandled_exception_is_500_without_details_and_logged(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="cleara.api")
    response = client.get("/test/boom", headers={"Request-Id": "boom-1"})
    assert response.status_code == 500
    error = assert_error_shape(response.json(), code="internal_error", request_id="boom-1")
    assert error["type"] == "api_error"
    assert "secret-internal-detail" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    records = [r for r in caplog.records if r.name == "cleara.api"]
    assert len(records) == 1
    assert records[0].request_id == "boom-1"  # type: ignore[attr-defined]
    assert records[0].exc_info is not None
    assert isinstance(records[0].exc_info[1], RuntimeError)


def test_api_error_from_route_keeps_code_param_and_type(client: TestClient) -> None:
    response = client.get("/test/conflict")
    assert response.status_code == 409
    error = _error(response)
    assert error["code"] == "version_conflict"
    assert error["param"] == "version"
    assert error["type"] == "invalid_request_error"
    assert error["message"] == "The item changed."


def test_missing_stores_is_503_for_store_dependencies(settings: Settings) -> None:
    app = create_app(settings)  # no stores injected and lifespan not run
    app.include_router(build_test_router())
    response = TestClient(app).get("/test/stores")
    assert response.status_code == 503
    error = _error(response)
    assert error["code"] == "service_unavailable"
    assert error["type"] == "api_error"


def test_exception_in_outer_middleware_still_uses_error_shape(settings: Settings) -> None:
    app: FastAPI = create_app(settings, stores=make_stores())

    @app.middleware("http")
    async def broken(request: object, call_next: object) -> None:
        raise RuntimeError("middleware failure")

    response = TestClient(app, raise_server_exceptions=False).get("/healthz")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "middleware failure" not in response.text


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, ErrorType.INVALID_REQUEST),
        (401, ErrorType.AUTHENTICATION),
        (403, ErrorType.PERMISSION),
        (404, ErrorType.INVALID_REQUEST),
        (429, ErrorType.RATE_LIMIT),
        (500, ErrorType.API),
        (503, ErrorType.API),
    ],
)
def test_default_error_type_follows_status(status: int, expected: ErrorType) -> None:
    assert default_error_type(status) == expected
    assert ApiError(status, "x", "m").type == expected


def test_default_error_code_for_unlisted_status_uses_its_phrase() -> None:
    assert default_error_code(410) == "gone"
    assert default_error_code(404) == "not_found"
    assert default_error_code(599) == "internal_error"
    assert default_error_code(499) == "bad_request"


def test_api_error_is_an_http_exception_with_headers() -> None:
    error = ApiError(429, "rate_limited", "Slow down.", headers={"Retry-After": "3"})
    assert isinstance(error, HTTPException)
    assert error.status_code == 429
    assert error.headers == {"Retry-After": "3"}
    assert error.type is ErrorType.RATE_LIMIT


def test_validation_error_without_details_is_still_422() -> None:
    error = from_validation_error(RequestValidationError([]))
    assert error.status == 422
    assert error.param is None


_LOC_PART = st.one_of(
    st.integers(min_value=0, max_value=10_000),
    st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12),
)


@given(st.sampled_from(["body", "query", "path", "header", "cookie"]), st.lists(_LOC_PART))
def test_param_is_the_dotted_location_without_its_source(
    source: str, parts: list[str | int]
) -> None:
    expected = ".".join(str(p) for p in parts) or None
    assert param_of((source, *parts)) == expected
