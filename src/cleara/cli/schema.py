"""`cleara schema`: detect the semantic type of every column of a table file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cleara.cli.common import FormatOption, report_errors

if TYPE_CHECKING:
    from cleara.engine.schema.detect import SchemaResult

READ_ROWS = 10_000  # rows read from the file; detection samples from these


def _read(path: Path, table_format: Any, header: bool) -> tuple[list[str], list[dict[str, Any]]]:
    """Column names and up to READ_ROWS rows; without a header the first line is data."""
    from cleara.io.tabular import read_table

    reader = read_table(path, format=table_format)
    rows: list[dict[str, Any]] = []
    for chunk in reader:
        rows.extend(chunk)
        if len(rows) >= READ_ROWS:
            break
    columns = list(reader.columns)
    if header:
        return columns, rows[:READ_ROWS]
    names = [f"column_{i + 1}" for i in range(len(columns))]
    first: dict[str, Any] = dict(zip(names, columns, strict=True))
    renamed = [dict(zip(names, (row.get(c) for c in columns), strict=True)) for row in rows]
    return names, [first, *renamed][:READ_ROWS]


def _print_table(result: SchemaResult) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Detected schema ({result.rows_sampled} rows sampled)")
    for heading in ("column", "type", "confidence", "alternatives", "nullable", "unique"):
        table.add_column(heading)
    for column in result.columns:
        others = ", ".join(f"{a.type} {a.confidence:.2f}" for a in column.alternatives[1:])
        table.add_row(
            column.name,
            column.type,
            f"{column.confidence:.2f}",
            others,
            "yes" if column.nullable else "no",
            "yes" if column.unique else "no",
        )
    Console(soft_wrap=True).print(table)


def schema_command(
    path: Annotated[Path, typer.Argument(help="Table file: CSV, TSV, JSON, JSONL, Parquet, XLSX.")],
    table_format: FormatOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Also write the result (JSON) to this file."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON instead of a table.")
    ] = False,
    header: Annotated[
        bool,
        typer.Option("--header/--no-header", help="Whether the first row holds column names."),
    ] = True,
    sample_rows: Annotated[
        int, typer.Option(min=1, help="Rows sampled for value evidence.")
    ] = 1000,
) -> None:
    """Detect column types; prints one entry per column in the file's order.

    `--json` prints `{"columns": [{"name", "type", "confidence", "alternatives", "nullable",
    "unique", ...}], "json_schema": {...}}`.
    """
    import orjson

    from cleara.engine.schema.detect import detect_columns

    with report_errors():
        columns, rows = _read(path, table_format, header)
        result = detect_columns(columns, rows, sample_rows=sample_rows, header=header)
        document = orjson.dumps(result.as_dict(), option=orjson.OPT_INDENT_2).decode()
        if output is not None:
            output.write_text(document + "\n", encoding="utf-8")
    if as_json:
        typer.echo(document)
    else:
        _print_table(result)


def register(app: typer.Typer) -> None:
    """Add the `schema` command to `app`."""
    app.command("schema")(schema_command)
