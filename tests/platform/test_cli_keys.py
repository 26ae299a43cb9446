from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cleara.cli import keys
from cleara.platform.crypto import sha256_hex


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("CLEARA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLEARA_DATABASE_URL", raising=False)
    monkeypatch.delenv("CLEARA_REDIS_URL", raising=False)
    app = typer.Typer()
    keys.register(app)
    return app


def test_create_list_rotate_revoke(cli: typer.Typer) -> None:
    runner = CliRunner()
    created = runner.invoke(
        cli, ["keys", "create", "--email", "Ops@Example.com", "--tier", "pro", "--name", "etl"]
    )
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[0]
    assert re.fullmatch(r"clr_live_[A-Za-z0-9]{32}", secret)
    listed = runner.invoke(cli, ["keys", "list", "--email", "ops@example.com"])
    assert secret not in listed.stdout
    [key] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert key["name"] == "etl"
    assert key["prefix"] == secret[:13]
    rotated = runner.invoke(
        cli, ["keys", "rotate", "--email", "ops@example.com", key["id"], "--grace-seconds", "0"]
    )
    assert rotated.exit_code == 0
    assert rotated.stdout.strip().startswith("clr_live_")
    revoked = runner.invoke(cli, ["keys", "revoke", "--email", "ops@example.com", key["id"]])
    assert revoked.exit_code == 0
    statuses = [
        json.loads(line)["status"]
        for line in runner.invoke(
            cli, ["keys", "list", "--email", "ops@example.com"]
        ).stdout.splitlines()
    ]
    assert sorted(statuses) == ["active", "revoked"]
    assert sha256_hex(secret) not in created.output


def test_unknown_account_and_tier_are_clear_errors(cli: typer.Typer) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["keys", "list", "--email", "nobody@example.com"])
    assert missing.exit_code == 2
    assert "no account" in missing.output
    bad_tier = runner.invoke(cli, ["keys", "create", "--email", "x@example.com", "--tier", "gold"])
    assert bad_tier.exit_code == 2
    assert "Unknown tier" in bad_tier.output
