"""POST /v1/dedupe: find duplicates in records, or matches between two tables."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from cleara.api.deps import SettingsDep
from cleara.api.errors import ApiError
from cleara.api.platform_deps import DATA_ENDPOINT, note_records
from cleara.api.schemas import ERROR_RESPONSES
from cleara.api.table_input import (
    check_record_limit,
    form_file,
    openapi_body,
    read_json_or_form,
    read_uploaded_table,
)
from cleara.engine.dedupe.pipeline import DedupeOptions, DedupeResult, dedupe
from cleara.engine.fields.base import JsonScalar
from cleara.engine.schema.types import column_types
from cleara.engine.table import InputError
from cleara.settings import Settings

router = APIRouter(prefix="/v1", tags=["dedupe"], dependencies=[DATA_ENDPOINT])

DEFAULT_MAX_RECORDS = 10_000
"""Records (both tables together) one synchronous request may hold, unless the setting
`dedupe_max_records` says otherwise; larger inputs go through `cleara dedupe`."""

_EXAMPLE: dict[str, Any] = {
    "records": [
        {"id": "a1", "name": "Jon Smith", "email": "jon.smith@example.com", "city": "Boston"},
        {"id": "a2", "name": "John Smith", "email": "JON.SMITH@example.com", "city": "Boston"},
        {"id": "a3", "name": "Mary Jones", "email": "mary@example.org", "city": "Denver"},
    ],
    "id_field": "id",
    "threshold": "auto",
}


class LabelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    left_id: JsonScalar
    right_id: JsonScalar
    match: bool


class FieldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    type: str | None = Field(None, description="Semantic type or comparison kind.")
    right: str | None = Field(None, description="The column's name in `link_records`.")


class DedupeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, json_schema_extra={"examples": [_EXAMPLE]}
    )

    records: list[dict[str, JsonScalar]]
    link_records: list[dict[str, JsonScalar]] | None = Field(
        None, description="A second table: match `records` against it instead of deduplicating."
    )
    id_field: str | None = Field(
        None, description="Column holding record ids; row numbers if absent."
    )
    link_id_field: str | None = Field(
        None,
        description="The id column of `link_records`, where it has another name than "
        "`id_field`; `id_field` if absent.",
    )
    fields: list[str | FieldIn] | None = Field(
        None, description="Columns to compare; all if absent."
    )
    labels: list[LabelIn] | None = Field(
        None, description="Known pairs; with them a classifier is trained."
    )
    schema_: dict[str, Any] | None = Field(
        None,
        alias="schema",
        description='Column types: `{"col": "phone"}` or the schema-detect mapping; '
        "detected where absent.",
    )
    country: str | None = Field(
        None,
        pattern=r"^[A-Za-z]{2}$",
        description="Default country (ISO alpha-2) of phones, dates and addresses.",
    )
    threshold: Literal["auto"] | float = Field(
        "auto", description='"auto" or a match probability between 0 and 1.'
    )
    best_match: bool = Field(
        True,
        description="When linking: a pair links only as the best candidate of one of its "
        "records. Turn off when a table lists one entity several times.",
    )
    clean: bool = Field(
        False,
        description="Clean the records first, as POST /v1/clean does: golden records hold "
        "clean values, and spellings of one value count as one when the most frequent is "
        "chosen.",
    )


class PairOut(BaseModel):
    left_id: JsonScalar
    right_id: JsonScalar
    score: float
    explanation: dict[str, Any]


class ClusterOut(BaseModel):
    id: int
    members: list[Any]
    golden: dict[str, JsonScalar]
    provenance: dict[str, Any]


class DedupeResponse(BaseModel):
    clusters: list[ClusterOut]
    pairs: list[PairOut]
    threshold: float
    model: str
    fields: list[dict[str, Any]]
    stats: dict[str, Any]


DEDUPE_OPENAPI_BODY = openapi_body(
    DedupeRequest,
    {
        "link_file": {"type": "string", "format": "binary"},
        "id_field": {"type": "string"},
        "link_id_field": {"type": "string"},
        "fields": {"type": "string", "description": "JSON list of fields"},
        "schema": {"type": "string", "description": "JSON object of column types"},
        "country": {"type": "string"},
        "labels": {"type": "string", "description": "JSON list of labels"},
        "threshold": {"type": "string", "description": '"auto" or a number'},
        "best_match": {"type": "boolean"},
    },
    raw_bodies=False,
)


@router.post(
    "/dedupe",
    response_model=DedupeResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=DEDUPE_OPENAPI_BODY,
    summary="Find duplicate records or link two tables",
)
async def dedupe_records(request: Request, settings: SettingsDep) -> Any:
    """Cluster duplicate records with golden records, and list matched pairs with the
    per-field explanation of their score. Send JSON, or upload `file` (and `link_file`)."""
    body = await read_dedupe_input(request)
    total = len(body.records) + len(body.link_records or [])
    check_record_limit(
        total, max_records(settings), advice="Use `cleara dedupe` for larger inputs."
    )
    result = await run_in_threadpool(lambda: run_dedupe(body).as_dict())
    note_records(total)
    return result


def max_records(settings: Settings) -> int:
    """The synchronous record limit (setting `dedupe_max_records`, default 10,000)."""
    value = getattr(settings, "dedupe_max_records", None)
    return int(value) if isinstance(value, int) and value > 0 else DEFAULT_MAX_RECORDS


def run_dedupe(body: DedupeRequest) -> DedupeResult:
    """`dedupe()` on a request's records; InputError becomes a 422 naming the parameter."""
    fields = (
        [f if isinstance(f, str) else f.model_dump(exclude_none=True) for f in body.fields]
        if body.fields
        else None
    )
    labels = [label.model_dump() for label in body.labels] if body.labels else None
    try:
        schema = column_types(body.schema_) if body.schema_ is not None else None
    except ValueError as exc:
        raise ApiError(422, "invalid_schema", str(exc), param="schema") from None
    country = body.country.upper() if body.country else None
    try:
        result = dedupe(
            body.records,
            body.link_records,
            id_field=body.id_field,
            link_id_field=body.link_id_field,
            fields=fields,
            labels=labels,
            threshold=body.threshold,
            schema=schema,
            options=DedupeOptions(best_match=body.best_match, clean=body.clean, country=country),
        )
    except InputError as exc:
        raise ApiError(422, "invalid_input", str(exc), param=_param(exc, body)) from None
    return result


