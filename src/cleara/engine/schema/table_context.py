"""Table context: what the other columns of a table say about one column's type.

Column evidence is read one column at a time, but a few types constrain the table as a whole:

- Coordinates come in pairs. A latitude column with no longitude column (or the reverse) is
  unlikely, and a table with one of them likely holds its partner: the best partner
  candidate (numbers in range, the partner type among its possibilities) gains, and when no
  column becomes the partner, the lone column is less likely to be a coordinate at all (by
  `CONTEXT_ODDS` squared when no column of the table could be its partner).
- Coordinates near 0°, 0° are a sign of missing locations, not of places: no land lies within
  `NULL_ISLAND_DEGREES` of it, so a latitude and a longitude column whose values all do are
  more likely something else (returns, scores, normalized measurements).
- A table describes one person per row, so it has one first name, one last name, one gender,
  one birth date, one age (`SINGULAR`): of two columns claiming one of them, the less sure
  one loses (`home_phone` and `work_phone` may both be phones; two genders are rare).
- A name prefix, suffix or middle name is part of a name split over columns (`NAME_PARTS`):
  in a table with no first, last or full name column it is unlikely (`I`, `II` are series
  labels there, single letters grades or sample codes).

Every rule multiplies the odds of one type in one column by `CONTEXT_ODDS` (or divides
them) and renormalizes, so strong evidence (a `lat` header, unmistakable values) survives
and only a column that was close to its alternatives changes type.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from cleara.engine.schema.types import SEMANTIC_TYPES

CONTEXT_ODDS = 10.0
"""How much a table-level rule multiplies (or divides) the odds of a type in a column."""

MIN_PARTNER_PROBABILITY = 0.01
"""A column is a coordinate partner candidate only with at least this probability of it."""

SINGULAR = (
    "first_name", "last_name", "middle_name", "name_prefix", "name_suffix", "gender",
    "date_of_birth", "age",
)  # fmt: skip
NAME_PARTS = ("name_prefix", "name_suffix", "middle_name")
NAMES = ("first_name", "last_name", "full_name")
COORDINATE_RANGE = {"latitude": 90.0, "longitude": 180.0}
NULL_ISLAND_DEGREES = 2.0
"""No land lies within this many degrees of latitude 0, longitude 0 (the Gulf of Guinea)."""
_PARTNER = {"latitude": "longitude", "longitude": "latitude"}

Notes = list[list[str]]


def apply_table_context(
    probabilities: Sequence[NDArray[np.float64]], numbers: Sequence[Sequence[float] | None]
) -> tuple[list[NDArray[np.float64]], Notes]:
    """Each column's probabilities adjusted by the table rules, and per column the notes
    that say which rule changed them (empty when none did).

    `numbers` holds each column's values read as numbers (None when some value is not one).
    """
    adjusted = [np.asarray(p, dtype=np.float64).copy() for p in probabilities]
    notes: Notes = [[] for _ in adjusted]
    _pair_coordinates(adjusted, numbers, notes)
    _null_island(adjusted, numbers, notes)
    _name_parts_need_a_name(adjusted, notes)
    _one_per_table(adjusted, notes)
    return adjusted, notes


def _top(probabilities: Sequence[NDArray[np.float64]]) -> list[str]:
    return [SEMANTIC_TYPES[int(p.argmax())] for p in probabilities]


def _scale_odds(probs: NDArray[np.float64], types: Sequence[str], factor: float) -> None:
    """Multiply the odds of `types` (together, against every other type) by `factor`."""
    for type_name in types:
        probs[SEMANTIC_TYPES.index(type_name)] *= factor
    total = probs.sum()
    if total > 0:
        probs /= total


def _pair_coordinates(
    probs: list[NDArray[np.float64]], numbers: Sequence[Sequence[float] | None], notes: Notes
) -> None:
    tops = _top(probs)
    for lone, partner in _PARTNER.items():
        if lone not in tops or partner in tops:
            continue
        candidate = _partner_candidate(probs, numbers, tops, partner)
        if candidate is not None:
            _scale_odds(probs[candidate], [partner], CONTEXT_ODDS)
            notes[candidate].append(f"the table has a {lone} column: {partner} more likely")
            if SEMANTIC_TYPES[int(probs[candidate].argmax())] == partner:
                continue
        # A lone coordinate is less likely either coordinate; with no column that could
        # be its partner at all, much less.
        factor = 1 / CONTEXT_ODDS if candidate is not None else 1 / CONTEXT_ODDS**2
        for column, top in enumerate(tops):
            if top == lone:
                _scale_odds(probs[column], list(COORDINATE_RANGE), factor)
                notes[column].append(f"no {partner} column in the table: {lone} less likely")


def _partner_candidate(
    probs: Sequence[NDArray[np.float64]],
    numbers: Sequence[Sequence[float] | None],
    tops: Sequence[str],
    partner: str,
) -> int | None:
    """The column most likely to be the missing coordinate: numbers within its range, the
    coordinate among its possibilities, and not already a coordinate itself."""
    index = SEMANTIC_TYPES.index(partner)
    limit = COORDINATE_RANGE[partner]
    best, best_probability = None, MIN_PARTNER_PROBABILITY
    for column, column_numbers in enumerate(numbers):
        if tops[column] in COORDINATE_RANGE or not column_numbers:
            continue
        if max(abs(n) for n in column_numbers) > limit:
            continue
        if probs[column][index] >= best_probability:
            best, best_probability = column, float(probs[column][index])
    return best


def _null_island(
    probs: list[NDArray[np.float64]], numbers: Sequence[Sequence[float] | None], notes: Notes
) -> None:
    tops = _top(probs)
    pair = [c for c, top in enumerate(tops) if top in COORDINATE_RANGE]
    if {tops[c] for c in pair} != set(COORDINATE_RANGE):
        return
    for column in pair:
        values = numbers[column]
        if not values or max(abs(v) for v in values) > NULL_ISLAND_DEGREES:
            return
    for column in pair:
        _scale_odds(probs[column], list(COORDINATE_RANGE), 1 / CONTEXT_ODDS)
        notes[column].append(
            f"latitudes and longitudes all within {NULL_ISLAND_DEGREES:g}° of 0, 0 (no land): "
            f"{tops[column]} less likely"
        )


def _name_parts_need_a_name(probs: list[NDArray[np.float64]], notes: Notes) -> None:
    tops = _top(probs)
    if any(top in NAMES for top in tops):
        return
    for column, top in enumerate(tops):
        if top in NAME_PARTS:
            _scale_odds(probs[column], NAME_PARTS, 1 / CONTEXT_ODDS)
            notes[column].append(f"no name column in the table: {top} less likely")


def _one_per_table(probs: list[NDArray[np.float64]], notes: Notes) -> None:
    tops = _top(probs)
    for type_name in SINGULAR:
        index = SEMANTIC_TYPES.index(type_name)
        claimants = sorted(
            (c for c, top in enumerate(tops) if top == type_name),
            key=lambda c: -float(probs[c][index]),
        )
        for column in claimants[1:]:
            _scale_odds(probs[column], [type_name], 1 / CONTEXT_ODDS)
            notes[column].append(f"another column is a surer {type_name}: {type_name} less likely")
