"""`cleara enrich`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from cleara.cli.main import app

CSV_TEXT = "Name;Zip;City;State\nAnn;02134;;\nBob;60601;;CA\nCy;;Chicago;IL\n"


def test_enrich_keeps_layout_fills_in_place_and_appends(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(CSV_TEXT, encoding="utf-8")
    out, report = tmp_path / "out.csv", tmp_path / "report.json"
    result = runner.invoke(app, ["enrich", str(source), "-o", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    assert header[:4] == ["Name", "Zip", "City", "State"]
    assert "timezone" in header[4:]
    rows = list(csv.DictReader(lines, delimiter=";"))
    assert [r["Name"] for r in rows] == ["Ann", "Bob", "Cy"]
    assert (rows[0]["City"], rows[0]["State"]) == ("Allston", "MA")
    assert rows[1]["City"] == ""
    assert rows[1]["State"] == "CA"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["rows"] == 3
    assert data["conflicts"][0]["code"] == "zip_state_mismatch"
    assert all(set(e) >= {"row", "column", "source", "confidence"} for e in data["enrichments"])


def test_enrich_to_stdout_with_options(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("zip,city\n02134,\n", encoding="utf-8")
    result = runner.invoke(
        app, ["enrich", str(source), "--min-confidence", "0.99", "--predict-missing"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("02134,,")  # city (0.9) not filled


def test_enrich_rejects_bad_confidence(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("zip\n02134\n", encoding="utf-8")
    result = runner.invoke(app, ["enrich", str(source), "--min-confidence", "3"])
    assert result.exit_code != 0
    assert "--min-confidence" in result.output
