"""`cleara schema` and `cleara train schema`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleara.cli.main import app


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_json_output_in_file_order(runner: CliRunner, tmp_path: Path) -> None:
    source = _csv(
        tmp_path / "people.csv",
        "Email,Tel.,PLZ\n"
        "ann@example.com,+49 30 1234567,10115\n"
        "bob@example.org,+49 89 7654321,80331\n",
    )
    result = runner.invoke(app, ["schema", str(source), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [c["name"] for c in body["columns"]] == ["Email", "Tel.", "PLZ"]
    assert [c["type"] for c in body["columns"]] == ["email", "phone", "postal_code"]
    first = body["columns"][0]
    assert set(first) >= {"name", "type", "confidence", "alternatives", "nullable", "unique"}
    assert body["json_schema"]["$schema"].endswith("2020-12/schema")


def test_table_output_and_output_file(runner: CliRunner, tmp_path: Path) -> None:
    source = _csv(tmp_path / "t.csv", "email\nann@example.com\n")
    target = tmp_path / "schema.json"
    result = runner.invoke(app, ["schema", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "email" in result.stdout
    assert json.loads(target.read_text())["columns"][0]["type"] == "email"


def test_cp1252_file(runner: CliRunner, tmp_path: Path) -> None:
    source = _csv(
        tmp_path / "latin.csv",
        "Código Postal;Ciudad;Teléfono\n"
        "28013;Málaga;+34 912 345 678\n"
        "08001;Cádiz;+34 934 567 890\n",
        encoding="cp1252",
    )
    result = runner.invoke(app, ["schema", str(source), "--json"])
    assert result.exit_code == 0, result.output
    columns = json.loads(result.stdout)["columns"]
    assert [c["name"] for c in columns] == ["Código Postal", "Ciudad", "Teléfono"]
    assert [c["type"] for c in columns] == ["postal_code", "city", "phone"]


def test_no_header_reads_the_first_row_as_data(runner: CliRunner, tmp_path: Path) -> None:
    source = _csv(tmp_path / "raw.csv", "ann@example.com,10115\nbob@example.org,80331\n")
    result = runner.invoke(app, ["schema", str(source), "--json", "--no-header"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [c["name"] for c in body["columns"]] == ["column_1", "column_2"]
    assert body["columns"][0]["type"] == "email"
    assert body["rows_sampled"] == 2


def test_missing_file_is_a_clean_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "error" in result.output


def test_train_schema_smoke(runner: CliRunner, tmp_path: Path) -> None:
    pytest.importorskip("lightgbm")
    out = tmp_path / "models"
    result = runner.invoke(
        app,
        ["train", "schema", "--seed", "3", "--out", str(out), "--train-per-type", "1",
         "--eval-per-type", "1", "--combine-per-type", "1", "--rounds", "3", "--no-embed-head"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    card = json.loads((out / "schema_value_model.json").read_text())
    assert card["seed"] == 3
    assert card["name"] == "schema_value_model"
    assert card["params"]["combine_columns"] == len(card["params"]["classes"])
