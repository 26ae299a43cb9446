"""Supervised scoring: gradient-boosted trees on the similarity features of labeled pairs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from cleara.engine.dedupe.compare import Comparison
from cleara.engine.dedupe.data import FloatArray
from cleara.engine.table import InputError

_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 5,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.9,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 2,
    "seed": 7,
    "deterministic": True,
}
_ROUNDS = 300
MIN_LABELS = 4


def design_matrix(comparison: Comparison) -> NDArray[np.float32]:
    """Similarity features plus each field's agreement level (NaN when missing)."""
    levels = comparison.levels.astype(np.float32)
    levels[levels < 0] = np.nan
    return np.hstack([comparison.features, levels]).astype(np.float32)


@dataclass(slots=True)
class SupervisedModel:
    """A LightGBM classifier over pair features; explains by per-field SHAP contributions."""

    booster: Any
    feature_fields: list[int]  # field index of each design-matrix column
    fields: int

    def probability(self, comparison: Comparison) -> FloatArray:
        if len(comparison) == 0:
            return np.zeros(0, dtype=np.float64)
        result: FloatArray = np.asarray(
            self.booster.predict(design_matrix(comparison)), dtype=np.float64
        )
        return result

    def contributions(self, comparison: Comparison) -> tuple[FloatArray, float]:
        """Per pair and field: the log-odds contribution; and the base log-odds."""
        if len(comparison) == 0:
            return np.zeros((0, self.fields)), 0.0
        shap = np.asarray(
            self.booster.predict(design_matrix(comparison), pred_contrib=True), dtype=np.float64
        )
        per_field = np.zeros((len(comparison), self.fields))
        for column, owner in enumerate(self.feature_fields):
            per_field[:, owner] += shap[:, column]
        return per_field, float(shap[0, -1])

    def to_string(self) -> str:
        text: str = self.booster.model_to_string()
        return text

    @classmethod
    def from_string(cls, text: str, feature_fields: list[int], fields: int) -> SupervisedModel:
        import lightgbm

        return cls(lightgbm.Booster(model_str=text), feature_fields, fields)


def train(
    comparison: Comparison, labels: NDArray[np.bool_], *, rounds: int = _ROUNDS
) -> SupervisedModel:
    """Fit the classifier on labeled pairs (both classes are needed)."""
    import lightgbm

    if len(labels) < MIN_LABELS or labels.all() or not labels.any():
        raise InputError(
            f"labels need at least {MIN_LABELS} pairs with both matches and non-matches"
        )
    matrix = design_matrix(comparison)
    dataset = lightgbm.Dataset(matrix, label=labels.astype(np.float32), free_raw_data=True)
    params = {**_PARAMS, "min_data_in_leaf": int(min(20, max(2, len(labels) // 50)))}
    booster = lightgbm.train(params, dataset, num_boost_round=rounds)
    owners = [*comparison.feature_fields, *range(comparison.levels.shape[1])]
    return SupervisedModel(booster, owners, comparison.levels.shape[1])


def out_of_fold(
    comparison: Comparison, labels: NDArray[np.bool_], *, folds: int = 5, seed: int = 0
) -> FloatArray:
    """Probabilities of each labeled pair from a model that did not see it (for thresholds)."""
    scores = np.full(len(labels), np.nan)
    order = np.random.default_rng(seed).permutation(len(labels))
    for fold in range(folds):
        held = order[fold::folds]
        kept = np.setdiff1d(order, held)
        train_labels = labels[kept]
        if len(kept) < MIN_LABELS or train_labels.all() or not train_labels.any():
            continue
        model = train(comparison.subset(kept), train_labels)
        scores[held] = model.probability(comparison.subset(held))
    return scores
