"""Parquet: reading by record batches, writing with a schema inferred from the first rows.

Cells are converted to JSON scalars (dates to ISO 8601, Decimal to text, NaN to None); binary
and nested columns are errors. The writer keeps a column typed (bool, int64, float64) only
when every value of the first batch has that type; anything else is stored as text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import suppress
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from cleara.io.cells import Row, RowLike, Scalar, cell_text, to_json_scalar, unique_headers
from cleara.io.errors import TableError
from cleara.io.sources import Source

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _open_parquet(source: Source, name: str) -> pq.ParquetFile:
    where: Any = pa.BufferReader(source) if isinstance(source, bytes) else str(source)
    try:
        return pq.ParquetFile(where)
    except FileNotFoundError:
        raise TableError("file not found", path=name) from None
    except (pa.ArrowException, OSError) as error:
        raise TableError(f"not a readable Parquet file ({error})", path=name) from None


class ParquetReader:
    """Streams a Parquet file batch by batch."""

    encoding = None
    delimiter = None

    def __init__(self, source: Source, name: str) -> None:
        self.source = source
        self.name = name
        with _open_parquet(source, name) as parquet:
            self.columns = unique_headers(parquet.schema_arrow.names)

    def iter_chunks(self, chunk_rows: int) -> Iterator[list[Row]]:
        record = 0
        with _open_parquet(self.source, self.name) as parquet:
            batches = parquet.iter_batches(batch_size=chunk_rows)
            while True:
                try:
                    batch = next(batches)
                except StopIteration:
                    return
                except (pa.ArrowException, OSError) as error:
                    raise TableError(
                        f"corrupt Parquet data ({error})", path=self.name, record=record + 1
                    ) from None
                if batch.num_rows:
                    yield self._rows(batch, record)
                    record += batch.num_rows

    def _rows(self, batch: pa.RecordBatch, first: int) -> list[Row]:
        columns = [self._column_values(batch, i, first) for i in range(batch.num_columns)]
        rows = zip(*columns, strict=True)
        return [dict(zip(self.columns, values, strict=True)) for values in rows]

    def _column_values(self, batch: pa.RecordBatch, index: int, first: int) -> list[Scalar]:
        values: list[Scalar] = []
        for offset, value in enumerate(batch.column(index).to_pylist(), start=1):
            try:
                values.append(to_json_scalar(value))
            except TableError as error:
                raise error.located(
                    path=self.name, record=first + offset, column=self.columns[index]
                ) from None
        return values


def _infer_type(values: Sequence[Scalar]) -> pa.DataType:
    present = [value for value in values if value is not None]
    if not present:
        return pa.string()
    if all(isinstance(value, bool) for value in present):
        return pa.bool_()
    numbers = [v for v in present if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) != len(present):
        return pa.string()
    if all(isinstance(v, int) and _INT64_MIN <= v <= _INT64_MAX for v in numbers):
        return pa.int64()
    if all(isinstance(v, float) or abs(v) < 2**53 for v in numbers):
        return pa.float64()
    return pa.string()


def _coerce(value: Scalar, arrow_type: pa.DataType) -> Scalar:
    """`value` in the column's type; raises TableError (unlocated) when it cannot fit."""
    if value is None:
        return None
    if arrow_type == pa.string():
        return cell_text(value)
    if arrow_type == pa.bool_():
        if isinstance(value, bool):
            return value
    elif not isinstance(value, bool) and isinstance(value, int | float):
        if arrow_type == pa.float64():
            return float(value)
        if isinstance(value, int) and _INT64_MIN <= value <= _INT64_MAX:
            return value
    raise TableError(
        f"value {value!r} does not fit the column type {arrow_type} set by the first rows"
    )


class ParquetSink:
    """Writes rows to Parquet, one row group per write."""

    def __init__(self, stream: BinaryIO, columns: Sequence[str], *, name: str | None) -> None:
        self.columns = list(columns)
        self.name = name
        self._stream = stream
        self._writer: pq.ParquetWriter | None = None
        self._records = 0

    def write_rows(self, rows: Sequence[RowLike]) -> None:
        if not rows:
            return
        if self._writer is None:
            schema = pa.schema(
                [(c, _infer_type([row.get(c) for row in rows])) for c in self.columns]
            )
            self._writer = pq.ParquetWriter(self._stream, schema)
        self._writer.write_table(self._table(rows, self._writer.schema))
        self._records += len(rows)

    def _table(self, rows: Sequence[RowLike], schema: pa.Schema) -> pa.Table:
        data: dict[str, list[Scalar]] = {}
        for field in schema:
            values: list[Scalar] = []
            for offset, row in enumerate(rows, start=1):
                try:
                    values.append(_coerce(row.get(field.name), field.type))
                except TableError as error:
                    raise error.located(
                        path=self.name, record=self._records + offset, column=field.name
                    ) from None
            data[field.name] = values
        return pa.Table.from_pydict(data, schema=schema)

    def finish(self) -> None:
        if self._writer is None:
            schema = pa.schema([(c, pa.string()) for c in self.columns])
            self._writer = pq.ParquetWriter(self._stream, schema)
        self._writer.close()

    def abort(self) -> None:
        if self._writer is not None:
            # Closing writes a footer; the caller discards the output anyway.
            with suppress(pa.ArrowException, OSError, ValueError):
                self._writer.close()
