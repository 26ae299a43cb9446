"""`cleara clean`: clean a CSV, TSV, JSON, JSONL, Parquet or XLSX file, streaming it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cleara.cli.common import (
    CliError,
    FormatOption,
    checked_country,
    load_schema_file,
    output_target,
    progress_bar,
    report_errors,
    stderr_console,
)


def _options(**values: Any) -> Any:
    from cleara.engine.clean import CleanOptions

    country = checked_country(values["country"])
    choices = {
        "phone_format": ("e164", "international", "national"),
        "invalid": ("keep", "null"),
        "placeholders": ("keep", "null"),
        "name_case": ("title", "keep"),
    }
    for name, allowed in choices.items():
        if values[name] not in allowed:
            flag = "--" + name.replace("_", "-")
            raise CliError(f"{flag} must be one of {', '.join(allowed)}")
    columns = values.pop("columns")
    return CleanOptions(
        columns=tuple(c.strip() for c in columns.split(",")) if columns else None,
        **{**values, "country": country},
    )


def clean_command(
    source: Annotated[
        Path, typer.Argument(help="Input file (csv, tsv, json, jsonl, parquet, xlsx).")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Output file; standard output when omitted."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(help="Write the change log, problems and per-column summary as JSON here."),
    ] = None,
    schema: Annotated[
        Path | None,
        typer.Option(help='JSON file of column types, e.g. {"Tel.": "phone"}.'),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", "-c", help="Default country (ISO alpha-2).")
    ] = None,
    input_format: FormatOption = None,
    output_format: Annotated[
        str | None, typer.Option(help="Output format; by default the output's extension.")
    ] = None,
    columns: Annotated[
        str | None, typer.Option(help="Comma-separated columns to clean; all by default.")
    ] = None,
    phone_format: Annotated[str, typer.Option(help="e164, international or national.")] = "e164",
    date_format: Annotated[
        str | None, typer.Option(help="strftime pattern for dates; ISO 8601 by default.")
    ] = None,
    dayfirst: Annotated[
        bool | None,
        typer.Option("--dayfirst/--monthfirst", help="Force the day/month order of dates."),
    ] = None,
    name_case: Annotated[str, typer.Option(help="title or keep.")] = "title",
    invalid: Annotated[
        str, typer.Option(help="keep invalid values as they are, or null them.")
    ] = "keep",
    placeholders: Annotated[
        str,
        typer.Option(help="keep fillers (noemail@gmail.com, 1900-01-01) as they are, or null."),
    ] = "keep",
) -> None:
    """Clean a table file: every row and column kept in order, values normalized."""
    from cleara.files import clean_file
    from cleara.io.formats import resolve_path_format

    with report_errors():
        options = _options(
            country=country,
            columns=columns,
            phone_format=phone_format,
            date_format=date_format,
            dayfirst=dayfirst,
            name_case=name_case,
            invalid=invalid,
            placeholders=placeholders,
        )
        column_schema = load_schema_file(schema)
        input_kind = resolve_path_format(source, input_format).value
        out_kind = output_format or (
            resolve_path_format(output, None).value if output is not None else input_kind
        )
        with (
            output_target(output, out_kind) as target,
            progress_bar(f"Cleaning {source.name}") as bar,
        ):
            summary = clean_file(
                source,
                target,
                schema=column_schema,
                options=options,
                input_format=input_kind,
                output_format=out_kind,
                report=report,
                on_rows=bar.advance,
            )
    stderr_console().print(
        f"{summary.rows} rows, {summary.changes} changes, {summary.problems} problems"
        + (f" -> {output}" if output is not None else "")
    )


def register(app: typer.Typer) -> None:
    app.command("clean")(clean_command)
