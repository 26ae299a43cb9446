"""The value classifiers: type probabilities for a column from its values alone.

* `lightgbm`: gradient-boosted trees on the engineered features of `features.py`, served by
  the NumPy evaluator in `cleara.engine.models.trees`;
* `embed_head`: multinomial logistic regression on the mean MiniLM embedding of a sample of
  distinct values;
* `ensemble`: the geometric mean of the two.

Which one detection uses, and the combination weights for each, are recorded in the model
card (`schema_value_model.json`) by the training pipeline.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from cleara.engine.fields.base import JsonScalar, as_text, is_null
from cleara.engine.models.artifacts import ArtifactCard, ArtifactError, artifact_path, load_card
from cleara.engine.models.trees import TreeEnsemble
from cleara.engine.schema import minilm
from cleara.engine.schema.features import column_features, feature_names
from cleara.engine.schema.types import SEMANTIC_TYPES

CARD_NAME = "schema_value_model"
TREES_FILE = "schema_value_model.npz"
HEAD_FILE = "schema_value_embed_head.npz"
EMBED_SAMPLE = 10  # distinct values embedded per column


@dataclass(frozen=True, slots=True)
class EmbedHead:
    """Logistic regression on mean value embeddings."""

    weights: NDArray[np.float64]  # (384, types)
    bias: NDArray[np.float64]  # (types,)

    def predict_proba(self, embeddings: NDArray[np.float64]) -> NDArray[np.float64]:
        logits = embeddings @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        result: NDArray[np.float64] = probs / probs.sum(axis=1, keepdims=True)
        return result

    def save(self, path: Path) -> None:
        np.savez_compressed(path, weights=self.weights.astype(np.float32), bias=self.bias)

    @classmethod
    def load(cls, path: Path) -> EmbedHead:
        with np.load(path) as data:
            return cls(data["weights"].astype(np.float64), data["bias"].astype(np.float64))


def embed_sample(values: Sequence[JsonScalar]) -> list[str]:
    """Up to EMBED_SAMPLE distinct non-null values, in first-seen order."""
    seen: dict[str, None] = {}
    for value in values:
        if is_null(value):
            continue
        seen.setdefault(as_text(value).strip()[:64], None)
        if len(seen) >= EMBED_SAMPLE:
            break
    return list(seen)


def mean_embeddings(columns: Sequence[Sequence[JsonScalar]]) -> NDArray[np.float64]:
    """The normalized mean MiniLM embedding of each column's value sample (zeros if empty)."""
    samples = [embed_sample(values) for values in columns]
    flat = [text for sample in samples for text in sample]
    vectors = minilm.get_encoder().encode(flat).astype(np.float64)
    out = np.zeros((len(samples), vectors.shape[1] if len(flat) else 384))
    start = 0
    for row, sample in enumerate(samples):
        if sample:
            mean = vectors[start : start + len(sample)].mean(axis=0)
            out[row] = mean / max(float(np.linalg.norm(mean)), 1e-12)
        start += len(sample)
    return out


@dataclass(frozen=True, slots=True)
class ValueModels:
    """The loaded value classifiers and their card."""

    card: ArtifactCard
    trees: TreeEnsemble
    head: EmbedHead | None
    classes: tuple[str, ...]

    def feature_matrix(self, columns: Sequence[Sequence[JsonScalar]]) -> NDArray[np.float64]:
        return np.array([column_features(values) for values in columns], dtype=np.float64)

    def probabilities(
        self,
        columns: Sequence[Sequence[JsonScalar]],
        *,
        source: str,
        features: NDArray[np.float64] | None = None,
    ) -> NDArray[np.float64]:
        """(columns, SEMANTIC_TYPES) probabilities from the `source` classifier
        (`features`: the columns' `feature_matrix`, when the caller has it already)."""
        if not columns:
            return np.zeros((0, len(SEMANTIC_TYPES)))
        if features is None:
            features = self.feature_matrix(columns)
        tree_probs = self._reorder(self.trees.predict_proba(features))
        if source == "lightgbm" or self.head is None:
            return tree_probs
        head_probs = self._reorder(self.head.predict_proba(mean_embeddings(columns)))
        if source == "embed_head":
            return head_probs
        mixed = np.sqrt(tree_probs * head_probs)
        result: NDArray[np.float64] = mixed / mixed.sum(axis=1, keepdims=True)
        return result

    def _reorder(self, probs: NDArray[np.float64]) -> NDArray[np.float64]:
        if self.classes == SEMANTIC_TYPES:
            return probs
        out = np.full((probs.shape[0], len(SEMANTIC_TYPES)), 1e-9)
        for position, name in enumerate(self.classes):
            out[:, SEMANTIC_TYPES.index(name)] = probs[:, position]
        result: NDArray[np.float64] = out / out.sum(axis=1, keepdims=True)
        return result


_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def load_value_models() -> ValueModels:
    """The shipped value classifiers (loaded once per process)."""
    with _LOCK:
        card = load_card(CARD_NAME)
        params: dict[str, Any] = card.params
        if tuple(params.get("features", ())) != feature_names():
            raise ArtifactError(
                "the schema value model was trained on other features; rebuild it with "
                "`cleara train schema`"
            )
        trees = TreeEnsemble.load(artifact_path(TREES_FILE))
        head_path = artifact_path(HEAD_FILE)
        head = EmbedHead.load(head_path) if head_path.is_file() else None
        return ValueModels(card, trees, head, tuple(params["classes"]))
