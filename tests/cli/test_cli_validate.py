"""`cleara validate`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cleara.cli.main import app


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_values_from_arguments_one_json_object_each(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["validate", "--type", "phone", "--country", "US", "(415) 555-2671"]
    )
    assert result.exit_code == 0, result.output
    (line,) = _lines(result.stdout)
    assert line["value"] == "+14155552671"
    assert line["components"]["country"] == "US"
    assert list(line) == [
        "input", "type", "valid", "value", "issues", "components", "suggestion", "placeholder",
    ]  # fmt: skip


def test_values_from_stdin_in_order(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "-t", "country"], input="Deutschland\nusa\nnowhere\n")
    values = [(line["input"], line["value"], line["valid"]) for line in _lines(result.stdout)]
    assert values == [("Deutschland", "DE", True), ("usa", "US", True), ("nowhere", None, False)]


def test_double_dash_allows_values_starting_with_a_dash(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--type", "date", "--", "-1"])
    assert result.exit_code == 0, result.output
    assert _lines(result.stdout)[0]["input"] == "-1"


def test_country_sets_the_day_month_order(runner: CliRunner) -> None:
    gb = runner.invoke(app, ["validate", "-t", "date", "-c", "GB", "03/04/2021"])
    us = runner.invoke(app, ["validate", "-t", "date", "-c", "US", "03/04/2021"])
    assert _lines(gb.stdout)[0]["value"] == "2021-04-03"
    assert _lines(us.stdout)[0]["value"] == "2021-03-04"


def test_bad_type_and_country_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(app, ["validate", "--type", "colour", "x"]).exit_code == 2
    assert runner.invoke(app, ["validate", "x"]).exit_code == 2
    assert runner.invoke(app, ["validate", "-t", "phone", "-c", "USA", "1"]).exit_code == 2
