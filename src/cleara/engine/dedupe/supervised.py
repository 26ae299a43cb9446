"""Supervised scoring: gradient-boosted trees on the similarity features of labeled pairs.

Given the records (`data=`), the model also learns IDF-weighted token features per field and
over the whole record (`token_features`): on the Magellan product benchmarks they lift F1 by
7-8 points, because rare shared words (model numbers) decide most product matches.

Trees give a field only the credit it earns on the labelled pairs: when most non-matches
already differ in their titles, a song length that differs by a minute counts for little, and
a remix with the same title scores as a match. `LevelOdds` (Fellegi-Sunter with m and u
counted on the labels) lets every field's agreement level count on its own. And a few dozen
labels know less about the candidates than Fellegi-Sunter fitted on all of them (term
frequencies, people of one home): its log-odds are a third input. `fit` stacks them on
held-out predictions, so the labels decide how much each one weighs.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from cleara.engine.dedupe.compare import LEVELS, Comparison
from cleara.engine.dedupe.data import Dataset, FloatArray
from cleara.engine.dedupe.fellegi_sunter import FellegiSunterModel
from cleara.engine.dedupe.token_features import RECORD, TokenFeaturizer
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
STACK_LABELS = 20
"""Labels needed for held-out predictions (threshold and stacking); fewer: trees alone."""
_BUNDLE = "cleara-supervised-v2"  # booster and token features
_STACKED = "cleara-supervised-v3"  # also level odds, Fellegi-Sunter and the stacking weights
_SLOTS = 1 + max(len(names) for names in LEVELS.values())  # slot 0: a value is missing
_SMOOTHING = 0.5
_TREES_ONLY = (0.0, 1.0, 0.0, 0.0)


@dataclass(slots=True)
class LevelOdds:
    """Per field and agreement level, the log-odds of a match counted on labelled pairs
    (Fellegi-Sunter with m and u from the labels); a missing value is no evidence."""

    odds: NDArray[np.float64]  # (fields, _SLOTS)
    prior: float

    @classmethod
    def fit(cls, levels: NDArray[np.int8], labels: NDArray[np.bool_]) -> LevelOdds:
        slots = levels.astype(np.int64) + 1
        odds = np.zeros((levels.shape[1], _SLOTS))
        for field in range(levels.shape[1]):
            matched = np.bincount(slots[labels, field], minlength=_SLOTS)[:_SLOTS]
            other = np.bincount(slots[~labels, field], minlength=_SLOTS)[:_SLOTS]
            m = (matched + _SMOOTHING) / (matched[1:].sum() + _SMOOTHING * (_SLOTS - 1))
            u = (other + _SMOOTHING) / (other[1:].sum() + _SMOOTHING * (_SLOTS - 1))
            seen = (matched + other) > 0
            odds[field] = np.where(seen, np.log(m) - np.log(u), 0.0)
            odds[field, 0] = 0.0
        rate = float(labels.mean())
        return cls(odds, float(np.log(rate / (1.0 - rate))))

    def per_field(self, levels: NDArray[np.int8]) -> FloatArray:
        """Each pair's log-odds contribution of each field."""
        slots = np.clip(levels.astype(np.int64) + 1, 0, _SLOTS - 1)
        result: FloatArray = self.odds[np.arange(levels.shape[1])[None, :], slots]
        return result

    def logit(self, levels: NDArray[np.int8]) -> FloatArray:
        result: FloatArray = self.prior + self.per_field(levels).sum(axis=1)
        return result

    def as_dict(self) -> dict[str, Any]:
        return {"odds": self.odds.tolist(), "prior": self.prior}

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> LevelOdds:
        return cls(np.asarray(state["odds"], dtype=np.float64), float(state["prior"]))


def design_matrix(
    comparison: Comparison,
    data: Dataset | None = None,
    tokens: TokenFeaturizer | None = None,
) -> NDArray[np.float32]:
    """Similarity features, each field's agreement level (NaN when missing) and, with a
    featurizer and the records, the token features of the pairs."""
    levels = comparison.levels.astype(np.float32)
    levels[levels < 0] = np.nan
    blocks = [comparison.features, levels]
    if tokens is not None:
        if data is None:
            raise ValueError("this model uses token features: pass the records (data=...)")
        blocks.append(tokens.transform(data, comparison.left, comparison.right))
    return np.hstack(blocks).astype(np.float32)