def _param(exc: InputError, body: DedupeRequest) -> str | None:
    reason = exc.reason
    if "id field" in reason and reason.startswith("link_records") and body.link_id_field:
        return "link_id_field"
    if "label" in reason:
        return "labels" + (f".{exc.row}" if exc.row is not None else "")
    if "threshold" in reason:
        return "threshold"
    if "id field" in reason:
        return "id_field"
    if "fields" in reason or "type" in reason:
        return "fields"
    if exc.row is not None:
        return f"records.{exc.row}" + (f".{exc.column}" if exc.column else "")
    return None


async def read_dedupe_input(request: Request) -> DedupeRequest:
    """The request's JSON body or multipart upload as a DedupeRequest."""
    return await read_json_or_form(request, DedupeRequest, _form_payload)


async def _form_payload(form: FormData) -> dict[str, Any]:
    _, records = await read_uploaded_table(form_file(form))
    payload: dict[str, Any] = {"records": records}
    link = form.get("link_file")
    if isinstance(link, UploadFile):
        _, payload["link_records"] = await read_uploaded_table(link, "link_file")
    for name in ("id_field", "link_id_field", "threshold", "best_match", "clean", "country"):
        value = form.get(name)
        if isinstance(value, str) and value:
            payload[name] = _number_or_text(value) if name == "threshold" else value
    for name in ("fields", "labels", "schema"):
        value = form.get(name)
        if isinstance(value, str) and value:
            try:
                payload[name] = json.loads(value)
            except (ValueError, RecursionError):
                raise ApiError(
                    400, "invalid_json", f"`{name}` is not valid JSON.", param=name
                ) from None
    return payload


def _number_or_text(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value
