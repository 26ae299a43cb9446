"""Missing-field prediction: one LightGBM model per column, trained on the rows where the
column is present, with cross-validated accuracy, calibrated confidence and explanations.

For each target column:

1. Features are the other columns, numeric or categorical; id-like columns (unique keys,
   free text) and near-duplicates of the target (columns that encode it one-to-one, or a
   numeric copy of it) are left out, so the model never learns the target from itself.
2. K-fold cross-validation gives an out-of-fold prediction for every training row. Its
   confidence score (the top class probability, or for numbers a cross-fitted model of the
   expected error) is mapped to the chance of being right by isotonic regression (Platt
   scaling on small data). A number is "right" when within a tenth of the column's standard
   deviation of the truth.
3. Missing cells get the average of the K fold models; a value is filled only when its
   calibrated confidence reaches the threshold. Each filled value names the fields with the
   largest LightGBM contributions (`pred_contrib`, TreeSHAP) to its prediction.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from cleara.engine.enrich.base import is_missing
from cleara.engine.enrich.explain import Contribution, describe_prediction, top_contributions
from cleara.engine.fields.base import JsonScalar, as_text
from cleara.engine.schema.headers import header_type

Kind = Literal["categorical", "numeric"]
FloatArray = NDArray[np.float64]

MIN_TRAIN_ROWS = 10
MAX_CLASSES = 50
MAX_FEATURE_CATEGORIES = 255
MAX_TRAIN_ROWS = 30_000
PARALLEL_MIN_ROWS = 20_000  # rows sampled for cross-validation on large tables
NUMERIC_SHARE = 0.95  # share of values that must read as numbers for a numeric column
SMALL_INTEGER_CLASSES = 15  # integer columns with at most this many values are classified
NUMERIC_TOLERANCE = 0.1  # a number is right within this many standard deviations
ISOTONIC_MIN_ROWS = 1000  # fewer out-of-fold rows are calibrated with Platt scaling
ENCODING_AGREEMENT = 0.99  # a feature that maps 1:1 to the target on this share is a copy
_ID_TYPES = frozenset({"identifier", "uuid"})
_SEED = 20240601


@dataclass(slots=True)
class EncodedColumn:
    """A column as model input: numbers (NaN where missing) or category codes."""

    name: str
    numeric: bool
    values: FloatArray
    categories: list[JsonScalar] = field(default_factory=list)  # code -> a raw value
    integer: bool = False
    decimals: int = 0
    distinct: int = 0
    unusable: str | None = None  # why the column is not a feature or a target

    @property
    def kind(self) -> Kind:
        small = self.integer and self.distinct <= SMALL_INTEGER_CLASSES
        return "numeric" if self.numeric and not small else "categorical"


@dataclass(slots=True)
class ColumnModel:
    """What the model of one column learned and did (the report's per-column entry)."""

    column: str
    kind: Kind | None = None
    trained_rows: int = 0
    features: list[str] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)  # feature -> why it was left out
    cv_accuracy: float | None = None  # categorical: exact; numeric: within the tolerance
    cv_nrmse: float | None = None  # numeric: RMSE / standard deviation
    calibration: str | None = None
    missing: int = 0
    filled: int = 0
    skipped: str | None = None  # why no model was trained

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "kind": self.kind,
            "trained_rows": self.trained_rows,
            "features": self.features,
            "dropped": self.dropped,
            "cv_accuracy": self.cv_accuracy,
            "cv_nrmse": self.cv_nrmse,
            "calibration": self.calibration,
            "missing": self.missing,
            "filled": self.filled,
            "skipped": self.skipped,
        }


@dataclass(frozen=True, slots=True)
class Prediction:
    row: int
    column: str
    value: JsonScalar
    confidence: float
    contributions: tuple[Contribution, ...]
    explanation: str


@dataclass(slots=True)
class ImputeResult:
    predictions: list[Prediction]
    models: list[ColumnModel]


# -- encoding ---------------------------------------------------------------------------------


def _number(value: JsonScalar) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _decimals(value: JsonScalar) -> int:
    text = as_text(value)
    return len(text.split(".", 1)[1]) if "." in text and "e" not in text.lower() else 0


def encode_column(name: str, values: Sequence[JsonScalar]) -> EncodedColumn:
    """Read one column as numbers when nearly all its values are, else as categories."""
    present = [v for v in values if not is_missing(v)]
    if not present:
        return EncodedColumn(name, False, np.full(len(values), np.nan), unusable="empty")
    numbers = [None if is_missing(v) else _number(v) for v in values]
    readable = sum(1 for n in numbers if n is not None)
    if readable >= NUMERIC_SHARE * len(present):
        return _numeric_column(name, numbers, present)
    return _categorical_column(name, values, present)


