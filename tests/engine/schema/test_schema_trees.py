"""The NumPy tree evaluator reproduces LightGBM's predictions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cleara.engine.models.trees import TreeEnsemble, from_lightgbm_dump

lgb = pytest.importorskip("lightgbm")


def test_matches_lightgbm_with_missing_values(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 6))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5).astype(int)
    x[rng.random(x.shape) < 0.1] = np.nan
    x[:, 5] = 0.0  # a constant feature
    params = {"objective": "multiclass", "num_class": 3, "num_leaves": 7, "verbose": -1,
              "min_data_in_leaf": 3, "seed": 1}  # fmt: skip
    booster = lgb.train(params, lgb.Dataset(x, y), num_boost_round=15)
    ensemble = from_lightgbm_dump(booster.dump_model())
    test = rng.normal(size=(50, 6))
    test[rng.random(test.shape) < 0.2] = np.nan
    expected = booster.predict(test)
    assert np.allclose(ensemble.predict_proba(test), expected, atol=1e-9)
    path = tmp_path / "model.npz"
    ensemble.save(path)
    assert np.allclose(TreeEnsemble.load(path).predict_proba(test), expected, atol=1e-6)
