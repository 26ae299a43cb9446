"""POST /v1/enrich: fill missing fields of records sent as JSON or as a file upload."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from cleara.api.deps import SettingsDep
from cleara.api.errors import ApiError
from cleara.api.platform_deps import DATA_ENDPOINT, note_records
from cleara.api.schemas import ERROR_RESPONSES
from cleara.engine.enrich import EnrichResult, enrich
from cleara.engine.fields.base import JsonScalar
from cleara.engine.schema.types import column_types
from cleara.engine.table import InputError
from cleara.io.errors import TableError
from cleara.io.formats import format_from_bytes, format_from_content_type
from cleara.io.tabular import read_upload

router = APIRouter(prefix="/v1", tags=["enrich"], dependencies=[DATA_ENDPOINT])

_EXAMPLE_RECORDS: list[Any] = [
    {"zip": "02134", "city": None, "state": None, "email": "info@acme.io"},
]


class EnrichOptionsIn(BaseModel):
    """How to enrich. Every field is optional."""

    model_config = ConfigDict(extra="forbid")

    predict_missing: bool = Field(
        False, description="Also predict remaining missing values with a per-column model."
    )
    min_confidence: float = Field(
        0.9, ge=0.0, le=1.0, description="Fill only values at least this likely to be right."
    )
    fields: list[str] | None = Field(
        None, description="Enrich only these fields (`city`, `timezone`, ...) or columns."
    )


class EnrichRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={"examples": [{"records": _EXAMPLE_RECORDS, "options": {}}]},
    )

    records: list[dict[str, JsonScalar]]
    schema_: dict[str, Any] | None = Field(
        None,
        alias="schema",
        description='Column types: `{"col": "postal_code"}` or the auto-schema mapping.',
    )
    options: EnrichOptionsIn = Field(default_factory=EnrichOptionsIn)


class EnrichmentOut(BaseModel):
    row: int
    column: str
    value: JsonScalar
    source: str
    confidence: float
    explanation: str


class ConflictOut(BaseModel):
    row: int
    columns: list[str]
    code: str
    message: str


class EnrichResponse(BaseModel):
    columns: list[str]
    records: list[dict[str, JsonScalar]]
    added_columns: list[str]
    enrichments: list[EnrichmentOut]
    conflicts: list[ConflictOut]
    models: list[dict[str, Any]]


_FILE_TYPES = (
    "text/csv",
    "text/tab-separated-values",
    "application/x-ndjson",
    "application/vnd.apache.parquet",
    "application/octet-stream",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

_OPENAPI_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/EnrichRequest"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "schema": {"type": "string", "description": "JSON column types"},
                        "options": {"type": "string", "description": "JSON options object"},
                    },
                }
            },
            **{t: {"schema": {"type": "string", "format": "binary"}} for t in _FILE_TYPES},
        },
    }
}


class _Input:
    def __init__(
        self,
        records: list[dict[str, JsonScalar]],
        schema: dict[str, Any] | None,
        options: EnrichOptionsIn,
        columns: list[str] | None = None,
    ) -> None:
        self.records = records
        self.schema = schema
        self.options = options
        self.columns = columns


@router.post(
    "/enrich",
    response_model=EnrichResponse,
    responses={**ERROR_RESPONSES, 200: {"description": "Enriched records and what was filled."}},
    openapi_extra=_OPENAPI_BODY,
    summary="Fill missing fields",
)
async def enrich_table(request: Request, settings: SettingsDep) -> Any:
    """Fill missing geographic, contact and (with `predict_missing`) predictable fields.

    Send `{"records": [...], "schema": {...}, "options": {...}}` as JSON, or a table file as a
    multipart upload (`file`, with `schema` and `options` as JSON form fields) or a raw body.
    """
    body = await _read_input(request)
    if len(body.records) > settings.max_records:
        raise ApiError(
            413,
            "too_many_records",
            f"This request has {len(body.records)} records; the limit is "
            f"{settings.max_records} per request. Split the input or use `cleara enrich`.",
            param="records",
        )
    result = await run_in_threadpool(_run_enrich, body)
    note_records(len(body.records))
    return {"columns": result.columns, "records": result.records, **_report(result)}


def _report(result: EnrichResult) -> dict[str, Any]:
    report = result.report()
    return {key: report[key] for key in ("added_columns", "enrichments", "conflicts", "models")}


def _run_enrich(body: _Input) -> EnrichResult:
    try:
        schema = column_types(body.schema) if body.schema is not None else None
    except ValueError as exc:
        raise ApiError(422, "invalid_schema", str(exc), param="schema") from None
    records: Any = body.records
    if body.columns is not None:  # keep the file's column order, even for empty columns
        records = [{c: row.get(c) for c in body.columns} for row in body.records]
    options = body.options
    try:
        return enrich(
            records,
            schema=schema,
            predict_missing=options.predict_missing,
            min_confidence=options.min_confidence,
            fields=options.fields,
        )
    except InputError as exc:
        raise ApiError(422, "invalid_input", str(exc), param=_param(exc)) from None


def _param(exc: InputError) -> str | None:
    if exc.row is not None:
        return f"records.{exc.row}" + (f".{exc.column}" if exc.column else "")
    return None


async def _read_input(request: Request) -> _Input:
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        return await _read_multipart(request)
    if content_type in ("application/json", ""):
        return _parse_json_body(await request.body())
    data = await request.body()
    upload_format = format_from_content_type(content_type)
    if upload_format is None and content_type == "application/octet-stream":
        try:
            upload_format = format_from_bytes(data)
        except TableError as exc:
            raise ApiError(415, "unsupported_media_type", str(exc)) from None
    if upload_format is None:
        raise ApiError(415, "unsupported_media_type", f"Cannot read {content_type!r} bodies.")
    columns, rows = _read_file(data, f"upload.{upload_format.value}", None)
    return _Input(
        rows,
        _json_field(request.query_params.get("schema"), "schema"),
        _options(_json_field(request.query_params.get("options"), "options")),
        columns,
    )


def _parse_json_body(raw: bytes) -> _Input:
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "invalid_json", f"Request body is not valid JSON: {exc}") from None
    try:
        parsed = EnrichRequest.model_validate(payload)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
    return _Input(parsed.records, parsed.schema_, parsed.options)


async def _read_multipart(request: Request) -> _Input:
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ApiError(
            422, "missing_file", "Send the table as a form field named `file`.", param="file"
        )
    columns, rows = _read_file(await upload.read(), upload.filename, upload.content_type)
    schema = _json_field(form.get("schema"), "schema")
    options = _options(_json_field(form.get("options"), "options"))
    return _Input(rows, schema, options, columns)


def _read_file(
    data: bytes, filename: str | None, content_type: str | None
) -> tuple[list[str], list[dict[str, JsonScalar]]]:
    try:
        return read_upload(data, filename=filename, content_type=content_type)
    except TableError as exc:
        raise ApiError(422, "invalid_file", str(exc), param="file") from None


def _json_field(raw: object, name: str) -> dict[str, Any] | None:
    if raw is None or raw == "":
        return None
    try:
        value = json.loads(str(raw))
    except ValueError:
        raise ApiError(400, "invalid_json", f"`{name}` is not valid JSON.", param=name) from None
    if not isinstance(value, dict):
        raise ApiError(422, "validation_error", f"`{name}` must be a JSON object.", param=name)
    return value


def _options(raw: dict[str, Any] | None) -> EnrichOptionsIn:
    try:
        return EnrichOptionsIn.model_validate(raw or {})
    except ValidationError as exc:
        errors = [{**e, "loc": ("options", *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from None