def _numeric_column(
    name: str,
    numbers: Sequence[float | None],
    present: Sequence[JsonScalar],
) -> EncodedColumn:
    array = np.array([np.nan if n is None else n for n in numbers], dtype=np.float64)
    known = array[~np.isnan(array)]
    integer = bool(np.all(known == np.round(known)))
    distinct = len(np.unique(known))
    column = EncodedColumn(
        name,
        True,
        array,
        integer=integer,
        decimals=min(6, max((_decimals(v) for v in present[:1000]), default=0)),
        distinct=distinct,
    )
    if _is_id_like(name, known, integer, distinct):
        column.unusable = "id_like"
    return column


def _is_id_like(name: str, known: FloatArray, integer: bool, distinct: int) -> bool:
    if header_type(name) in _ID_TYPES:
        return True
    if not integer or distinct < len(known) or len(known) < MIN_TRAIN_ROWS:
        return False
    steps = np.diff(known)
    return bool(np.all(steps > 0) or np.all(steps < 0))  # a unique, ordered counter


def _categorical_column(
    name: str, values: Sequence[JsonScalar], present: Sequence[JsonScalar]
) -> EncodedColumn:
    keys = [None if is_missing(v) else as_text(v).strip() for v in values]
    counts = Counter(k for k in keys if k is not None)
    column = EncodedColumn(name, False, np.full(len(values), np.nan), distinct=len(counts))
    if header_type(name) in _ID_TYPES or (
        len(counts) > MAX_CLASSES and len(counts) > 0.5 * len(present)
    ):
        column.unusable = "id_like" if len(counts) >= 0.95 * len(present) else "free_text"
        return column
    kept = [key for key, _ in counts.most_common(MAX_FEATURE_CATEGORIES)]
    code_of = {key: code for code, key in enumerate(kept)}
    raw_of: dict[str, JsonScalar] = {}
    for key, value in zip(keys, values, strict=True):
        if key is not None and key in code_of:
            raw_of.setdefault(key, value)
    column.categories = [raw_of[key] for key in kept]
    column.values = np.array(
        [np.nan if k is None or k not in code_of else code_of[k] for k in keys], dtype=np.float64
    )
    return column


def _target_codes(column: EncodedColumn) -> tuple[FloatArray, list[JsonScalar]]:
    """Class codes (NaN where missing) and class values of a categorical target."""
    if not column.numeric:
        return column.values, column.categories
    classes = np.unique(column.values[~np.isnan(column.values)])
    codes = np.where(
        np.isnan(column.values), np.nan, np.searchsorted(classes, column.values).astype(float)
    )
    return codes, [int(c) for c in classes]


# -- leakage guards -------------------------------------------------------------------------


def _one_to_one_share(a: FloatArray, b: FloatArray) -> float:
    """The smaller of: share of rows where a's value predicts b's, and where b's predicts a's."""
    pairs = Counter(zip(a.tolist(), b.tolist(), strict=True))

    def agreement(first: int) -> float:
        best: dict[float, int] = {}
        for pair, count in pairs.items():
            key = pair[first]
            best[key] = max(best.get(key, 0), count)
        return sum(best.values()) / len(a)

    return min(agreement(0), agreement(1))


def leakage_reason(target: EncodedColumn, feature: EncodedColumn) -> str | None:
    """Why `feature` must not predict `target`: it is a copy or one-to-one encoding of it."""
    both = ~np.isnan(target.values) & ~np.isnan(feature.values)
    if both.sum() < MIN_TRAIN_ROWS:
        return None
    a, b = target.values[both], feature.values[both]
    if len(np.unique(a)) < 2:
        return None
    if target.kind == "numeric" and feature.numeric and len(np.unique(b)) > SMALL_INTEGER_CLASSES:
        return "near_copy_of_target" if _is_monotone_copy(a, b) else None
    if len(np.unique(b)) > MAX_FEATURE_CATEGORIES:
        return None
    if _one_to_one_share(a, b) >= ENCODING_AGREEMENT:
        return "encodes_target"
    return None


def _is_monotone_copy(a: FloatArray, b: FloatArray) -> bool:
    """True when `b` is a strictly order-preserving (or reversing) function of `a`: a unit
    change or re-scaling of the target rather than evidence about it."""
    order = np.argsort(a, kind="stable")
    steps_a, steps_b = np.diff(a[order]), np.diff(b[order])
    if np.any((steps_a == 0) & (steps_b != 0)):
        return False
    moving = steps_b[steps_a > 0]
    return bool(np.all(moving > 0) or np.all(moving < 0))


