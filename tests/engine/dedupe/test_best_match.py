"""A pair links only when no other pair beats it on both of its records."""

from __future__ import annotations

import numpy as np

from cleara.engine.dedupe.best_match import best_for_either


def _pairs(*rows: tuple[int, int, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    left, right, scores = zip(*rows, strict=True)
    return np.array(left), np.array(right), np.array(scores, dtype=np.float64)


def test_a_pair_beaten_on_both_sides_is_dropped() -> None:
    # Records 0, 1 on the left; 2, 3 on the right. 0-3 is weaker than 0-2 and than 1-3.
    left, right, scores = _pairs((0, 2, 0.9), (1, 3, 0.95), (0, 3, 0.8), (1, 2, 0.7))
    assert best_for_either(left, right, scores).tolist() == [True, True, False, False]


def test_a_pair_best_for_one_of_its_records_stays() -> None:
    # Record 3 has no better candidate than 0, though 0 prefers 2: one entry, two listings.
    left, right, scores = _pairs((0, 2, 0.9), (0, 3, 0.8))
    assert best_for_either(left, right, scores).tolist() == [True, True]


def test_ties_keep_every_tied_pair() -> None:
    left, right, scores = _pairs((0, 2, 0.9), (1, 3, 0.9), (0, 3, 0.9), (1, 2, 0.9))
    assert best_for_either(left, right, scores).all()


def test_pairs_are_judged_against_a_reference_set() -> None:
    reference = _pairs((0, 2, 0.99), (1, 3, 0.99))
    left, right, scores = _pairs((0, 3, 0.6), (0, 2, 0.99), (4, 5, 0.1))
    assert best_for_either(left, right, scores, reference).tolist() == [False, True, True]


def test_no_pairs() -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert best_for_either(empty, empty, np.zeros(0)).tolist() == []
