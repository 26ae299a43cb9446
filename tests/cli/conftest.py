"""Fixtures for the command-line tests: a runner whose settings point at a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder; the working directory moves there so no `.env` file is read."""
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


@pytest.fixture
def runner(data_dir: Path) -> CliRunner:
    """A runner with CLEARA_DATA_DIR set and every other setting at its default."""
    return CliRunner(
        env={
            "CLEARA_DATA_DIR": str(data_dir),
            "CLEARA_DATABASE_URL": None,
            "CLEARA_HOST": None,
            "CLEARA_PORT": None,
            "CLEARA_WORKERS": None,
            "CLEARA_LOG_LEVEL": None,
        }
    )