# -- training -----------------------------------------------------------------------------------


def _params(kind: Kind, classes: int, rows: int) -> tuple[dict[str, Any], int]:
    small = rows < 2000
    params: dict[str, Any] = {
        "verbosity": -1,
        "seed": _SEED,
        "deterministic": True,
        # OpenMP threads only pay off on large data; on small data they spin and wait.
        "num_threads": (os.cpu_count() or 1) if rows >= PARALLEL_MIN_ROWS else 1,
        "learning_rate": 0.05 if small else 0.1,
        "num_leaves": 15 if small else 31,
        "min_data_in_leaf": 3 if rows < 500 else 10 if small else 20,
        "min_data_in_bin": 1 if small else 3,
        "lambda_l2": 1.0,
        "feature_fraction": 0.9,
        "max_cat_to_onehot": 8,
        "cat_smooth": 5.0,
        "min_data_per_group": 5 if small else 50,
    }
    if kind == "numeric":
        params["objective"] = "regression"
    elif classes == 2:
        params["objective"] = "binary"
    else:
        params.update(objective="multiclass", num_class=classes)
    return params, 300 if small else 100


def _folds(rows: int, labels: FloatArray | None) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    from sklearn.model_selection import KFold, StratifiedKFold  # type: ignore[import-untyped]

    k = 5 if rows < 5000 else 3
    if labels is not None and np.bincount(labels.astype(int)).min() >= k:
        splitter: Any = StratifiedKFold(k, shuffle=True, random_state=_SEED)
        return list(splitter.split(np.zeros(rows), labels))
    return list(KFold(k, shuffle=True, random_state=_SEED).split(np.zeros(rows)))


class _Calibrator:
    """Maps a confidence score to the chance of being right (isotonic or Platt)."""

    def __init__(self, scores: FloatArray, right: FloatArray) -> None:
        self.method = "isotonic" if len(scores) >= ISOTONIC_MIN_ROWS else "platt"
        self._constant: float | None = None
        if right.min() == right.max():
            self._constant = float(right[0])
            self.method = "constant"
        elif self.method == "isotonic":
            from sklearn.isotonic import IsotonicRegression  # type: ignore[import-untyped]

            self._model: Any = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
            self._model.fit(scores, right)
        else:
            from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

            self._model = LogisticRegression(C=1.0)
            self._model.fit(scores.reshape(-1, 1), right.astype(int))

    def __call__(self, scores: FloatArray) -> FloatArray:
        if self._constant is not None:
            return np.full(len(scores), self._constant)
        if self.method == "isotonic":
            return np.asarray(self._model.predict(scores), dtype=np.float64)
        return np.asarray(self._model.predict_proba(scores.reshape(-1, 1))[:, 1], dtype=np.float64)


def _score_of_probabilities(probabilities: FloatArray) -> FloatArray:
    return np.asarray(probabilities.max(axis=1), dtype=np.float64)


@dataclass(slots=True)
class _Fitted:
    """The K fold models of one target and what cross-validation measured."""

    boosters: list[Any]
    error_models: list[Any]
    calibrator: _Calibrator
    accuracy: float
    nrmse: float | None


