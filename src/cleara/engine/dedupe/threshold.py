"""Choosing the match threshold: from the model's own probabilities, or the best F1 on labels."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from cleara.engine.table import InputError

DEFAULT_THRESHOLD = 0.5


def parse_threshold(value: object) -> float | None:
    """None for "auto" (or None); a probability in [0, 1] otherwise; InputError on anything else."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "auto"):
        return None
    if isinstance(value, bool):
        raise InputError('threshold must be "auto" or a number between 0 and 1')
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(
            f'threshold must be "auto" or a number between 0 and 1, got {value!r}'
        ) from None
    if math.isnan(number) or not 0.0 <= number <= 1.0:
        raise InputError(f"threshold must be between 0 and 1, got {value!r}")
    return number


def expected_f1_threshold(probabilities: NDArray[np.float64]) -> float:
    """The threshold that maximizes the F1 expected under the model's own probabilities.

    Treating each pair's probability as its chance of being a match, predicting the pairs
    above t gives expected true positives sum(p >= t), predicted count n(p >= t), and
    actual matches sum(p): the expected F1 is 2 * TP / (predicted + actual).
    """
    if len(probabilities) == 0:
        return DEFAULT_THRESHOLD
    order = np.sort(probabilities)[::-1]
    true_positives = np.cumsum(order)
    predicted = np.arange(1, len(order) + 1)
    actual = order.sum()
    if actual <= 0:
        return DEFAULT_THRESHOLD
    f1 = 2 * true_positives / (predicted + actual)
    best = int(np.argmax(f1))
    # Halfway to the next lower probability, so that equal scores fall on one side.
    below = order[best + 1] if best + 1 < len(order) else 0.0
    return float(np.clip((order[best] + below) / 2, 0.05, 0.95))


def rank_threshold(probabilities: NDArray[np.float64], count: int) -> float:
    """The threshold that keeps the `count` highest probabilities (ties kept together)."""
    if count <= 0 or len(probabilities) == 0:
        return 1.0
    if count >= len(probabilities):
        return 0.0
    order = np.sort(probabilities)[::-1]
    return _between(float(order[count - 1]), float(order[count]))


def _between(high: float, low: float) -> float:
    """The midpoint of two scores, kept above `low` when `high` is: between the tiniest
    floats (`5e-324` and 0) the midpoint rounds down to the lower."""
    middle = (high + low) / 2
    return middle if middle > low else high


def best_f1_threshold(scores: NDArray[np.float64], labels: NDArray[np.bool_]) -> float:
    """The threshold with the highest F1 on labeled pairs (the midpoint between scores)."""
    if len(scores) == 0 or not labels.any():
        return DEFAULT_THRESHOLD
    order = np.argsort(-scores, kind="stable")
    ranked = scores[order]
    hits = np.cumsum(labels[order])
    predicted = np.arange(1, len(ranked) + 1)
    f1 = 2 * hits / (predicted + labels.sum())
    # Only cut between distinct scores.
    distinct = np.append(ranked[:-1] > ranked[1:], True)
    f1 = np.where(distinct, f1, -1.0)
    best = int(np.argmax(f1))
    below = float(ranked[best + 1]) if best + 1 < len(ranked) else 0.0
    return _between(float(ranked[best]), below)


def f1_score(predicted: NDArray[np.bool_], labels: NDArray[np.bool_]) -> float:
    """F1 of boolean predictions against boolean labels."""
    tp = float((predicted & labels).sum())
    denominator = float(predicted.sum() + labels.sum())
    return 2 * tp / denominator if denominator else 1.0


def stable_f1_threshold(scores: NDArray[np.float64], labels: NDArray[np.bool_]) -> float:
    """A threshold with near-best F1 on labeled pairs that does not chase noise.

    The F1 of a cut measured on few labels is noisy (standard error about
    sqrt(F1 (1 - F1) / matches)), so every cut within one standard error of the best is as
    good as the best: the middle of their range is taken. With many labels this is the best
    cut; with a few hundred it keeps a jagged F1 curve from picking an extreme threshold.
    """
    if len(scores) == 0 or not labels.any():
        return DEFAULT_THRESHOLD
    order = np.argsort(-scores, kind="stable")
    ranked = scores[order]
    hits = np.cumsum(labels[order])
    f1 = 2 * hits / (np.arange(1, len(ranked) + 1) + labels.sum())
    distinct = np.append(ranked[:-1] > ranked[1:], True)
    f1 = np.where(distinct, f1, -1.0)
    best = float(f1.max())
    error = math.sqrt(max(best * (1 - best), 0.0) / float(labels.sum()))
    below = np.append(ranked[1:], 0.0)
    cuts = ((ranked + below) / 2)[f1 >= best - error]
    return float((cuts.min() + cuts.max()) / 2)
