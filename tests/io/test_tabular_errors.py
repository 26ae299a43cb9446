"""Bad input gives TableError naming the file, line or record, and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleara.io.errors import TableError
from cleara.io.formats import parse_format
from cleara.io.tabular import open_writer, read_records, read_table, read_upload, write_bytes


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_ragged_row_names_file_and_line(tmp_path: Path) -> None:
    lines = ["a,b,c,d,e"] + ["1,2,3,4,5"] * 15 + ["1,2,3,4,5,6"]
    path = write(tmp_path / "contacts.csv", "\n".join(lines) + "\n")

    with pytest.raises(TableError) as caught:
        read_records(path)

    assert str(caught.value) == f"{path}, line 17: expected 5 fields, found 6"
    assert (caught.value.path, caught.value.line) == (str(path), 17)


def test_line_number_counts_embedded_newlines(tmp_path: Path) -> None:
    path = write(tmp_path / "q.csv", 'a,b\n1,"x\ny\nz"\n2\n')

    with pytest.raises(TableError, match=r"line 5: expected 2 fields, found 1"):
        read_records(path)


def test_short_row_is_an_error_too(tmp_path: Path) -> None:
    path = write(tmp_path / "short.tsv", "a\tb\n1\n")

    with pytest.raises(TableError, match=r"short.tsv, line 2: expected 2 fields, found 1"):
        read_records(path)


def test_bad_json_line_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.jsonl", '{"a": 1}\n{"a": 2}\n{"a": \n')

    with pytest.raises(TableError) as caught:
        read_table(path)

    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{path}, line 3: invalid JSON")


def test_bad_json_document_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", '[\n{"a": 1},\n{"a": }\n]')

    with pytest.raises(TableError, match=r"bad.json, line 3: invalid JSON"):
        read_table(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("nested.jsonl", '{"a": 1}\n{"a": {"b": 2}}\n', r"line 2, column 'a': nested"),
        ("nested.json", '[{"a": 1}, {"a": [1, 2]}]', r"record 2, column 'a': nested"),
        ("scalar.jsonl", '{"a": 1}\n[1]\n', r"line 2: expected an object, found an array"),
        ("scalar.json", "[1]", r"record 1: expected an object, found a number"),
        ("object.json", '{"a": 1}', r'expected an array of objects or \{"records"'),
    ],
)
def test_json_shape_errors(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = write(tmp_path / name, content)

    with pytest.raises(TableError, match=message):
        read_records(path)


def test_unknown_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "data.xyz", "a\n1\n")

    with pytest.raises(TableError, match=r"data.xyz: unknown file extension .xyz"):
        read_table(path)


def test_explicit_format_overrides_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "data.xyz", "a\n1\n")

    assert read_records(path, format="csv") == (["a"], [{"a": "1"}])


def test_unknown_format_name() -> None:
    with pytest.raises(TableError, match=r"unknown table format 'yaml'"):
        parse_format("yaml")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"

    with pytest.raises(TableError, match=r"missing.csv: file not found"):
        read_table(path)


def test_directory_is_not_a_table(tmp_path: Path) -> None:
    folder = tmp_path / "folder.csv"
    folder.mkdir()

    with pytest.raises(TableError, match=r"is a directory"):
        read_table(folder)


@pytest.mark.parametrize(
    ("name", "message"),
    [("x.parquet", "not a readable Parquet file"), ("x.xlsx", "not a readable XLSX workbook")],
)
def test_corrupt_binary_files(tmp_path: Path, name: str, message: str) -> None:
    path = write(tmp_path / name, b"this is not the format it claims" * 4)

    with pytest.raises(TableError, match=message):
        read_table(path)


def test_binary_data_in_csv_is_an_encoding_error(tmp_path: Path) -> None:
    path = write(tmp_path / "image.csv", bytes(range(256)) * 4)

    with pytest.raises(TableError, match=r"image.csv: cannot detect the text encoding"):
        read_table(path)


def test_undecodable_bytes_after_the_sample(tmp_path: Path) -> None:
    ascii_part = "a,b\n" + "x,y\n" * 20_000
    path = write(tmp_path / "mixed.csv", ascii_part.encode() + b"caf\xe9,1\n")

    reader = read_table(path)
    with pytest.raises(TableError, match=r"not valid utf-8 text"):
        list(reader)


def test_a_byte_order_mark_over_other_bytes_names_the_file(tmp_path: Path) -> None:
    # A UTF-8 byte order mark, then Windows-1252 text: the mark wins, the bytes do not decode.
    path = write(tmp_path / "export.csv", b"\xef\xbb\xbfid,name\r\n1,Jos\xe9\r\n")

    with pytest.raises(TableError, match=r"export.csv: not valid utf-8-sig text"):
        read_table(path)


def test_parquet_binary_column_is_rejected(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "blob.parquet"
    pq.write_table(pa.table({"id": [1, 2], "data": [b"ok", b"\x00"]}), path)

    with pytest.raises(TableError, match=r"record 1, column 'data': binary values"):
        read_records(path)


def test_chunk_rows_must_be_positive(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "a\n1\n")

    with pytest.raises(ValueError, match="chunk_rows"):
        read_table(path, chunk_rows=0)


def test_unencodable_output_names_the_record(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", "name\nJosé\n".encode("cp1252"))
    reader = read_table(source)

    with (
        pytest.raises(TableError, match=r"record 2: '中文' cannot be written in the cp1252"),
        open_writer(tmp_path / "out.csv", reader.columns, like=reader) as writer,
    ):
        writer.write([{"name": "ok"}, {"name": "中文"}])

    assert not (tmp_path / "out.csv").exists()


def test_parquet_type_clash_after_the_first_batch_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    with open_writer(path, ["n"]) as writer:
        writer.write([{"n": 1}, {"n": 2}])
        with pytest.raises(TableError, match=r"record 3, column 'n': value 'x' does not fit"):
            writer.write([{"n": "x"}])
        writer.write([{"n": 4}])

    assert read_records(path)[1] == [{"n": 1}, {"n": 2}, {"n": 4}]


def test_xlsx_rejects_control_characters() -> None:
    with pytest.raises(TableError, match=r"record 1, column 'a': control characters"):
        write_bytes(["a"], [{"a": "bell\x07"}], "xlsx")


def test_upload_error_uses_the_file_name() -> None:
    with pytest.raises(TableError, match=r"^people.csv, line 3: expected 2 fields, found 3$"):
        read_upload(b"a,b\n1,2\n1,2,3\n", filename="/tmp/x/people.csv", content_type=None)


def test_upload_without_a_name_is_called_upload() -> None:
    with pytest.raises(TableError, match=r"^upload, line 2: invalid JSON"):
        read_upload(b'{"a":1}\n{oops}\n', filename=None, content_type="application/x-ndjson")


def test_error_location_is_filled_in_once() -> None:
    error = TableError("bad", column="c").located(path="f.csv", line=4, column="other")

    assert str(error) == "f.csv, line 4, column 'c': bad"
    assert (error.reason, error.record) == ("bad", None)
