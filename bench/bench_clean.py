"""Cleaning throughput and memory, side by side with a naive loop over the same libraries;
and the latency of POST /v1/clean with 100 records."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench import customers, naive
from bench.report import Latency, print_table

OUT = Path(__file__).parent / "out"
ROWS = 100_000
NAIVE_ROWS = 10_000  # the naive loop is slow; its rate is measured on the first 10,000 rows


def _customers(rows: int) -> Path:
    return customers.write_csv(OUT / f"customers_{rows}.csv", rows)


def _clean_in_subprocess(path: Path, workers: int = 1) -> dict[str, float]:
    """Clean a file in a fresh process; report seconds and peak RSS (MiB)."""
    code = (
        "import json, resource, sys, time\n"
        "from cleara.files import clean_file\n"
        "start = time.perf_counter()\n"
        f"s = clean_file({str(path)!r}, {str(OUT / 'cleaned.csv')!r}, "
        f"report={str(OUT / 'report.json')!r})\n"
        "elapsed = time.perf_counter() - start\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': elapsed, 'rows': s.rows, 'rss_mib': rss}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _naive_rate(path: Path) -> tuple[float, float]:
    import csv

    with path.open(encoding="utf-8") as handle:
        rows = [row for _, row in zip(range(NAIVE_ROWS), csv.DictReader(handle), strict=False)]
    start = time.perf_counter()
    naive.clean_rows(rows)
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return len(rows) / elapsed, rss


def throughput() -> list[list[object]]:
    rows: list[list[object]] = []
    for size in (10_000, ROWS):
        result = _clean_in_subprocess(_customers(size))
        rate = result["rows"] / result["seconds"]
        rows.append(
            [f"Cleara clean_file, {size:,} rows", result["seconds"], rate, result["rss_mib"]]
        )
    naive_rate, naive_rss = _naive_rate(_customers(ROWS))
    rows.append(
        [f"naive loop, first {NAIVE_ROWS:,} rows", NAIVE_ROWS / naive_rate, naive_rate, naive_rss]
    )
    speedup = rows[1][2] / naive_rate  # type: ignore[operator]
    rows.append(["speed-up (100k Cleara vs naive)", "", f"{speedup:.1f}x", ""])
    print_table(
        "Cleaning a 10-column customer table (name, email, phone, address, city, state, zip, "
        "country, date, notes)",
        ["run", "seconds", "rows/s", "peak RSS MiB"],
        rows,
    )
    return rows


def api_latency() -> list[list[object]]:
    from bench.loadgen import load
    from bench.server import keyed_server

    records = customers.generate(100, seed=11)
    body = json.dumps({"records": records}).encode()
    with keyed_server(env=_server_env()) as (port, key):
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
        load(
            port, "/v1/clean", method="POST", body=body, headers=headers, requests=20, concurrency=1
        )
        result = load(
            port, "/v1/clean", method="POST", body=body, headers=headers,
            requests=300, concurrency=1, seconds=60,
        )  # fmt: skip
    latency = Latency.of(result.latencies_ms)
    row = ["POST /v1/clean, 100 records", result.requests, latency.p50, latency.p95, latency.p99]
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items()))
    print_table(
        f"POST /v1/clean latency, sequential requests (statuses {statuses})",
        ["request", "count", "p50 ms", "p95 ms", "p99 ms"],
        [row],
    )
    return [row]


def _server_env() -> dict[str, str]:
    # Identical bodies would be answered from the response cache; measure the cleaning.
    return {"CLEARA_MAX_RECORDS": "10000", "CLEARA_RESPONSE_CACHE_SECONDS": "0"}


def run() -> list[list[object]]:
    OUT.mkdir(parents=True, exist_ok=True)
    return throughput() + api_latency()


if __name__ == "__main__":
    run()
