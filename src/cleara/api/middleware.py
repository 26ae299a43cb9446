"""Pure ASGI middleware: request ids and access logs, error containment, body guards."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cleara.api.errors import (
    DEFAULT_DOCS_BASE_URL,
    REQUEST_ID_STATE_KEY,
    ApiError,
    ErrorCode,
    error_response,
    log_unhandled,
    new_request_id,
    request_id_of,
    to_api_error,
)
from cleara.api.logging import ACCESS_LOGGER_NAME, bind_request_id, reset_request_id

REQUEST_ID_HEADER = "Request-Id"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_DIGITS = re.compile(r"[0-9]{1,20}")

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
"""Methods whose body must have an accepted content type."""

ACCEPTED_BODY_MEDIA_TYPES = frozenset(
    {
        "application/json",
        "multipart/form-data",
        "text/csv",
        "text/tab-separated-values",
        "application/x-ndjson",
        "application/vnd.apache.parquet",
        "application/octet-stream",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)
"""Media types a request body may have: JSON, multipart uploads and the data file formats."""

access_logger = logging.getLogger(ACCESS_LOGGER_NAME)


def accepted_request_id(value: str | None) -> str:
    """The client's request id when it is sane (<= 128 of [A-Za-z0-9._-]), else a fresh one."""
    if value is not None and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return new_request_id()


def media_type_of(content_type: str | None) -> str:
    """The bare, lower-cased media type of a Content-Type value ('' when absent)."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


async def _send_error(
    error: ApiError, scope: Scope, receive: Receive, send: Send, docs_base_url: str
) -> None:
    response = error_response(error, request_id=request_id_of(scope), docs_base_url=docs_base_url)
    await response(scope, receive, send)


async def _call_contained(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, docs_base_url: str
) -> None:
    """Run `app`; an exception escaping it becomes a standard error response if none began."""
    started = False

    async def tracking_send(message: Message) -> None:
        nonlocal started
        if message["type"] == "http.response.start":
            started = True
        await send(message)

    try:
        await app(scope, receive, tracking_send)
    except Exception as exc:
        if started:
            # Too late for an error response; log it and let the server drop the connection.
            log_unhandled(exc, scope)
            raise
        await _send_error(to_api_error(exc, scope), scope, receive, send, docs_base_url)


class RequestContextMiddleware:
    """Outermost layer: assigns the request id, logs one access line, contains exceptions.

    The id comes from a sane incoming `Request-Id` header or is generated; it is stored in
    `request.state.request_id` and a context variable, and returned as `Request-Id` on
    every response.
    """

    def __init__(self, app: ASGIApp, *, docs_base_url: str = DEFAULT_DOCS_BASE_URL) -> None:
        self.app = app
        self.docs_base_url = docs_base_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accepted_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        scope.setdefault("state", {})[REQUEST_ID_STATE_KEY] = request_id
        token = bind_request_id(request_id)
        started_at = time.perf_counter()
        status = 500  # what the client sees if no response starts

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await _call_contained(
                self.app, scope, receive, send_with_request_id, self.docs_base_url
            )
        finally:
            _log_access(scope, request_id, status, started_at)
            reset_request_id(token)


def _log_access(scope: Scope, request_id: str, status: int, started_at: float) -> None:
    client = scope.get("client")
    access_logger.info(
        "%s %s %s",
        scope.get("method"),
        scope.get("path"),
        status,
        extra={
            "request_id": request_id,
            "method": scope.get("method"),
            "path": scope.get("path"),
            "status": status,
            "duration_ms": round((time.perf_counter() - started_at) * 1000, 3),
            "client": client[0] if client else None,
        },
    )


class ExceptionGuardMiddleware:
    """Turns exceptions from inner layers into standard error responses.

    It sits inside CORS so that error responses carry CORS headers too.
    """

    def __init__(self, app: ASGIApp, *, docs_base_url: str = DEFAULT_DOCS_BASE_URL) -> None:
        self.app = app
        self.docs_base_url = docs_base_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await _call_contained(self.app, scope, receive, send, self.docs_base_url)


class BodyGuardMiddleware:
    """Rejects bodies that are too large (413) or of an unaccepted content type (415).

    The size is checked against Content-Length up front and counted while streaming, so a
    chunked body is cut off as soon as it passes the limit instead of being buffered.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        accepted_media_types: Iterable[str] = ACCEPTED_BODY_MEDIA_TYPES,
        docs_base_url: str = DEFAULT_DOCS_BASE_URL,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.accepted_media_types = frozenset(t.lower() for t in accepted_media_types)
        self.docs_base_url = docs_base_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rejection = self._rejection(scope)
        if rejection is not None:
            await _send_error(rejection, scope, receive, send, self.docs_base_url)
            return
        await self.app(scope, self._counting(receive), send)

    def _rejection(self, scope: Scope) -> ApiError | None:
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None:
            if not _DIGITS.fullmatch(declared.strip()):
                return ApiError(
                    400, ErrorCode.BAD_REQUEST, "The Content-Length header is not a number."
                )
            if int(declared) > self.max_body_bytes:
                return self._too_large()
        has_body = (declared is not None and int(declared) > 0) or ("transfer-encoding" in headers)
        if has_body and scope.get("method") in BODY_METHODS:
            return self._unsupported_type(headers.get("content-type"))
        return None

    def _unsupported_type(self, content_type: str | None) -> ApiError | None:
        media_type = media_type_of(content_type)
        if media_type in self.accepted_media_types or _is_json_suffix(media_type):
            return None
        accepted = ", ".join(sorted(self.accepted_media_types))
        if not media_type:
            message = f"A request body needs a Content-Type header; accepted: {accepted}."
        else:
            message = f"Content type '{media_type}' is not accepted; accepted: {accepted}."
        return ApiError(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, message)

    def _too_large(self) -> ApiError:
        return ApiError(
            413,
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"The request body exceeds the limit of {self.max_body_bytes} bytes.",
        )

    def _counting(self, receive: Receive) -> Receive:
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise self._too_large()
            return message

        return counting_receive


def _is_json_suffix(media_type: str) -> bool:
    return media_type.startswith("application/") and media_type.endswith("+json")
