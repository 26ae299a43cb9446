"""`cleara clean`: clean a CSV, TSV, JSON, JSONL, Parquet or XLSX file, streaming it."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from cleara.cli.common import CliError, FormatOption, progress_bar, report_errors, stderr_console


def _load_schema(path: Path | None) -> dict[str, str] | None:
    from cleara.engine.schema.types import column_types

    if path is None:
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise CliError(f"{path}, line {error.lineno}: invalid JSON: {error.msg}") from None
    try:
        return column_types(raw)
    except ValueError as error:
        raise CliError(f"{path}: {error}") from None


def _options(**values: Any) -> Any:
    from cleara.engine.clean import CleanOptions

    country = values["country"]
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise CliError(f"--country must be an ISO alpha-2 code like US, got {country!r}")
    choices = {
        "phone_format": ("e164", "international", "national"),
        "invalid": ("keep", "null"),
        "name_case": ("title", "keep"),
    }
    for name, allowed in choices.items():
        if values[name] not in allowed:
            flag = "--" + name.replace("_", "-")
            raise CliError(f"{flag} must be one of {', '.join(allowed)}")
    columns = values.pop("columns")
    return CleanOptions(
        columns=tuple(c.strip() for c in columns.split(",")) if columns else None,
        **{**values, "country": country.upper() if country else None},
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
) -> None:
    """Clean a table file: every row and column kept in order, values normalized."""
    from cleara.files import clean_file, is_binary_format
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
        )
        column_schema = _load_schema(schema)
        input_kind = resolve_path_format(source, input_format).value
        out_kind = output_format or (
            resolve_path_format(output, None).value if output is not None else input_kind
        )
        if output is None and is_binary_format(out_kind):
            raise CliError(f"{out_kind} output needs a file: pass -o OUT.{out_kind}")
        with progress_bar(f"Cleaning {source.name}") as bar:
            target = output if output is not None else _temporary_target(out_kind)
            try:
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
                if output is None:
                    _copy_to_stdout(target)
            finally:
                if output is None:
                    target.unlink(missing_ok=True)
    stderr_console().print(
        f"{summary.rows} rows, {summary.changes} changes, {summary.problems} problems"
        + (f" -> {output}" if output is not None else "")
    )


def _temporary_target(kind: str) -> Path:
    descriptor, name = tempfile.mkstemp(prefix="cleara-", suffix=f".{kind}")
    os.close(descriptor)
    return Path(name)


def _copy_to_stdout(path: Path) -> None:
    with path.open("rb") as data:
        shutil.copyfileobj(data, sys.stdout.buffer)
    sys.stdout.buffer.flush()


def register(app: typer.Typer) -> None:
    app.command("clean")(clean_command)
