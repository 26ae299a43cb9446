"""POST /v1/clean: clean a table sent as JSON records or as a file upload."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
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
from cleara.engine.clean import CleanOptions, CleanResult, clean
from cleara.engine.fields.base import JsonScalar
from cleara.engine.schema.types import column_types
from cleara.engine.table import InputError
from cleara.io.formats import (
    TableFormat,
    format_from_content_type,
    format_from_extension,
)
from cleara.io.tabular import write_bytes

router = APIRouter(prefix="/v1", tags=["clean"], dependencies=[DATA_ENDPOINT])

_EXAMPLE_RECORDS: list[Any] = [
    {
        "name": "SMITH, JOHN",
        "email": " John.Smith@GMIAL.com ",
        "phone": "(415) 555-2671",
        "signup": "03/04/2021",
        "country": "usa",
    }
]


class CleanOptionsIn(BaseModel):
    """How to clean. Every field is optional."""

    model_config = ConfigDict(extra="forbid")

    columns: list[str] | None = Field(None, description="Clean only these columns.")
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$", description="Default country (ISO 3166-1 alpha-2)."
    )
    phone_format: Literal["e164", "international", "national"] = "e164"
    date_format: str | None = Field(None, description="strftime pattern; ISO 8601 when null.")
    dayfirst: bool | None = Field(None, description="Force day/month order of every date.")
    name_case: Literal["title", "keep"] = "title"
    invalid: Literal["keep", "null"] = Field(
        "keep", description="Keep invalid values as they were, or write null."
    )
    placeholders: Literal["keep", "null"] = Field(
        "keep",
        description="Keep fillers (`noemail@gmail.com`, `1900-01-01`, `Test Test`) as they "
        "were, or write null. Either way each is reported as a `*_placeholder` problem.",
    )
    check_mx: bool = False

    def to_engine(self) -> CleanOptions:
        values = self.model_dump()
        values["columns"] = tuple(self.columns) if self.columns is not None else None
        return CleanOptions(**values)


class CleanRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={
            "examples": [{"records": _EXAMPLE_RECORDS, "options": {"country": "US"}}]
        },
    )

    records: list[dict[str, JsonScalar]]
    schema_: dict[str, Any] | None = Field(
        None,
        alias="schema",
        description='Column types: `{"col": "email"}` or the auto-schema mapping.',
    )
    options: CleanOptionsIn = Field(default_factory=CleanOptionsIn)


class ChangeOut(BaseModel):
    row: int
    column: str
    before: JsonScalar
    after: JsonScalar
    rule: str
    confidence: float


class ProblemOut(BaseModel):
    row: int
    column: str
    code: str
    severity: str
    message: str


class ColumnSummaryOut(BaseModel):
    column: str
    type: str
    cleaner: str
    type_source: str
    values: int
    changed: int
    invalid: int
    null: int
    issues: dict[str, int]
    inferred: dict[str, Any]


class CleanResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "columns": ["email"],
                    "records": [{"email": "john.smith@gmail.com"}],
                    "changes": [
                        {
                            "row": 0,
                            "column": "email",
                            "before": " John.Smith@GMIAL.com ",
                            "after": "john.smith@gmail.com",
                            "rule": "email.typo",
                            "confidence": 0.9,
                        }
                    ],
                    "problems": [],
                    "summary": [],
                }
            ]
        }
    )

    columns: list[str]
    records: list[dict[str, JsonScalar]]
    changes: list[ChangeOut]
    problems: list[ProblemOut]
    summary: list[ColumnSummaryOut]


_MEDIA_TYPES = {
    TableFormat.CSV: "text/csv",
    TableFormat.TSV: "text/tab-separated-values",
    TableFormat.JSON: "application/json",
    TableFormat.JSONL: "application/x-ndjson",
    TableFormat.PARQUET: "application/vnd.apache.parquet",
    TableFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

_OPENAPI_BODY = openapi_body(
    CleanRequest,
    {
        "schema": {"type": "string", "description": "JSON column types"},
        "options": {"type": "string", "description": "JSON options object"},
        "output": {"type": "string", "enum": ["json", "file"]},
    },
)


@router.post(
    "/clean",
    response_model=CleanResponse,
    responses={
        **ERROR_RESPONSES,
        200: {
            "description": "Cleaned records with the change log, problems and summary; "
            "or the cleaned file in the upload's format when `output=file`.",
        },
    },
    openapi_extra=_OPENAPI_BODY,
    summary="Clean a table",
)
async def clean_table(request: Request, settings: SettingsDep) -> Any:
    """Clean records sent as JSON, as a multipart upload (`file`) or as a raw file body.

    For uploads, `output=file` (form field or query parameter) returns the cleaned file in
    the same format, with the counts in `Cleara-Changes` and `Cleara-Problems` headers.
    """
    body = await _read_input(request)
    check_record_limit(
        len(body.records), settings.max_records, advice="Split the input or use `cleara clean`."
    )
    result = await run_in_threadpool(_run_clean, body)
    note_records(len(body.records))
    if body.output_format is not None:
        return _file_response(result, body.output_format)
    return {
        "columns": result.columns,
        "records": result.records,
        **result.report(),
    }


class _Input:
    def __init__(
        self,
        records: list[dict[str, JsonScalar]],
        schema: dict[str, Any] | None,
        options: CleanOptionsIn,
        output_format: TableFormat | None = None,
        columns: list[str] | None = None,
    ) -> None:
        self.records = records
        self.schema = schema
        self.options = options
        self.output_format = output_format
        self.columns = columns


def _run_clean(body: _Input) -> CleanResult:
    try:
        schema = column_types(body.schema) if body.schema is not None else None
    except ValueError as exc:
        raise ApiError(422, "invalid_schema", str(exc), param="schema") from None
    try:
        records: Any = body.records
        if body.columns is not None:  # keep the file's column order, even for empty columns
            records = [{c: row.get(c) for c in body.columns} for row in body.records]
        return clean(records, schema=schema, options=body.options.to_engine())
    except InputError as exc:
        raise ApiError(422, "invalid_input", str(exc), param=_param(exc)) from None


def _param(exc: InputError) -> str | None:
    if exc.row is None and exc.column is not None:
        return f"schema.{exc.column}"
    return record_param(exc)


async def _read_input(request: Request) -> _Input:
    content_type = media_type(request)
    if content_type == "multipart/form-data":
        return await _read_multipart(request)
    if content_type in ("application/json", ""):
        parsed = parse_json_model(await request.body(), CleanRequest)
        return _Input(parsed.records, parsed.schema_, parsed.options)
    params = request.query_params
    file_format, columns, rows = read_raw_table(content_type, await request.body())
    return _Input(
        rows,
        json_field(params.get("schema"), "schema"),
        _options(json_field(params.get("options"), "options")),
        _output_format(params.get("output", "json"), file_format),
        columns,
    )


async def _read_multipart(request: Request) -> _Input:
    form = await request.form()
    upload = form_file(form)
    columns, rows = await read_uploaded_table(upload)
    schema = json_field(form.get("schema"), "schema")
    options = _options(json_field(form.get("options"), "options"))
    output = form.get("output") or request.query_params.get("output", "json")
    file_format = (
        format_from_extension(upload.filename) if upload.filename else None
    ) or format_from_content_type(upload.content_type)
    return _Input(rows, schema, options, _output_format(str(output), file_format), columns)


def _options(raw: dict[str, Any] | None) -> CleanOptionsIn:
    return validate_model(raw or {}, CleanOptionsIn, prefix=("options",))


def _output_format(output: str, file_format: TableFormat | None) -> TableFormat | None:
    if output == "json":
        return None
    if output != "file":
        raise ApiError(
            422, "validation_error", "`output` must be `json` or `file`.", param="output"
        )
    return file_format or TableFormat.CSV


def _file_response(result: CleanResult, file_format: TableFormat) -> Response:
    data = write_bytes(result.columns, result.records, file_format)
    extension = file_format.value
    return Response(
        content=data,
        media_type=_MEDIA_TYPES[file_format],
        headers={
            "Content-Disposition": f'attachment; filename="cleaned.{extension}"',
            "Cleara-Changes": str(len(result.changes)),
            "Cleara-Problems": str(len(result.problems)),
        },
    )
