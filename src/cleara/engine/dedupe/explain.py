"""Explanations: why a pair scored what it did, field by field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from cleara.engine.dedupe.compare import LEVELS, Comparison
from cleara.engine.dedupe.data import Dataset, FieldData, FloatArray


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
    that the pair is two people of one home, `colleagues`, lost to the chance that it is two
    people of one organization, and `moved`, regained by the chance that its
    movable fields differ because the person moved."""
    adjustments = adjustments or {}
    best = _best_similarity(comparison, len(data.fields))
    columns = [  # per field, every pair's part: built column-wise, then one dict per pair
        _field_parts(field_data, comparison, f, (best[:, f], contributions[:, f]))
        for f, field_data in enumerate(data.fields)
    ]
    names = [field_data.spec.name for field_data in data.fields]
    extras = {name: values.astype(np.float64).tolist() for name, values in adjustments.items()}
    totals = base + contributions.sum(axis=1).astype(np.float64)
    extra_sum = np.zeros(len(comparison))
    for values in adjustments.values():
        extra_sum = extra_sum + values
    total_list = [round(t, 4) for t in (totals + extra_sum).tolist()]
    score_list = [round(s, 6) for s in scores.astype(np.float64).tolist()]
    base_rounded = round(base, 4)
    explanations = []
    for row in range(len(comparison)):
        explanation: dict[str, Any] = {
            "model": model,
            "score": score_list[row],
            "base": base_rounded,
            "total": total_list[row],
            "fields": {name: column[row] for name, column in zip(names, columns, strict=True)},
        }
        for name, values in extras.items():
            explanation[name] = round(values[row], 4)
        explanations.append(explanation)
    return explanations


def _field_parts(
    field_data: FieldData,
    comparison: Comparison,
    field: int,
    measures: tuple[FloatArray, FloatArray],
) -> list[dict[str, Any]]:
    """Field `field`'s part of every pair's explanation: values, level, similarity (its best
    similarity feature) and contribution (`measures`). A filler read as missing is shown
    with level `filler`."""
    similarity, contribution = measures
    levels = comparison.levels[:, field]
    kind_levels = ["missing", *LEVELS[field_data.spec.kind], "filler"]
    level_codes = levels.astype(np.int64) + 1
    uniques = [*field_data.uniques, None]  # code -1 (missing) picks None
    lefts = [uniques[c] for c in field_data.codes[comparison.left].tolist()]
    rights = [uniques[c] for c in field_data.codes[comparison.right].tolist()]
    if field_data.filler_index is not None:
        fillers = field_data.placeholders
        left_fillers = field_data.filler_index[comparison.left]
        right_fillers = field_data.filler_index[comparison.right]
        lefts = _shown(lefts, fillers, left_fillers)
        rights = _shown(rights, fillers, right_fillers)
        held = (left_fillers >= 0) | (right_fillers >= 0)
        level_codes = np.where(held & (levels < 0), len(kind_levels) - 1, level_codes)
    names = np.array(kind_levels, dtype=object)[level_codes]
    similarities = [None if s != s else round(s, 4) for s in similarity.tolist()]
    weights = contribution.astype(np.float64).tolist()
    agrees = ((levels >= 0) & (contribution > 0)).tolist()
    return [
        {"left": left, "right": right, "level": level, "similarity": sim,
         "contribution": round(weight, 4), "agrees": agree}
        for left, right, level, sim, weight, agree in zip(
            lefts, rights, names.tolist(), similarities, weights, agrees, strict=True
        )
    ]  # fmt: skip


def _shown(
    values: list[str | None], fillers: list[str], index: NDArray[np.int32]
) -> list[str | None]:
    """`values`, each filler read as missing (`index` into `fillers`, -1: none) shown again."""
    return [value if i < 0 else fillers[i] for value, i in zip(values, index.tolist(), strict=True)]


def _best_similarity(comparison: Comparison, fields: int) -> FloatArray:
    """Per pair and field: the highest of the field's similarity features."""
    best = np.full((len(comparison), fields), np.nan)
    for column, owner in enumerate(comparison.feature_fields):
        values = comparison.features[:, column].astype(np.float64)
        best[:, owner] = np.fmax(best[:, owner], values)
    return best
