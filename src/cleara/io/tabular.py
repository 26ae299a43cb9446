"""Read and write tables: CSV, TSV, JSON, JSON Lines, Parquet and XLSX.

Reading streams chunks of rows so memory stays flat on large files::

    reader = read_table("contacts.csv")
    for chunk in reader:             # lists of at most `chunk_rows` dicts
        ...
    with open_writer("out.csv", reader.columns, like=reader) as writer:
        writer.write(rows)           # same delimiter and encoding as the input

Rows are dicts holding every column, in order, with JSON scalar values. Delimited text is read
as strings only (`02134` stays `02134`), empty cells as None. JSON keeps its scalar types and
rejects nested arrays or objects in a cell. Every failure is a `TableError` saying where.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from itertools import islice
from pathlib import Path
from typing import BinaryIO, Protocol

from cleara.io.cells import Row, RowLike, Scalar
from cleara.io.csv_format import DelimitedReader, DelimitedWriter
from cleara.io.errors import TableError
from cleara.io.formats import (
    TableFormat,
    format_from_bytes,
    format_from_content_type,
    format_from_extension,
    parse_format,
    resolve_path_format,
)
from cleara.io.json_format import JsonArrayReader, JsonArrayWriter, JsonLinesReader, JsonLinesWriter
from cleara.io.parquet_format import ParquetReader, ParquetSink
from cleara.io.sources import Source, check_readable
from cleara.io.xlsx_format import XlsxReader, XlsxSink

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "Row",
    "Scalar",
    "TableError",
    "TableFormat",
    "TableReader",
    "TableWriter",
    "open_writer",
    "read_records",
    "read_table",
    "read_upload",
    "write_bytes",
]

DEFAULT_CHUNK_ROWS = 10_000
# Rows handed to a writer backend at once (one Parquet row group each).
_WRITE_BATCH_ROWS = 10_000
_UPLOAD_NAME = "upload"


class _Backend(Protocol):
    columns: list[str]

    @property
    def encoding(self) -> str | None: ...

    @property
    def delimiter(self) -> str | None: ...

    def iter_chunks(self, chunk_rows: int) -> Iterator[list[Row]]: ...


class _Sink(Protocol):
    def write_rows(self, rows: Sequence[RowLike]) -> None: ...

    def finish(self) -> None: ...

    def abort(self) -> None: ...


class TableReader:
    """An open table: its columns and format, iterable over chunks of rows.

    Each iteration reads the source again from the start; chunks hold at most `chunk_rows`.
    `encoding` and `delimiter` are set for delimited text (`encoding` is `utf-8` for JSON).
    """

    def __init__(
        self, backend: _Backend, *, format: TableFormat, name: str, chunk_rows: int
    ) -> None:
        self._backend = backend
        self.format = format
        self.name = name
        self.chunk_rows = chunk_rows
        self.columns: list[str] = list(backend.columns)
        self.encoding: str | None = backend.encoding
        self.delimiter: str | None = backend.delimiter
        self.line_terminator: str = getattr(backend, "line_terminator", "\n")

    def __iter__(self) -> Iterator[list[Row]]:
        return self._backend.iter_chunks(self.chunk_rows)

    def rows(self) -> Iterator[Row]:
        """Every row, one at a time."""
        for chunk in self:
            yield from chunk

    def __repr__(self) -> str:
        return f"TableReader({self.name!r}, format={self.format.value}, columns={self.columns})"


def read_table(
    path: str | Path,
    *,
    format: str | TableFormat | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> TableReader:
    """Open the table at `path`; the format is `format` or implied by the extension."""
    path = Path(path)
    table_format = resolve_path_format(path, format)
    return _open_reader(path, str(path), table_format, chunk_rows)


def read_records(
    path: str | Path, *, format: str | TableFormat | None = None
) -> tuple[list[str], list[Row]]:
    """All columns and rows of a (small) table at `path`."""
    return _load_all(read_table(path, format=format))


def read_upload(
    data: bytes,
    *,
    filename: str | None,
    content_type: str | None,
    format: str | TableFormat | None = None,
) -> tuple[list[str], list[Row]]:
    """Columns and rows of an uploaded file.

    The format is `format` when given, else implied by the file name's extension, else by
    the content type, else guessed from the bytes.
    """
    name = Path(filename).name if filename else _UPLOAD_NAME
    table_format = _upload_format(data, filename, content_type, format)
    return _load_all(_open_reader(data, name, table_format, DEFAULT_CHUNK_ROWS))


def _upload_format(
    data: bytes,
    filename: str | None,
    content_type: str | None,
    explicit: str | TableFormat | None,
) -> TableFormat:
    if explicit is not None:
        return parse_format(explicit)
    by_name = format_from_extension(filename) if filename else None
    return by_name or format_from_content_type(content_type) or format_from_bytes(data)


def _load_all(reader: TableReader) -> tuple[list[str], list[Row]]:
    return reader.columns, [row for chunk in reader for row in chunk]


def _open_reader(
    source: Source, name: str, table_format: TableFormat, chunk_rows: int
) -> TableReader:
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    check_readable(source, name)
    return TableReader(
        _backend(source, name, table_format), format=table_format, name=name, chunk_rows=chunk_rows
    )


def _backend(source: Source, name: str, table_format: TableFormat) -> _Backend:
    match table_format:
        case TableFormat.CSV:
            return DelimitedReader(source, name)
        case TableFormat.TSV:
            return DelimitedReader(source, name, delimiter="\t")
        case TableFormat.JSON:
            return JsonArrayReader(source, name)
        case TableFormat.JSONL:
            return JsonLinesReader(source, name)
        case TableFormat.PARQUET:
            return ParquetReader(source, name)
        case TableFormat.XLSX:
            return XlsxReader(source, name)


@dataclass(frozen=True, slots=True)
class _TextLayout:
    delimiter: str
    encoding: str
    line_terminator: str


def _text_layout(table_format: TableFormat, like: TableReader | None) -> _TextLayout:
    """CSV/TSV output settings: those of `like` when it is delimited text, else UTF-8 and `,`."""
    delimiter = "\t" if table_format is TableFormat.TSV else ","
    if like is None or like.format not in (TableFormat.CSV, TableFormat.TSV):
        return _TextLayout(delimiter, "utf-8", "\n")
    if table_format is TableFormat.CSV and like.delimiter:
        delimiter = like.delimiter
    return _TextLayout(delimiter, like.encoding or "utf-8", like.line_terminator)


def _sink(
    stream: BinaryIO,
    columns: Sequence[str],
    table_format: TableFormat,
    like: TableReader | None,
    name: str | None,
) -> _Sink:
    match table_format:
        case TableFormat.CSV | TableFormat.TSV:
            layout = _text_layout(table_format, like)
            return DelimitedWriter(
                stream,
                columns,
                delimiter=layout.delimiter,
                encoding=layout.encoding,
                line_terminator=layout.line_terminator,
                name=name,
            )
        case TableFormat.JSON:
            return JsonArrayWriter(stream, columns)
        case TableFormat.JSONL:
            return JsonLinesWriter(stream, columns)
        case TableFormat.PARQUET:
            return ParquetSink(stream, columns, name=name)
        case TableFormat.XLSX:
            return XlsxSink(stream, columns, name=name)


class TableWriter:
    """Writes rows of `columns` (other keys are ignored, missing ones written as empty)."""

    def __init__(self, sink: _Sink, columns: Sequence[str], format: TableFormat) -> None:
        self._sink = sink
        self.columns = list(columns)
        self.format = format
        self.rows_written = 0

    def write(self, rows: Iterable[RowLike]) -> None:
        """Append `rows`."""
        iterator = iter(rows)
        while batch := list(islice(iterator, _WRITE_BATCH_ROWS)):
            self._sink.write_rows(batch)
            self.rows_written += len(batch)

    def _finish(self) -> None:
        self._sink.finish()

    def _abort(self) -> None:
        """Release the backend's resources after a failure; the output is discarded."""
        self._sink.abort()


