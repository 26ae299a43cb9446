"""The bare service: throughput and latency of /healthz and of a 404 under concurrent load."""

from __future__ import annotations

from bench.loadgen import load
from bench.report import Latency, print_table
from bench.server import running_server

REQUESTS = 20_000
SECONDS = 20.0
CONCURRENCY = 32


def run() -> list[list[object]]:
    rows: list[list[object]] = []
    with running_server() as port:
        load(port, "/healthz", requests=500, concurrency=8)  # warm-up
        for label, path in (("GET /healthz", "/healthz"), ("GET /missing (404)", "/missing")):
            result = load(port, path, requests=REQUESTS, seconds=SECONDS, concurrency=CONCURRENCY)
            latency = Latency.of(result.latencies_ms)
            rows.append([
                label, result.requests, result.rps, latency.p50, latency.p95, latency.p99,
                ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items())),
            ])  # fmt: skip
    print_table(
        f"Bare service, 1 worker, {CONCURRENCY} connections from a separate process",
        ["endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "statuses"],
        rows,
    )
    return rows


if __name__ == "__main__":
    run()
