"""Combining header and value evidence."""

from __future__ import annotations

import numpy as np
import pytest

from cleara.engine.schema.combine import Combiner, few_values_signal, fit_combiner, softmax
from cleara.engine.schema.header_model import HeaderEvidence

TYPES = 3


def _header(exact: int | None = None) -> HeaderEvidence:
    scores = np.zeros(TYPES)
    if exact is not None:
        scores[exact] = 1.0
    return HeaderEvidence(exact is not None, scores, scores.copy(), None)


def test_four_weight_lists_from_older_models_still_load() -> None:
    combiner = Combiner.from_list([1.0, 0.5, 2.0, 0.0])
    assert combiner.few_values == 0.0
    assert combiner.as_list() == [1.0, 0.5, 2.0, 0.0, 0.0]


def test_few_values_weaken_the_value_evidence() -> None:
    combiner = Combiner(values=1.0, exact=0.0, ngram=3.0, embed=0.0, few_values=-0.8)
    values = np.array([0.97, 0.02, 0.01])
    header = _header(exact=1)
    many = combiner.probabilities(values, header, support=400)
    few = combiner.probabilities(values, header, support=3)
    assert many.argmax() == 0
    assert few.argmax() == 1
    assert few_values_signal(1) == 1.0
    assert few_values_signal(0) == 1.0
    assert combiner.value_weight(1) > 0


def test_fit_learns_a_negative_few_values_weight_when_short_columns_mislead() -> None:
    rng = np.random.default_rng(0)
    probs, headers, labels, supports = [], [], [], []
    for _ in range(300):
        truth = int(rng.integers(TYPES))
        short = bool(rng.random() < 0.5)
        guess = int(rng.integers(TYPES)) if short else truth  # short columns: unreliable
        row = np.full(TYPES, 0.02)
        row[guess] = 0.96
        probs.append(row)
        headers.append(_header(truth if rng.random() < 0.7 else None))
        labels.append(truth)
        supports.append(2 if short else 500)
    combiner = fit_combiner(
        np.array(probs), headers, np.array(labels), use_embed=False, supports=supports
    )
    assert combiner.few_values < 0
    assert combiner.values > 0


def test_softmax_sums_to_one() -> None:
    probs = softmax(np.array([1.0, 2.0, 3.0]))
    assert probs.sum() == pytest.approx(1.0)
