"""Fillers found by their counts."""

from __future__ import annotations

import numpy as np

from cleara.engine.fillers import frequent_fillers


def _counts(codes: np.ndarray) -> np.ndarray:
    return np.bincount(codes[codes >= 0])


def test_a_value_many_different_people_hold_is_a_filler() -> None:
    codes = np.array([0 if n % 4 == 0 else n for n in range(100)])  # code 0: 25 records
    names = [np.arange(100)]
    assert frequent_fillers(codes, _counts(codes), names) == [0]


def test_no_filler_for_one_person_without_names_or_below_ten_records() -> None:
    codes = np.array([0 if n % 4 == 0 else n for n in range(100)])
    one_person = [np.where(codes == 0, -5, np.arange(100))]  # code 0's records: one name
    assert frequent_fillers(codes, _counts(codes), one_person) == []
    assert frequent_fillers(codes, _counts(codes), []) == []
    nine = np.array([0 if n < 9 else n for n in range(100)])
    assert frequent_fillers(nine, _counts(nine), [np.arange(100)]) == []
