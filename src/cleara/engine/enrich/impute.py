"""Missing-field prediction: one model per column, trained on the rows where the column is
present, with cross-validated accuracy, calibrated confidence and explanations.

For each target column:

1. Features are the other columns, numeric or categorical; id-like columns (unique keys,
   free text) and near-duplicates of the target (columns that encode it one-to-one, or a
   numeric copy of it) are left out, so the model never learns the target from itself.
2. K-fold cross-validation gives an out-of-fold prediction for every training row. On small
   tables LightGBM is blended with ExtraTrees trained on gap-filled features (MissForest
   style), with LightGBM's share chosen by the out-of-fold score; large tables train
   LightGBM alone on a sample, with early stopping. The confidence score (the top class
   probability, or for numbers a cross-fitted model of the expected error) is mapped to the
   chance of being right by isotonic regression (Platt scaling on small data). A number is
   "right" when within a tenth of the column's standard deviation of the truth.
3. Missing cells get the fold models' prediction; a value is filled only when its calibrated
   confidence reaches the threshold. Each filled value names the fields with the largest
   LightGBM contributions to its prediction (TreeSHAP, or path contributions on large tables).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from cleara.engine.enrich.base import is_missing
from cleara.engine.enrich.explain import (
    Contribution,
    PathContributions,
    describe_prediction,
    top_contributions,
)
from cleara.engine.fields.base import JsonScalar, as_text
from cleara.engine.schema.headers import header_type

Kind = Literal["categorical", "numeric"]
FloatArray = NDArray[np.float64]

MIN_TRAIN_ROWS = 10
MAX_CLASSES = 50
MAX_FEATURE_CATEGORIES = 255
MAX_TRAIN_ROWS = 10_000  # larger tables train on a sample of this many present rows
ITERATIVE_MAX_ROWS = 5_000  # tables up to this size get ExtraTrees on filled features
FOREST_MAX_ROWS = 5_000  # training rows up to which ExtraTrees joins LightGBM
FOREST_TREES = 100
FILL_TREES = 25  # trees of the models that fill the features' gaps
BLEND_WEIGHTS = (1.0, 0.75, 0.5, 0.25, 0.1)  # LightGBM's share; ExtraTrees has the rest
EARLY_STOPPING_MIN_ROWS = 5_000  # larger training sets stop boosting on the held-out fold
TREESHAP_BUDGET = 2_000_000  # rows x trees explained exactly; beyond, path contributions
ID_UNIQUE_SHARE = 0.9  # an id-named column is a key only when this share of values is unique
NUMERIC_SHARE = 0.95  # share of values that must read as numbers for a numeric column
SMALL_INTEGER_CLASSES = 15  # integer columns with at most this many values snap to them
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
        flag = self.integer and self.distinct <= 2  # 0/1 and other two-valued codes
        return "numeric" if self.numeric and not flag else "categorical"

    @property
    def levels(self) -> FloatArray | None:
        """The values an integer column with few of them takes: predictions snap to these
        (a regression of 4, 6 and 8 cylinders fills 6, not 5.3)."""
        if not (self.integer and self.distinct <= SMALL_INTEGER_CLASSES):
            return None
        return np.unique(self.values[~np.isnan(self.values)])


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
    method: str | None = None  # the model: LightGBM, or its blend with ExtraTrees
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
            "method": self.method,
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
    kind = type(value)
    if kind is float or kind is int:
        return float(value)  # type: ignore[arg-type]
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


def _absent(value: JsonScalar) -> bool:
    """`is_missing`, with a fast path for the plain numbers that fill most tables."""
    kind = type(value)
    if kind is int:
        return False
    if kind is float:
        return value != value  # NaN
    return value is None or is_missing(value)


def encode_column(name: str, values: Sequence[JsonScalar]) -> EncodedColumn:
    """Read one column as numbers when nearly all its values are, else as categories."""
    cells: list[JsonScalar] = [None if _absent(v) else v for v in values]
    present = [v for v in cells if v is not None]
    if not present:
        return EncodedColumn(name, False, np.full(len(values), np.nan), unusable="empty")
    numbers = [None if v is None else _number(v) for v in cells]
    readable = len(numbers) - numbers.count(None)
    if readable >= NUMERIC_SHARE * len(present):
        return _numeric_column(name, numbers, present)
    return _categorical_column(name, cells, present)


def _numeric_column(
    name: str,
    numbers: Sequence[float | None],
    present: Sequence[JsonScalar],
) -> EncodedColumn:
    array = np.array(numbers, dtype=np.float64)  # None becomes NaN
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
    if not integer or len(known) < MIN_TRAIN_ROWS:
        return False
    if header_type(name) in _ID_TYPES and distinct >= ID_UNIQUE_SHARE * len(known):
        return True  # an id-named key (an id-named measure such as `num_3` is not)
    if distinct < len(known):
        return False
    steps = np.diff(known)
    return bool(np.all(steps > 0) or np.all(steps < 0))  # a unique, ordered counter


def _categorical_column(
    name: str, values: Sequence[JsonScalar], present: Sequence[JsonScalar]
) -> EncodedColumn:
    """`values` has None for every missing cell."""
    keys = [None if v is None else as_text(v).strip() for v in values]
    counts = Counter(k for k in keys if k is not None)
    column = EncodedColumn(name, False, np.full(len(values), np.nan), distinct=len(counts))
    named_id = header_type(name) in _ID_TYPES and len(counts) >= ID_UNIQUE_SHARE * len(present)
    if named_id or (len(counts) > MAX_CLASSES and len(counts) > 0.5 * len(present)):
        column.unusable = "id_like" if len(counts) >= 0.95 * len(present) else "free_text"
        return column
    kept = [key for key, _ in counts.most_common(MAX_FEATURE_CATEGORIES)]
    code_of = {key: code for code, key in enumerate(kept)}
    raw_of: dict[str, JsonScalar] = {}
    for key, value in zip(keys, values, strict=True):
        if key is not None and key not in raw_of:
            raw_of[key] = value
    column.categories = [raw_of[key] for key in kept]
    column.values = np.array(
        [np.nan if k is None else code_of.get(k, np.nan) for k in keys], dtype=np.float64
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
        # One thread: training sets are capped at MAX_TRAIN_ROWS, and on shared cores OpenMP
        # threads spin-wait (measured: ten times the CPU time for the same model).
        "num_threads": 1,
        # Large data stops early on the held-out fold; a higher rate and smaller trees reach
        # the same accuracy with half the trees (measured on the speed benchmark's table).
        "learning_rate": 0.05 if small else 0.1 if rows < EARLY_STOPPING_MIN_ROWS else 0.2,
        "num_leaves": 15 if small or rows >= EARLY_STOPPING_MIN_ROWS else 31,
        "min_data_in_leaf": 3 if rows < 500 else 10 if small else 20,
        "min_data_in_bin": 1 if small else 3,
        "max_bin": 255 if rows < EARLY_STOPPING_MIN_ROWS else 63,
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
    forests: list[Any]  # ExtraTrees of the same folds; empty when LightGBM predicts alone
    weight: float  # LightGBM's share of the blend
    error_models: list[Any]
    calibrator: _Calibrator
    accuracy: float
    nrmse: float | None


class ColumnImputer:
    """Trains, evaluates and applies the model of one target column.

    `features` feed LightGBM (NaN where missing); `dense`, when given, is the same features
    with every gap filled (a first imputation pass) and feeds an ExtraTrees model that is
    blended with LightGBM when cross-validation says the blend is better.
    """

    def __init__(
        self,
        target: EncodedColumn,
        features: Sequence[EncodedColumn],
        dense: FloatArray | None = None,
    ) -> None:
        self.target = target
        self.features = list(features)
        self.kind: Kind = target.kind
        if self.kind == "categorical":
            self.labels, self.classes = _target_codes(target)
        else:
            self.labels, self.classes = target.values, []
        self.matrix = np.column_stack([f.values for f in self.features])
        self.dense = dense
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
        self,
        rows: NDArray[np.intp],
        labels: FloatArray,
        kind: Kind,
        *,
        error_model: bool = False,
        stop_on: tuple[NDArray[np.intp], FloatArray] | None = None,
    ) -> Any:
        import lightgbm as lgb

        params, rounds = _params(kind, len(self.classes), len(rows))
        if error_model:  # a coarse model: it only ranks rows by how hard they are
            params.update(learning_rate=0.1, num_leaves=7)
            rounds = 60
        training = self._dataset(rows, labels)
        if stop_on is None or error_model:
            return lgb.train(params, training, num_boost_round=rounds)
        # Large data: boost until the held-out fold stops improving (at most 2x the rounds).
        valid = lgb.Dataset(self.matrix[stop_on[0]], stop_on[1], reference=training)
        return lgb.train(
            params,
            training,
            num_boost_round=2 * rounds,
            valid_sets=[valid],
            callbacks=[lgb.early_stopping(10, verbose=False)],
        )

    def _raw_predict(self, booster: Any, rows: NDArray[np.intp]) -> FloatArray:
        output = np.asarray(booster.predict(self.matrix[rows]), dtype=np.float64)
        if self.kind == "categorical" and len(self.classes) == 2:
            return np.column_stack([1 - output, output])
        return output

    def _forest(self, rows: NDArray[np.intp], labels: FloatArray) -> Any:
        from sklearn.ensemble import (  # type: ignore[import-untyped]
            ExtraTreesClassifier,
            ExtraTreesRegressor,
        )

        assert self.dense is not None
        if self.kind == "categorical":
            model: Any = ExtraTreesClassifier(
                n_estimators=FOREST_TREES, max_features="sqrt", random_state=_SEED, n_jobs=1
            )
        else:
            model = ExtraTreesRegressor(
                n_estimators=FOREST_TREES, max_features=1.0, random_state=_SEED, n_jobs=1
            )
        return model.fit(self.dense[rows], labels)

    def _forest_predict(self, forest: Any, rows: NDArray[np.intp]) -> FloatArray:
        assert self.dense is not None
        if self.kind == "numeric":
            return np.asarray(forest.predict(self.dense[rows]), dtype=np.float64)
        probabilities = np.zeros((len(rows), len(self.classes)))
        found = forest.predict_proba(self.dense[rows])
        probabilities[:, forest.classes_.astype(int)] = found  # classes absent from a fold: 0
        return probabilities

    def fit(self, train_rows: NDArray[np.intp]) -> _Fitted:
        labels = self.labels[train_rows]
        folds = _folds(len(train_rows), labels if self.kind == "categorical" else None)
        use_forest = self.dense is not None and len(train_rows) <= FOREST_MAX_ROWS
        early = len(train_rows) >= EARLY_STOPPING_MIN_ROWS
        boosters: list[Any] = []
        forests: list[Any] = []
        shape = (len(train_rows), len(self.classes)) if self.kind == "categorical" else None
        oof_boost = np.zeros(shape or len(train_rows))
        oof_forest = np.zeros(shape or len(train_rows))
        for fit_part, held_out in folds:
            stop_on = (train_rows[held_out], labels[held_out]) if early else None
            booster = self._train(
                train_rows[fit_part], labels[fit_part], self.kind, stop_on=stop_on
            )
            oof_boost[held_out] = self._raw_predict(booster, train_rows[held_out])
            boosters.append(booster)
            if use_forest:
                forest = self._forest(train_rows[fit_part], labels[fit_part])
                oof_forest[held_out] = self._forest_predict(forest, train_rows[held_out])
                forests.append(forest)
        weight = self._blend_weight(oof_boost, oof_forest, labels) if use_forest else 1.0
        oof = weight * oof_boost + (1 - weight) * oof_forest
        error_models: list[Any] = []
        if self.kind == "categorical":
            scores = _score_of_probabilities(oof)
            right = (oof.argmax(axis=1) == labels).astype(float)
            nrmse = None
        else:
            oof = self.snap(oof)
            errors = np.abs(oof - labels)
            right = (errors <= self._tolerance()).astype(float)
            scores, error_models = self._error_scores(train_rows, errors, folds)
            spread = float(np.std(labels)) or 1.0
            nrmse = float(np.sqrt(np.mean((oof - labels) ** 2)) / spread)
        if early:
            # Large data: one fold model fills (its out-of-fold outputs are what the
            # calibration saw); averaging the others would triple the prediction time.
            boosters, error_models = boosters[:1], error_models[:1]
        return _Fitted(
            boosters,
            forests if weight < 1 else [],
            weight,
            error_models,
            _Calibrator(scores, right),
            float(right.mean()),
            nrmse,
        )

    def quick_fill(self, train_rows: NDArray[np.intp], rows: NDArray[np.intp]) -> FloatArray:
        """One model, no cross-validation: probabilities or numbers for `rows`."""
        booster = self._train(train_rows, self.labels[train_rows], self.kind)
        return self._raw_predict(booster, rows)

    def _blend_weight(self, boost: FloatArray, forest: FloatArray, labels: FloatArray) -> float:
        """LightGBM's share of the blend with the best out-of-fold score."""

        def loss(weight: float) -> tuple[float, float]:
            blend = weight * boost + (1 - weight) * forest
            if self.kind == "numeric":
                return float(np.mean((blend - labels) ** 2)), 0.0
            picked = blend[np.arange(len(labels)), labels.astype(int)]
            errors = float(np.mean(blend.argmax(axis=1) != labels))
            return errors, float(-np.mean(np.log(np.clip(picked, 1e-6, 1.0))))

        return min(BLEND_WEIGHTS, key=loss)

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

    def raw_outputs(self, fitted: _Fitted, rows: NDArray[np.intp]) -> FloatArray:
        """The blended fold models' class probabilities or numbers for `rows`."""
        outputs = np.mean([self._raw_predict(b, rows) for b in fitted.boosters], axis=0)
        if fitted.forests:
            forest = np.mean([self._forest_predict(f, rows) for f in fitted.forests], axis=0)
            outputs = fitted.weight * outputs + (1 - fitted.weight) * forest
        return np.asarray(outputs, dtype=np.float64)

    def predict(self, fitted: _Fitted, rows: NDArray[np.intp]) -> tuple[FloatArray, FloatArray]:
        """Predicted codes or numbers for `rows`, and their calibrated confidences."""
        outputs = self.raw_outputs(fitted, rows)
        if self.kind == "categorical":
            return outputs.argmax(axis=1).astype(float), fitted.calibrator(
                _score_of_probabilities(outputs)
            )
        error = np.mean([m.predict(self.matrix[rows]) for m in fitted.error_models], axis=0)
        return self.snap(outputs), fitted.calibrator(-np.asarray(error, dtype=np.float64))

    def snap(self, numbers: FloatArray) -> FloatArray:
        """Numeric predictions in the column's own values: the nearest of few integer
        levels, or whole numbers for an integer column."""
        levels = self.target.levels
        if levels is None:
            return np.round(numbers) if self.target.integer else numbers
        upper = np.clip(np.searchsorted(levels, numbers), 1, len(levels) - 1)
        lower = upper - 1
        nearer_lower = numbers - levels[lower] <= levels[upper] - numbers
        return np.where(nearer_lower, levels[lower], levels[upper])

    def contributions(
        self, fitted: _Fitted, rows: NDArray[np.intp], predicted: FloatArray
    ) -> FloatArray:
        """Each feature's LightGBM share of each prediction (towards the predicted class):
        TreeSHAP (`pred_contrib`) for few rows, path contributions for many."""
        booster = fitted.boosters[0]
        width = len(self.features) + 1
        classes = predicted.astype(np.intp)
        if len(rows) * booster.num_trees() > TREESHAP_BUDGET:
            paths = PathContributions(booster, len(self.features))
            shares = paths.of(booster, self.matrix[rows], classes)
            if self.kind == "categorical" and len(self.classes) == 2:
                shares *= np.where(classes == 1, 1.0, -1.0)[:, None]
            return shares
        raw = np.asarray(booster.predict(self.matrix[rows], pred_contrib=True))
        if self.kind == "numeric":
            return np.asarray(raw[:, :-1], dtype=np.float64)
        if len(self.classes) == 2:
            sign = np.where(classes == 1, 1.0, -1.0)[:, None]
            return np.asarray(raw[:, :-1] * sign, dtype=np.float64)
        columns = classes[:, None] * width + np.arange(width - 1)[None, :]
        return np.asarray(np.take_along_axis(raw, columns, axis=1), dtype=np.float64)

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
    typical = _typical_fill(encoded) if len(rows) <= ITERATIVE_MAX_ROWS else None
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
        _impute_column(target, encoded, typical, rows, model, min_confidence, result.predictions)
    return result


