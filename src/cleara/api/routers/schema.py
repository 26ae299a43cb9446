"""POST /v1/schema-detect: the semantic type of every column of a table."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from cleara.api.deps import SettingsDep
from cleara.api.errors import ApiError
from cleara.api.platform_deps import DATA_ENDPOINT, note_records
from cleara.api.schemas import ERROR_RESPONSES
from cleara.api.table_input import (
    check_record_limit,
    form_file,
    media_type,
    openapi_body,
    parse_json_model,
    read_raw_table,
    read_uploaded_table,
)
from cleara.engine.fields.base import JsonScalar
from cleara.engine.table import InputError

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


_OPENAPI_BODY = openapi_body(SchemaDetectRequest, {"header": {"type": "boolean"}})


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
    check_record_limit(len(records), settings.max_records, advice="Send a sample of the table.")
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
    content_type = media_type(request)
    header = request.query_params.get("header", "true").lower() not in ("false", "0", "no")
    if content_type == "multipart/form-data":
        form = await request.form()
        columns, rows = await read_uploaded_table(form_file(form))
        raw_header = str(form.get("header") or "true").lower()
        return columns, rows, raw_header not in ("false", "0", "no"), 1000
    if content_type in ("application/json", ""):
        parsed = parse_json_model(await request.body(), SchemaDetectRequest)
        return None, parsed.records, parsed.header, parsed.sample_rows
    _format, columns, rows = read_raw_table(content_type, await request.body())
    return columns, rows, header, 1000