class ColumnImputer:
    """Trains, evaluates and applies the model of one target column."""

    def __init__(self, target: EncodedColumn, features: Sequence[EncodedColumn]) -> None:
        self.target = target
        self.features = list(features)
        self.kind: Kind = target.kind
        if self.kind == "categorical":
            self.labels, self.classes = _target_codes(target)
        else:
            self.labels, self.classes = target.values, []
        self.matrix = np.column_stack([f.values for f in self.features])
        self.categorical = [i for i, f in enumerate(self.features) if not f.numeric]

    def _dataset(self, rows: NDArray[np.intp], labels: FloatArray) -> Any:
        import lightgbm as lgb

        return lgb.Dataset(
            self.matrix[rows],
            labels,
            categorical_feature=self.categorical or "auto",
            free_raw_data=True,
            params={"verbosity": -1},
        )

    def _train(
        self, rows: NDArray[np.intp], labels: FloatArray, kind: Kind, *, error_model: bool = False
    ) -> Any:
        import lightgbm as lgb

        params, rounds = _params(kind, len(self.classes), len(rows))
        if error_model:  # a coarse model: it only ranks rows by how hard they are
            params.update(learning_rate=0.1, num_leaves=7)
            rounds = 60
        return lgb.train(params, self._dataset(rows, labels), num_boost_round=rounds)

    def _raw_predict(self, booster: Any, rows: NDArray[np.intp]) -> FloatArray:
        output = np.asarray(booster.predict(self.matrix[rows]), dtype=np.float64)
        if self.kind == "categorical" and len(self.classes) == 2:
            return np.column_stack([1 - output, output])
        return output

    def fit(self, train_rows: NDArray[np.intp]) -> _Fitted:
        labels = self.labels[train_rows]
        folds = _folds(len(train_rows), labels if self.kind == "categorical" else None)
        boosters: list[Any] = []
        error_models: list[Any] = []
        oof: FloatArray = (
            np.zeros((len(train_rows), len(self.classes)))
            if self.kind == "categorical"
            else np.zeros(len(train_rows))
        )
        for fit_part, held_out in folds:
            booster = self._train(train_rows[fit_part], labels[fit_part], self.kind)
            oof[held_out] = self._raw_predict(booster, train_rows[held_out])
            boosters.append(booster)
        if self.kind == "categorical":
            scores = _score_of_probabilities(oof)
            right = (oof.argmax(axis=1) == labels).astype(float)
            nrmse = None
        else:
            tolerance = self._tolerance()
            errors = np.abs(oof - labels)
            right = (errors <= tolerance).astype(float)
            scores, error_models = self._error_scores(train_rows, errors, folds)
            spread = float(np.std(labels)) or 1.0
            nrmse = float(np.sqrt(np.mean((oof - labels) ** 2)) / spread)
        return _Fitted(
            boosters, error_models, _Calibrator(scores, right), float(right.mean()), nrmse
        )

    def _tolerance(self) -> float:
        known = self.labels[~np.isnan(self.labels)]
        return NUMERIC_TOLERANCE * float(np.std(known)) if len(known) else 0.0

    def _error_scores(
        self,
        train_rows: NDArray[np.intp],
        errors: FloatArray,
        folds: Sequence[tuple[NDArray[np.intp], NDArray[np.intp]]],
    ) -> tuple[FloatArray, list[Any]]:
        """Cross-fitted predictions of each row's absolute error, negated (higher = surer)."""
        predicted = np.zeros(len(train_rows))
        models = []
        for fit_part, held_out in folds:
            model = self._train(train_rows[fit_part], errors[fit_part], "numeric", error_model=True)
            predicted[held_out] = model.predict(self.matrix[train_rows[held_out]])
            models.append(model)
        return -predicted, models

    def predict(self, fitted: _Fitted, rows: NDArray[np.intp]) -> tuple[FloatArray, FloatArray]:
        """Predicted codes or numbers for `rows`, and their calibrated confidences."""
        outputs = np.mean([self._raw_predict(b, rows) for b in fitted.boosters], axis=0)
        if self.kind == "categorical":
            return outputs.argmax(axis=1).astype(float), fitted.calibrator(
                _score_of_probabilities(outputs)
            )
        error = np.mean([m.predict(self.matrix[rows]) for m in fitted.error_models], axis=0)
        return outputs, fitted.calibrator(-np.asarray(error, dtype=np.float64))

    def contributions(
        self, fitted: _Fitted, rows: NDArray[np.intp], predicted: FloatArray
    ) -> FloatArray:
        """Each feature's share of each prediction (towards the predicted class)."""
        width = len(self.features) + 1
        raw = np.asarray(fitted.boosters[0].predict(self.matrix[rows], pred_contrib=True))
        if self.kind == "numeric":
            return np.asarray(raw[:, :-1], dtype=np.float64)
        if len(self.classes) == 2:
            sign = np.where(predicted == 1, 1.0, -1.0)[:, None]
            return np.asarray(raw[:, :-1] * sign, dtype=np.float64)
        starts = predicted.astype(int) * width
        picked = np.stack([raw[i, s : s + width - 1] for i, s in enumerate(starts)])
        return np.asarray(picked, dtype=np.float64)

    def value_of(self, predicted: float) -> JsonScalar:
        """A prediction as a cell value in the column's own form."""
        if self.kind == "categorical":
            return self.classes[int(predicted)]
        if self.target.integer:
            return round(predicted)
        return round(float(predicted), max(self.target.decimals, 2))


# -- the whole table ----------------------------------------------------------------------------


