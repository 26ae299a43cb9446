"""Explanations: path contributions add up to LightGBM's raw score and agree with TreeSHAP."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest

from cleara.engine.enrich.explain import PathContributions, describe_prediction


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 4))
    x[rng.random(x.shape) < 0.1] = np.nan
    return x, np.nan_to_num(x[:, 0])


@pytest.mark.parametrize("objective", ["regression", "binary", "multiclass"])
def test_path_contributions_add_up_to_the_raw_score(objective: str) -> None:
    x, signal = _data()
    extra: dict[str, object] = {}
    if objective == "regression":
        y = 2 * signal + np.nan_to_num(x[:, 1])
    elif objective == "binary":
        y = (signal > 0).astype(float)
    else:
        y = np.digitize(signal, [-0.5, 0.5]).astype(float)
        extra["num_class"] = 3
    params = {"objective": objective, "verbosity": -1, "num_leaves": 7, **extra}
    booster = lgb.train(params, lgb.Dataset(x, y), 30)
    paths = PathContributions(booster, 4)
    raw = np.asarray(booster.predict(x[:50], raw_score=True))
    classes = raw.argmax(axis=1) if raw.ndim == 2 else np.zeros(50, dtype=np.intp)
    shares = paths.of(booster, x[:50], classes)
    per_class = paths.per_iteration
    bias = np.array([paths.bias[k::per_class].sum() for k in range(per_class)])
    score = raw[np.arange(50), classes] if raw.ndim == 2 else raw
    assert np.allclose(shares.sum(axis=1) + bias[classes], score)
    assert np.mean(np.abs(shares).argmax(axis=1) <= 1) > 0.9  # features 2 and 3 are noise


def test_description_names_the_method() -> None:
    text = describe_prediction([], quality="accuracy 0.9", trained_rows=10, method="X + Y")
    assert text.startswith("predicted by X + Y from the column's distribution")
