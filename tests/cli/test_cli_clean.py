"""`cleara clean`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from cleara.cli.main import app

CSV_TEXT = (
    "Name;E-mail;Tel.;DOB;Country;Zip\n"
    "SMITH, JOHN; John@Example.COM ;(415) 555-2671;03/04/2021;usa;2134\n"
    "mary o'brien;N/A;020 7946 0958;13/04/2021;United Kingdom;SW1A1AA\n"
)


def _write(tmp_path: Path, text: str = CSV_TEXT, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_to_file_keeps_layout_and_writes_report(runner: CliRunner, tmp_path: Path) -> None:
    source = _write(tmp_path)
    out, report = tmp_path / "out.csv", tmp_path / "report.json"
    result = runner.invoke(app, ["clean", str(source), "-o", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "Name;E-mail;Tel.;DOB;Country;Zip"  # delimiter kept
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
    assert rows[0]["Tel."] == "+14155552671"
    assert rows[0]["DOB"] == "2021-04-03"
    assert rows[1]["Zip"] == "SW1A 1AA"
    assert rows[1]["E-mail"] == ""
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["rows"] == 2
    assert {c["column"] for c in data["changes"]} >= {"Name", "Tel.", "DOB", "Country", "Zip"}
    assert all(set(c) >= {"row", "column", "before", "after", "rule"} for c in data["changes"])
    assert [s["column"] for s in data["summary"]] == [
        "Name",
        "E-mail",
        "Tel.",
        "DOB",
        "Country",
        "Zip",
    ]
    assert not list(tmp_path.glob("*.part"))


def test_placeholders_option_nulls_fillers(runner: CliRunner, tmp_path: Path) -> None:
    source = _write(tmp_path, "name,email\nTest Test,noemail@gmail.com\nAnn Lee,ann@gmail.com\n")
    result = runner.invoke(app, ["clean", str(source), "--placeholders", "null"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [",", "Ann Lee,ann@gmail.com"]
    wrong = runner.invoke(app, ["clean", str(source), "--placeholders", "drop"])
    assert wrong.exit_code != 0
    assert "--placeholders must be one of keep, null" in wrong.output


def test_clean_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["clean", str(_write(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "+442079460958" in result.stdout


def test_schema_country_and_other_output_format(runner: CliRunner, tmp_path: Path) -> None:
    source = _write(tmp_path, "a,b\n(415) 555-2671,x\n")
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"a": "phone"}), encoding="utf-8")
    out = tmp_path / "out.parquet"
    result = runner.invoke(
        app, ["clean", str(source), "--schema", str(schema), "-c", "US", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).to_pylist() == [{"a": "+14155552671", "b": "x"}]


def test_errors_exit_2_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    ragged = _write(tmp_path, "a,b\n1,2\n1,2,3\n", "ragged.csv")
    result = runner.invoke(app, ["clean", str(ragged), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "ragged.csv" in result.output
    assert "line 3" in result.output
    missing = runner.invoke(app, ["clean", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
    bad_schema = _write(tmp_path, "{oops", "schema.json")
    result = runner.invoke(app, ["clean", str(_write(tmp_path)), "--schema", str(bad_schema)])
    assert result.exit_code == 2
    assert "schema.json" in result.output
    for content, message in (("[" * 100_000, "nested too deeply"), ("\udcff", "not UTF-8")):
        bad_schema.write_bytes(content.encode("utf-8", "surrogateescape"))
        result = runner.invoke(app, ["clean", str(_write(tmp_path)), "--schema", str(bad_schema)])
        assert result.exit_code == 2
        assert message in result.output
    parquet_to_stdout = runner.invoke(
        app, ["clean", str(_write(tmp_path)), "--output-format", "parquet"]
    )
    assert parquet_to_stdout.exit_code == 2
