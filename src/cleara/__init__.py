"""Cleara: clean, validate, de-duplicate and enrich messy records.

The public Python API. Engine entry points are re-exported here as they land.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cleara")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
