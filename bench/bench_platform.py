"""Platform overhead and limit exactness.

1. p95 latency of a trivial endpoint with the platform (API key, limits, metering) against
   the same endpoint without it, in one server, on the embedded default and with Redis. The
   two endpoints are measured in alternating rounds, so that load from other processes on
   the machine falls on both alike.
2. A key limited to N requests per second, hammered from a separate process at 2 worker
   processes sharing Redis: the admitted requests of any one-second window never exceed N.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI

from bench.loadgen import load
from bench.report import Latency, print_table
from bench.server import _wait_ready, free_port

REDIS_URL = os.environ.get("CLEARA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
LATENCY_REQUESTS = 3000
LATENCY_ROUNDS = 10
LIMIT_PER_SECOND = 20
LIMIT_SECONDS = 5.0


def create_bench_app() -> FastAPI:
    """The service plus the same trivial route twice: bare and behind the platform."""
    from cleara.api.app import create_app
    from cleara.api.platform_deps import ApiKeyGuard

    app = create_app()
    bare = APIRouter()
    guarded = APIRouter(dependencies=[Depends(ApiKeyGuard(scope="bench"))])

    async def trivial() -> dict[str, bool]:
        return {"ok": True}

    bare.add_api_route("/bench/bare", trivial, methods=["GET"])
    guarded.add_api_route("/bench/guarded", trivial, methods=["GET"])
    app.include_router(bare)
    app.include_router(guarded)
    return app


def _make_key(env: dict[str, str], per_second: int) -> str:
    """Migrate, then create an enterprise account with its own limits and a key."""
    from cleara.platform.service import build_platform
    from cleara.settings import Settings
    from cleara.store.factory import apply_migrations, build_stores

    values: dict[str, Any] = {k[7:].lower(): v for k, v in env.items() if k.startswith("CLEARA_")}
    settings = Settings(_env_file=None, **values)
    apply_migrations(settings)
    stores = build_stores(settings)
    platform = build_platform(settings, stores)
    account = platform.accounts.create(f"bench-{time.time_ns()}@example.com", tier="enterprise")
    platform.accounts.save(account, monthly_quota=10**9, per_second=per_second)
    secret = platform.keys.create(account.id, scopes=["bench"]).secret
    platform.close()
    stores.close()
    return secret


@contextmanager
def _server(env: dict[str, str], workers: int) -> Iterator[int]:
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "bench.bench_platform:create_bench_app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_ready(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _environment(data_dir: str, redis: bool) -> dict[str, str]:
    env = {"CLEARA_DATA_DIR": data_dir, "CLEARA_LOG_LEVEL": "WARNING"}
    if redis:
        env["CLEARA_REDIS_URL"] = REDIS_URL
    return env


def overhead_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for label, redis in (("embedded (SQLite, in-process)", False), ("Redis", True)):
        with tempfile.TemporaryDirectory(prefix="cleara-bench-") as data_dir:
            env = _environment(data_dir, redis)
            secret = _make_key(env, per_second=1_000_000)
            headers = {"Authorization": f"Bearer {secret}"}
            bare: list[float] = []
            guarded: list[float] = []
            statuses: dict[int, int] = {}
            with _server(env, workers=1) as port:
                load(port, "/bench/guarded", headers=headers, requests=300, concurrency=1)
                per_round = LATENCY_REQUESTS // LATENCY_ROUNDS
                for _ in range(LATENCY_ROUNDS):
                    plain_round = load(port, "/bench/bare", requests=per_round, concurrency=1)
                    result = load(
                        port, "/bench/guarded", headers=headers, requests=per_round, concurrency=1
                    )
                    bare += plain_round.latencies_ms
                    guarded += result.latencies_ms
                    for status, count in result.statuses.items():
                        statuses[status] = statuses.get(status, 0) + count
            plain, full = Latency.of(bare), Latency.of(guarded)
            rows.append([
                label, plain.p50, full.p50, plain.p95, full.p95, full.p95 - plain.p95,
                ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())),
            ])  # fmt: skip
    return rows


def limit_rows(workers: int = 2) -> list[list[object]]:
    from cleara.platform.metering import UsageStore
    from cleara.store.sql.item_store import SqlItemStore

    with tempfile.TemporaryDirectory(prefix="cleara-bench-") as data_dir:
        env = _environment(data_dir, redis=True)
        secret = _make_key(env, per_second=LIMIT_PER_SECOND)
        headers = {"Authorization": f"Bearer {secret}"}
        with _server(env, workers=workers) as port:
            result = load(
                port, "/bench/guarded", headers=headers, concurrency=32,
                requests=1_000_000, seconds=LIMIT_SECONDS,
            )  # fmt: skip
        # Worker shutdown flushed the usage records: check the admitted times.
        items = SqlItemStore.from_url(f"sqlite:///{Path(data_dir) / 'cleara.db'}")
        from cleara.platform.api_keys import KeyStore

        key = KeyStore(items, time.time).authenticate(secret)
        assert key is not None
        admitted = sorted(
            e.admitted_at
            for e in UsageStore(items).events(key.account_id)
            if e.status == 200 and e.admitted_at is not None
        )
        items.close()
    busiest = max_in_window(admitted, 1.0)
    return [[
        workers, LIMIT_PER_SECOND, result.requests, result.statuses.get(200, 0),
        result.statuses.get(429, 0), len(admitted), busiest,
        "yes" if busiest <= LIMIT_PER_SECOND else "NO",
    ]]  # fmt: skip


def max_in_window(times: list[float], window: float) -> int:
    """The most events inside any half-open window [t, t + window)."""
    best, start = 0, 0
    for end, moment in enumerate(times):
        while times[start] <= moment - window:
            start += 1
        best = max(best, end - start + 1)
    return best


def run() -> None:
    print_table(
        "Platform overhead on a trivial GET, 1 worker, 1 connection (ms)",
        [
            "backend",
            "p50 bare",
            "p50 platform",
            "p95 bare",
            "p95 platform",
            "p95 added",
            "statuses",
        ],
        overhead_rows(),
    )
    print_table(
        f"Limit exactness: {LIMIT_PER_SECOND}/s key, 32 connections for {LIMIT_SECONDS:g} s, Redis",
        ["workers", "limit/s", "requests", "200", "429", "metered 200", "max in any 1 s", "holds"],
        limit_rows(),
    )


if __name__ == "__main__":
    run()
