"""Combining value and header evidence into calibrated type probabilities.

The combination is a small conditional-logit model fitted on held-out synthetic columns:

    logit(t) = (a + e / sqrt(n)) * log p_values(t) + [header informative] * (b * exact(t)
               + c * ngram(t) + d * embed(t) + f * exact(t) * valid(t))

and probabilities are its softmax over the types. `a + e / sqrt(n)` acts as a temperature on
the value classifier that depends on how many distinct values `n` it saw (three birth dates
say less than three hundred), so the fitted model is also its calibration. One parameter set
is fitted for each runtime mode (with or without MiniLM header matching).

`valid(t)` is the share of the column's values that the cleaning engine's validator of type
`t` accepts (0 for types without one). The term `f` rewards a header that names a type when
the values pass that type's own validator: a column headed `postal_code` holding valid ZIP
codes is typed a postal code, however much its values alone look like record keys.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cleara.engine.schema.header_model import HeaderEvidence

_EPSILON = 1e-6


@dataclass(frozen=True, slots=True)
class Combiner:
    """Fitted weights: values (a), exact synonym (b), trigram (c), embedding (d), the
    small-sample correction of the value weight (e), and header-validator agreement (f)."""

    values: float
    exact: float
    ngram: float
    embed: float
    few_values: float = 0.0
    agreement: float = 0.0

    def as_list(self) -> list[float]:
        return [self.values, self.exact, self.ngram, self.embed, self.few_values, self.agreement]

    @classmethod
    def from_list(cls, weights: list[float]) -> Combiner:
        """From `as_list` output (shorter lists, from earlier models, leave the rest 0)."""
        return cls(*(float(w) for w in weights))

    def value_weight(self, support: int) -> float:
        """The weight of the value evidence for a column with `support` distinct values."""
        weight = self.values + self.few_values * few_values_signal(support)
        return max(weight, _MIN_VALUE_WEIGHT)

    def logits(
        self,
        value_probs: NDArray[np.float64],
        header: HeaderEvidence,
        support: int = 1000,
        validity: NDArray[np.float64] | None = None,
    ) -> NDArray[np.float64]:
        """Unnormalized log-probabilities over the types for one column (`validity`: see
        `features.type_validity`)."""
        logits = self.value_weight(support) * np.log(value_probs + _EPSILON)
        if header.informative:
            logits = logits + self.exact * header.exact + self.ngram * header.ngram
            if header.embed is not None:
                logits = logits + self.embed * header.embed
            if validity is not None:
                logits = logits + self.agreement * header.exact * validity
        result: NDArray[np.float64] = logits
        return result

    def probabilities(
        self,
        value_probs: NDArray[np.float64],
        header: HeaderEvidence,
        support: int = 1000,
        validity: NDArray[np.float64] | None = None,
    ) -> NDArray[np.float64]:
        """Calibrated probabilities over the types for one column of `support` distinct
        values."""
        return softmax(self.logits(value_probs, header, support, validity))


_MIN_VALUE_WEIGHT = 0.05


def few_values_signal(support: int) -> float:
    """1 / sqrt(distinct values): near 1 for a handful of values, near 0 for hundreds."""
    return 1.0 / float(np.sqrt(max(support, 1)))


def softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted = np.exp(logits - logits.max())
    result: NDArray[np.float64] = shifted / shifted.sum()
    return result


def _design(
    value_probs: NDArray[np.float64],
    headers: list[HeaderEvidence],
    supports: list[int],
    use_embed: bool,
    validity: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Stack the six per-type signals: (columns, types, 6)."""
    rows = []
    for probs, header, support, valid in zip(value_probs, headers, supports, validity, strict=True):
        on = 1.0 if header.informative else 0.0
        embed = header.embed if (use_embed and header.embed is not None) else np.zeros_like(probs)
        log_values = np.log(probs + _EPSILON)
        rows.append(
            np.stack(
                [
                    log_values,
                    on * header.exact,
                    on * header.ngram,
                    on * embed,
                    few_values_signal(support) * log_values,
                    on * header.exact * valid,
                ],
                axis=1,
            )
        )
    return np.stack(rows)


def fit_combiner(
    value_probs: NDArray[np.float64],
    headers: list[HeaderEvidence],
    labels: NDArray[np.int64],
    *,
    use_embed: bool,
    supports: list[int] | None = None,
    validity: NDArray[np.float64] | None = None,
) -> Combiner:
    """Weights minimizing the log-loss of the combined probabilities on `labels`.

    `supports` (distinct values per column) enables the small-sample correction, `validity`
    (`features.type_validity`) the header-validator agreement."""
    from scipy.optimize import minimize  # type: ignore[import-untyped]

    few = supports is not None
    agree = validity is not None
    if validity is None:
        validity = np.zeros_like(value_probs)
    design = _design(value_probs, headers, supports or [1000] * len(labels), use_embed, validity)
    rows = np.arange(len(labels))

    def loss(weights: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        logits = design @ weights
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        nll = -np.log(probs[rows, labels] + 1e-12).mean()
        target = np.zeros_like(probs)
        target[rows, labels] = 1.0
        grad = np.einsum("nt,ntk->k", probs - target, design) / len(labels)
        return float(nll), grad

    start = np.array([1.0, 2.0, 2.0, 2.0 if use_embed else 0.0, 0.0, 0.0])
    bounds = [
        (0.05, 5.0),
        (0.0, 20.0),
        (0.0, 20.0),
        (0.0, 20.0) if use_embed else (0.0, 0.0),
        (-5.0, 5.0) if few else (0.0, 0.0),
        (0.0, 20.0) if agree else (0.0, 0.0),
    ]
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    return Combiner.from_list([float(w) for w in result.x])


def expected_calibration_error(
    confidences: NDArray[np.float64], correct: NDArray[np.bool_], bins: int = 10
) -> float:
    """ECE: the confidence-weighted gap between stated confidence and accuracy."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (confidences > low) & (confidences <= high)
        if inside.any():
            gap = abs(confidences[inside].mean() - correct[inside].mean())
            total += gap * inside.mean()
    return float(total)
