"""`cleara dedupe`: find duplicate records in a file, or link it with another file."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from cleara.cli.common import CliError, report_errors, stderr_console


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
    labels: Annotated[
        Path | None,
        typer.Option("--labels", help="CSV of known pairs: left_id,right_id,match (1/0)."),
    ] = None,
    threshold: Annotated[
        str, typer.Option("--threshold", help='"auto" or a match probability between 0 and 1.')
    ] = "auto",
    best_match: Annotated[
        bool,
        typer.Option(
            "--best-match/--every-link",
            help="With --link: a pair links only as the best candidate of one of its records "
            "(default), or every pair above the threshold links.",
        ),
    ] = True,
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
) -> None:
    """Cluster duplicate records (or matches across two files) with no configuration.

    Without --pairs, --clusters or --golden, the clusters are written to standard output.
    """
    from cleara.engine.dedupe.pipeline import DedupeOptions, dedupe
    from cleara.engine.dedupe.threshold import parse_threshold
    from cleara.io.tabular import read_records

    with report_errors():
        parse_threshold(threshold)
        columns, rows = read_records(source)
        link_columns, link_rows = read_records(link) if link is not None else (None, None)
        for path, names in ((source, columns), (link, link_columns)):
            if id_column is not None and names is not None and id_column not in names:
                raise CliError(f"--id-column {id_column!r} is not a column of {path}")
        label_rows = _read_labels(labels) if labels is not None else None
        result = dedupe(
            rows,
            link_rows,
            id_field=id_column,
            labels=label_rows,
            threshold=threshold,
            options=DedupeOptions(best_match=best_match),
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
        if pairs is None and clusters is None and golden is None:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(_cluster_header(link is not None))
            writer.writerows(cluster_rows)
    duplicates = sum(1 for c in result.clusters if len(c.members) > 1)
    stderr_console().print(
        f"{len(rows)} records, {len(result.pairs)} matched pairs, {duplicates} clusters with "
        f"duplicates (threshold {result.threshold:.3f}, {result.model})"
    )


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
