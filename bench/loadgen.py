"""A small HTTP/1.1 keep-alive load generator, run in its own process on loopback.

It speaks raw HTTP over asyncio streams so the client costs little next to the server it
measures. Every run is bounded by a request count and a time limit.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    statuses: dict[int, int]
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _request_bytes(method: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def _worker(
    port: int,
    payloads: list[bytes],
    deadline: float,
    budget: list[int],
    out: list[tuple[int, float]],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            payload = payloads[budget[0] % len(payloads)]
            started = time.perf_counter()
            writer.write(payload)
            status = await _read_response(reader)
            out.append((status, (time.perf_counter() - started) * 1000))
    finally:
        writer.close()


async def _run(
    port: int, payloads: list[bytes], concurrency: int, requests: int, seconds: float
) -> LoadResult:
    out: list[tuple[int, float]] = []
    budget = [requests]
    started = time.perf_counter()
    deadline = started + seconds
    tasks = [_worker(port, payloads, deadline, budget, out) for _ in range(concurrency)]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.perf_counter() - started
    statuses: dict[int, int] = {}
    for status, _ in out:
        statuses[status] = statuses.get(status, 0) + 1
    errors = sum(1 for r in results if isinstance(r, BaseException))
    return LoadResult(len(out), errors, elapsed, statuses, [ms for _, ms in out])


def _child(conn: object, args: tuple[int, list[bytes], int, int, float]) -> None:
    result = asyncio.run(_run(*args))
    conn.send(result)  # type: ignore[attr-defined]
    conn.close()  # type: ignore[attr-defined]


def load(
    port: int,
    path: str,
    *,
    method: str = "GET",
    body: bytes = b"",
    bodies: list[bytes] | None = None,
    headers: dict[str, str] | None = None,
    concurrency: int = 16,
    requests: int = 5000,
    seconds: float = 20.0,
) -> LoadResult:
    """Send up to `requests` requests (at most `seconds` long) from a separate process;
    with `bodies`, the requests take them in turn (so no cache can answer a repeat)."""
    payloads = [_request_bytes(method, path, b, headers or {}) for b in bodies or [body]]
    parent, child = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("spawn").Process(
        target=_child, args=(child, (port, payloads, concurrency, requests, seconds))
    )
    process.start()
    result: LoadResult = parent.recv()
    process.join(timeout=seconds + 30)
    return result
