"""Cell values: the JSON scalar types rows carry, conversion to them, and header clean-up."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from cleara.io.errors import TableError

Scalar = str | int | float | bool | None
Row = dict[str, Scalar]
RowLike = Mapping[str, Scalar]


def to_json_scalar(value: object) -> Scalar:
    """Convert a Parquet or XLSX cell to a JSON scalar.

    Dates and times become ISO 8601 strings, Decimal and UUID strings, NaN None. Raises
    TableError (without location) for values a flat record cannot hold: bytes, nested lists or
    maps, infinities.
    """
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return _finite_or_none(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        raise TableError("binary values are not supported")
    if isinstance(value, Mapping | list | tuple):
        raise TableError("nested lists or objects are not supported; flatten the column first")
    raise TableError(f"unsupported value of type {type(value).__name__}")


def check_json_cell(value: object) -> Scalar:
    """Accept a parsed JSON value when it is a scalar; nested arrays and objects are errors."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise TableError("nested arrays or objects are not supported; flatten them first")


def _finite_or_none(value: float) -> float | None:
    if math.isnan(value):
        return None
    if math.isinf(value):
        raise TableError("infinite numbers are not supported")
    return value


def _decimal_text(value: Decimal) -> str | None:
    if value.is_nan():
        return None
    if value.is_infinite():
        raise TableError("infinite numbers are not supported")
    return str(value)


def cell_text(value: Scalar) -> str:
    """The text of a cell in delimited output: None is empty, booleans are `true`/`false`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def unique_headers(names: Iterable[object]) -> list[str]:
    """Column names made non-blank and unique: `col, col, ''` -> `col, col_2, column_3`."""
    raw = [header_text(name) for name in names]
    taken = {name for name in raw if name}
    result: list[str] = []
    seen: set[str] = set()
    for position, name in enumerate(raw, start=1):
        if not name:
            candidate = _free_name(f"column_{position}", taken | seen)
        elif name in seen:
            candidate = _free_name(name, taken | seen, start=2)
        else:
            candidate = name
        seen.add(candidate)
        result.append(candidate)
    return result


def header_text(name: object) -> str:
    """A header cell as stripped text (dates as ISO 8601)."""
    if name is None:
        return ""
    if isinstance(name, datetime | date | time):
        return name.isoformat()
    return str(name).strip()


def _free_name(base: str, used: set[str], *, start: int | None = None) -> str:
    if start is None:
        if base not in used:
            return base
        start = 2
    suffix = start
    while f"{base}_{suffix}" in used:
        suffix += 1
    return f"{base}_{suffix}"


def complete_row(values: Mapping[str, Scalar], columns: list[str]) -> Row:
    """A row holding exactly `columns`, in order, missing ones as None."""
    return {column: values.get(column) for column in columns}
