"""Enrichment: fill missing geographic, contact and predictable fields, with the source,
a calibrated confidence and an explanation for every filled value."""

from __future__ import annotations

from cleara.engine.enrich.base import Conflict, Enrichment
from cleara.engine.enrich.impute import ColumnModel
from cleara.engine.enrich.pipeline import EnrichResult, enrich

__all__ = ["ColumnModel", "Conflict", "EnrichResult", "Enrichment", "enrich"]
