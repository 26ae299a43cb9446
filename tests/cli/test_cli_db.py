"""`cleara db upgrade` against a temporary SQLite file and an unreachable server."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cleara.cli.main import app
from cleara.store.sql import migrate


def test_upgrade_creates_the_database_and_reports_the_revision(
    runner: CliRunner, data_dir: Path
) -> None:
    result = runner.invoke(app, ["db", "upgrade"])

    database = data_dir / "cleara.db"
    assert result.exit_code == 0, result.output
    assert database.is_file()
    assert f"Database: sqlite:///{database.resolve()}" in result.stdout
    assert f"Revision: {migrate.head()}" in result.stdout
    assert migrate.current(f"sqlite:///{database}") == migrate.head()


def test_upgrade_twice_is_harmless(runner: CliRunner) -> None:
    first = runner.invoke(app, ["db", "upgrade"])
    second = runner.invoke(app, ["db", "upgrade"])

    assert (first.exit_code, second.exit_code) == (0, 0)
    assert first.stdout == second.stdout


def test_unreachable_database_fails_without_showing_the_password(runner: CliRunner) -> None:
    url = "postgresql+psycopg://cleara:hunter2@127.0.0.1:1/cleara?connect_timeout=2"

    result = runner.invoke(app, ["db", "upgrade"], env={"CLEARA_DATABASE_URL": url})

    assert result.exit_code == 2
    assert "hunter2" not in result.output
    assert result.stderr.startswith("error: database postgresql+psycopg://cleara:***@127.0.0.1:1")
