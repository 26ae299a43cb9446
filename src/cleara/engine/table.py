"""Tabular input for the engine: lists of dicts or pandas DataFrames, in one plain shape."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cleara.engine.fields.base import JsonScalar

Record = dict[str, JsonScalar]


class InputError(ValueError):
    """Bad input, with the row (0-based) and column it concerns where known."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        self.row = row
        self.column = column
        self.reason = message


@dataclass(slots=True)
class Table:
    """Rows as dicts plus the column order (the union of keys, in first-seen order)."""

    columns: list[str]
    rows: list[Record]


def _scalar(value: Any, row: int, column: str) -> JsonScalar:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "isoformat"):  # date, datetime, pandas Timestamp
        return str(value.isoformat())
    if hasattr(value, "item"):  # numpy scalars
        item = value.item()
        if item is None or isinstance(item, str | bool | int | float):
            return _scalar(item, row, column)
    raise InputError(
        f"expected a text, number, boolean or null value, got {type(value).__name__}",
        row=row,
        column=column,
    )


def to_table(data: Iterable[Mapping[str, Any]] | Any) -> Table:
    """Read records (an iterable of mappings) or a pandas DataFrame into a Table."""
    if _is_dataframe(data):
        frame: Any = data
        columns = [str(c) for c in frame.columns]
        raw_rows: Iterable[Mapping[str, Any]] = (
            dict(zip(columns, values, strict=True))
            for values in frame.itertuples(index=False, name=None)
        )
    else:
        if isinstance(data, Mapping | str | bytes):
            raise InputError("expected a list of records (objects), not a single value")
        if not isinstance(data, Iterable):
            raise InputError(f"expected a list of records (objects), got {type(data).__name__}")
        raw_rows = data
        columns = []
    return _collect(raw_rows, columns)


def _collect(raw_rows: Iterable[Mapping[str, Any]], columns: list[str]) -> Table:
    seen = set(columns)
    rows: list[Record] = []
    for index, raw in enumerate(raw_rows):
        if not isinstance(raw, Mapping):
            raise InputError(f"expected an object, got {type(raw).__name__}", row=index)
        record: Record = {}
        for key, value in raw.items():
            name = key if type(key) is str else str(key)
            # Text is by far the most common value: skip the checks for it.
            record[name] = value if type(value) is str else _scalar(value, index, name)
            if name not in seen:
                seen.add(name)
                columns.append(name)
        rows.append(record)
    return Table(columns=columns, rows=rows)


def _is_dataframe(data: object) -> bool:
    return type(data).__name__ == "DataFrame" and hasattr(data, "itertuples")


def column_values(rows: Sequence[Mapping[str, JsonScalar]], column: str) -> list[JsonScalar]:
    """The values of one column (None where a row lacks the key)."""
    return [row.get(column) for row in rows]
