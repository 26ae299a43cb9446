"""The shared OpenAPI request body of the data routes."""

from __future__ import annotations

from pathlib import Path

from api_testkit import make_settings, make_stores
from pydantic import BaseModel

from cleara.api.app import create_app
from cleara.api.table_input import RAW_TABLE_TYPES, openapi_body


def test_every_data_route_documents_what_it_reads(tmp_path: Path) -> None:
    paths = create_app(make_settings(tmp_path), stores=make_stores()).openapi()["paths"]
    for route, raw in (("/v1/clean", True), ("/v1/enrich", True), ("/v1/schema-detect", True),
                       ("/v1/dedupe", False)):  # fmt: skip
        content = paths[route]["post"]["requestBody"]["content"]
        assert "application/json" in content
        assert content["multipart/form-data"]["schema"]["required"] == ["file"]
        assert all((media in content) == raw for media in RAW_TABLE_TYPES), route


class ExampleRequest(BaseModel):
    rows: list[int]


def test_form_fields_sit_next_to_the_file() -> None:
    body = openapi_body(ExampleRequest, {"header": {"type": "boolean"}}, raw_bodies=False)
    form = body["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert set(form["properties"]) == {"file", "header"}
    assert set(body["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
