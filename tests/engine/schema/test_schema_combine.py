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
    assert combiner.agreement == 0.0
    assert combiner.as_list() == [1.0, 0.5, 2.0, 0.0, 0.0, 0.0]


def test_a_header_whose_validator_accepts_the_values_outweighs_confident_values() -> None:
    combiner = Combiner(values=1.0, exact=0.0, ngram=2.0, embed=0.0, agreement=3.0)
    values = np.array([0.95, 0.04, 0.01])  # the values look like type 0
    header = _header(exact=1)
    accepted = np.array([0.0, 1.0, 0.0])  # type 1's validator accepts every value
    rejected = np.array([0.0, 0.1, 0.0])
    assert combiner.probabilities(values, header, validity=accepted).argmax() == 1
    assert combiner.probabilities(values, header, validity=rejected).argmax() == 0
    assert combiner.probabilities(values, header).argmax() == 0
    no_header = HeaderEvidence(False, np.zeros(TYPES), np.zeros(TYPES), None)
    assert combiner.probabilities(values, no_header, validity=accepted).argmax() == 0


def test_fit_learns_the_agreement_weight_when_valid_headers_beat_the_values() -> None:
    rng = np.random.default_rng(1)
    probs, headers, labels, validity = [], [], [], []
    for _ in range(300):
        truth = int(rng.integers(TYPES))
        right_header = bool(rng.random() < 0.5)
        header = truth if right_header else int(rng.integers(TYPES))
        guess = int(rng.integers(TYPES))  # the values alone are no better than chance
        row = np.full(TYPES, 0.05)
        row[guess] = 0.9
        valid = np.full(TYPES, 0.1)
        valid[truth] = 1.0  # only the true type's validator accepts the values
        probs.append(row)
        headers.append(_header(header))
        labels.append(truth)
        validity.append(valid)
    combiner = fit_combiner(
        np.array(probs), headers, np.array(labels), use_embed=False, validity=np.array(validity)
    )
    assert combiner.agreement > 1.0


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
