"""The `cleara` application: version, help and the module entry point."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

import cleara
from cleara.cli.main import COMMAND_MODULES, app


def test_version_command_prints_the_package_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["version"])

    assert result.exit_code == 0
    assert result.stdout.strip() == cleara.__version__


def test_version_option(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])

    assert result.exit_code == 0
    assert result.stdout.strip() == cleara.__version__


def test_help_lists_every_registered_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])

    assert result.exit_code == 0
    for command in ("version", "serve", "db"):
        assert command in result.stdout
    assert all(callable(getattr(module, "register", None)) for module in COMMAND_MODULES)


def test_unknown_command_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["frobnicate"])

    assert result.exit_code == 2


def test_python_dash_m_runs_the_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "cleara", "version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == cleara.__version__
