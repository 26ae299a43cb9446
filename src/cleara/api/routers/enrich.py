"""POST /v1/enrich: fill missing fields of records sent as JSON or as a file upload."""

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
    json_field,
    media_type,
    openapi_body,
    parse_json_model,
    read_raw_table,
    read_uploaded_table,
    record_param,
    validate_model,
)
from cleara.engine.enrich import EnrichResult, enrich
from cleara.engine.fields.base import JsonScalar
from cleara.engine.schema.types import column_types
from cleara.engine.table import InputError

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


_OPENAPI_BODY = openapi_body(
    EnrichRequest,
    {
        "schema": {"type": "string", "description": "JSON column types"},
        "options": {"type": "string", "description": "JSON options object"},
    },
)


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
    check_record_limit(
        len(body.records), settings.max_records, advice="Split the input or use `cleara enrich`."
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
        raise ApiError(422, "invalid_input", str(exc), param=record_param(exc)) from None


async def _read_input(request: Request) -> _Input:
    content_type = media_type(request)
    if content_type == "multipart/form-data":
        form = await request.form()
        columns, rows = await read_uploaded_table(form_file(form))
        schema = json_field(form.get("schema"), "schema")
        return _Input(rows, schema, _options(json_field(form.get("options"), "options")), columns)
    if content_type in ("application/json", ""):
        parsed = parse_json_model(await request.body(), EnrichRequest)
        return _Input(parsed.records, parsed.schema_, parsed.options)
    params = request.query_params
    _format, columns, rows = read_raw_table(content_type, await request.body())
    return _Input(
        rows,
        json_field(params.get("schema"), "schema"),
        _options(json_field(params.get("options"), "options")),
        columns,
    )


def _options(raw: dict[str, Any] | None) -> EnrichOptionsIn:
    return validate_model(raw or {}, EnrichOptionsIn, prefix=("options",))
