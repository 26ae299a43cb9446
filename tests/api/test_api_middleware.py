"""Request ids, CORS, exception containment and the streaming body guard."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from api_testkit import (
    TEST_MAX_BODY_BYTES,
    assert_error_shape,
    build_test_router,
    make_settings,
    make_stores,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.types import Message, Receive, Scope, Send

from cleara.api.app import create_app
from cleara.api.errors import ApiError
from cleara.api.middleware import (
    BodyGuardMiddleware,
    RequestContextMiddleware,
    accepted_request_id,
    media_type_of,
)

GENERATED_ID = re.compile(r"req_[0-9a-f]{32}")
SANE_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"


def test_request_id_is_generated_when_absent(client: TestClient) -> None:
    response = client.get("/healthz")
    assert GENERATED_ID.fullmatch(response.headers["Request-Id"])


@pytest.mark.parametrize("incoming", ["a" * 129, "has space", "semi;colon", "ünï", ""])
def test_insane_request_id_is_replaced(client: TestClient, incoming: str) -> None:
    response = client.get("/healthz", headers={b"Request-Id": incoming.encode()})
    assert response.headers["Request-Id"] != incoming
    assert GENERATED_ID.fullmatch(response.headers["Request-Id"])


def test_request_id_is_unique_per_request(client: TestClient) -> None:
    ids = {client.get("/healthz").headers["Request-Id"] for _ in range(5)}
    assert len(ids) == 5


@given(st.text(alphabet=SANE_ALPHABET, min_size=1, max_size=128))
def test_sane_request_ids_are_kept(value: str) -> None:
    assert accepted_request_id(value) == value


@given(st.text(min_size=1, max_size=40).filter(lambda s: any(c not in SANE_ALPHABET for c in s)))
def test_request_ids_with_other_characters_are_replaced(value: str) -> None:
    assert GENERATED_ID.fullmatch(accepted_request_id(value))


def test_media_type_is_normalised() -> None:
    assert media_type_of("Application/JSON; charset=utf-8") == "application/json"
    assert media_type_of(None) == ""
    assert media_type_of("") == ""


def test_cors_headers_when_origins_configured(tmp_path: Path) -> None:
    origin = "https://app.example"
    app = create_app(make_settings(tmp_path, cors_origins=[origin]), stores=make_stores())
    app.include_router(build_test_router())
    client = TestClient(app)

    response = client.get("/healthz", headers={"Origin": origin})
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "Request-Id" in response.headers["Access-Control-Expose-Headers"]

    preflight = client.options(
        "/test/echo",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    assert GENERATED_ID.fullmatch(preflight.headers["Request-Id"])

    failed = client.get("/test/boom", headers={"Origin": origin})
    assert failed.status_code == 500
    assert failed.headers["Access-Control-Allow-Origin"] == origin

    foreign = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_no_cors_headers_without_origins(client: TestClient) -> None:
    response = client.get("/healthz", headers={"Origin": "https://app.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = client.options(
        "/test/echo",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 405
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert preflight.json()["error"]["code"] == "method_not_allowed"


def _raising_app(exc: Exception) -> FastAPI:
    """An ASGI app that fails before responding, standing in for a faulty inner middleware."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise exc

    return app  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("exc", "status", "code", "error_type"),
    [
        (RuntimeError("inner secret"), 500, "internal_error", "api_error"),
        (
            ApiError(401, "invalid_api_key", "Bad key."),
            401,
            "invalid_api_key",
            "authentication_error",
        ),
        (HTTPException(404), 404, "not_found", "invalid_request_error"),
    ],
)
def test_exceptions_in_middleware_become_error_responses(
    exc: Exception, status: int, code: str, error_type: str
) -> None:
    app = RequestContextMiddleware(
        _raising_app(exc), docs_base_url="https://docs.example.test/errors"
    )
    response = TestClient(app).get("/anything", headers={"Request-Id": "mw-1"})
    assert response.status_code == status
    assert response.headers["Request-Id"] == "mw-1"
    error = assert_error_shape(response.json(), code=code, request_id="mw-1")
    assert error["type"] == error_type
    assert "inner secret" not in response.text


def test_exception_after_response_started_is_reraised() -> None:
    async def half_sent(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError("mid-stream failure")

    client = TestClient(RequestContextMiddleware(half_sent))
    with pytest.raises(RuntimeError, match="mid-stream failure"):
        client.get("/")


def _http_scope(method: str, headers: list[tuple[bytes, bytes]]) -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/test/raw",
        "raw_path": b"/test/raw",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("203.0.113.9", 5000),
        "server": ("testserver", 80),
        "state": {},
    }


def test_chunked_body_stops_being_read_past_the_limit(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path), stores=make_stores())
    app.include_router(build_test_router())
    chunk = b"x" * 40
    total_chunks = 10
    pulled: list[int] = []
    sent: list[Message] = []

    async def receive() -> Message:
        if len(pulled) < total_chunks:
            pulled.append(len(pulled))
            return {
                "type": "http.request",
                "body": chunk,
                "more_body": len(pulled) < total_chunks,
            }
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    headers = [(b"content-type", b"text/csv"), (b"transfer-encoding", b"chunked")]
    asyncio.run(app(_http_scope("POST", headers), receive, send))

    assert sent[0]["status"] == 413
    # 40 + 40 bytes passes the limit of 64: nothing after the second chunk is pulled.
    assert len(pulled) == (TEST_MAX_BODY_BYTES // len(chunk)) + 1
    assert (b"request-id", sent[0]["headers"][-1][1]) in sent[0]["headers"]


def test_declared_oversize_body_is_rejected_without_reading() -> None:
    reads: list[Message] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        reads.append(await receive())
        await PlainTextResponse("read")(scope, receive, send)

    guard = BodyGuardMiddleware(inner, max_body_bytes=10)
    response = TestClient(guard).post(
        "/", content=b"0123456789A", headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 413
    assert reads == []
    assert response.json()["error"]["code"] == "payload_too_large"


def test_body_guard_ignores_bodies_of_other_methods_for_content_type() -> None:
    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse("ok")(scope, receive, send)

    guard = BodyGuardMiddleware(inner, max_body_bytes=10)
    response = TestClient(guard).request(
        "DELETE", "/", content=b"abc", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 200
    assert response.text == "ok"
