"""Start `cleara serve` in a subprocess on a free loopback port for a benchmark."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(workers: int = 1, env: dict[str, str] | None = None) -> Iterator[int]:
    """Serve the API on embedded defaults in a temporary data folder; yield its port."""
    with keyed_server(workers, env) as (port, _key):
        yield port


@contextlib.contextmanager
def keyed_server(
    workers: int = 1, env: dict[str, str] | None = None, timings: dict[str, float] | None = None
) -> Iterator[tuple[int, str]]:
    """Like `running_server`, with an enterprise API key created first; yields (port, key).

    `timings` receives `ready_s`: seconds from starting the server to its first answer."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="cleara-bench-") as data_dir:
        environment = {
            **os.environ,
            "CLEARA_DATA_DIR": data_dir,
            "CLEARA_LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        created = subprocess.run(
            [sys.executable, "-m", "cleara", "keys", "create", "--email",
             "bench@example.com", "--tier", "enterprise", "--name", "bench"],
            env=environment, check=True, capture_output=True, text=True,
        )  # fmt: skip
        key = created.stdout.split()[0]
        command = [
            sys.executable, "-m", "cleara", "serve", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers),
        ]  # fmt: skip
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            _wait_ready(port, process)
            if timings is not None:
                timings["ready_s"] = time.perf_counter() - started
            yield port, key
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"server exited early:\n{errors[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not become ready in time")