@dataclass(slots=True)
class _Typical:
    """Every usable column with its gaps set to its median or most common value."""

    values: dict[str, FloatArray]
    gaps: dict[str, NDArray[np.bool_]]


def _typical_fill(encoded: Mapping[str, EncodedColumn]) -> _Typical:
    found = _Typical({}, {})
    for name, column in encoded.items():
        missing = np.isnan(column.values)
        if column.unusable is not None or missing.all():
            continue
        values = column.values.copy()
        values[missing] = _typical(column.values[~missing], column.numeric)
        found.values[name], found.gaps[name] = values, missing
    return found


def _filled_features(features: Sequence[EncodedColumn], typical: _Typical) -> FloatArray | None:
    """The target's features with every gap filled (MissForest-style) for ExtraTrees.

    A feature's gaps are predicted by ExtraTrees from the target's other features only (never
    the target or a column that encodes it): a fill computed from the target's own value
    would hand the target to its model on the training rows but not on the rows to fill,
    and make its confidences overstated.
    """
    if any(f.name not in typical.values for f in features):
        return None
    columns = []
    for feature in features:
        values, missing = typical.values[feature.name], typical.gaps[feature.name]
        inputs = [f.name for f in features if f.name != feature.name]
        if missing.any() and inputs and (~missing).sum() >= MIN_TRAIN_ROWS:
            values = values.copy()
            base = np.column_stack([typical.values[n] for n in inputs])
            values[missing] = _forest_fill(feature, base, missing)
        columns.append(values)
    return np.column_stack(columns)