@dataclass(slots=True)
class SupervisedModel:
    """A LightGBM classifier over pair features, optionally stacked with level odds and
    Fellegi-Sunter: log-odds = intercept + trees * tree log-odds + odds * level log-odds +
    fs * Fellegi-Sunter log-odds. Explains by per-field SHAP contributions plus each field's
    level odds and Fellegi-Sunter weight."""

    booster: Any
    feature_fields: list[int]  # field index of each design-matrix column (RECORD: all)
    fields: int
    tokens: TokenFeaturizer | None = None
    level_odds: LevelOdds | None = None
    fellegi_sunter: FellegiSunterModel | None = None  # fitted on the candidates, no labels
    stack: tuple[float, float, float, float] = _TREES_ONLY  # intercept, trees, odds, fs

    def probability(
        self,
        comparison: Comparison,
        data: Dataset | None = None,
        matrix: NDArray[np.float32] | None = None,
    ) -> FloatArray:
        """Match probabilities; `data` (the compared records) is needed with token features.
        `matrix`: the pairs' `design_matrix` with this model's token features, if at hand."""
        if len(comparison) == 0:
            return np.zeros(0, dtype=np.float64)
        return _sigmoid(self.logit(comparison, data, matrix))

    def tree_probability(self, comparison: Comparison, data: Dataset | None = None) -> FloatArray:
        """The trees' own match probabilities, as if not stacked."""
        if len(comparison) == 0:
            return np.zeros(0, dtype=np.float64)
        return _sigmoid(self.tree_logit(comparison, data))

    def tree_logit(
        self,
        comparison: Comparison,
        data: Dataset | None = None,
        matrix: NDArray[np.float32] | None = None,
    ) -> FloatArray:
        """The trees' own log-odds."""
        if matrix is None:
            matrix = design_matrix(comparison, data, self.tokens)
        return np.asarray(self.booster.predict(matrix, raw_score=True), dtype=np.float64)

    def logit(
        self,
        comparison: Comparison,
        data: Dataset | None = None,
        matrix: NDArray[np.float32] | None = None,
    ) -> FloatArray:
        trees = self.tree_logit(comparison, data, matrix)
        intercept, tree_weight, odds_weight, fs_weight = self.stack
        result: FloatArray = intercept + tree_weight * trees
        if self.level_odds is not None and odds_weight:
            result = result + odds_weight * self.level_odds.logit(comparison.levels)
        if self.fellegi_sunter is not None and fs_weight:
            per_field, base, adjustments = _fellegi_sunter_parts(
                self.fellegi_sunter, comparison, data
            )
            extra = sum(adjustments.values(), np.zeros(len(comparison)))
            result = result + fs_weight * (per_field.sum(axis=1) + base + extra)
        return result

    def contributions(
        self, comparison: Comparison, data: Dataset | None = None
    ) -> tuple[FloatArray, float, dict[str, FloatArray]]:
        """Per pair and field: the log-odds contribution; the base log-odds; and per pair the
        log-odds of Fellegi-Sunter's further classes (`FellegiSunterModel.adjustments`).

        Whole-record features count equally towards every field."""
        if len(comparison) == 0:
            return np.zeros((0, self.fields)), 0.0, {}
        matrix = design_matrix(comparison, data, self.tokens)
        shap = np.asarray(self.booster.predict(matrix, pred_contrib=True), dtype=np.float64)
        per_field = np.zeros((len(comparison), self.fields))
        for column, owner in enumerate(self.feature_fields):
            if owner == RECORD:
                per_field += shap[:, column : column + 1] / max(self.fields, 1)
            else:
                per_field[:, owner] += shap[:, column]
        intercept, tree_weight, odds_weight, fs_weight = self.stack
        per_field *= tree_weight
        base = intercept + tree_weight * float(shap[0, -1])
        adjustments: dict[str, FloatArray] = {}
        if self.level_odds is not None and odds_weight:
            per_field += odds_weight * self.level_odds.per_field(comparison.levels)
            base += odds_weight * self.level_odds.prior
        if self.fellegi_sunter is not None and fs_weight:
            fs_fields, fs_base, fs_adjustments = _fellegi_sunter_parts(
                self.fellegi_sunter, comparison, data
            )
            per_field += fs_weight * fs_fields
            base += fs_weight * fs_base
            adjustments = {name: fs_weight * value for name, value in fs_adjustments.items()}
        return per_field, base, adjustments

    def to_string(self) -> str:
        """The booster's text; with token features or level odds, a JSON bundle of all."""
        text: str = self.booster.model_to_string()
        if self.level_odds is not None:
            fellegi_sunter = self.fellegi_sunter
            return json.dumps(
                {
                    "format": _STACKED,
                    "booster": text,
                    "tokens": self.tokens.as_dict() if self.tokens is not None else None,
                    "level_odds": self.level_odds.as_dict(),
                    "fellegi_sunter": fellegi_sunter.as_dict() if fellegi_sunter else None,
                    "stack": list(self.stack),
                }
            )
        if self.tokens is None:
            return text
        return json.dumps({"format": _BUNDLE, "booster": text, "tokens": self.tokens.as_dict()})

    @classmethod
    def from_string(cls, text: str, feature_fields: list[int], fields: int) -> SupervisedModel:
        import lightgbm

        if not text.startswith("{"):
            return cls(lightgbm.Booster(model_str=text), feature_fields, fields)
        state = json.loads(text)
        tokens = TokenFeaturizer.from_dict(state["tokens"]) if state.get("tokens") else None
        model = cls(lightgbm.Booster(model_str=state["booster"]), feature_fields, fields, tokens)
        if state.get("format") == _STACKED:
            odds = LevelOdds.from_dict(state["level_odds"])
            if odds.odds.shape != (fields, _SLOTS):
                raise InputError("the stored classifier's level odds do not fit its fields")
            weights = [float(w) for w in state["stack"]]
            if len(weights) != len(_TREES_ONLY):
                raise InputError("the stored classifier's stacking weights are malformed")
            fs_state = state.get("fellegi_sunter")
            if fs_state is not None:
                model.fellegi_sunter = FellegiSunterModel.from_dict(fs_state)
                if len(model.fellegi_sunter.fields) != fields:
                    raise InputError(
                        "the stored classifier's Fellegi-Sunter model has other fields"
                    )
            model.level_odds, model.stack = odds, (weights[0], weights[1], weights[2], weights[3])
        return model


