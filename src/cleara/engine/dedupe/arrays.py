"""Array helpers that stay fast at millions of elements."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


def sorted_unique(values: IntArray) -> IntArray:
    """`np.unique(values)` by sorting.

    NumPy 2's hash-based `np.unique` (no inverse or counts) took 68 s on 30 million random
    integers where sorting takes 0.5 s.
    """
    if len(values) == 0:
        return values.copy()
    ordered = np.sort(values)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    result: IntArray = ordered[first]
    return result
