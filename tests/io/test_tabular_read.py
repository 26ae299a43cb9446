"""Reading: encodings, delimiters, headers, streaming in chunks, cell conversion."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from cleara.io.tabular import TableFormat, read_records, read_table, read_upload


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "people.csv", "name,city\nRenée,Besançon\nJosé,Zürich\n", encoding)

    reader = read_table(path)

    assert reader.columns == ["name", "city"]
    assert list(reader.rows()) == [
        {"name": "Renée", "city": "Besançon"},
        {"name": "José", "city": "Zürich"},
    ]


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"id,name\n1,x\n")

    reader = read_table(path)

    assert reader.encoding == "utf-8-sig"
    assert reader.columns == ["id", "name"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    lines = ["id", "name", "city"], ["1", "Ann", "Oslo"], ["2", "Bob", "Rome"]
    path = write(tmp_path / "data.txt", "\n".join(delimiter.join(row) for row in lines) + "\n")

    reader = read_table(path)

    assert reader.delimiter == delimiter
    assert reader.columns == ["id", "name", "city"]
    assert next(reader.rows()) == {"id": "1", "name": "Ann", "city": "Oslo"}


def test_semicolon_csv_with_decimal_commas(tmp_path: Path) -> None:
    path = write(tmp_path / "de.csv", "Artikel;Preis\nTee;3,50\nKaffee;12,00\n")

    columns, rows = read_records(path)

    assert columns == ["Artikel", "Preis"]
    assert rows == [{"Artikel": "Tee", "Preis": "3,50"}, {"Artikel": "Kaffee", "Preis": "12,00"}]


def test_tsv_extension_forces_tab(tmp_path: Path) -> None:
    path = write(tmp_path / "data.tsv", "a\tb\n1,5\t2;3\n")

    reader = read_table(path)

    assert reader.format is TableFormat.TSV
    assert list(reader.rows()) == [{"a": "1,5", "b": "2;3"}]


def test_single_column_csv(tmp_path: Path) -> None:
    path = write(tmp_path / "one.csv", "email\na@example.com\nb@example.com\n")

    assert read_records(path) == (
        ["email"],
        [{"email": "a@example.com"}, {"email": "b@example.com"}],
    )


def test_cells_stay_strings_and_empty_cells_are_none(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", 'zip,n,f,flag,blank\n02134,007,1e5,true,\n"",0,-0.0,,  \n')

    _, rows = read_records(path)

    assert rows == [
        {"zip": "02134", "n": "007", "f": "1e5", "flag": "true", "blank": None},
        {"zip": None, "n": "0", "f": "-0.0", "flag": None, "blank": "  "},
    ]


def test_quoted_fields_with_newlines_and_crlf(tmp_path: Path) -> None:
    path = write(tmp_path / "q.csv", 'id,note\r\n1,"first\r\nsecond"\r\n2,"a ""quote"""\r\n')

    reader = read_table(path)

    assert reader.line_terminator == "\r\n"
    assert list(reader.rows()) == [
        {"id": "1", "note": "first\r\nsecond"},
        {"id": "2", "note": 'a "quote"'},
    ]


def test_duplicate_and_blank_headers_become_unique(tmp_path: Path) -> None:
    path = write(tmp_path / "h.csv", "col,col,, name ,col_2\n1,2,3,4,5\n")

    reader = read_table(path)

    assert reader.columns == ["col", "col_3", "column_3", "name", "col_2"]
    assert next(reader.rows()) == {
        "col": "1",
        "col_3": "2",
        "column_3": "3",
        "name": "4",
        "col_2": "5",
    }


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "b.csv", "\na,b\n\n1,2\n\n")

    assert read_records(path) == (["a", "b"], [{"a": "1", "b": "2"}])


def test_empty_file_has_no_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.csv", "")

    assert read_records(path) == ([], [])


@pytest.mark.parametrize("table_format", ["csv", "jsonl"])
def test_large_file_streams_in_chunks(tmp_path: Path, table_format: str) -> None:
    total = 25_003
    path = tmp_path / f"big.{table_format}"
    with path.open("w", encoding="utf-8") as handle:
        if table_format == "csv":
            handle.write("id,code\n")
            handle.writelines(f"{i},{i:06d}\n" for i in range(total))
        else:
            handle.writelines(
                json.dumps({"id": i, "code": f"{i:06d}"}) + "\n" for i in range(total)
            )

    chunks = list(read_table(path, chunk_rows=10_000))

    assert [len(chunk) for chunk in chunks] == [10_000, 10_000, 5_003]
    assert chunks[-1][-1]["code"] == f"{total - 1:06d}"
    assert len({str(row["id"]) for chunk in chunks for row in chunk}) == total