def _fellegi_sunter_parts(
    model: FellegiSunterModel, comparison: Comparison, data: Dataset | None
) -> tuple[FloatArray, float, dict[str, FloatArray]]:
    """Fellegi-Sunter's per-field weights, prior and further classes' weights
    (`FellegiSunterModel.adjustments`), in natural log-odds."""
    if data is None:
        raise ValueError("this model stacks Fellegi-Sunter: pass the records (data=...)")
    weights = model.field_weights(data, comparison)  # each field's weight is bounded
    adjustments = model.adjustments(weights, comparison.levels)
    bits = math.log(2.0)
    scaled = {name: value * bits for name, value in adjustments.items()}
    return weights * bits, model.scoring_prior_weight * bits, scaled


def fellegi_sunter_logit(
    model: FellegiSunterModel, comparison: Comparison, data: Dataset
) -> FloatArray:
    """Fellegi-Sunter's match log-odds (natural), its further classes included."""
    fields, base, adjustments = _fellegi_sunter_parts(model, comparison, data)
    result: FloatArray = fields.sum(axis=1) + base
    for adjustment in adjustments.values():
        result = result + adjustment
    return result


def _sigmoid(logit: FloatArray) -> FloatArray:
    result: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(logit, -500.0, 500.0)))
    return result


def untrainable(labels: NDArray[np.bool_]) -> str | None:
    """Why these labels cannot train a classifier, or None when they can."""
    if len(labels) < MIN_LABELS:
        return f"fewer than {MIN_LABELS} labelled pairs"
    if labels.all():
        return "the labels hold no non-match"
    if not labels.any():
        return "the labels hold no match"
    return None


