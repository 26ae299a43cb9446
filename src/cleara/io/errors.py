"""The one error type of tabular I/O, locating the problem in the file."""

from __future__ import annotations

from pathlib import Path


class TableError(Exception):
    """A table could not be read or written.

    `path` is the file (or upload name), `line` the 1-based line of a text file (for XLSX the
    worksheet row), `record` the 1-based record of a JSON array or Parquet file, and `column`
    the column name, each where known. `str(error)` reads like
    `contacts.csv, line 17: expected 5 fields, found 6`.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        record: int | None = None,
        column: str | None = None,
    ) -> None:
        self.reason = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.record = record
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        where = [self.path] if self.path else []
        if self.line is not None:
            where.append(f"line {self.line}")
        elif self.record is not None:
            where.append(f"record {self.record}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason

    def located(
        self,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        record: int | None = None,
        column: str | None = None,
    ) -> TableError:
        """A copy with missing location parts filled in."""
        return TableError(
            self.reason,
            path=self.path if self.path is not None else path,
            line=self.line if self.line is not None else line,
            record=self.record if self.record is not None else record,
            column=self.column if self.column is not None else column,
        )
