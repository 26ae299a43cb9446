"""JSON (an array of objects, or `{"records": [...]}`) and JSON Lines: readers and writers.

Cells keep their JSON scalar types. A nested array or object in a cell is an error naming the
record (or line) and column, rather than being silently turned into text.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO

import orjson

from cleara.io.cells import Row, RowLike, Scalar, check_json_cell
from cleara.io.errors import TableError
from cleara.io.sources import Source, open_binary

_UTF16_32_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)


def _utf8_document(data: bytes, name: str) -> bytes:
    """JSON as UTF-8 bytes: a UTF-8 BOM is dropped, UTF-16/32 with a BOM re-encoded."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    if data.startswith(_UTF16_32_BOMS):
        encoding = "utf-32" if data.startswith(_UTF16_32_BOMS[:2]) else "utf-16"
        try:
            return data.decode(encoding).encode("utf-8")
        except UnicodeDecodeError as error:
            raise TableError(f"not valid {encoding} text ({error.reason})", path=name) from None
    return data


def _scalar_row(obj: dict[str, Any], name: str, *, line: int | None, record: int | None) -> Row:
    row: Row = {}
    for key, value in obj.items():
        try:
            row[key] = check_json_cell(value)
        except TableError as error:
            raise error.located(path=name, line=line, record=record, column=key) from None
    return row


def _add_columns(columns: dict[str, None], row: Row) -> None:
    for key in row:
        columns.setdefault(key, None)


class JsonArrayReader:
    """A JSON document, loaded whole; columns are the union of keys in first-seen order."""

    encoding = "utf-8"
    delimiter = None

    def __init__(self, source: Source, name: str) -> None:
        self.name = name
        with open_binary(source, name) as stream:
            data = _utf8_document(stream.read(), name)
        self._rows = [
            _scalar_row(obj, name, line=None, record=index)
            for index, obj in enumerate(self._objects(data), start=1)
        ]
        seen: dict[str, None] = {}
        for row in self._rows:
            _add_columns(seen, row)
        self.columns = list(seen)

    def _objects(self, data: bytes) -> Iterator[dict[str, Any]]:
        try:
            document = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise TableError(
                f"invalid JSON: {error.msg}", path=self.name, line=error.lineno
            ) from None
        if isinstance(document, dict) and isinstance(document.get("records"), list):
            document = document["records"]
        if not isinstance(document, list):
            raise TableError('expected an array of objects or {"records": [...]}', path=self.name)
        for index, item in enumerate(document, start=1):
            if not isinstance(item, dict):
                raise TableError(
                    f"expected an object, found {_json_kind(item)}", path=self.name, record=index
                )
            yield item

    def iter_chunks(self, chunk_rows: int) -> Iterator[list[Row]]:
        for start in range(0, len(self._rows), chunk_rows):
            yield [
                {c: row.get(c) for c in self.columns}
                for row in self._rows[start : start + chunk_rows]
            ]


class JsonLinesReader:
    """JSON Lines, streamed line by line; a first pass validates and collects the columns."""

    encoding = "utf-8"
    delimiter = None

    def __init__(self, source: Source, name: str) -> None:
        self.source = source
        self.name = name
        seen: dict[str, None] = {}
        for _line, row in self._rows():
            _add_columns(seen, row)
        self.columns = list(seen)

    def _rows(self) -> Iterator[tuple[int, Row]]:
        with open_binary(self.source, self.name) as stream:
            for number, raw in enumerate(stream, start=1):
                text = raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw
                if not text.strip():
                    continue
                yield (
                    number,
                    _scalar_row(self._object(text, number), self.name, line=number, record=None),
                )

    def _object(self, text: bytes, line: int) -> dict[str, Any]:
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            raise TableError(
                f"invalid JSON: {error.msg} (column {error.colno})", path=self.name, line=line
            ) from None
        if not isinstance(value, dict):
            raise TableError(
                f"expected an object, found {_json_kind(value)}", path=self.name, line=line
            )
        return value

    def iter_chunks(self, chunk_rows: int) -> Iterator[list[Row]]:
        chunk: list[Row] = []
        for _line, row in self._rows():
            chunk.append({c: row.get(c) for c in self.columns})
            if len(chunk) >= chunk_rows:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "a string"


def _dump_row(columns: Sequence[str], row: RowLike) -> bytes:
    ordered: dict[str, Scalar] = {column: row.get(column) for column in columns}
    return orjson.dumps(ordered)


class JsonArrayWriter:
    """Streams a JSON array of objects, one object a line."""

    def __init__(self, stream: BinaryIO, columns: Sequence[str]) -> None:
        self.columns = list(columns)
        self._stream = stream
        self._first = True
        stream.write(b"[")

    def write_rows(self, rows: Iterable[RowLike]) -> None:
        for row in rows:
            self._stream.write(b"\n" if self._first else b",\n")
            self._stream.write(_dump_row(self.columns, row))
            self._first = False

    def finish(self) -> None:
        self._stream.write(b"]\n" if self._first else b"\n]\n")

    def abort(self) -> None:
        """Nothing to release."""


class JsonLinesWriter:
    """Writes one JSON object a line."""

    def __init__(self, stream: BinaryIO, columns: Sequence[str]) -> None:
        self.columns = list(columns)
        self._stream = stream

    def write_rows(self, rows: Iterable[RowLike]) -> None:
        for row in rows:
            self._stream.write(_dump_row(self.columns, row) + b"\n")

    def finish(self) -> None:
        self._stream.flush()

    def abort(self) -> None:
        """Nothing to release."""