@contextmanager
def open_writer(
    path: str | Path,
    columns: Sequence[str],
    *,
    format: str | TableFormat | None = None,
    like: TableReader | None = None,
) -> Iterator[TableWriter]:
    """Write a table to `path`, replacing it only when the block completes without error.

    The format is `format` or implied by the extension. With `like`, CSV/TSV output keeps the
    input's encoding (BOM included), delimiter and line ending.
    """
    path = Path(path)
    table_format = resolve_path_format(path, format)
    with _atomic_file(path) as stream:
        writer = TableWriter(
            _sink(stream, columns, table_format, like, str(path)), columns, table_format
        )
        try:
            yield writer
            writer._finish()
        except BaseException:
            writer._abort()
            raise


def write_bytes(
    columns: Sequence[str], rows: Iterable[RowLike], format: str | TableFormat
) -> bytes:
    """The table serialised in `format`, e.g. for an HTTP response body."""
    table_format = parse_format(format)
    stream = BytesIO()
    writer = TableWriter(_sink(stream, columns, table_format, None, None), columns, table_format)
    try:
        writer.write(rows)
        writer._finish()
    except BaseException:
        writer._abort()
        raise
    return stream.getvalue()


@contextmanager
def _atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A temporary file next to `path`, moved onto it on success and removed on failure."""
    # Opened with `open` rather than mkstemp so the file gets the usual umask permissions.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        stream = temporary.open("xb")
    except OSError as error:
        raise TableError(f"cannot write here: {error.strerror or error}", path=path) from None
    try:
        with stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
