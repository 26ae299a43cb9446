"""Closed code lists: a column is a currency-code column only if its values are such codes.

The value classifier learns currency codes as short capital-letter codes, so other codes of
that shape (airport codes `JFK`, `EWR`, station or ticker codes) drift towards them, the
only type of that shape it has seen. ISO 4217 is a closed list, though: a column in which
fewer than `MIN_CODE_SHARE` of the values are currency codes is not one, however the values
look, unless its header names the type (a `currency` column of `Euro`, `US Dollar`).
Generated training columns, typos and wrong-column values included, never fell that low
(the lowest of 200 was 0.33, the 1st percentile 0.60).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from cleara.engine.schema.features import feature_names
from cleara.engine.schema.header_model import HeaderEvidence
from cleara.engine.schema.types import SEMANTIC_TYPES

MIN_CODE_SHARE = 0.3
"""The least share of ISO 4217 codes among a currency-code column's values."""
CODE_LIST_ODDS = 0.01
"""How much the odds of `currency_code` shrink in a column below that share."""
NOTED_PROBABILITY = 0.05
"""A column's evidence notes the check only where the type was at least this likely."""

_CHECKS = {"currency_code": "iso_currency"}


def apply_code_lists(
    probabilities: Sequence[NDArray[np.float64]],
    features: NDArray[np.float64],
    headers: Sequence[HeaderEvidence],
    notes: list[list[str]],
) -> list[NDArray[np.float64]]:
    """Each column's probabilities with code-list types that neither its values nor its
    header support made unlikely; a note says so in `notes` (one list per column)."""
    names = feature_names()
    adjusted = [np.asarray(p, dtype=np.float64).copy() for p in probabilities]
    for type_name, feature in _CHECKS.items():
        index, share_of = SEMANTIC_TYPES.index(type_name), names.index(feature)
        for column, probs in enumerate(adjusted):
            share = float(features[column][share_of])
            if not share < MIN_CODE_SHARE:  # NaN (no values) leaves the column alone
                continue
            if headers[column].informative and headers[column].exact[index] > 0:
                continue
            if probs[index] >= NOTED_PROBABILITY:
                notes[column].append(
                    f"{share:.0%} of the values are {type_name.replace('_', ' ')}s: "
                    f"{type_name} unlikely"
                )
            probs[index] *= CODE_LIST_ODDS
            probs /= probs.sum()
    return adjusted
