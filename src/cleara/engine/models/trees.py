"""Gradient-boosted tree ensembles evaluated with NumPy.

LightGBM is used to train; serving reads the trees from a compact NumPy archive instead, so
detection does not import LightGBM (and scikit-learn, which it pulls in), which alone takes
longer than the whole cold-start budget. `from_lightgbm_dump` converts
`Booster.dump_model()`; a test checks that predictions match LightGBM's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

_MISSING_NONE, _MISSING_ZERO, _MISSING_NAN = 0, 1, 2
_MISSING_CODES = {"None": _MISSING_NONE, "Zero": _MISSING_ZERO, "NaN": _MISSING_NAN}


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """A multiclass tree ensemble: tree `i` adds to class `i % num_class`.

    Child indices >= 0 are split nodes; a child `-(k + 1)` is leaf `k`.
    """

    num_class: int
    roots: NDArray[np.int32]
    feature: NDArray[np.int32]
    threshold: NDArray[np.float64]
    left: NDArray[np.int32]
    right: NDArray[np.int32]
    default_left: NDArray[np.bool_]
    missing: NDArray[np.int8]
    leaf_value: NDArray[np.float64]

    def raw_scores(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Per-class raw scores for each row of `x` (rows x features)."""
        rows = x.shape[0]
        trees = self.roots.shape[0]
        node = np.broadcast_to(self.roots, (rows, trees)).copy()
        row_index = np.broadcast_to(np.arange(rows)[:, None], (rows, trees))
        active = node >= 0
        while active.any():
            current = node[active]
            values = x[row_index[active], self.feature[current]]
            node[active] = self._step(current, values)
            active = node >= 0
        leaves = self.leaf_value[-node - 1]  # every entry is a leaf now
        scores = np.zeros((rows, self.num_class))
        for klass in range(self.num_class):
            scores[:, klass] = leaves[:, klass :: self.num_class].sum(axis=1)
        return scores

    def _step(self, nodes: NDArray[np.int32], values: NDArray[np.float64]) -> NDArray[np.int32]:
        missing_type = self.missing[nodes]
        is_nan = np.isnan(values)
        # LightGBM's rule: with missing type None, NaN is read as 0.0.
        values = np.where(is_nan & (missing_type != _MISSING_NAN), 0.0, values)
        is_missing = np.where(
            missing_type == _MISSING_NAN,
            is_nan,
            (missing_type == _MISSING_ZERO) & ((values == 0.0) | is_nan),
        )
        go_left = np.where(is_missing, self.default_left[nodes], values <= self.threshold[nodes])
        result: NDArray[np.int32] = np.where(go_left, self.left[nodes], self.right[nodes])
        return result

    def predict_proba(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Softmax class probabilities for each row of `x`."""
        scores = self.raw_scores(x)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        result: NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        return result

    def save(self, path: Path) -> None:
        """Write the ensemble as a compressed NumPy archive."""
        np.savez_compressed(
            path,
            num_class=np.array([self.num_class]),
            roots=self.roots,
            feature=self.feature.astype(np.int16),
            threshold=self.threshold.astype(np.float64),
            left=self.left,
            right=self.right,
            default_left=self.default_left,
            missing=self.missing,
            leaf_value=self.leaf_value.astype(np.float32),
        )

    @classmethod
    def load(cls, path: Path) -> TreeEnsemble:
        """Read an ensemble written by `save`."""
        with np.load(path) as data:
            return cls(
                num_class=int(data["num_class"][0]),
                roots=data["roots"].astype(np.int32),
                feature=data["feature"].astype(np.int32),
                threshold=data["threshold"].astype(np.float64),
                left=data["left"].astype(np.int32),
                right=data["right"].astype(np.int32),
                default_left=data["default_left"].astype(np.bool_),
                missing=data["missing"].astype(np.int8),
                leaf_value=data["leaf_value"].astype(np.float64),
            )


class _Builder:
    def __init__(self) -> None:
        self.feature: list[int] = []
        self.threshold: list[float] = []
        self.left: list[int] = []
        self.right: list[int] = []
        self.default_left: list[bool] = []
        self.missing: list[int] = []
        self.leaves: list[float] = []

    def add(self, node: dict[str, Any]) -> int:
        if "leaf_value" in node or "split_feature" not in node:
            self.leaves.append(float(node.get("leaf_value", 0.0)))
            return -len(self.leaves)
        if node.get("decision_type", "<=") != "<=":
            raise ValueError("categorical splits are not supported")
        index = len(self.feature)
        self.feature.append(int(node["split_feature"]))
        self.threshold.append(float(node["threshold"]))
        self.default_left.append(bool(node.get("default_left", True)))
        self.missing.append(_MISSING_CODES[str(node.get("missing_type", "None"))])
        self.left.append(0)
        self.right.append(0)
        self.left[index] = self.add(node["left_child"])
        self.right[index] = self.add(node["right_child"])
        return index


def from_lightgbm_dump(dump: dict[str, Any]) -> TreeEnsemble:
    """Convert `lightgbm.Booster.dump_model()` output (numerical splits only)."""
    builder = _Builder()
    roots = [builder.add(tree["tree_structure"]) for tree in dump["tree_info"]]
    return TreeEnsemble(
        num_class=int(dump["num_class"]),
        roots=np.array(roots, dtype=np.int32),
        feature=np.array(builder.feature, dtype=np.int32),
        threshold=np.array(builder.threshold, dtype=np.float64),
        left=np.array(builder.left, dtype=np.int32),
        right=np.array(builder.right, dtype=np.int32),
        default_left=np.array(builder.default_left, dtype=np.bool_),
        missing=np.array(builder.missing, dtype=np.int8),
        leaf_value=np.array(builder.leaves, dtype=np.float64),
    )
