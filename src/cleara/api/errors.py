"""The error framework: one JSON shape for every error response.

Every error is `{"error": {"type", "code", "message", "param", "request_id", "doc_url"}}`.
Route code raises `ApiError`; framework errors (404, 405, validation) and unhandled
exceptions are translated into the same shape by the handlers registered here.
"""

from __future__ import annotations

import email.message
import logging
import uuid
from collections.abc import Mapping, Sequence
from enum import StrEnum
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from cleara.api.logging import current_request_id

logger = logging.getLogger("cleara.api")

DEFAULT_DOCS_BASE_URL = "https://docs.cleara.dev/errors"
REQUEST_ID_STATE_KEY = "request_id"
"""Key of the request id in the ASGI scope's `state` (read as `request.state.request_id`)."""


class ErrorType(StrEnum):
    """The broad class of an error; clients branch on `code` for specifics."""

    INVALID_REQUEST = "invalid_request_error"
    AUTHENTICATION = "authentication_error"
    PERMISSION = "permission_error"
    RATE_LIMIT = "rate_limit_error"
    API = "api_error"


class ErrorCode(StrEnum):
    """Error codes of the service foundation; feature modules may use further codes."""

    BAD_REQUEST = "bad_request"
    INVALID_JSON = "invalid_json"
    AUTHENTICATION_REQUIRED = "authentication_required"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    VALIDATION_ERROR = "validation_error"
    RATE_LIMITED = "rate_limited"
    INTERNAL_ERROR = "internal_error"
    SERVICE_UNAVAILABLE = "service_unavailable"


# Code of a bare HTTP status (framework errors, `HTTPException` raised without a code).
_STATUS_CODES: dict[int, ErrorCode] = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.AUTHENTICATION_REQUIRED,
    403: ErrorCode.PERMISSION_DENIED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: ErrorCode.VALIDATION_ERROR,
    429: ErrorCode.RATE_LIMITED,
    500: ErrorCode.INTERNAL_ERROR,
    503: ErrorCode.SERVICE_UNAVAILABLE,
}

# Locations FastAPI puts first in a validation error's `loc`; `param` names the field only.
_LOCATION_PREFIXES = frozenset({"body", "query", "path", "header", "cookie"})

INTERNAL_ERROR_MESSAGE = "An unexpected error occurred. Quote the request id when reporting it."


def default_error_type(status: int) -> ErrorType:
    """The error type implied by an HTTP status."""
    if status == 401:
        return ErrorType.AUTHENTICATION
    if status == 403:
        return ErrorType.PERMISSION
    if status == 429:
        return ErrorType.RATE_LIMIT
    if status >= 500:
        return ErrorType.API
    return ErrorType.INVALID_REQUEST


def default_error_code(status: int) -> str:
    """The error code of a bare HTTP status, e.g. 404 -> `not_found`, 410 -> `gone`."""
    known = _STATUS_CODES.get(status)
    if known is not None:
        return known.value
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return ErrorCode.INTERNAL_ERROR.value if status >= 500 else ErrorCode.BAD_REQUEST.value


class ApiError(StarletteHTTPException):
    """An error to send to the client in the standard shape. Raise it from route code.

    It subclasses Starlette's HTTPException so that it passes untouched through
    FastAPI's body parsing (e.g. when raised from a body-size guard while streaming).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        param: str | None = None,
        type: ErrorType | str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status, detail=message, headers=dict(headers or {}))
        self.status = status
        self.code = str(code)
        self.message = message
        self.param = param
        self.type = ErrorType(type) if type is not None else default_error_type(status)

    def __repr__(self) -> str:
        return f"ApiError(status={self.status}, code={self.code!r}, message={self.message!r})"


def doc_url(code: str, docs_base_url: str = DEFAULT_DOCS_BASE_URL) -> str:
    """Where the documentation of an error code lives."""
    return f"{docs_base_url}#{code}"


def error_body(error: ApiError, *, request_id: str | None, docs_base_url: str) -> dict[str, Any]:
    """The JSON body of an error response."""
    return {
        "error": {
            "type": error.type.value,
            "code": error.code,
            "message": error.message,
            "param": error.param,
            "request_id": request_id,
            "doc_url": doc_url(error.code, docs_base_url),
        }
    }


def error_response(
    error: ApiError, *, request_id: str | None, docs_base_url: str = DEFAULT_DOCS_BASE_URL
) -> JSONResponse:
    """A complete error response, with the error's headers (e.g. `Allow`, `Retry-After`)."""
    return JSONResponse(
        error_body(error, request_id=request_id, docs_base_url=docs_base_url),
        status_code=error.status,
        headers=dict(error.headers or {}),
    )


