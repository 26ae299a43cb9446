"""Clean files of any size: stream chunks through the engine and write as they come.

Column-level decisions (date order, decimal mark, phone region) are taken from the first
`fit_rows` rows, so memory stays flat however long the file is.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, Any

import orjson

from cleara.engine.clean import (
    ChunkResult,
    CleanOptions,
    ColumnCounts,
    ColumnSummary,
    TableCleaner,
)
from cleara.engine.gc_tuning import batch_gc
from cleara.io.formats import format_from_extension, parse_format
from cleara.io.tabular import open_writer, read_table

DEFAULT_FIT_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class FileCleanSummary:
    """Counts of one file cleaning run, and the per-column summary."""

    rows: int
    changes: int
    problems: int
    columns: list[ColumnSummary]


def clean_file(
    source: str | Path,
    target: str | Path,
    *,
    schema: Mapping[str, str] | None = None,
    options: CleanOptions | None = None,
    input_format: str | None = None,
    output_format: str | None = None,
    report: str | Path | None = None,
    chunk_rows: int = 10_000,
    fit_rows: int = DEFAULT_FIT_ROWS,
    workers: int | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> FileCleanSummary:
    """Clean `source` into the file `target`, keeping rows and columns in order; write the
    change log, problems and summary to `report` (JSON) when given.

    `workers` processes clean chunks in parallel (default: one per CPU core when the file
    is larger than one chunk); results are written in input order.
    """
    with batch_gc():
        return _clean_file(
            source, target, schema=schema, options=options, input_format=input_format,
            output_format=output_format, report=report, chunk_rows=chunk_rows,
            fit_rows=fit_rows, workers=workers, on_rows=on_rows,
        )  # fmt: skip


def _clean_file(
    source: str | Path,
    target: str | Path,
    *,
    schema: Mapping[str, str] | None,
    options: CleanOptions | None,
    input_format: str | None,
    output_format: str | None,
    report: str | Path | None,
    chunk_rows: int,
    fit_rows: int,
    workers: int | None,
    on_rows: Callable[[int], None] | None,
) -> FileCleanSummary:
    reader = read_table(source, format=input_format, chunk_rows=chunk_rows)
    chunks = iter(reader)
    fit_sample: list[dict[str, Any]] = []
    for chunk in chunks:
        fit_sample.extend(chunk)
        if len(fit_sample) >= fit_rows:
            break
    cleaner = TableCleaner(reader.columns, schema=schema, options=options, sample=fit_sample).fit(
        fit_sample
    )
    out_format = (
        parse_format(output_format) if output_format else format_from_extension(target)
    ) or reader.format
    same_format = out_format == reader.format
    all_chunks = _rechunk(chain([fit_sample], chunks), chunk_rows)
    rows = changes = problems = 0
    with (
        open_writer(
            target, reader.columns, format=out_format, like=reader if same_format else None
        ) as writer,
        _ReportWriter(report) as log,
        _chunk_cleaner(cleaner, workers, several=len(fit_sample) > chunk_rows) as clean_chunks,
    ):
        for result in clean_chunks(all_chunks):
            writer.write(dict(zip(reader.columns, row, strict=True)) for row in result.rows)
            log.write(result)
            rows += len(result.rows)
            changes += len(result.changes)
            problems += len(result.problems)
            if on_rows is not None:
                on_rows(len(result.rows))
        log.finish(cleaner.summary, rows)
    return FileCleanSummary(rows, changes, problems, cleaner.summary)


_Chunks = Iterable[tuple[list[dict[str, Any]], int]]


def _rechunk(batches: Iterable[list[dict[str, Any]]], size: int) -> Iterator[tuple[list[Any], int]]:
    """Re-cut batches (the fit sample is larger than a chunk) into chunks with start rows."""
    start = 0
    for batch in batches:
        for offset in range(0, len(batch), size):
            part = batch[offset : offset + size]
            yield part, start
            start += len(part)


@contextmanager
def _chunk_cleaner(
    cleaner: TableCleaner, workers: int | None, *, several: bool
) -> Iterator[Callable[[_Chunks], Iterator[_Packed]]]:
    """A function cleaning chunks in order: in this process, or in a pool of processes."""
    count = workers if workers is not None else (os.cpu_count() or 1) if several else 1
    if count <= 1:
        yield lambda chunks: (
            _pack(cleaner.clean_rows(rows, start), cleaner.columns) for rows, start in chunks
        )
        return
    cleaner.clear_caches()
    context = multiprocessing.get_context("spawn")
    with context.Pool(count, initializer=_init_worker, initargs=(cleaner,)) as pool:

        def run(chunks: _Chunks) -> Iterator[_Packed]:
            for result in pool.imap(_clean_in_worker, chunks):
                cleaner.add_counts(result.counts)
                yield result

        yield run


_worker_cleaner: TableCleaner | None = None


def _init_worker(cleaner: TableCleaner) -> None:
    global _worker_cleaner
    _worker_cleaner = cleaner
    gc.freeze()  # this process lives for one batch: keep its static tables out of GC scans
    gc.set_threshold(50_000, 50, 100)


def _clean_in_worker(task: tuple[list[dict[str, Any]], int]) -> _Packed:
    assert _worker_cleaner is not None
    rows, start = task
    return _pack(_worker_cleaner.clean_rows(rows, start), _worker_cleaner.columns)


class _ReportWriter:
    """Streams the change log and problems into one JSON report without holding them."""

    def __init__(self, path: str | Path | None) -> None:
        self._path = Path(path) if path is not None else None
        self._changes: IO[str] | None = None
        self._problems: IO[str] | None = None
        self._count = {"changes": 0, "problems": 0}

    def __enter__(self) -> _ReportWriter:
        if self._path is not None:
            self._changes = self._part("changes")
            self._problems = self._part("problems")
        return self

    def _part(self, kind: str) -> IO[str]:
        assert self._path is not None
        return self._path.with_name(f"{self._path.name}.{kind}.part").open("w", encoding="utf-8")

    def write(self, chunk: _Packed) -> None:
        if self._changes is None or self._problems is None:
            return
        changes = [dict(zip(_CHANGE_KEYS, c, strict=True)) for c in chunk.changes]
        problems = [dict(zip(_PROBLEM_KEYS, p, strict=True)) for p in chunk.problems]
        self._append(self._changes, "changes", changes)
        self._append(self._problems, "problems", problems)

    def _append(self, handle: IO[str], kind: str, items: list[dict[str, Any]]) -> None:
        if not items:
            return
        # One orjson call per chunk; its `[...]` brackets are dropped to continue the array.
        lines = orjson.dumps(items)[1:-1].replace(b"},{", b"},\n{").decode()
        handle.write((",\n" if self._count[kind] else "\n") + lines)
        self._count[kind] += len(items)

    def finish(self, summary: list[ColumnSummary], rows: int) -> None:
        if self._path is None or self._changes is None or self._problems is None:
            return
        self._changes.close()
        self._problems.close()
        with self._path.open("w", encoding="utf-8") as out:
            head = {"rows": rows, "summary": [s.as_dict() for s in summary]}
            out.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2])
            for kind, handle in (("changes", self._changes), ("problems", self._problems)):
                out.write(f',\n "{kind}": [')
                with open(handle.name, encoding="utf-8") as part:
                    shutil.copyfileobj(part, out)
                out.write("\n ]")
            out.write("\n}\n")
        self._cleanup()

    def _cleanup(self) -> None:
        for handle in (self._changes, self._problems):
            if handle is not None:
                handle.close()
                Path(handle.name).unlink(missing_ok=True)

    def __exit__(self, *exc: object) -> None:
        self._cleanup()


_CHANGE_KEYS = ("row", "column", "before", "after", "rule", "confidence")
_PROBLEM_KEYS = ("row", "column", "code", "severity", "message")


@dataclass(frozen=True, slots=True)
class _Packed:
    """A cleaned chunk in plain tuples: cheap to send between processes and to serialize."""

    rows: list[tuple[Any, ...]]
    changes: list[tuple[Any, ...]]
    problems: list[tuple[Any, ...]]
    counts: dict[str, ColumnCounts]


def _pack(result: ChunkResult, columns: list[str]) -> _Packed:
    return _Packed(
        rows=[tuple(row.get(c) for c in columns) for row in result.rows],
        changes=[
            (c.row, c.column, c.before, c.after, c.rule, c.confidence) for c in result.changes
        ],
        problems=[(p.row, p.column, p.code, p.severity, p.message) for p in result.problems],
        counts=result.counts,
    )
