"""XLSX workbooks: the first worksheet is the table, its first non-empty row the header.

Reading uses openpyxl's read-only mode and writing its write-only mode, so memory stays flat.
Cells become JSON scalars: dates as ISO 8601 (a date-only format gives `YYYY-MM-DD`).
For XLSX, TableError's `line` is the worksheet row number.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import InvalidFileException

from cleara.io.cells import Row, RowLike, Scalar, to_json_scalar, unique_headers
from cleara.io.errors import TableError
from cleara.io.sources import Source, open_binary

#: Data rows a worksheet can hold below its header.
MAX_DATA_ROWS = 1_048_575
_TIME_CODES = re.compile(r"[hs]|AM/PM", re.IGNORECASE)


@contextmanager
def _first_sheet(source: Source, name: str) -> Iterator[Any]:
    with open_binary(source, name) as stream:
        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
            raise TableError(f"not a readable XLSX workbook ({error})", path=name) from None
        try:
            sheet = workbook.worksheets[0] if workbook.worksheets else None
            if sheet is not None:
                sheet.reset_dimensions()  # stated dimensions are often wrong; read every cell
            yield sheet
        finally:
            workbook.close()


def _cell_value(cell: Any) -> object:
    value = cell.value
    if isinstance(value, datetime) and _is_date_only(value, getattr(cell, "number_format", "")):
        return value.date()
    return value


def _is_date_only(value: datetime, number_format: str) -> bool:
    if value.time() != datetime.min.time():
        return False
    return not _TIME_CODES.search(number_format or "")


class XlsxReader:
    """Streams the rows of the first worksheet."""

    encoding = None
    delimiter = None

    def __init__(self, source: Source, name: str) -> None:
        self.source = source
        self.name = name
        self.columns: list[str] = []
        for _line, values in self._rows():
            self.columns = unique_headers(_trim_trailing_empty(values))
            break

    def _rows(self) -> Iterator[tuple[int, list[object]]]:
        """Non-empty worksheet rows with their row numbers."""
        with _first_sheet(self.source, self.name) as sheet:
            if sheet is None:
                return
            try:
                for number, cells in enumerate(sheet.iter_rows(), start=1):
                    values = [_cell_value(cell) for cell in cells]
                    if any(value is not None and value != "" for value in values):
                        yield number, values
            except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
                raise TableError(f"corrupt XLSX data ({error})", path=self.name) from None

    def iter_chunks(self, chunk_rows: int) -> Iterator[list[Row]]:
        chunk: list[Row] = []
        rows = self._rows()
        next(rows, None)  # the header
        for line, values in rows:
            chunk.append(self._row(line, values))
            if len(chunk) >= chunk_rows:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _row(self, line: int, values: list[object]) -> Row:
        width = len(self.columns)
        extra = [v for v in values[width:] if v is not None and v != ""]
        if extra:
            raise TableError(
                f"value {extra[0]!r} lies right of the last header column",
                path=self.name,
                line=line,
            )
        row: Row = {}
        for column, value in zip(self.columns, values, strict=False):
            try:
                scalar = to_json_scalar(value)
            except TableError as error:
                raise error.located(path=self.name, line=line, column=column) from None
            row[column] = None if scalar == "" else scalar
        for column in self.columns[len(values) :]:
            row[column] = None
        return row


def _trim_trailing_empty(values: list[object]) -> list[object]:
    end = len(values)
    while end and (values[end - 1] is None or values[end - 1] == ""):
        end -= 1
    return values[:end]


class XlsxSink:
    """Writes rows to one worksheet; strings stay text even when they look like formulas."""

    def __init__(self, stream: BinaryIO, columns: Sequence[str], *, name: str | None) -> None:
        self.columns = list(columns)
        self.name = name
        self._stream = stream
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet("data")
        self._records = 0
        self._append(list(self.columns), record=None)

    def write_rows(self, rows: Iterable[RowLike]) -> None:
        for row in rows:
            self._records += 1
            if self._records > MAX_DATA_ROWS:
                raise TableError(
                    f"an XLSX worksheet holds at most {MAX_DATA_ROWS} rows", path=self.name
                )
            self._append([row.get(c) for c in self.columns], record=self._records)

    def _append(self, values: Sequence[Scalar], *, record: int | None) -> None:
        cells: list[Any] = []
        for column, value in zip(self.columns, values, strict=True):
            if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                raise TableError(
                    "control characters cannot be stored in XLSX",
                    path=self.name,
                    record=record,
                    column=column,
                )
            cells.append(self._text_cell(value) if isinstance(value, str) else value)
        self._sheet.append(cells)

    def _text_cell(self, value: str) -> Any:
        if not value.startswith("="):
            return value
        # openpyxl would store a leading `=` as a formula; data must stay data.
        cell = WriteOnlyCell(self._sheet, value=value)
        cell.data_type = "s"
        return cell

    def finish(self) -> None:
        self._workbook.save(self._stream)

    def abort(self) -> None:
        """Finish the half-written sheet and delete openpyxl's temporary file for it."""
        with suppress(OSError, ValueError):
            self._sheet.close()
        temporary = getattr(getattr(self._sheet, "_writer", None), "out", None)
        if isinstance(temporary, str):
            Path(temporary).unlink(missing_ok=True)
