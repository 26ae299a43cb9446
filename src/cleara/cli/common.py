"""Helpers shared by `cleara` commands: error reporting, progress, options, JSON output.

Wrap a command body in `with report_errors():` (or decorate the command with
`@report_errors()`) so that bad input ends with one red line on stderr and exit code 2 instead of a
traceback. Heavy modules (pyarrow, SQLAlchemy, the engine) are imported inside commands so that
`cleara --help` stays fast.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TextIO

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from cleara.io.errors import TableError
from cleara.io.formats import TableFormat
from cleara.settings import Settings

#: Exit code of a command stopped by bad input (the code Click uses for usage errors).
EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A problem the user can fix, reported as one line (no traceback)."""


FormatOption = Annotated[
    TableFormat | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Table format; by default taken from the file extension.",
    ),
]


_URL_PASSWORD = re.compile(r"^([A-Za-z][\w+.-]*://[^:/@?#]*:)[^?#]*@")


def mask_password(url: str) -> str:
    """`url` with its password, if any, replaced by `***` (safe to print or log).

    Everything up to the last `@` before the query counts as password, so an unescaped `@`
    in a password does not leak its tail.
    """
    return _URL_PASSWORD.sub(r"\1***@", url, count=1)


def stderr_console() -> Console:
    """A Rich console on stderr (resolved at write time, so redirection is honoured)."""
    return Console(stderr=True, soft_wrap=True, highlight=False)


def describe_error(error: BaseException) -> str:
    """A one-line, user-facing description of `error`."""
    if isinstance(error, ValidationError):
        return "; ".join(_validation_problem(problem) for problem in error.errors())
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror}"
    text = str(error) or type(error).__name__
    return " ".join(text.split())  # one line, whatever the exception text holds


def _validation_problem(problem: Mapping[str, Any]) -> str:
    location = ".".join(str(part) for part in problem.get("loc", ()))
    message = str(problem.get("msg", "invalid value"))
    return f"{location}: {message}" if location else message


def fail(message: str) -> typer.Exit:
    """Print `message` as an error on stderr; returns the Exit to raise."""
    stderr_console().print(f"[bold red]error:[/] [red]{escape(message)}[/]")
    return typer.Exit(EXIT_BAD_INPUT)


@contextmanager
def report_errors() -> Iterator[None]:
    """Turn TableError, CliError, OSError and ValueError (bad input) into a red line, exit 2."""
    try:
        yield
    except (TableError, CliError, OSError, ValueError) as error:
        raise fail(describe_error(error)) from error


def load_settings() -> Settings:
    """Settings read from the environment now (not the process-wide cached copy).

    Invalid values end the command with a message naming the environment variable.
    """
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{_setting_variable(problem.get('loc', ()))}: {problem.get('msg', 'invalid value')}"
            for problem in error.errors()
        )
        raise fail(f"invalid setting {problems}") from error


def _setting_variable(location: tuple[int | str, ...]) -> str:
    prefix = str(Settings.model_config.get("env_prefix", ""))
    return (prefix + "_".join(str(part) for part in location)).upper()


class ProgressTracker:
    """Advance a progress bar by a number of units (rows, bytes, ...)."""

    def __init__(self, progress: Progress | None, task: Any) -> None:
        self._progress = progress
        self._task = task

    def advance(self, units: float = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, units)


@contextmanager
def progress_bar(
    description: str, *, total: float | None = None, stream: TextIO | None = None
) -> Iterator[ProgressTracker]:
    """A Rich progress bar on stderr, shown only when stderr is a terminal."""
    target = stream if stream is not None else sys.stderr
    if not target.isatty():
        yield ProgressTracker(None, None)
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(file=target), transient=True) as progress:
        yield ProgressTracker(progress, progress.add_task(description, total=total))


def write_json_lines(records: Iterable[Mapping[str, Any]], *, stream: TextIO | None = None) -> int:
    """Write each record as one JSON line to stdout (or `stream`); returns how many."""
    target = stream if stream is not None else sys.stdout
    count = 0
    for record in records:
        target.write(orjson.dumps(record, option=orjson.OPT_NON_STR_KEYS).decode())
        target.write("\n")
        count += 1
    target.flush()
    return count


def checked_country(country: str | None) -> str | None:
    """The `--country` option upper-cased; a CliError unless it is two letters."""
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise CliError(f"--country must be an ISO alpha-2 code like US, got {country!r}")
    return country.upper() if country else None


def load_schema_file(path: Path | None) -> dict[str, str] | None:
    """Column types from a JSON schema file (flat or Cleara's mapping form), or None."""
    from cleara.engine.schema.types import column_types

    if path is None:
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise CliError(f"{path}, line {error.lineno}: invalid JSON: {error.msg}") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: not UTF-8 text") from None
    except RecursionError:
        raise CliError(f"{path}: invalid JSON: nested too deeply") from None
    try:
        return column_types(raw)
    except ValueError as error:
        raise CliError(f"{path}: {error}") from None


@contextmanager
def output_target(output: Path | None, kind: str) -> Iterator[Path]:
    """The file a command writes its table to: `output`, or a temporary file that is copied
    to standard output when the block succeeds (text formats only) and removed after."""
    if output is not None:
        yield output
        return
    if kind in (TableFormat.PARQUET.value, TableFormat.XLSX.value):
        raise CliError(f"{kind} output needs a file: pass -o OUT.{kind}")
    descriptor, name = tempfile.mkstemp(prefix="cleara-", suffix=f".{kind}")
    os.close(descriptor)
    target = Path(name)
    try:
        yield target
        with target.open("rb") as data:
            shutil.copyfileobj(data, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    finally:
        target.unlink(missing_ok=True)
