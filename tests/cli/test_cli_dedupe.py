"""`cleara dedupe`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from filelock import FileLock
from people import catalogues
from typer.testing import CliRunner

from cleara.cli import dedupe as cli_dedupe
from cleara.cli.main import app

PEOPLE = (
    "id,name,email,city\n"
    "p1,Jon Smith,jon.smith@example.com,Boston\n"
    "p2,John Smith,JON.SMITH@example.com,boston\n"
    "p3,Mary Jones,mary@example.org,Denver\n"
    "p4,Peter Brown,pb@example.net,Austin\n"
)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_writes_pairs_clusters_and_golden(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(PEOPLE, encoding="utf-8")
    pairs, clusters, golden = tmp_path / "p.csv", tmp_path / "c.csv", tmp_path / "g.csv"
    result = runner.invoke(
        app,
        [
            "dedupe",
            str(source),
            "--id-column",
            "id",
            "--pairs",
            str(pairs),
            "--clusters",
            str(clusters),
            "--golden",
            str(golden),
        ],
    )
    assert result.exit_code == 0, result.output
    pair_rows = _read(pairs)
    assert [(r["left_id"], r["right_id"]) for r in pair_rows] == [("p1", "p2")]
    assert 0 < float(pair_rows[0]["score"]) <= 1
    cluster_of = {r["id"]: r["cluster_id"] for r in _read(clusters)}
    assert list(_read(clusters)[0]) == ["id", "cluster_id"]
    assert cluster_of["p1"] == cluster_of["p2"] != cluster_of["p3"]
    golden_rows = _read(golden)
    assert len(golden_rows) == 3
    assert "name" in golden_rows[0]


def test_row_number_ids_labels_threshold_and_link(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(PEOPLE, encoding="utf-8")
    labels = tmp_path / "labels.csv"
    labels.write_text("left_id,right_id,match\n0,1,1\n0,2,0\n1,3,0\n2,3,0\n", encoding="utf-8")
    result = runner.invoke(app, ["dedupe", str(source), "--labels", str(labels)])
    assert result.exit_code == 0, result.output
    assert "id,cluster_id" in result.stdout
    other = tmp_path / "other.csv"
    other.write_text("full_name,mail\nMary Jones,mary@example.org\n", encoding="utf-8")
    pairs = tmp_path / "p.csv"
    linked = runner.invoke(
        app,
        ["dedupe", str(source), "--link", str(other), "--threshold", "0.4", "--pairs", str(pairs)],
    )
    assert linked.exit_code == 0, linked.output
    assert [(r["left_id"], r["right_id"]) for r in _read(pairs)] == [("2", "0")]


def test_link_id_column_names_the_other_files_ids(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(PEOPLE, encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text("vendor_no,full_name,mail\nV7,Mary Jones,mary@example.org\n", "utf-8")
    pairs = tmp_path / "p.csv"
    args = ["dedupe", str(source), "--link", str(other), "--id-column", "id"]
    linked = runner.invoke(app, [*args, "--link-id-column", "vendor_no", "--pairs", str(pairs)])
    assert linked.exit_code == 0, linked.output
    assert [(r["left_id"], r["right_id"]) for r in _read(pairs)] == [("p3", "V7")]
    missing = runner.invoke(app, args)
    assert missing.exit_code != 0
    assert "name its own with --link-id-column" in missing.output
    wrong = runner.invoke(app, [*args, "--link-id-column", "vendor"])
    assert "--link-id-column 'vendor' is not a column of" in wrong.output
    alone = runner.invoke(app, ["dedupe", str(source), "--link-id-column", "vendor_no"])
    assert "--link-id-column needs --link" in alone.output


def test_fields_schema_and_country(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(
        "id,name,email,code\n"
        "q1,Ann Lee,ann@x.com,06 12 34 56 78\n"
        "q2,Ann Lee,zed@y.org,0612345678\n"
        "q3,Bob Ray,bob@z.net,0687654321\n"
        "q4,Cy Day,cy@w.com,0611111111\n",
        encoding="utf-8",
    )
    pairs = tmp_path / "p.csv"
    for fields, expected in (("name,email,code", []), ("name", [("q1", "q2")])):
        args = ["dedupe", str(source), "--id-column", "id", "--fields", fields]
        result = runner.invoke(app, [*args, "--pairs", str(pairs)])
        assert result.exit_code == 0, result.output
        assert [(r["left_id"], r["right_id"]) for r in _read(pairs)] == expected
    schema = tmp_path / "schema.json"
    schema.write_text('{"code": "phone"}', encoding="utf-8")
    golden = tmp_path / "g.csv"
    phones = []
    typed = ["--schema", str(schema)]
    for options in ([], [*typed, "-c", "fr"], [*typed, "-c", "NL"]):
        args = ["dedupe", str(source), "--id-column", "id", "--clean", "--fields", "name"]
        result = runner.invoke(app, [*args, *options, "--golden", str(golden)])
        assert result.exit_code == 0, result.output
        phones.append(_read(golden)[0]["code"])
    assert phones[1:] == ["+33612345678", "+31612345678"]
    assert not phones[0].startswith("+")
    for bad, message in (
        (["--fields", "name,"], "--fields: '' is not COLUMN or COLUMN=OTHER_COLUMN"),
        (["--fields", "nom"], "fields names a column the records lack: 'nom'"),
        (["--country", "France"], "--country must be an ISO alpha-2 code"),
    ):
        result = runner.invoke(app, ["dedupe", str(source), *bad])
        assert result.exit_code == 2
        assert message in result.output


def test_fields_pair_columns_of_two_files(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(PEOPLE, encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text("ref,label\nr1,Mary Jones\nr2,Peter Brown\n", encoding="utf-8")
    pairs = tmp_path / "p.csv"
    args = ["dedupe", str(source), "--link", str(other), "--id-column", "id"]
    result = runner.invoke(
        app,
        [*args, "--link-id-column", "ref", "--fields", "name=label", "--pairs", str(pairs)],
    )
    assert result.exit_code == 0, result.output
    assert [(r["left_id"], r["right_id"]) for r in _read(pairs)] == [("p3", "r1"), ("p4", "r2")]


def test_every_link_turns_best_match_links_off(runner: CliRunner, tmp_path: Path) -> None:
    left, right = catalogues()  # two shops, each product in a plain and a Pro edition
    files = []
    for name, rows in (("a.csv", left), ("b.csv", right)):
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        files.append(str(path))
    counts = []  # under a threshold low enough for the other edition (0.07) to pass
    for flag in ("--best-match", "--every-link"):
        pairs = tmp_path / f"{flag}.csv"
        args = ["dedupe", files[0], "--link", files[1], "--id-column", "id", "--threshold", "0.05"]
        result = runner.invoke(app, [*args, flag, "--pairs", str(pairs)])
        assert result.exit_code == 0, result.output
        counts.append(len(_read(pairs)))
    assert counts == [24, 48]


def test_bad_arguments(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(PEOPLE, encoding="utf-8")
    bad = runner.invoke(app, ["dedupe", str(source), "--threshold", "lots"])
    assert bad.exit_code == 2
    assert "threshold" in bad.output
    missing = runner.invoke(app, ["dedupe", str(source), "--id-column", "nope"])
    assert missing.exit_code == 2
    assert "--id-column" in missing.output
    other = tmp_path / "other.csv"
    other.write_text("ref,full_name\nx,Jon Smith\n", encoding="utf-8")
    unlinked = runner.invoke(
        app, ["dedupe", str(source), "--id-column", "id", "--link", str(other)]
    )
    assert unlinked.exit_code == 2
    assert "--id-column 'id' is not a column of" in unlinked.output
    assert "other.csv" in unlinked.output


NEW_PEOPLE = (
    "id,name,email,city\n"
    "n1,Jonathan Smith,jon.smith@example.com,Boston\n"
    "n2,Wendy Darling,wendy@example.co.uk,London\n"
)


def _saved_index(runner: CliRunner, tmp_path: Path) -> Path:
    source, index = tmp_path / "people.csv", tmp_path / "index.json"
    source.write_text(PEOPLE, encoding="utf-8")
    result = runner.invoke(app, ["dedupe", str(source), "--id-column", "id", "--index", str(index)])
    assert result.exit_code == 0, result.output
    return index


def test_match_joins_new_records_to_saved_clusters(runner: CliRunner, tmp_path: Path) -> None:
    index = _saved_index(runner, tmp_path)
    new, out = tmp_path / "new.csv", tmp_path / "matches.csv"
    new.write_text(NEW_PEOPLE, encoding="utf-8")
    args = ["match", str(new), "--index", str(index), "--id-column", "id", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    jon, wendy = _read(out)
    assert (jon["id"], jon["new_cluster"], set(jon["matched_ids"].split("|"))) == (
        "n1", "0", {"p1", "p2"}
    )  # fmt: skip
    assert (wendy["new_cluster"], wendy["matched_ids"]) == ("1", "")
    assert jon["merged_clusters"] == wendy["merged_clusters"] == ""
    again = runner.invoke(app, args)  # the index file now holds n1 and n2
    assert again.exit_code == 2
    assert "'n1' is already in the index" in again.output


def test_match_without_update_leaves_the_index_file_alone(
    runner: CliRunner, tmp_path: Path
) -> None:
    index = _saved_index(runner, tmp_path)
    saved = index.read_bytes()
    new = tmp_path / "new.csv"
    new.write_text(NEW_PEOPLE, encoding="utf-8")
    result = runner.invoke(app, ["match", str(new), "--index", str(index), "--no-update"])
    assert result.exit_code == 0, result.output
    header = "id,cluster_id,new_cluster,score,matched_ids,merged_clusters"
    assert result.stdout.splitlines()[0] == header
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["4", "5"]
    assert index.read_bytes() == saved


def test_match_reports_a_missing_or_broken_index(runner: CliRunner, tmp_path: Path) -> None:
    new = tmp_path / "new.csv"
    new.write_text(NEW_PEOPLE, encoding="utf-8")
    broken = tmp_path / "broken.json"
    for content, message in (
        (None, "no such index file"),
        ("{not json", "invalid JSON"),
        ("[1, 2]", "not a match index"),
        ('{"version": 1, "ids": []}', "not a complete match index"),
    ):
        if content is not None:
            broken.write_text(content, encoding="utf-8")
        result = runner.invoke(app, ["match", str(new), "--index", str(broken)])
        assert result.exit_code == 2
        assert message in result.output
    index = _saved_index(runner, tmp_path)
    state = json.loads(index.read_text(encoding="utf-8"))
    state["fellegi_sunter"]["prior"] = "abc"  # a hand-edited file
    broken.write_text(json.dumps(state), encoding="utf-8")
    malformed = runner.invoke(app, ["match", str(new), "--index", str(broken)])
    assert malformed.exit_code == 2
    assert "a malformed value" in malformed.output
    wrong = runner.invoke(app, ["match", str(new), "--index", str(index), "--id-column", "ref"])
    assert wrong.exit_code == 2
    assert "--id-column 'ref' is not a column of" in wrong.output


def test_match_waits_for_another_process_updating_the_index(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = _saved_index(runner, tmp_path)
    saved = index.read_bytes()
    new = tmp_path / "new.csv"
    new.write_text(NEW_PEOPLE, encoding="utf-8")
    monkeypatch.setattr(cli_dedupe, "INDEX_WAIT_SECONDS", 0.2)
    args = ["match", str(new), "--index", str(index), "--id-column", "id"]
    with FileLock(str(index) + ".lock"):  # another `cleara match` holds the index
        busy = runner.invoke(app, args)
        read_only = runner.invoke(app, [*args, "--no-update"])  # saves nothing: no turn needed
    assert busy.exit_code == 2
    assert "another process has been updating this index for 0 s" in busy.output
    assert index.read_bytes() == saved
    assert read_only.exit_code == 0, read_only.output
    assert runner.invoke(app, args).exit_code == 0  # its turn came: the lock was released
    assert index.read_bytes() != saved


def test_clean_writes_golden_records_in_clean_form(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(
        'id,name,phone\np1,"SMITH, JOHN",(415) 555-2671\np2,John Smith,+1 415 555 2671\n'
        "p3,Mary Jones,(303) 555-1234\n",
        encoding="utf-8",
    )
    golden = tmp_path / "g.csv"
    args = ["dedupe", str(source), "--id-column", "id", "--golden", str(golden)]
    result = runner.invoke(app, [*args, "--clean"])
    assert result.exit_code == 0, result.output
    pair = next(r for r in _read(golden) if r["size"] == "2")
    assert (pair["name"], pair["phone"]) == ("John Smith", "+14155552671")
