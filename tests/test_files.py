"""Streaming file cleaning."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from cleara.engine.clean import CleanOptions
from cleara.files import clean_file


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_chunks_share_the_column_decisions_and_row_numbers(tmp_path: Path) -> None:
    source = _csv(tmp_path / "in.csv", ["date", "13/04/2021"] + ["03/04/2021"] * 2_500)
    out, report = tmp_path / "out.csv", tmp_path / "report.json"
    seen: list[int] = []
    summary = clean_file(
        source, out, report=report, chunk_rows=1_000, fit_rows=1_000, on_rows=seen.append
    )
    assert summary.rows == 2_501
    assert seen == [1_000, 1_000, 501]
    values = [row["date"] for row in csv.DictReader(out.open(encoding="utf-8"))]
    assert values[0] == "2021-04-13"
    assert set(values[1:]) == {"2021-04-03"}
    data = json.loads(report.read_text(encoding="utf-8"))
    assert len(data["changes"]) == 2_501
    assert data["changes"][-1]["row"] == 2_500
    assert data["summary"][0]["inferred"]["dayfirst"] is True


def test_no_report_and_options(tmp_path: Path) -> None:
    source = _csv(tmp_path / "in.csv", ["phone,other", "(415) 555-2671, keep "])
    out = tmp_path / "out.jsonl"
    summary = clean_file(source, out, options=CleanOptions(country="US", columns=("phone",)))
    assert summary.changes == 1
    assert json.loads(out.read_text(encoding="utf-8")) == {
        "phone": "+14155552671",
        "other": " keep ",
    }


def test_empty_file_with_header_only(tmp_path: Path) -> None:
    source = _csv(tmp_path / "in.csv", ["a,b"])
    out = tmp_path / "out.csv"
    summary = clean_file(source, out, report=tmp_path / "r.json")
    assert summary.rows == 0
    assert out.read_text(encoding="utf-8").strip() == "a,b"
    assert json.loads((tmp_path / "r.json").read_text())["changes"] == []


def test_worker_processes_give_the_same_output_in_order(tmp_path: Path) -> None:
    lines = ["date,email"] + [f"0{1 + i % 9}/13/2021, User{i}@Example.COM " for i in range(3_000)]
    source = _csv(tmp_path / "in.csv", lines)
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    serial = clean_file(source, one, chunk_rows=500, workers=1, report=tmp_path / "r1.json")
    parallel = clean_file(source, two, chunk_rows=500, workers=2, report=tmp_path / "r2.json")
    assert one.read_bytes() == two.read_bytes()
    assert (serial.rows, serial.changes) == (parallel.rows, parallel.changes) == (3_000, 6_000)
    assert [s.as_dict() for s in serial.columns] == [s.as_dict() for s in parallel.columns]
    first = json.loads((tmp_path / "r1.json").read_text())
    second = json.loads((tmp_path / "r2.json").read_text())
    assert first == second


def test_fillers_found_in_the_sample_are_reported_in_every_chunk(tmp_path: Path) -> None:
    lines = ["first_name,last_name,email"] + [
        f"Ann{n},Lee,{'info@acme.com' if n % 4 == 0 else f'p{n}@mail.com'}" for n in range(2_000)
    ]
    source = _csv(tmp_path / "in.csv", lines)
    out, report = tmp_path / "out.csv", tmp_path / "r.json"
    options = CleanOptions(placeholders="null")
    summary = clean_file(
        source, out, report=report, options=options, chunk_rows=500, fit_rows=800, workers=2
    )
    email = {s.column: s for s in summary.columns}["email"]
    assert email.inferred["fillers"] == ["info@acme.com"]
    assert email.issues["email_placeholder"] == 500  # 200 in the sample, all 500 in the file
    emails = [row["email"] for row in csv.DictReader(out.open(encoding="utf-8"))]
    assert emails[0] == ""
    assert emails[1] == "p1@mail.com"
    assert emails.count("") == 500
