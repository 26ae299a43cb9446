"""`cleara serve`: migrations first, then uvicorn with the application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from cleara.cli.main import app
from cleara.cli.serve import APP_FACTORY
from cleara.store.sql import migrate


class UvicornCalls:
    """Records `uvicorn.run` calls instead of starting a server."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((args, kwargs))


@pytest.fixture
def uvicorn_run(monkeypatch: pytest.MonkeyPatch) -> UvicornCalls:
    calls = UvicornCalls()
    monkeypatch.setattr(uvicorn, "run", calls)
    return calls


def test_serve_runs_the_factory_with_given_host_and_port(
    runner: CliRunner, uvicorn_run: UvicornCalls, data_dir: Path
) -> None:
    result = runner.invoke(
        app, ["serve", "--host", "0.0.0.0", "--port", "9001", "--workers", "3", "--no-reload"]
    )

    assert result.exit_code == 0, result.output
    [(args, kwargs)] = uvicorn_run.calls
    assert args == (APP_FACTORY,) == ("cleara.api.app:create_app",)
    assert kwargs["factory"] is True
    assert (kwargs["host"], kwargs["port"], kwargs["workers"]) == ("0.0.0.0", 9001, 3)
    assert kwargs["reload"] is False
    assert kwargs["log_level"] == "info"


def test_serve_applies_migrations_before_starting(
    runner: CliRunner, uvicorn_run: UvicornCalls, data_dir: Path
) -> None:
    result = runner.invoke(app, ["serve"])

    assert result.exit_code == 0, result.output
    assert migrate.current(f"sqlite:///{data_dir / 'cleara.db'}") == migrate.head()
    assert len(uvicorn_run.calls) == 1


def test_serve_defaults_come_from_settings(runner: CliRunner, uvicorn_run: UvicornCalls) -> None:
    env = {"CLEARA_HOST": "10.1.2.3", "CLEARA_PORT": "8123", "CLEARA_LOG_LEVEL": "WARNING"}

    result = runner.invoke(app, ["serve", "--reload"], env=env)

    assert result.exit_code == 0, result.output
    [(_, kwargs)] = uvicorn_run.calls
    assert (kwargs["host"], kwargs["port"], kwargs["workers"]) == ("10.1.2.3", 8123, 1)
    assert kwargs["reload"] is True
    assert kwargs["log_level"] == "warning"


def test_reload_with_several_workers_is_refused(
    runner: CliRunner, uvicorn_run: UvicornCalls
) -> None:
    result = runner.invoke(app, ["serve", "--reload", "--workers", "2"])

    assert result.exit_code == 2
    assert "--reload" in result.stderr
    assert uvicorn_run.calls == []


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_invalid_port_is_a_usage_error(
    runner: CliRunner, uvicorn_run: UvicornCalls, port: str
) -> None:
    result = runner.invoke(app, ["serve", "--port", port])

    assert result.exit_code == 2
    assert uvicorn_run.calls == []


def test_database_failure_stops_serve_before_uvicorn(
    runner: CliRunner, uvicorn_run: UvicornCalls
) -> None:
    url = "postgresql+psycopg://cleara:hunter2@127.0.0.1:1/cleara?connect_timeout=2"

    result = runner.invoke(app, ["serve"], env={"CLEARA_DATABASE_URL": url})

    assert result.exit_code == 2
    assert "hunter2" not in result.output
    assert uvicorn_run.calls == []
