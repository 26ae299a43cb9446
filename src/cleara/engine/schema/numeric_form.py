"""Numeric form: whether a plain numeric column is `integer` or `number` is read off its values.

The classifiers tell quantities from codes, years and money well, but integer from number
poorly where a table was exported through floating point: pandas writes whole numbers
holding a missing value as `187.0`, which looks like a measurement. JSON Schema settles the
question by value (draft 2020-12: an integer is a number with a zero fractional part), and so
does Cleara: a column reading `number` whose sampled values are all whole numbers is an
`integer` column. The two types trade their probabilities, so the confidence says as much as
before and `number` stays the first alternative. (The reverse is not applied: a stray `2.5`
in a column of whole-number codes is more likely a slip than a measurement.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from cleara.engine.schema.types import SEMANTIC_TYPES

_INTEGER = SEMANTIC_TYPES.index("integer")
_NUMBER = SEMANTIC_TYPES.index("number")


def apply_numeric_form(
    probabilities: Sequence[NDArray[np.float64]],
    numbers: Sequence[Sequence[float] | None],
    notes: list[list[str]],
) -> list[NDArray[np.float64]]:
    """Each column's probabilities with `integer` and `number` swapped where it reads
    `number` but holds only whole numbers; a note says so in `notes` (one list per column).

    `numbers` holds each column's sampled values read as numbers (None when some value is
    not one, or the column is empty).
    """
    adjusted = [np.asarray(p, dtype=np.float64).copy() for p in probabilities]
    for column, probs in enumerate(adjusted):
        values = numbers[column]
        if not values:
            continue
        if int(probs.argmax()) != _NUMBER or not all(float(v).is_integer() for v in values):
            continue
        probs[[_INTEGER, _NUMBER]] = probs[[_NUMBER, _INTEGER]]
        notes[column].append("every value is a whole number: integer, not number")
    return adjusted
