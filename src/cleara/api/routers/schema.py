"""POST /v1/schema-detect: the semantic type of every column of a table."""

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
from cleara.engine.fields.base import JsonScalar
from cleara.engine.table import InputError
from cleara.io.errors import TableError
from cleara.io.formats import format_from_content_type
from cleara.io.tabular import read_upload

router = APIRouter(prefix="/v1", tags=["schema"], dependencies=[DATA_ENDPOINT])


class SchemaDetectRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "records": [
                        {
                            "E-mail Addr": "ann@example.com",
                            "Tel.": "+1 415 555 2671",
                            "PLZ": "10115",
                        }
                    ]
                }
            ]
        },
    )

    records: list[dict[str, JsonScalar]]
    header: bool = Field(True, description="False ignores column names (values only).")
    sample_rows: int = Field(1000, ge=1, le=100_000, description="Rows sampled for values.")


class AlternativeOut(BaseModel):
    type: str
    confidence: float


class ColumnOut(BaseModel):
    name: str
    type: str
    confidence: float
    alternatives: list[AlternativeOut]
    nullable: bool
    unique: bool
    evidence: dict[str, Any]


class SchemaDetectResponse(BaseModel):
    columns: list[ColumnOut]
    json_schema: dict[str, Any]
    mapping: dict[str, Any] = Field(description="Pass as `schema` to POST /v1/clean.")
    rows_sampled: int
    model: dict[str, Any]


_OPENAPI_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/SchemaDetectRequest"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "header": {"type": "boolean"},
                    },
                }
            },
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post(
    "/schema-detect",
    response_model=SchemaDetectResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=_OPENAPI_BODY,
    summary="Detect column types",
)
async def schema_detect(request: Request, settings: SettingsDep) -> dict[str, Any]:
    """Detect the semantic type of each column (records as JSON, or a file upload)."""
    columns, records, header, sample_rows = await _read_input(request)
    if len(records) > settings.max_records:
        raise ApiError(
            413,
            "too_many_records",
            f"This request has {len(records)} records; the limit is {settings.max_records} "
            "per request. Send a sample of the table.",
            param="records",
        )
    result = await run_in_threadpool(_detect, columns, records, header, sample_rows)
    note_records(len(records))
    return result


def _detect(
    columns: list[str] | None,
    records: list[dict[str, JsonScalar]],
    header: bool,
    sample_rows: int,
) -> dict[str, Any]:
    from cleara.engine.schema.detect import detect_columns, detect_schema

    try:
        if columns is None:
            result = detect_schema(records, header=header, sample_rows=sample_rows)
        else:
            result = detect_columns(columns, records, header=header, sample_rows=sample_rows)
    except InputError as exc:
        raise ApiError(422, "invalid_input", str(exc), param="records") from None
    return {**result.as_dict(), "mapping": result.mapping()}


async def _read_input(
    request: Request,
) -> tuple[list[str] | None, list[dict[str, JsonScalar]], bool, int]:
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    header = request.query_params.get("header", "true").lower() not in ("false", "0", "no")
    if content_type == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(
                422, "missing_file", "Send the table as a form field named `file`.", param="file"
            )
        raw_header = str(form.get("header") or "true").lower()
        columns, rows = _read_file(await upload.read(), upload.filename, upload.content_type)
        return columns, rows, raw_header not in ("false", "0", "no"), 1000
    if content_type in ("application/json", ""):
        parsed = _parse_json(await request.body())
        return None, parsed.records, parsed.header, parsed.sample_rows
    if format_from_content_type(content_type) is None:
        raise ApiError(415, "unsupported_media_type", f"Cannot read {content_type!r} bodies.")
    columns, rows = _read_file(await request.body(), None, content_type)
    return columns, rows, header, 1000


def _parse_json(raw: bytes) -> SchemaDetectRequest:
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "invalid_json", f"Request body is not valid JSON: {exc}") from None
    try:
        return SchemaDetectRequest.model_validate(payload)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


def _read_file(
    data: bytes, filename: str | None, content_type: str | None
) -> tuple[list[str], list[dict[str, JsonScalar]]]:
    try:
        return read_upload(data, filename=filename, content_type=content_type)
    except TableError as exc:
        raise ApiError(422, "invalid_file", str(exc), param="file") from None
