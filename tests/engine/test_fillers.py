"""Fillers found by their counts."""

from __future__ import annotations

import numpy as np

from cleara.engine.fillers import frequent_fillers, witnesses


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


def test_without_names_the_other_identifying_columns_are_the_witnesses() -> None:
    email, phone, dob = np.arange(3), np.arange(3) + 10, np.arange(3) + 20
    names = [np.zeros(3)]
    assert witnesses(0, [email, phone, dob], names) == names
    assert [w.tolist() for w in witnesses(0, [email, phone, dob], [])] == [
        phone.tolist(),
        dob.tolist(),
    ]
    assert witnesses(0, [email], []) == []  # nothing tells whose records hold a value