def _typical(known: FloatArray, numeric: bool) -> float:
    if numeric:
        return float(np.median(known))
    return float(np.bincount(known.astype(int)).argmax())


def _forest_fill(
    column: EncodedColumn, dense: FloatArray, missing: NDArray[np.bool_]
) -> FloatArray:
    """An ExtraTrees model's values for a column's gaps, from the other columns' fills."""
    from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor

    model: Any
    if column.kind == "categorical":
        model = ExtraTreesClassifier(
            n_estimators=FILL_TREES, max_features="sqrt", random_state=_SEED, n_jobs=1
        )
    else:
        model = ExtraTreesRegressor(
            n_estimators=FILL_TREES, max_features=1.0, random_state=_SEED, n_jobs=1
        )
    model.fit(dense[~missing], column.values[~missing])
    return np.asarray(model.predict(dense[missing]), dtype=np.float64)


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
    typical: _Typical | None,
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
    matrix = None if typical is None else _filled_features(features, typical)
    imputer = ColumnImputer(target, features, matrix)
    train_rows = _sample(present_rows)
    fitted = imputer.fit(train_rows)
    model.kind, model.trained_rows = imputer.kind, len(train_rows)
    model.cv_accuracy = round(fitted.accuracy, 4)
    model.cv_nrmse = None if fitted.nrmse is None else round(fitted.nrmse, 4)
    model.calibration = fitted.calibrator.method
    model.method = _method(fitted)
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
                    top, quality=quality, trained_rows=model.trained_rows, method=model.method
                ),
            )
        )
        model.filled += 1


def _method(fitted: _Fitted) -> str:
    if not fitted.forests:
        return "LightGBM"
    return f"LightGBM ({fitted.weight:.0%}) + ExtraTrees ({1 - fitted.weight:.0%})"


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
