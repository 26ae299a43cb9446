"""Array helpers."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cleara.engine.dedupe.arrays import sorted_unique


@given(st.lists(st.integers(min_value=-(2**40), max_value=2**40), max_size=200))
def test_sorted_unique_equals_numpy_unique(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    assert np.array_equal(sorted_unique(array), np.unique(array))
