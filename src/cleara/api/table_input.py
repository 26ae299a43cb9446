"""Reading tables from data requests: JSON bodies, multipart uploads and raw file bodies.

Shared by the data routers (clean, enrich, dedupe, schema-detect) so that every one answers
bad input the same way: 400 `invalid_json`, 415 `unsupported_media_type`, 422 `invalid_file`
/ `missing_file` naming the form field, 413 `too_many_records`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from cleara.api.errors import ApiError
from cleara.engine.fields.base import JsonScalar
from cleara.engine.table import InputError
from cleara.io.errors import TableError
from cleara.io.formats import TableFormat, format_from_bytes, format_from_content_type
from cleara.io.tabular import read_upload

Model = TypeVar("Model", bound=BaseModel)
Rows = list[dict[str, JsonScalar]]


def media_type(request: Request) -> str:
    """The request's content type without parameters, lower-cased ('' when absent)."""
    return (request.headers.get("content-type") or "").split(";")[0].strip().lower()


def parse_json_model(raw: bytes, model: type[Model]) -> Model:
    """A JSON body validated as `model`: 400 when it is not JSON, 422 naming the field."""
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "invalid_json", f"Request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "Request body is nested too deeply.") from None
    return validate_model(payload, model)


def validate_model(payload: Any, model: type[Model], *, prefix: tuple[str, ...] = ()) -> Model:
    """`payload` validated as `model`; errors are 422s whose `param` starts with `prefix`."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        errors = [{**e, "loc": (*prefix, *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from None


def json_field(raw: object, name: str) -> dict[str, Any] | None:
    """A JSON object sent as a form field or query parameter (None when absent)."""
    if raw is None or raw == "":
        return None
    try:
        value = json.loads(str(raw))
    except (ValueError, RecursionError):
        raise ApiError(400, "invalid_json", f"`{name}` is not valid JSON.", param=name) from None
    if not isinstance(value, dict):
        raise ApiError(422, "validation_error", f"`{name}` must be a JSON object.", param=name)
    return value


async def read_json_or_form(
    request: Request,
    model: type[Model],
    form_payload: Callable[[FormData], Awaitable[dict[str, Any]]],
) -> Model:
    """A route's body as `model`: JSON, or a multipart upload that `form_payload` turns into
    the model's fields; 415 `unsupported_media_type` for anything else."""
    content_type = media_type(request)
    if content_type == "multipart/form-data":
        return validate_model(await form_payload(await request.form()), model)
    if content_type not in ("application/json", ""):
        raise ApiError(
            415,
            "unsupported_media_type",
            f"Cannot read {content_type!r} bodies; send JSON or a multipart upload.",
        )
    return parse_json_model(await request.body(), model)


def form_file(form: FormData, name: str = "file") -> UploadFile:
    """The uploaded file in form field `name`; 422 `missing_file` when there is none."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile):
        message = f"Send the table as a form field named `{name}`."
        raise ApiError(422, "missing_file", message, param=name)
    return upload


async def read_uploaded_table(upload: UploadFile, param: str = "file") -> tuple[list[str], Rows]:
    """Columns and rows of an uploaded file; 422 `invalid_file` saying where it is wrong."""
    return read_table_bytes(await upload.read(), upload.filename, upload.content_type, param)


def read_table_bytes(
    data: bytes, filename: str | None, content_type: str | None, param: str = "file"
) -> tuple[list[str], Rows]:
    try:
        return read_upload(data, filename=filename, content_type=content_type)
    except TableError as exc:
        raise ApiError(422, "invalid_file", str(exc), param=param) from None


def raw_body_format(content_type: str, data: bytes) -> TableFormat:
    """The table format of a raw request body; 415 when it is not one Cleara reads."""
    found = format_from_content_type(content_type)
    if found is None and content_type == "application/octet-stream":
        try:
            found = format_from_bytes(data)
        except TableError as exc:
            raise ApiError(415, "unsupported_media_type", str(exc)) from None
    if found is None:
        raise ApiError(415, "unsupported_media_type", f"Cannot read {content_type!r} bodies.")
    return found


def read_raw_table(content_type: str, data: bytes) -> tuple[TableFormat, list[str], Rows]:
    """Format, columns and rows of a raw table body."""
    found = raw_body_format(content_type, data)
    columns, rows = read_table_bytes(data, f"upload.{found.value}", None)
    return found, columns, rows


def check_record_limit(count: int, limit: int, *, advice: str) -> None:
    """413 `too_many_records` when a request carries more than `limit` records."""
    if count > limit:
        raise ApiError(
            413,
            "too_many_records",
            f"This request has {count} records; the limit is {limit} per request. {advice}",
            param="records",
        )


def record_param(exc: InputError) -> str | None:
    """The `param` of an error about one record (`records.3.email`)."""
    if exc.row is not None:
        return f"records.{exc.row}" + (f".{exc.column}" if exc.column else "")
    return None


RAW_TABLE_TYPES = (
    "text/csv",
    "text/tab-separated-values",
    "application/x-ndjson",
    "application/jsonl",
    "application/vnd.apache.parquet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
)
"""Raw file bodies `read_raw_table` accepts (the format is also sniffed from the bytes)."""


REQUEST_MODELS: dict[str, type[BaseModel]] = {}
"""Request models of routes that read their own bodies (`openapi_body`): the app adds their
schemas to the OpenAPI components (`add_request_models`), which FastAPI does not see."""


def openapi_body(
    model: type[BaseModel], form_fields: dict[str, dict[str, Any]], *, raw_bodies: bool = True
) -> dict[str, Any]:
    """The OpenAPI request body of a data route: a JSON model, a multipart upload with a
    required `file` and the given form fields, and (with `raw_bodies`) raw file bodies."""
    request_schema = model.__name__
    REQUEST_MODELS[request_schema] = model
    binary = {"type": "string", "format": "binary"}
    form = {
        "type": "object",
        "required": ["file"],
        "properties": {"file": binary, **form_fields},
    }
    content: dict[str, Any] = {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{request_schema}"}},
        "multipart/form-data": {"schema": form},
    }
    if raw_bodies:
        content.update({media: {"schema": binary} for media in RAW_TABLE_TYPES})
    return {"requestBody": {"required": True, "content": content}}


def add_request_models(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` (an OpenAPI document) with the schemas of REQUEST_MODELS among its components."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, model in REQUEST_MODELS.items():
        model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for definition, body in model_schema.pop("$defs", {}).items():
            components.setdefault(definition, body)
        components.setdefault(name, model_schema)
    return schema
