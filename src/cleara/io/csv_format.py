"""Delimited text (CSV, TSV): encoding and delimiter detection, streaming reader, writer.

Every cell is read as a string, so `02134` and `1e5` keep their exact text; empty cells are
None. Duplicate or blank headers are made unique, and a row whose field count differs from the
header's is an error naming its line.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import BinaryIO

from cleara.io.cells import Row, RowLike, cell_text, unique_headers
from cleara.io.encoding import SAMPLE_BYTES, detect_encoding
from cleara.io.errors import TableError
from cleara.io.sources import Source, open_binary

CANDIDATE_DELIMITERS = ",;\t|"
# The delimiter is judged on this many leading lines of the sample.
_SNIFF_LINES = 50


class DelimitedReader:
    """Streams rows of a delimited text file; the header is read on construction."""

    def __init__(self, source: Source, name: str, *, delimiter: str | None = None) -> None:
        self.source = source
        self.name = name
        with open_binary(source, name) as stream:
            sample = stream.read(SAMPLE_BYTES)
        self.encoding = detect_encoding(sample, name=name)
        text = _decode_sample(
            sample, self.encoding, truncated=len(sample) == SAMPLE_BYTES, name=name
        )
        self.delimiter = delimiter or sniff_delimiter(text)
        self.line_terminator = "\r\n" if "\r\n" in text else "\n"
        self.columns = unique_headers(self._header())

    def _header(self) -> list[str]:
        with self._records() as records:
            for _line, fields in records:
                return fields
        return []

    def iter_chunks(self, chunk_rows: int) -> Iterator[list[Row]]:
        """Rows in lists of at most `chunk_rows`, after the header."""
        width = len(self.columns)
        chunk: list[Row] = []
        with self._records() as records:
            next(records, None)  # the header
            for line, fields in records:
                if len(fields) != width:
                    raise TableError(
                        f"expected {width} fields, found {len(fields)}", path=self.name, line=line
                    )
                chunk.append(self._row(fields))
                if len(chunk) >= chunk_rows:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    def _row(self, fields: list[str]) -> Row:
        return {c: v if v != "" else None for c, v in zip(self.columns, fields, strict=True)}

    @contextmanager
    def _records(self) -> Iterator[Iterator[tuple[int, list[str]]]]:
        """Non-blank records with the 1-based line each starts on."""
        with (
            open_binary(self.source, self.name) as stream,
            io.TextIOWrapper(stream, encoding=self.encoding, newline="") as text,
        ):
            yield self._parse(text)

    def _parse(self, text: io.TextIOWrapper) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(text, delimiter=self.delimiter)
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise TableError(str(error), path=self.name, line=line) from None
            except UnicodeDecodeError as error:
                raise TableError(
                    f"bytes near this line are not valid {self.encoding} text ({error.reason})",
                    path=self.name,
                    line=line,
                ) from None
            if fields:
                yield line, fields


def _decode_sample(sample: bytes, encoding: str, *, truncated: bool, name: str) -> str:
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(sample, final=not truncated)
    except UnicodeDecodeError as error:
        raise TableError(f"not valid {encoding} text ({error.reason})", path=name) from None
    if truncated and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # the last line may be cut short
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter of `text` among `, ; TAB |`: csv.Sniffer, checked by counting fields."""
    lines = "".join(text.splitlines(keepends=True)[:_SNIFF_LINES])
    try:
        sniffed: str | None = csv.Sniffer().sniff(lines, delimiters=CANDIDATE_DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in tuple(CANDIDATE_DELIMITERS) and _consistency(lines, sniffed)[0] > 0:
        return sniffed
    return _delimiter_by_counting(lines)


def _delimiter_by_counting(lines: str) -> str:
    """The candidate splitting most rows into the header's field count (more fields wins ties)."""
    best, best_score = ",", (0, 0)
    for delimiter in CANDIDATE_DELIMITERS:
        score = _consistency(lines, delimiter)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _consistency(lines: str, delimiter: str | None) -> tuple[int, int]:
    """(rows with as many fields as the header, header fields); (0, 0) when it does not split."""
    if delimiter is None:
        return 0, 0
    try:
        rows = [row for row in csv.reader(io.StringIO(lines), delimiter=delimiter) if row]
    except csv.Error:
        return 0, 0
    if not rows or len(rows[0]) < 2:
        return 0, 0
    width = len(rows[0])
    return sum(1 for row in rows if len(row) == width), width


class DelimitedWriter:
    """Writes rows as delimited text to a binary stream; the header on construction."""

    def __init__(
        self,
        stream: BinaryIO,
        columns: Sequence[str],
        *,
        delimiter: str = ",",
        encoding: str = "utf-8",
        line_terminator: str = "\n",
        name: str | None = None,
    ) -> None:
        self.columns = list(columns)
        self.name = name
        self.encoding = encoding
        self._records = 0
        self._text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        self._writer = csv.writer(self._text, delimiter=delimiter, lineterminator=line_terminator)
        self._emit(self.columns, record=None)

    def write_rows(self, rows: Iterable[RowLike]) -> None:
        for row in rows:
            self._records += 1
            self._emit([cell_text(row.get(c)) for c in self.columns], record=self._records)

    def _emit(self, fields: list[str], *, record: int | None) -> None:
        try:
            self._writer.writerow(fields)
        except UnicodeEncodeError as error:
            bad = error.object[error.start : error.end]
            raise TableError(
                f"{bad!r} cannot be written in the {self.encoding} encoding",
                path=self.name,
                record=record,
            ) from None

    def finish(self) -> None:
        self._text.flush()
        self._text.detach()  # leave the binary stream open for its owner

    def abort(self) -> None:
        self._text.detach()