def test_parquet_streams_in_batches(tmp_path: Path) -> None:
    path = tmp_path / "big.parquet"
    table = pa.table({"id": list(range(2_500)), "name": [f"n{i}" for i in range(2_500)]})
    pq.write_table(table, path, row_group_size=1_000)

    chunks = list(read_table(path, chunk_rows=600))

    assert all(0 < len(chunk) <= 600 for chunk in chunks)
    assert [row["id"] for chunk in chunks for row in chunk] == list(range(2_500))


def test_reading_twice_gives_the_same_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "a\n1\n2\n")
    reader = read_table(path)

    assert list(reader.rows()) == list(reader.rows())


def test_json_array_and_records_document(tmp_path: Path) -> None:
    array = write(tmp_path / "a.json", '[{"a": 1, "b": "x"}, {"b": null, "c": true}]')
    wrapped = write(
        tmp_path / "w.json", '{"records": [{"a": 1, "b": "x"}, {"b": null, "c": true}]}'
    )

    expected = (
        ["a", "b", "c"],
        [{"a": 1, "b": "x", "c": None}, {"a": None, "b": None, "c": True}],
    )
    assert read_records(array) == expected
    assert read_records(wrapped) == expected


def test_jsonl_unions_keys_and_skips_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "r.ndjson", '{"a": 1}\n\n{"b": 2.5, "a": "02134"}\n')

    assert read_records(path) == (["a", "b"], [{"a": 1, "b": None}, {"a": "02134", "b": 2.5}])


def test_parquet_cells_become_json_scalars(tmp_path: Path) -> None:
    path = tmp_path / "typed.parquet"
    table = pa.table(
        {
            "day": pa.array([dt.date(2024, 2, 29), None]),
            "at": pa.array([dt.datetime(2024, 1, 2, 3, 4, 5), None]),
            "amount": pa.array([Decimal("12.50"), None], pa.decimal128(10, 2)),
            "ratio": pa.array([float("nan"), 0.25]),
            "label": pa.array(["a", "b"]).dictionary_encode(),
        }
    )
    pq.write_table(table, path)

    _, rows = read_records(path)

    assert rows == [
        {
            "day": "2024-02-29",
            "at": "2024-01-02T03:04:05",
            "amount": "12.50",
            "ratio": None,
            "label": "a",
        },
        {"day": None, "at": None, "amount": None, "ratio": 0.25, "label": "b"},
    ]


def test_xlsx_cells_become_json_scalars(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["zip", "count", "when", "day", None, "amount"])
    sheet.append(["02134", 3, dt.datetime(2024, 5, 6, 7, 8), dt.date(2024, 5, 6), "x", 1.25])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["99999", True, None, None, None, ""])
    sheet["D2"].number_format = "yyyy-mm-dd"
    workbook.save(path)

    columns, rows = read_records(path)

    assert columns == ["zip", "count", "when", "day", "column_5", "amount"]
    assert rows == [
        {
            "zip": "02134",
            "count": 3,
            "when": "2024-05-06T07:08:00",
            "day": "2024-05-06",
            "column_5": "x",
            "amount": 1.25,
        },
        {
            "zip": "99999",
            "count": True,
            "when": None,
            "day": None,
            "column_5": None,
            "amount": None,
        },
    ]


@pytest.mark.parametrize(
    ("filename", "content_type", "data", "expected_columns"),
    [
        ("people.csv", None, b"a;b\n1;2\n", ["a", "b"]),
        (None, "text/csv; charset=utf-8", b"a,b\n1,2\n", ["a", "b"]),
        (None, "application/x-ndjson", b'{"a":1,"b":2}\n', ["a", "b"]),
        ("upload.bin", "application/json", b'[{"a":1,"b":2}]', ["a", "b"]),
        (None, "application/octet-stream", b'{"records":[{"a":1,"b":2}]}', ["a", "b"]),
        (None, None, b'{"a":1,"b":2}\n{"a":3}\n', ["a", "b"]),
        (None, None, b"a\tb\n1\t2\n", ["a", "b"]),
    ],
)
def test_upload_format_from_name_type_or_content(
    filename: str | None, content_type: str | None, data: bytes, expected_columns: list[str]
) -> None:
    columns, rows = read_upload(data, filename=filename, content_type=content_type)

    assert columns == expected_columns
    assert rows[0]["a"] in ("1", 1)


def test_upload_of_binary_formats_is_recognised_by_magic_bytes(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"a": [1]}), path)

    assert read_upload(path.read_bytes(), filename=None, content_type=None) == (["a"], [{"a": 1}])
