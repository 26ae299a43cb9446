"""Stored match indexes: deduplicate once, then match new records against the clusters.

    PUT    /v1/dedupe/indexes/{name}        deduplicate records (the body of POST /v1/dedupe)
                                            and keep the clusters and model as an index
    POST   /v1/dedupe/indexes/{name}/match  join new records to stored clusters (or new ones)
    GET    /v1/dedupe/indexes               the names of the caller's indexes
    GET    /v1/dedupe/indexes/{name}        the index's size, threshold and model
    DELETE /v1/dedupe/indexes/{name}

Indexes belong to the caller's account. These endpoints change stored state, so identical
requests are never answered from the response cache. Updates of one index (match, replace,
delete) take turns, across worker processes and hosts too (a lease in the item store): a
request that waits longer than two minutes for its turn gets 409 with `Retry-After`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from cleara.api.deps import SettingsDep, StoresDep
from cleara.api.errors import ApiError, ErrorCode
from cleara.api.platform_deps import ApiKeyGuard, note_records, request_context
from cleara.api.routers.dedupe import (
    DEDUPE_OPENAPI_BODY,
    DedupeResponse,
    max_records,
    read_dedupe_input,
    run_dedupe,
)
from cleara.api.schemas import ERROR_RESPONSES
from cleara.api.table_input import (
    check_record_limit,
    form_file,
    openapi_body,
    read_json_or_form,
    read_uploaded_table,
    record_param,
)
from cleara.engine.dedupe.incremental import MatchIndex
from cleara.engine.fields.base import JsonScalar
from cleara.engine.table import InputError
from cleara.store.base import BlobStore, Stores
from cleara.store.dedupe_index import (
    NAME_PATTERN,
    IndexBusyError,
    delete_index,
    index_lease,
    list_indexes,
    load_index,
    save_index,
)

router = APIRouter(prefix="/v1/dedupe/indexes", tags=["dedupe"])

_WRITE = Depends(ApiKeyGuard(scope="dedupe"))
_UNBILLED = Depends(ApiKeyGuard(scope="dedupe", billable=False))
IndexName = Annotated[
    str, Path(pattern=NAME_PATTERN, description="1-64 letters, digits, `_`, `.` or `-`.")
]


class IndexInfo(BaseModel):
    name: str
    records: int
    clusters: int
    threshold: float
    model: str


class IndexedDedupeResponse(DedupeResponse):
    index: IndexInfo


_MATCH_EXAMPLE: dict[str, Any] = {
    "records": [{"id": "n1", "name": "Jonathan Smith", "email": "jon.smith@example.com"}],
    "id_field": "id",
}


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_MATCH_EXAMPLE]})

    records: list[dict[str, JsonScalar]]
    id_field: str | None = Field(
        None, description="Column holding record ids; numbers after the stored records if absent."
    )


class MatchOut(BaseModel):
    id: JsonScalar
    cluster_id: int
    new_cluster: bool
    score: float = Field(description="Mean match probability with the joined cluster's members.")
    matched_ids: list[JsonScalar]
    merged_cluster_ids: list[int] = Field(
        default_factory=list,
        description="Stored clusters this record showed to be one with the joined cluster "
        "(merged into `cluster_id`; their ids are no longer used).",
    )


class IndexList(BaseModel):
    indexes: list[str]


class MatchResponse(BaseModel):
    matches: list[MatchOut]
    index: IndexInfo


@router.put(
    "/{name}",
    response_model=IndexedDedupeResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=DEDUPE_OPENAPI_BODY,
    dependencies=[_WRITE],
    summary="Deduplicate records and store the clusters as a match index",
)
async def create_index(
    name: IndexName, request: Request, settings: SettingsDep, stores: StoresDep
) -> Any:
    """The body and result of `POST /v1/dedupe`; the clusters and fitted model are kept under
    `name` (replacing an index of that name) for `POST /v1/dedupe/indexes/{name}/match`."""
    body = await read_dedupe_input(request)
    total = len(body.records) + len(body.link_records or [])
    check_record_limit(total, max_records(settings), advice="Use `cleara dedupe --index`.")
    owner = _owner(request)

    def build() -> dict[str, Any]:
        result = run_dedupe(body)
        try:
            index = MatchIndex.from_result(result)
        except InputError as exc:
            raise ApiError(422, "invalid_input", str(exc)) from None
        with _updating(stores, owner, name):  # the lease was just taken: nothing to confirm
            save_index(stores.blobs, name, index, owner)
        return {**result.as_dict(), "index": _info(name, index)}

    response = await run_in_threadpool(build)
    note_records(total)
    return response


@router.post(
    "/{name}/match",
    response_model=MatchResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(MatchRequest, {"id_field": {"type": "string"}}, raw_bodies=False),
    dependencies=[_WRITE],
    summary="Match new records against a stored index",
)
async def match_records(
    name: IndexName, request: Request, settings: SettingsDep, stores: StoresDep
) -> Any:
    """Each new record joins the stored cluster it matches best (mean match probability at or
    above the index's threshold) or starts a new one, and is added to the index. Send JSON,
    or upload `file` (with `id_field` as a form value)."""
    body = await read_json_or_form(request, MatchRequest, _match_form_payload)
    check_record_limit(len(body.records), max_records(settings), advice="Send fewer at once.")
    owner = _owner(request)

    def match() -> dict[str, Any]:
        with _updating(stores, owner, name) as confirm:
            index = _load(stores.blobs, name, owner)
            ids = _ids(body)
            try:
                outcomes = index.match(body.records, ids)
            except InputError as exc:
                raise ApiError(422, "invalid_input", str(exc), param=record_param(exc)) from None
            confirm()
            save_index(stores.blobs, name, index, owner)
        matches = [
            {"id": o.id, "cluster_id": o.cluster_id, "new_cluster": o.new_cluster,
             "score": round(o.score, 6), "matched_ids": o.matched_ids,
             "merged_cluster_ids": o.merged_cluster_ids}
            for o in outcomes
        ]  # fmt: skip
        return {"matches": matches, "index": _info(name, index)}

    response = await run_in_threadpool(match)
    note_records(len(body.records))
    return response


@router.get(
    "",
    response_model=IndexList,
    responses=ERROR_RESPONSES,
    dependencies=[_UNBILLED],
    summary="The caller's stored match indexes",
)
async def list_stored_indexes(request: Request, stores: StoresDep) -> Any:
    names = await run_in_threadpool(list_indexes, stores.blobs, _owner(request))
    return {"indexes": names}


@router.get(
    "/{name}",
    response_model=IndexInfo,
    responses=ERROR_RESPONSES,
    dependencies=[_UNBILLED],
    summary="A stored match index's size, threshold and model",
)
async def get_index(name: IndexName, request: Request, stores: StoresDep) -> Any:
    owner = _owner(request)
    index = await run_in_threadpool(_load, stores.blobs, name, owner)
    return _info(name, index)


@router.delete(
    "/{name}",
    status_code=204,
    responses=ERROR_RESPONSES,
    dependencies=[_UNBILLED],
    summary="Delete a stored match index",
)
async def remove_index(name: IndexName, request: Request, stores: StoresDep) -> Response:
    owner = _owner(request)

    def delete() -> bool:
        with _updating(stores, owner, name):
            return delete_index(stores.blobs, name, owner)

    if not await run_in_threadpool(delete):
        raise _not_found(name)
    return Response(status_code=204)


async def _match_form_payload(form: FormData) -> dict[str, Any]:
    _, records = await read_uploaded_table(form_file(form))
    payload: dict[str, Any] = {"records": records}
    id_field = form.get("id_field")
    if isinstance(id_field, str) and id_field:
        payload["id_field"] = id_field
    return payload


def _owner(request: Request) -> str:
    account = request_context(request).account
    return account.id if account is not None else "local"


@contextmanager
def _updating(stores: Stores, owner: str, name: str) -> Iterator[Callable[[], None]]:
    """One update of an index at a time, by the store's lease: across threads, processes and
    hosts alike, so every wait is bounded by the lease's. Yields the check to call right
    before saving (409 when the lease was lost or never came: nothing is saved)."""
    try:
        with index_lease(stores.items, name, owner) as lease:
            yield lease.confirm
    except IndexBusyError as exc:
        raise ApiError(409, ErrorCode.CONFLICT, f"{exc}.", param="name",
                       headers={"Retry-After": "5"}) from None  # fmt: skip


def _load(blobs: BlobStore, name: str, owner: str) -> MatchIndex:
    index = load_index(blobs, name, owner)
    if index is None:
        raise _not_found(name)
    return index


def _not_found(name: str) -> ApiError:
    return ApiError(
        404,
        ErrorCode.NOT_FOUND,
        f"No match index named {name!r}; create one with PUT /v1/dedupe/indexes/{name}.",
        param="name",
    )


def _ids(body: MatchRequest) -> list[JsonScalar] | None:
    if body.id_field is None:
        return None
    ids = []
    for row, record in enumerate(body.records):
        if record.get(body.id_field) is None:
            raise ApiError(
                422,
                "invalid_input",
                f"record {row} has no {body.id_field!r} (the id field)",
                param=f"records.{row}.{body.id_field}",
            )
        ids.append(record[body.id_field])
    return ids


def _info(name: str, index: MatchIndex) -> dict[str, Any]:
    return {
        "name": name,
        "records": len(index.ids),
        "clusters": len(index.members),
        "threshold": round(index.threshold, 6),
        "model": "supervised" if index.classifier is not None else "fellegi_sunter",
    }
