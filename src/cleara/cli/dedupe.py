"""`cleara dedupe`: find duplicate records in a file, or link it with another file."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cleara.cli.common import (
    CliError,
    checked_country,
    load_schema_file,
    report_errors,
    stderr_console,
)

if TYPE_CHECKING:
    from cleara.engine.dedupe.incremental import MatchIndex


def dedupe_command(
    source: Annotated[
        Path, typer.Argument(help="Input file (csv, tsv, json, jsonl, parquet, xlsx).")
    ],
    link: Annotated[
        Path | None,
        typer.Option("--link", help="A second file: link IN with it instead of deduplicating."),
    ] = None,
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id-column", help="Column holding record ids; 0-based row numbers if absent."
        ),
    ] = None,
    link_id_column: Annotated[
        str | None,
        typer.Option(
            "--link-id-column",
            help="With --link: the id column of OTHER, where it has another name than --id-column.",
        ),
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option("--labels", help="CSV of known pairs: left_id,right_id,match (1/0)."),
    ] = None,
    threshold: Annotated[
        str, typer.Option("--threshold", help='"auto" or a match probability between 0 and 1.')
    ] = "auto",
    fields: Annotated[
        str | None,
        typer.Option(
            "--fields",
            help="Comma-separated columns to compare (all by default); with --link, "
            "COLUMN=OTHER_COLUMN pairs a column with OTHER's of another name.",
        ),
    ] = None,
    schema: Annotated[
        Path | None,
        typer.Option("--schema", help='JSON file of column types, e.g. {"Tel.": "phone"}.'),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country", "-c", help="Default country (ISO alpha-2) of phones, dates and addresses."
        ),
    ] = None,
    best_match: Annotated[
        bool,
        typer.Option(
            "--best-match/--every-link",
            help="With --link: a pair links only as the best candidate of one of its records "
            "(default), or every pair above the threshold links.",
        ),
    ] = True,
    clean: Annotated[
        bool,
        typer.Option(
            "--clean",
            help="Clean the records first, as `cleara clean` does: golden records hold clean "
            "values (+14155552671, 1985-03-04).",
        ),
    ] = False,
    pairs: Annotated[
        Path | None,
        typer.Option("--pairs", help="Write matched pairs here: left_id,right_id,score."),
    ] = None,
    clusters: Annotated[
        Path | None, typer.Option("--clusters", help="Write id,cluster_id for every record here.")
    ] = None,
    golden: Annotated[
        Path | None,
        typer.Option("--golden", help="Write one golden record per cluster here."),
    ] = None,
    index: Annotated[
        Path | None,
        typer.Option(
            "--index",
            help="Save a match index (JSON) here, for matching new records with `cleara match`.",
        ),
    ] = None,
) -> None:
    """Cluster duplicate records (or matches across two files) with no configuration.

    Without --pairs, --clusters or --golden, the clusters are written to standard output.
    """
    from cleara.engine.dedupe.incremental import MatchIndex
    from cleara.engine.dedupe.pipeline import DedupeOptions, dedupe
    from cleara.engine.dedupe.threshold import parse_threshold
    from cleara.io.tabular import read_records

    with report_errors():
        parse_threshold(threshold)
        options = DedupeOptions(
            best_match=best_match, clean=clean, country=checked_country(country)
        )
        column_schema = load_schema_file(schema)
        columns, rows = read_records(source)
        link_columns, link_rows = read_records(link) if link is not None else (None, None)
        _check_id_columns(source, columns, id_column, link, link_columns, link_id_column)
        label_rows = _read_labels(labels) if labels is not None else None
        result = dedupe(
            rows,
            link_rows,
            id_field=id_column,
            link_id_field=link_id_column,
            fields=_parse_fields(fields),
            labels=label_rows,
            threshold=threshold,
            schema=column_schema,
            options=options,
        )
        if pairs is not None:
            _write_csv(
                pairs,
                ["left_id", "right_id", "score"],
                ([p.left_id, p.right_id, round(p.score, 6)] for p in result.pairs),
            )
        cluster_rows = _cluster_rows(result, link is not None)
        if clusters is not None:
            _write_csv(clusters, _cluster_header(link is not None), cluster_rows)
        if golden is not None:
            _write_golden(golden, result)
        if index is not None:
            with _index_file_turn(index):
                save_index_file(index, MatchIndex.from_result(result))
        if pairs is None and clusters is None and golden is None:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(_cluster_header(link is not None))
            writer.writerows(cluster_rows)
    duplicates = sum(1 for c in result.clusters if len(c.members) > 1)
    stderr_console().print(
        f"{len(rows)} records, {len(result.pairs)} matched pairs, {duplicates} clusters with "
        f"duplicates (threshold {result.threshold:.3f}, {result.model})"
    )


def match_command(
    source: Annotated[
        Path, typer.Argument(help="New records (csv, tsv, json, jsonl, parquet, xlsx).")
    ],
    index: Annotated[
        Path, typer.Option("--index", help="Match index saved by `cleara dedupe --index`.")
    ],
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id-column",
            help="Column holding record ids; without it, numbers after the stored records.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the matches (CSV) here; standard output when omitted."
        ),
    ] = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update/--no-update",
            help="Add the new records to the index file (default), or leave it as it is.",
        ),
    ] = True,
) -> None:
    """Match new records against the clusters of a saved index, without recomputing them.

    Each new record joins the stored cluster it matches best (mean match probability at or
    above the index's threshold) or starts a cluster of its own. Writes
    `id,cluster_id,new_cluster,score,matched_ids,merged_clusters` (ids joined by `|`). A
    record that matches two stored clusters which, with it, hold together (as the batch
    run's average linkage would judge) merges them; `merged_clusters` names those it absorbed.
    """
    from cleara.io.tabular import read_records

    with report_errors(), _index_file_turn(index if update else None):
        matcher = _load_index_file(index)
        columns, rows = read_records(source)
        if id_column is not None and id_column not in columns:
            raise CliError(f"--id-column {id_column!r} is not a column of {source}")
        ids = [row.get(id_column) for row in rows] if id_column is not None else None
        outcomes = matcher.match(rows, ids)
        header = ["id", "cluster_id", "new_cluster", "score", "matched_ids", "merged_clusters"]
        table = [
            [o.id, o.cluster_id, int(o.new_cluster), round(o.score, 6),
             "|".join(str(m) for m in o.matched_ids),
             "|".join(str(c) for c in o.merged_cluster_ids)]
            for o in outcomes
        ]  # fmt: skip
        if output is not None:
            _write_csv(output, header, table)
        else:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(table)
        if update:
            save_index_file(index, matcher)
    joined = sum(not o.new_cluster for o in outcomes)
    stderr_console().print(
        f"{len(outcomes)} records: {joined} joined stored clusters, "
        f"{len(outcomes) - joined} started new ones" + (f"; {index} updated" if update else "")
    )


INDEX_WAIT_SECONDS = 120.0
"""How long `cleara match` waits for another process updating the same index file."""


@contextmanager
def _index_file_turn(path: Path | None) -> Iterator[None]:
    """Hold the index file's lock (`FILE.lock`, filelock) from loading to saving, so that two
    commands updating one index take turns instead of the later save dropping the other's
    records. None: nothing is saved, no turn is needed."""
    if path is None:
        yield
        return
    from filelock import FileLock, Timeout

    lock = FileLock(str(path) + ".lock", timeout=INDEX_WAIT_SECONDS)
    try:
        lock.acquire()
    except Timeout:
        raise CliError(
            f"{path}: another process has been updating this index for "
            f"{INDEX_WAIT_SECONDS:.0f} s; try again when it is done"
        ) from None
    try:
        yield
    finally:
        lock.release()


def save_index_file(path: Path, index: MatchIndex) -> None:
    """Write a match index's JSON state, replacing the file only once it is complete."""
    import orjson

    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(orjson.dumps(index.to_state()))
    partial.replace(path)


def _load_index_file(path: Path) -> MatchIndex:
    import orjson

    from cleara.engine.dedupe.incremental import MatchIndex

    if not path.is_file():
        raise CliError(f"{path}: no such index file (save one with `cleara dedupe --index`)")
    try:
        state = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise CliError(f"{path}: not a match index (invalid JSON: {exc})") from None
    if not isinstance(state, dict) or "ids" not in state:
        raise CliError(f"{path}: not a match index saved by `cleara dedupe --index`")
    try:
        return MatchIndex.from_state(state)
    except (KeyError, TypeError, IndexError) as exc:
        raise CliError(f"{path}: not a complete match index (missing {exc})") from None
    except ValueError as exc:
        raise CliError(f"{path}: not a match index (a malformed value: {exc})") from None


def _read_labels(path: Path) -> list[dict[str, Any]]:
    from cleara.io.tabular import read_records

    columns, rows = read_records(path)
    missing = {"left_id", "right_id", "match"} - set(columns)
    if missing:
        raise CliError(
            f"{path}: needs the columns left_id,right_id,match; missing {sorted(missing)}"
        )
    return [
        {"left_id": _id(row["left_id"]), "right_id": _id(row["right_id"]), "match": row["match"]}
        for row in rows
    ]


def _id(value: Any) -> Any:
    """Ids read from CSV are text; row-number ids are integers."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def _parse_fields(text: str | None) -> list[str | dict[str, str]] | None:
    """`--fields`: column names, each alone or as COLUMN=OTHER_COLUMN."""
    if text is None:
        return None
    entries: list[str | dict[str, str]] = []
    for entry in (e.strip() for e in text.split(",")):
        name, equals, right = (part.strip() for part in entry.partition("="))
        if not name or (equals and not right):
            raise CliError(f"--fields: {entry!r} is not COLUMN or COLUMN=OTHER_COLUMN")
        entries.append({"name": name, "right": right} if equals else name)
    return entries


def _check_id_columns(
    source: Path,
    columns: list[str],
    id_column: str | None,
    link: Path | None,
    link_columns: list[str] | None,
    link_id_column: str | None,
) -> None:
    """Each id column option names a column of its file."""
    if link_id_column is not None and link is None:
        raise CliError("--link-id-column needs --link")
    if id_column is not None and id_column not in columns:
        raise CliError(f"--id-column {id_column!r} is not a column of {source}")
    wanted = link_id_column or id_column
    if link is None or link_columns is None or wanted is None or wanted in link_columns:
        return
    option = "--link-id-column" if link_id_column else "--id-column"
    hint = "" if link_id_column else " (name its own with --link-id-column)"
    raise CliError(f"{option} {wanted!r} is not a column of {link}{hint}")


def _cluster_header(link: bool) -> list[str]:
    return ["id", "cluster_id", "table"] if link else ["id", "cluster_id"]


def _cluster_rows(result: Any, link: bool) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for cluster in result.clusters:
        tables = cluster.tables or [None] * len(cluster.members)
        for member, table in zip(cluster.members, tables, strict=True):
            rows.append([member, cluster.id, table] if link else [member, cluster.id])
    return rows


def _write_golden(path: Path, result: Any) -> None:
    columns: list[str] = []
    for cluster in result.clusters[:1]:
        columns = list(cluster.golden)
    header = ["cluster_id", "size", *columns]
    rows = (
        [cluster.id, len(cluster.members), *(cluster.golden.get(c) for c in columns)]
        for cluster in result.clusters
    )
    _write_csv(path, header, rows)


def _write_csv(path: Path, header: list[str], rows: Any) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def register(app: typer.Typer) -> None:
    app.command("dedupe")(dedupe_command)
    app.command("match")(match_command)
