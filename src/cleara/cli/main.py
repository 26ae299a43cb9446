"""The `cleara` command line.

Adding a command: write a module `cleara/cli/<name>.py` that exposes
`register(app: typer.Typer) -> None`, which adds its commands with `app.command(...)(function)`
or a group with `app.add_typer(sub_app, name=...)`, then add the module to `COMMAND_MODULES`
below. Import heavy dependencies inside the command functions, not at module level, so that
`cleara --help` stays fast; use `cleara.cli.common` for error reporting and progress.
"""

from __future__ import annotations

from types import ModuleType
from typing import Annotated

import typer

import cleara
from cleara.cli import clean, db, dedupe, enrich, keys, schema, serve, train, validate

#: Modules whose `register(app)` adds commands, in help order.
COMMAND_MODULES: tuple[ModuleType, ...] = (
    serve,
    db,
    validate,
    clean,
    schema,
    train,
    enrich,
    dedupe,
    keys,
)

app = typer.Typer(
    name="cleara",
    help="Clean, validate, de-duplicate and enrich messy records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(cleara.__version__)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Clean, validate, de-duplicate and enrich messy records."""


@app.command("version")
def version() -> None:
    """Print the version of Cleara."""
    typer.echo(cleara.__version__)


for _module in COMMAND_MODULES:
    _module.register(app)


def main() -> None:
    """Entry point of the `cleara` script and `python -m cleara`."""
    app(prog_name="cleara")
