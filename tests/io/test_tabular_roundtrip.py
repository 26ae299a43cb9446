"""Write then read every format: values, types and awkward text survive."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleara.io.tabular import (
    Row,
    TableFormat,
    open_writer,
    read_records,
    read_table,
    read_upload,
    write_bytes,
)

COLUMNS = ["id", "zip", "name", "note", "empty"]
TEXT_ROWS: list[Row] = [
    {
        "id": "1",
        "zip": "02134",
        "name": "Zoë Ångström",
        "note": "line one\nline two",
        "empty": None,
    },
    {
        "id": "2",
        "zip": "1e5",
        "name": "李小龍",
        "note": 'says "hi", then ; | tab\tend',
        "empty": None,
    },
    {"id": "3", "zip": "00000", "name": "=SUM(A1:A2)", "note": None, "empty": None},
]
EXTENSIONS = {
    TableFormat.CSV: "csv",
    TableFormat.TSV: "tsv",
    TableFormat.JSON: "json",
    TableFormat.JSONL: "jsonl",
    TableFormat.PARQUET: "parquet",
    TableFormat.XLSX: "xlsx",
}


@pytest.mark.parametrize("table_format", list(TableFormat))
def test_text_rows_survive_every_format(tmp_path: Path, table_format: TableFormat) -> None:
    path = tmp_path / f"out.{EXTENSIONS[table_format]}"
    with open_writer(path, COLUMNS) as writer:
        writer.write(TEXT_ROWS)

    columns, rows = read_records(path)

    assert columns == COLUMNS
    assert rows == TEXT_ROWS
    assert writer.rows_written == len(TEXT_ROWS)


TYPED_ROWS: list[Row] = [
    {"n": 7, "x": 1.5, "ok": True, "s": "007", "none": None},
    {"n": -3, "x": 2.0, "ok": False, "s": "", "none": None},
]


@pytest.mark.parametrize(
    "table_format", [TableFormat.JSON, TableFormat.JSONL, TableFormat.PARQUET, TableFormat.XLSX]
)
def test_typed_formats_keep_json_scalar_types(table_format: TableFormat) -> None:
    data = write_bytes(list(TYPED_ROWS[0]), TYPED_ROWS, table_format)

    columns, rows = read_upload(data, filename=f"t.{EXTENSIONS[table_format]}", content_type=None)

    assert columns == ["n", "x", "ok", "s", "none"]
    assert rows[0] == TYPED_ROWS[0]
    assert rows[1]["n"] == -3
    assert rows[1]["ok"] is False
    assert rows[1]["x"] == 2.0


@pytest.mark.parametrize("table_format", list(TableFormat))
def test_zero_rows_keep_the_header(tmp_path: Path, table_format: TableFormat) -> None:
    path = tmp_path / f"empty.{EXTENSIONS[table_format]}"
    with open_writer(path, ["a", "b"]):
        pass

    columns, rows = read_records(path)

    assert rows == []
    # A JSON document without records has no keys to name its columns.
    expected = [] if table_format in (TableFormat.JSON, TableFormat.JSONL) else ["a", "b"]
    assert columns == expected


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1252", ";"), ("cp1252", "|")],
)
def test_csv_writer_keeps_input_layout_with_like(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    source = tmp_path / "in.csv"
    lines = [f"name{delimiter}city", f"Renée{delimiter}Besançon", f"José{delimiter}Zürich"]
    source.write_bytes("\r\n".join(lines).encode(encoding) + b"")
    reader = read_table(source)
    output = tmp_path / "out.csv"

    with open_writer(output, reader.columns, like=reader) as writer:
        writer.write(reader.rows())

    assert reader.encoding == encoding
    assert reader.delimiter == delimiter
    assert output.read_bytes().decode(encoding).splitlines() == lines
    assert output.read_bytes()[:3] == source.read_bytes()[:3]  # BOM kept when there was one


def test_writer_replaces_target_only_on_success(tmp_path: Path) -> None:
    path = tmp_path / "keep.csv"
    path.write_text("a\nold\n", encoding="utf-8")

    def write_then_fail() -> None:
        with open_writer(path, ["a"]) as writer:
            writer.write([{"a": "new"}])
            raise RuntimeError("stopped half way")

    with pytest.raises(RuntimeError, match="half way"):
        write_then_fail()

    assert path.read_text(encoding="utf-8") == "a\nold\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


def test_writer_ignores_extra_keys_and_fills_missing(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with open_writer(path, ["a", "b"]) as writer:
        writer.write([{"a": "1", "zzz": "ignored"}, {"b": True}])

    assert path.read_text(encoding="utf-8") == "a,b\n1,\n,true\n"


def test_json_writer_streams_an_array() -> None:
    rows: list[Row] = [{"a": 1}, {"a": None}]
    data = write_bytes(["a"], iter(rows), "json")

    assert data == b'[\n{"a":1},\n{"a":null}\n]\n'


def test_parquet_writer_stores_mixed_columns_as_text() -> None:
    data = write_bytes(["v"], [{"v": 1}, {"v": "x"}, {"v": True}], TableFormat.PARQUET)

    assert read_upload(data, filename="m.parquet", content_type=None)[1] == [
        {"v": "1"},
        {"v": "x"},
        {"v": "true"},
    ]


cell_text = st.text(
    alphabet=st.characters(
        exclude_categories=["Cs"],
        exclude_characters="\x00\r",  # NUL is not text; lone CR is normalised by readers
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.fixed_dictionaries({"a": cell_text, "b": cell_text}).map(
            lambda row: {k: (v or None) for k, v in row.items()}
        ),
        max_size=8,
    ),
    table_format=st.sampled_from([TableFormat.CSV, TableFormat.TSV, TableFormat.JSONL]),
)
def test_any_text_round_trips(rows: list[Row], table_format: TableFormat) -> None:
    data = write_bytes(["a", "b"], rows, table_format)

    _, read_back = read_upload(data, filename=f"x.{table_format.value}", content_type=None)

    assert read_back == rows
