"""`cleara validate`: check single values of one type, one JSON line per value."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Annotated

import typer

from cleara.cli.common import report_errors, write_json_lines

CORE_TYPES = ("email", "phone", "name", "date", "address", "country", "postal_code", "url")


def _values_from_stdin() -> Iterator[str]:
    for line in sys.stdin:
        yield line.rstrip("\r\n")


def validate_command(
    values: Annotated[
        list[str] | None,
        typer.Argument(help="Values to check; read from standard input, one per line, if none."),
    ] = None,
    type_name: Annotated[
        str,
        typer.Option(
            "--type",
            "-t",
            help=f"Field type: {', '.join(CORE_TYPES)} (or datetime, state, text, number, "
            "boolean, currency, gender).",
        ),
    ] = "",
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            "-c",
            help="Default country (ISO alpha-2), e.g. US or GB; also the "
            "default day/month order of dates.",
        ),
    ] = None,
    phone_format: Annotated[
        str, typer.Option(help="Phone value format: e164, international or national.")
    ] = "e164",
    check_mx: Annotated[
        bool, typer.Option("--check-mx", help="Look up email domains' mail servers.")
    ] = False,
) -> None:
    """Validate and normalize values; prints one JSON object per value, in order.

    Values may start with `-`: put `--` before them to end the options.
    """
    from cleara.engine.fields.base import FieldOptions
    from cleara.engine.fields.registry import VALIDATE_TYPES, get_field

    with report_errors():
        if not type_name:
            raise ValueError("--type is required (e.g. --type email)")
        if type_name not in VALIDATE_TYPES:
            raise ValueError(f"unknown --type {type_name!r}; choose from {', '.join(CORE_TYPES)}")
        if country is not None and (len(country) != 2 or not country.isalpha()):
            raise ValueError(f"--country must be an ISO alpha-2 code like US, got {country!r}")
        if phone_format not in ("e164", "international", "national"):
            raise ValueError("--phone-format must be e164, international or national")
        options = FieldOptions(
            country=country.upper() if country else None,
            phone_format=phone_format,  # type: ignore[arg-type]
            check_mx=check_mx,
        )
        field = get_field(type_name)
        source = values if values else _values_from_stdin()
        write_json_lines(field.validate(value, options).as_dict() for value in source)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_command)
