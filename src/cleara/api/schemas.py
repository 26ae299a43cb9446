"""Response models shared by all routers, and the documented error responses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cleara.api.errors import DEFAULT_DOCS_BASE_URL, ErrorCode, ErrorType, default_error_type

_EXAMPLE_REQUEST_ID = "req_3f2b9c0e8d7a4b6c9e1f2a3b4c5d6e7f"


class ErrorDetail(BaseModel):
    """What went wrong, in a form a program can branch on and a person can read."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "invalid_request_error",
                    "code": "validation_error",
                    "message": "Invalid 'items.0.value': Input should be a valid integer.",
                    "param": "items.0.value",
                    "request_id": _EXAMPLE_REQUEST_ID,
                    "doc_url": f"{DEFAULT_DOCS_BASE_URL}#validation_error",
                }
            ]
        }
    )

    type: ErrorType = Field(description="Broad class of the error.")
    code: str = Field(description="Stable machine-readable error code.")
    message: str = Field(description="Human-readable explanation.")
    param: str | None = Field(
        None, description="Dotted path of the offending field, e.g. `items.0.value`."
    )
    request_id: str | None = Field(
        None, description="Id of the request, also sent as the `Request-Id` header."
    )
    doc_url: str = Field(description="Documentation of this error code.")


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


# Statuses documented by `error_responses`: (code, description, example message, param).
_DOCUMENTED_ERRORS: dict[int, tuple[ErrorCode, str, str, str | None]] = {
    400: (
        ErrorCode.INVALID_JSON,
        "Malformed request (e.g. a body that is not valid JSON).",
        "Request body is not valid JSON: Expecting value at position 0.",
        None,
    ),
    401: (
        ErrorCode.AUTHENTICATION_REQUIRED,
        "Missing or invalid credentials.",
        "Authentication is required.",
        None,
    ),
    403: (
        ErrorCode.PERMISSION_DENIED,
        "The credentials do not allow this operation.",
        "This key may not perform this operation.",
        None,
    ),
    404: (ErrorCode.NOT_FOUND, "No such resource.", "No resource at /v1/unknown.", None),
    409: (
        ErrorCode.CONFLICT,
        "The resource changed or exists already.",
        "The resource was modified concurrently.",
        None,
    ),
    413: (
        ErrorCode.PAYLOAD_TOO_LARGE,
        "The request body exceeds the size limit.",
        "The request body exceeds the limit of 10485760 bytes.",
        None,
    ),
    415: (
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "The request body's content type is not accepted.",
        "Content type 'text/plain' is not accepted; accepted: application/json, ...",
        None,
    ),
    422: (
        ErrorCode.VALIDATION_ERROR,
        "The request is well-formed but a field is invalid.",
        "Invalid 'items.0.value': Input should be a valid integer.",
        "items.0.value",
    ),
    429: (
        ErrorCode.RATE_LIMITED,
        "Too many requests; retry after the `Retry-After` seconds.",
        "Rate limit exceeded.",
        None,
    ),
    500: (
        ErrorCode.INTERNAL_ERROR,
        "Unexpected server error.",
        "An unexpected error occurred. Quote the request id when reporting it.",
        None,
    ),
    503: (
        ErrorCode.SERVICE_UNAVAILABLE,
        "A backing service is unavailable.",
        "The service is not ready.",
        None,
    ),
}


def error_example(status: int, code: str, message: str, param: str | None = None) -> dict[str, Any]:
    """An example error body for the OpenAPI document."""
    return {
        "error": {
            "type": default_error_type(status).value,
            "code": code,
            "message": message,
            "param": param,
            "request_id": _EXAMPLE_REQUEST_ID,
            "doc_url": f"{DEFAULT_DOCS_BASE_URL}#{code}",
        }
    }


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the given error statuses, e.g. `error_responses(404, 409)`.

    Each call returns a fresh dict, so callers may merge or extend it.
    """
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        if status not in _DOCUMENTED_ERRORS:
            raise ValueError(f"No documented error response for status {status}.")
        code, description, message, param = _DOCUMENTED_ERRORS[status]
        responses[status] = {
            "model": ErrorResponse,
            "description": description,
            "content": {
                "application/json": {"example": error_example(status, code, message, param)}
            },
        }
    return responses


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = error_responses(400, 413, 415, 422, 500)
"""The errors any endpoint taking a request body can return; pass as `responses=`.
Merge extra statuses with `{**ERROR_RESPONSES, **error_responses(404)}`."""
