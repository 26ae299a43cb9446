"""Numeric form: whether a plain numeric column is `integer` or `number` is read off its values.

The classifiers tell quantities from codes, years and money well, but integer from number
poorly where a table was exported through floating point: pandas writes whole numbers
holding a missing value as `187.0`, which looks like a measurement. JSON Schema settles the
question by value (draft 2020-12: an integer is a number with a zero fractional part), and so
does Cleara: a column reading `number` whose sampled values are all whole numbers is an
`integer` column. The two types trade their probabilities, so the confidence says as much as
before and `number` stays the first alternative. (The reverse is not applied: a stray `2.5`
in a column of whole-number codes is more likely a slip than a measurement.)

Likewise a column holding only 0 and 1 (both, in at least `MIN_FLAG_VALUES` sampled values)
is a flag: read as a quantity (`integer`, `number`, money, a percentage), it trades that
reading's probability with `boolean`'s. Exports write flags as `1`/`0`, or `1.0`/`0.0` where
a value is missing, and a quantity that never leaves {0, 1} over that many rows is rare.

And a column whose header names a key and nothing else (`id`, `customer id`, `GEOID`,
`account number`; not `code`, which may name a country or a currency) and whose values are
whole numbers is an `identifier`, not an `integer`: record keys are most often numbered 1, 2,
3, ..., which the value classifier alone cannot tell from counts. In the same way whole
numbers from 0 to `MAX_AGE` under a header that names an age and nothing else are `age`: the
value classifier alone reads a narrow band of ages (30-50) or ages including children as
plain integers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from cleara.engine.schema.header_model import HeaderEvidence
from cleara.engine.schema.types import SEMANTIC_TYPES

_INTEGER = SEMANTIC_TYPES.index("integer")
_NUMBER = SEMANTIC_TYPES.index("number")
_BOOLEAN = SEMANTIC_TYPES.index("boolean")
_IDENTIFIER = SEMANTIC_TYPES.index("identifier")
_AGE = SEMANTIC_TYPES.index("age")
MAX_AGE = 120
_QUANTITIES = frozenset(
    SEMANTIC_TYPES.index(t) for t in ("integer", "number", "currency_amount", "percentage")
)
MIN_FLAG_VALUES = 10
"""The fewest sampled values from which a column of only 0 and 1 reads as a flag."""


def apply_numeric_form(
    probabilities: Sequence[NDArray[np.float64]],
    numbers: Sequence[Sequence[float] | None],
    headers: Sequence[HeaderEvidence],
    notes: list[list[str]],
) -> list[NDArray[np.float64]]:
    """Each column's probabilities with `integer` and `number` swapped where it reads
    `number` but holds only whole numbers, and a quantity reading swapped with `boolean`
    where it holds only 0 and 1, and `integer` swapped with `identifier` or `age` where the
    header names a key or an age; a note says so in `notes` (one list per column).

    `numbers` holds each column's sampled values read as numbers (None when some value is
    not one, or the column is empty).
    """
    adjusted = [np.asarray(p, dtype=np.float64).copy() for p in probabilities]
    for column, probs in enumerate(adjusted):
        values = numbers[column]
        if not values:
            continue
        top = int(probs.argmax())
        whole = all(float(v).is_integer() for v in values)
        if top in _QUANTITIES and _is_flag(values):
            probs[[_BOOLEAN, top]] = probs[[top, _BOOLEAN]]
            notes[column].append(f"only 0 and 1: boolean, not {SEMANTIC_TYPES[top]}")
        elif top == _NUMBER and whole:
            probs[[_INTEGER, _NUMBER]] = probs[[_NUMBER, _INTEGER]]
            notes[column].append("every value is a whole number: integer, not number")
        if not whole or int(probs.argmax()) != _INTEGER:
            continue
        if _names_only(headers[column], _IDENTIFIER):
            probs[[_IDENTIFIER, _INTEGER]] = probs[[_INTEGER, _IDENTIFIER]]
            notes[column].append("the header names a key: identifier, not integer")
        elif _names_only(headers[column], _AGE) and 0 <= min(values) <= max(values) <= MAX_AGE:
            probs[[_AGE, _INTEGER]] = probs[[_INTEGER, _AGE]]
            notes[column].append("the header names an age: age, not integer")
    return adjusted


def _is_flag(values: Sequence[float]) -> bool:
    return len(values) >= MIN_FLAG_VALUES and set(values) == {0.0, 1.0}


def _names_only(header: HeaderEvidence, type_index: int) -> bool:
    """The header names this type and nothing else (`code` may also be a country or a
    currency, so it names no key alone)."""
    if not header.informative or not header.exact[type_index] > 0:
        return False
    return int(np.count_nonzero(header.exact)) == 1
