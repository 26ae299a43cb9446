"""Explanations: why a pair scored what it did, field by field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from cleara.engine.dedupe.compare import LEVELS, Comparison
from cleara.engine.dedupe.data import Dataset, FloatArray


def explain_pairs(
    data: Dataset,
    comparison: Comparison,
    contributions: FloatArray,
    scores: FloatArray,
    *,
    model: str,
    base: float,
    adjustments: Mapping[str, FloatArray] | None = None,
) -> list[dict[str, Any]]:
    """Per pair: the model, score, base weight and each field's values, level, similarity and
    contribution (log2 Bayes factor for Fellegi-Sunter, log-odds share for the classifier);
    and the weight of each of `adjustments` (part of `total`): `household`, lost to the chance
    that the pair is two people of one home, and `moved`, regained by the chance that its
    movable fields differ because the person moved."""
    adjustments = adjustments or {}
    best = _best_similarity(comparison, len(data.fields))
    explanations = []
    for row in range(len(comparison)):
        extra = {name: float(value[row]) for name, value in adjustments.items()}
        left = int(comparison.left[row])
        right = int(comparison.right[row])
        fields: dict[str, Any] = {}
        for f, field_data in enumerate(data.fields):
            level = int(comparison.levels[row, f])
            similarity = best[row, f]
            fields[field_data.spec.name] = {
                "left": field_data.value(left),
                "right": field_data.value(right),
                "level": "missing" if level < 0 else LEVELS[field_data.spec.kind][level],
                "similarity": None if np.isnan(similarity) else round(float(similarity), 4),
                "contribution": round(float(contributions[row, f]), 4),
                "agrees": bool(level >= 0 and contributions[row, f] > 0),
            }
        explanation: dict[str, Any] = {
            "model": model,
            "score": round(float(scores[row]), 6),
            "base": round(base, 4),
            "total": round(base + float(contributions[row].sum()) + sum(extra.values()), 4),
            "fields": fields,
        }
        for name, value in extra.items():
            explanation[name] = round(value, 4)
        explanations.append(explanation)
    return explanations


def _best_similarity(comparison: Comparison, fields: int) -> FloatArray:
    """Per pair and field: the highest of the field's similarity features."""
    best = np.full((len(comparison), fields), np.nan)
    for column, owner in enumerate(comparison.feature_fields):
        values = comparison.features[:, column].astype(np.float64)
        best[:, owner] = np.fmax(best[:, owner], values)
    return best
