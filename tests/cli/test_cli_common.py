"""Shared CLI helpers: error reporting, settings errors, progress, JSON lines, URL masking."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated, Any

import orjson
import pytest
import typer
from typer.testing import CliRunner

from cleara.cli.common import (
    EXIT_BAD_INPUT,
    CliError,
    FormatOption,
    load_settings,
    mask_password,
    progress_bar,
    report_errors,
    write_json_lines,
)
from cleara.io.formats import TableFormat
from cleara.io.tabular import read_table


def make_app() -> typer.Typer:
    """A small app whose commands fail in the ways real commands do."""
    demo = typer.Typer()

    @demo.command("read")
    @report_errors()
    def read(path: Path, table_format: FormatOption = None) -> None:
        reader = read_table(path, format=table_format)
        typer.echo(f"{reader.format.value} {len(list(reader.rows()))}")

    @demo.command("fail")
    def fail_with(kind: Annotated[str, typer.Argument()]) -> None:
        errors: dict[str, Exception] = {
            "value": ValueError("threshold must be between 0 and 1\n(got 7)"),
            "cli": CliError("nothing to do"),
            "os": PermissionError(13, "Permission denied", "/root/secret.csv"),
            "bug": KeyError("unexpected"),
        }
        with report_errors():
            raise errors[kind]

    @demo.command("settings")
    def show_settings() -> None:
        typer.echo(str(load_settings().port))

    return demo


def test_table_error_becomes_one_red_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("a,b\n1,2\n1,2,3\n", encoding="utf-8")

    result = runner.invoke(make_app(), ["read", str(path)])

    assert result.exit_code == EXIT_BAD_INPUT == 2
    assert result.stderr.strip() == f"error: {path}, line 3: expected 2 fields, found 3"
    assert result.stdout == ""


def test_decorated_command_still_parses_its_options(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "data.dat"
    path.write_text("a\n1\n2\n", encoding="utf-8")

    result = runner.invoke(make_app(), ["read", str(path), "--format", "CSV"])

    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "csv 2"


def test_format_option_rejects_unknown_formats(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(make_app(), ["read", str(tmp_path / "x"), "-f", "yaml"])

    assert result.exit_code == 2
    assert "yaml" in result.stderr


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("value", "error: threshold must be between 0 and 1 (got 7)"),
        ("cli", "error: nothing to do"),
        ("os", "error: /root/secret.csv: Permission denied"),
    ],
)
def test_user_errors_exit_2_with_one_line(runner: CliRunner, kind: str, message: str) -> None:
    result = runner.invoke(make_app(), ["fail", kind])

    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_programming_errors_are_not_hidden(runner: CliRunner) -> None:
    result = runner.invoke(make_app(), ["fail", "bug"])

    assert result.exit_code == 1
    assert isinstance(result.exception, KeyError)


def test_invalid_setting_names_the_environment_variable(runner: CliRunner) -> None:
    result = runner.invoke(make_app(), ["settings"], env={"CLEARA_PORT": "eighty"})

    assert result.exit_code == 2
    assert result.stderr.startswith("error: invalid setting CLEARA_PORT: ")
    assert "\n" not in result.stderr.strip()


def test_settings_are_read_when_the_command_runs(runner: CliRunner) -> None:
    result = runner.invoke(make_app(), ["settings"], env={"CLEARA_PORT": "9123"})

    assert result.stdout.strip() == "9123"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_is_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()

    with progress_bar("Cleaning rows", total=3, stream=stream) as progress:
        for _ in range(3):
            progress.advance()

    assert stream.getvalue() == ""


def test_progress_bar_draws_on_a_terminal() -> None:
    stream = FakeTerminal()

    with progress_bar("Cleaning rows", total=4, stream=stream) as progress:
        progress.advance(4)

    assert "Cleaning rows" in stream.getvalue()


def test_write_json_lines() -> None:
    stream = io.StringIO()
    records: list[dict[str, Any]] = [{"a": 1, "b": None}, {"a": "02134", "b": [1, 2]}]

    count = write_json_lines(records, stream=stream)

    lines = stream.getvalue().splitlines()
    assert count == 2
    assert [orjson.loads(line) for line in lines] == records


def test_write_json_lines_defaults_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    write_json_lines([{"format": TableFormat.CSV}])

    assert capsys.readouterr().out == '{"format":"csv"}\n'


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql+psycopg://bob:s3cret@db:5432/app", "postgresql+psycopg://bob:***@db:5432/app"),
        ("postgresql://bob:p@ss/w:rd@db/app", "postgresql://bob:***@db/app"),
        ("postgresql://bob@db/app", "postgresql://bob@db/app"),
        ("redis://:token@cache:6379/0", "redis://:***@cache:6379/0"),
        ("sqlite:////srv/data/cleara.db", "sqlite:////srv/data/cleara.db"),
    ],
)
def test_mask_password(url: str, masked: str) -> None:
    assert mask_password(url) == masked
