"""Run benchmarks: `python -m bench` runs all, `python -m bench service clean` some."""

from __future__ import annotations

import importlib
import os
import sys

from bench.report import console, machine

BENCHMARKS = ("service", "fields", "clean", "schema", "dedupe", "enrich", "platform")


def main(argv: list[str]) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        console.print(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}")
        return 2
    console.print(f"Machine: {machine()}")
    for name in names:
        importlib.import_module(f"bench.bench_{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