def train(
    comparison: Comparison,
    labels: NDArray[np.bool_],
    *,
    data: Dataset | None = None,
    tokens: TokenFeaturizer | None = None,
    rounds: int = _ROUNDS,
) -> SupervisedModel:
    """Fit the classifier on labeled pairs (both classes are needed).

    With `data` (the records the pairs index), token features are added: a featurizer fitted
    on those records unless `tokens` gives one.
    """
    import lightgbm

    reason = untrainable(labels)
    if reason is not None:
        raise InputError(f"cannot train a classifier: {reason}")
    if data is not None and tokens is None:
        tokens = TokenFeaturizer.fit(data)
    matrix = design_matrix(comparison, data, tokens if data is not None else None)
    dataset = lightgbm.Dataset(matrix, label=labels.astype(np.float32), free_raw_data=True)
    params = {**_PARAMS, "min_data_in_leaf": int(min(20, max(2, len(labels) // 50)))}
    booster = lightgbm.train(params, dataset, num_boost_round=rounds)
    owners = [*comparison.feature_fields, *range(comparison.levels.shape[1])]
    if data is not None and tokens is not None:
        owners += tokens.owners
    else:
        tokens = None
    odds = LevelOdds.fit(comparison.levels, labels)
    return SupervisedModel(booster, owners, comparison.levels.shape[1], tokens, odds)


def fit(
    comparison: Comparison,
    labels: NDArray[np.bool_],
    *,
    data: Dataset | None = None,
    fellegi_sunter: FellegiSunterModel | None = None,
    tokens: TokenFeaturizer | None = None,
    folds: int = 5,
    seed: int = 0,
) -> tuple[SupervisedModel, FloatArray | None]:
    """Train on the labels and stack the trees with level odds (and with `fellegi_sunter`,
    fitted on the candidates without labels, its log-odds); also each label's held-out
    probability (for the threshold), or None with fewer than STACK_LABELS labels.

    The stacking weights are a logistic regression of the labels on the parts' held-out
    log-odds (Fellegi-Sunter never saw the labels: its own); a part it gives no positive
    weight is left out, and where the trees get none they score alone. `tokens`: a
    featurizer already fitted on `data` (else one is).
    """
    model = train(comparison, labels, data=data, tokens=tokens)
    if len(labels) < STACK_LABELS:
        return model, None
    trees, odds = _held_out_logits(comparison, labels, data, model.tokens, folds, seed)
    if np.isnan(trees).any():
        return model, None
    parts = [trees, odds, np.zeros(len(labels))]
    if fellegi_sunter is not None and data is not None:
        parts[2] = fellegi_sunter_logit(fellegi_sunter, comparison, data)
    with_fellegi_sunter = fellegi_sunter is not None and data is not None
    model.stack = _stacking_weights(parts, labels, use_fellegi_sunter=with_fellegi_sunter)
    if model.stack[3] > 0:
        model.fellegi_sunter = fellegi_sunter
    intercept, *weights = model.stack
    return model, _sigmoid(intercept + np.column_stack(parts) @ np.asarray(weights))


def _held_out_logits(
    comparison: Comparison,
    labels: NDArray[np.bool_],
    data: Dataset | None,
    tokens: TokenFeaturizer | None,
    folds: int,
    seed: int,
) -> tuple[FloatArray, FloatArray]:
    """Each label's tree and level-odds log-odds from models that did not see it (NaN where
    a fold's training part lacks a class)."""
    trees = np.full(len(labels), np.nan)
    odds = np.full(len(labels), np.nan)
    order = np.random.default_rng(seed).permutation(len(labels))
    for fold in range(folds):
        held = order[fold::folds]
        kept = np.setdiff1d(order, held)
        if len(kept) < MIN_LABELS or labels[kept].all() or not labels[kept].any():
            continue
        model = train(comparison.subset(kept), labels[kept], data=data, tokens=tokens)
        held_pairs = comparison.subset(held)
        trees[held] = model.tree_logit(held_pairs, data)
        assert model.level_odds is not None
        odds[held] = model.level_odds.logit(held_pairs.levels)
    return trees, odds


def _stacking_weights(
    parts: list[FloatArray], labels: NDArray[np.bool_], *, use_fellegi_sunter: bool
) -> tuple[float, float, float, float]:
    """Intercept and weights of trees, level odds and Fellegi-Sunter (0: left out)."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    used = [0, 1, 2] if use_fellegi_sunter else [0, 1]
    while True:
        stacker = LogisticRegression(C=1.0, max_iter=1000)
        stacker.fit(np.column_stack([parts[i] for i in used]), labels)
        weights = dict(zip(used, (float(w) for w in stacker.coef_[0]), strict=True))
        if weights[0] <= 0:
            return _TREES_ONLY
        dropped = [i for i in used if i and weights[i] <= 0]
        if not dropped:
            break
        used = [i for i in used if i not in dropped]
    if used == [0]:
        return _TREES_ONLY
    chosen = [weights.get(i, 0.0) for i in range(3)]
    return float(stacker.intercept_[0]), chosen[0], chosen[1], chosen[2]