def impute(
    columns: Sequence[str],
    rows: Sequence[Mapping[str, JsonScalar]],
    *,
    targets: Sequence[str] | None = None,
    min_confidence: float = 0.9,
) -> ImputeResult:
    """Predict the missing values of `targets` (default: every column) from the other
    columns; only predictions whose calibrated confidence reaches `min_confidence` are
    returned."""
    encoded = {c: encode_column(c, [row.get(c) for row in rows]) for c in columns}
    result = ImputeResult([], [])
    for column in targets if targets is not None else columns:
        model = ColumnModel(column)
        result.models.append(model)
        target = encoded[column]
        model.missing = (
            int(np.isnan(target.values).sum()) if target.unusable != "empty" else len(rows)
        )
        if model.missing == 0:
            model.skipped = "nothing missing"
            continue
        _impute_column(target, encoded, rows, model, min_confidence, result.predictions)
    return result


def _skip_reason(target: EncodedColumn, present: int) -> str | None:
    if target.unusable is not None:
        return {
            "empty": "no values to learn from",
            "id_like": "identifier-like column",
            "free_text": "free text with too many distinct values",
        }[target.unusable]
    if present < MIN_TRAIN_ROWS:
        return f"fewer than {MIN_TRAIN_ROWS} rows have a value"
    if (
        target.kind == "categorical"
        and not 2
        <= len(np.unique(_target_codes(target)[0][~np.isnan(target.values)]))
        <= MAX_CLASSES
    ):
        return f"needs 2 to {MAX_CLASSES} distinct values"
    if target.kind == "numeric" and target.distinct < 2:
        return "a single distinct value"
    return None


def _impute_column(
    target: EncodedColumn,
    encoded: Mapping[str, EncodedColumn],
    rows: Sequence[Mapping[str, JsonScalar]],
    model: ColumnModel,
    min_confidence: float,
    out: list[Prediction],
) -> None:
    present_rows = np.flatnonzero(~np.isnan(target.values))
    model.skipped = _skip_reason(target, len(present_rows))
    if model.skipped is not None:
        return
    features = _features(target, encoded, model)
    if not features:
        model.skipped = "no usable feature columns"
        return
    imputer = ColumnImputer(target, features)
    train_rows = _sample(present_rows)
    fitted = imputer.fit(train_rows)
    model.kind, model.trained_rows = imputer.kind, len(train_rows)
    model.cv_accuracy = round(fitted.accuracy, 4)
    model.cv_nrmse = None if fitted.nrmse is None else round(fitted.nrmse, 4)
    model.calibration = fitted.calibrator.method
    missing_rows = np.flatnonzero(np.isnan(target.values))
    predicted, confidence = imputer.predict(fitted, missing_rows)
    chosen = np.flatnonzero(confidence >= min_confidence)
    if len(chosen) == 0:
        return
    shares = imputer.contributions(fitted, missing_rows[chosen], predicted[chosen])
    quality = _quality(model)
    names = [f.name for f in features]
    for position, share in zip(chosen, shares, strict=True):
        row = int(missing_rows[position])
        top = top_contributions(
            share,
            names,
            [rows[row].get(name) for name in names],
            signed=imputer.kind == "categorical",
        )
        out.append(
            Prediction(
                row=row,
                column=target.name,
                value=imputer.value_of(float(predicted[position])),
                confidence=round(float(confidence[position]), 4),
                contributions=tuple(top),
                explanation=describe_prediction(
                    top, quality=quality, trained_rows=model.trained_rows
                ),
            )
        )
        model.filled += 1


def _features(
    target: EncodedColumn, encoded: Mapping[str, EncodedColumn], model: ColumnModel
) -> list[EncodedColumn]:
    features = []
    for name, column in encoded.items():
        if name == target.name:
            continue
        reason = column.unusable or leakage_reason(target, column)
        if reason is not None:
            model.dropped[name] = reason
        else:
            features.append(column)
    model.features = [f.name for f in features]
    return features


def _sample(present_rows: NDArray[np.intp]) -> NDArray[np.intp]:
    if len(present_rows) <= MAX_TRAIN_ROWS:
        return present_rows
    generator = np.random.default_rng(_SEED)
    return np.sort(generator.choice(present_rows, MAX_TRAIN_ROWS, replace=False))


def _quality(model: ColumnModel) -> str:
    if model.kind == "categorical":
        return f"cross-validated accuracy {model.cv_accuracy:.2f}"
    return (
        f"cross-validated: {model.cv_accuracy:.0%} within {NUMERIC_TOLERANCE:g} standard "
        f"deviations, normalized RMSE {model.cv_nrmse:.2f}"
    )
