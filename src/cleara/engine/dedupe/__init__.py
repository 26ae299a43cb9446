"""Deduplication and record linkage: `dedupe(records)` finds duplicates with no configuration."""

from __future__ import annotations

from cleara.engine.dedupe.pipeline import (
    Cluster,
    DedupeOptions,
    DedupeResult,
    Label,
    MatchedPair,
    dedupe,
)

__all__ = ["Cluster", "DedupeOptions", "DedupeResult", "Label", "MatchedPair", "dedupe"]