def new_request_id() -> str:
    """A fresh request id."""
    return f"req_{uuid.uuid4().hex}"


def request_id_of(scope: Scope) -> str | None:
    """The request id stored in the scope by the request-context middleware."""
    state = scope.get("state")
    if isinstance(state, Mapping):
        value = state.get(REQUEST_ID_STATE_KEY)
        if isinstance(value, str):
            return value
    return current_request_id()


def _docs_base_url(request: Request) -> str:
    settings = getattr(request.app.state, "settings", None)
    return getattr(settings, "docs_base_url", DEFAULT_DOCS_BASE_URL)


def _is_json_content_type(value: str | None) -> bool:
    if not value:
        return False
    message = email.message.Message()
    message["content-type"] = value
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def from_http_exception(exc: StarletteHTTPException, scope: Scope) -> ApiError:
    """Translate a framework HTTPException (404, 405, body parse failures...) into an ApiError."""
    if isinstance(exc, ApiError):
        return exc
    status = exc.status_code
    method = scope.get("method", "")
    path = scope.get("path", "")
    detail = exc.detail if isinstance(exc.detail, str) else None
    is_default_detail = detail is None or detail == _phrase(status)
    code = default_error_code(status)
    message = detail or _phrase(status)
    if status == 404 and is_default_detail:
        message = f"No resource at {path}."
    elif status == 405 and is_default_detail:
        message = f"Method {method} is not allowed on {path}."
    elif status == 400 and isinstance(exc.__cause__, ValueError):
        # FastAPI reports a JSON body it cannot decode (e.g. not UTF-8) as a bare 400.
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        if _is_json_content_type(content_type):
            code = ErrorCode.INVALID_JSON.value
            message = "Request body is not valid JSON."
    return ApiError(status, code, message, headers=exc.headers)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def param_of(loc: Sequence[str | int]) -> str | None:
    """The dotted field path of a validation error location, without `body`/`query`/..."""
    parts = list(loc)
    if parts and parts[0] in _LOCATION_PREFIXES:
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or None


def from_validation_error(exc: RequestValidationError) -> ApiError:
    """Translate a request validation failure: malformed JSON -> 400, otherwise 422."""
    errors = list(exc.errors())
    for error in errors:
        if error.get("type") == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "malformed JSON")
            position = error.get("loc", ("body", None))[-1]
            where = f" at position {position}" if isinstance(position, int) else ""
            return ApiError(
                400,
                ErrorCode.INVALID_JSON,
                f"Request body is not valid JSON: {reason}{where}.",
            )
    if not errors:
        return ApiError(422, ErrorCode.VALIDATION_ERROR, "The request is invalid.")
    first = errors[0]
    param = param_of(first.get("loc", ()))
    reason = str(first.get("msg", "Invalid value"))
    message = f"Invalid '{param}': {reason}." if param else f"Invalid request: {reason}."
    if len(errors) > 1:
        more = len(errors) - 1
        message += f" ({more} more error{'s' if more > 1 else ''} in the request.)"
    return ApiError(422, ErrorCode.VALIDATION_ERROR, message, param=param)


def internal_error() -> ApiError:
    """The error sent for an unhandled exception; never carries details of the failure."""
    return ApiError(500, ErrorCode.INTERNAL_ERROR, INTERNAL_ERROR_MESSAGE)


def log_unhandled(exc: BaseException, scope: Scope) -> None:
    """Log an unhandled exception with its traceback and the request it broke."""
    logger.error(
        "Unhandled exception while serving %s %s",
        scope.get("method", ""),
        scope.get("path", ""),
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={
            "request_id": request_id_of(scope),
            "method": scope.get("method"),
            "path": scope.get("path"),
        },
    )


def to_api_error(exc: Exception, scope: Scope) -> ApiError:
    """The ApiError for any exception; unexpected ones are logged and become a bare 500."""
    if isinstance(exc, StarletteHTTPException):
        return from_http_exception(exc, scope)
    if isinstance(exc, RequestValidationError):
        return from_validation_error(exc)
    log_unhandled(exc, scope)
    return internal_error()


async def _api_error_handler(request: Request, exc: Exception) -> JSONResponse:
    return error_response(
        to_api_error(exc, request.scope),
        request_id=request_id_of(request.scope),
        docs_base_url=_docs_base_url(request),
    )


def install_exception_handlers(app: FastAPI) -> None:
    """Register the handlers that put every error into the standard shape."""
    app.add_exception_handler(StarletteHTTPException, _api_error_handler)
    app.add_exception_handler(RequestValidationError, _api_error_handler)
    # Last line of defence; the request-context middleware normally catches these first.
    app.add_exception_handler(Exception, _api_error_handler)
