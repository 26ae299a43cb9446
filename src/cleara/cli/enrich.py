"""`cleara enrich`: fill missing fields of a table file, keeping its rows and columns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cleara.cli.common import (
    CliError,
    FormatOption,
    load_schema_file,
    output_target,
    report_errors,
    stderr_console,
)


def _fields(text: str | None) -> list[str] | None:
    return [name.strip() for name in text.split(",") if name.strip()] if text else None


def enrich_command(
    source: Annotated[
        Path, typer.Argument(help="Input file (csv, tsv, json, jsonl, parquet, xlsx).")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Output file; standard output when omitted."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(help="Write the enrichments, conflicts and model figures as JSON here."),
    ] = None,
    predict_missing: Annotated[
        bool, typer.Option(help="Also predict remaining missing values with per-column models.")
    ] = False,
    min_confidence: Annotated[
        float, typer.Option(help="Fill only values at least this likely to be right (0-1).")
    ] = 0.9,
    fields: Annotated[
        str | None,
        typer.Option(help="Comma-separated fields or columns to enrich; all by default."),
    ] = None,
    schema: Annotated[
        Path | None, typer.Option(help='JSON file of column types, e.g. {"Zip": "postal_code"}.')
    ] = None,
    input_format: FormatOption = None,
) -> None:
    """Fill what is missing: every input row and column kept in order, values filled in
    place, new columns (coordinates, time zone, email and phone facts) added on the right."""
    from cleara.engine.enrich import enrich
    from cleara.io.formats import resolve_path_format
    from cleara.io.tabular import open_writer, read_table

    with report_errors():
        if not 0.0 <= min_confidence <= 1.0:
            raise CliError(f"--min-confidence must be between 0 and 1, got {min_confidence}")
        column_schema = load_schema_file(schema)
        reader = read_table(source, format=input_format)
        rows = [dict(row) for chunk in reader for row in chunk]
        records: Any = [{c: row.get(c) for c in reader.columns} for row in rows]
        result = enrich(
            records,
            schema=column_schema,
            predict_missing=predict_missing,
            min_confidence=min_confidence,
            fields=_fields(fields),
        )
        out_kind = (
            resolve_path_format(output, None).value if output is not None else reader.format.value
        )
        like = reader if out_kind == reader.format.value else None
        with (
            output_target(output, out_kind) as target,
            open_writer(target, result.columns, format=out_kind, like=like) as writer,
        ):
            writer.write(result.records)
        if report is not None:
            report.write_text(json.dumps(result.report(), indent=2, default=str), "utf-8")
    stderr_console().print(
        f"{len(result.records)} rows, {len(result.enrichments)} values filled, "
        f"{len(result.conflicts)} conflicts" + (f" -> {output}" if output is not None else "")
    )


def register(app: typer.Typer) -> None:
    app.command("enrich")(enrich_command)
