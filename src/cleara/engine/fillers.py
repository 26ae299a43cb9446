"""Fillers found by their counts: values typed where the real one was unknown.

Known fillers (`noemail@gmail.com`, `1900-01-01`) are each field module's business
(`FieldResult.placeholder`). Others only show in a whole table: in a column that identifies a
person, a value that far more records hold than the column's values commonly are, whose
records mostly name different people (one customer entered many times is no filler).
Cleaning reports them and deduplication reads them as missing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

PLACEHOLDER_TYPES = frozenset({"email", "phone", "date_of_birth", "national_id"})
"""Semantic types of the columns whose frequent fillers are looked for."""
PERSON_NAME_TYPES = frozenset({"first_name", "middle_name", "last_name", "full_name"})
MIN_PLACEHOLDER_RECORDS = 10
PLACEHOLDER_EXCESS = 20
"""A filler is held by at least this many times as many records as the column's values
commonly are (the 95th percentile of the records per value)."""
PLACEHOLDER_NAME_SHARE = 0.5
"""... and its records carry at least this many distinct names (or, in a table without
names, combinations of the other identifying values) per record."""


def witnesses(
    column: int,
    identifying: Sequence[NDArray[np.integer]],
    names: Sequence[NDArray[np.integer]],
) -> list[NDArray[np.integer]]:
    """The columns that tell whose records hold a value of identifying column `column`: the
    person-name columns, else the other identifying columns (a filler e-mail address shows
    as held with many different phones and birth dates; one customer's, with few)."""
    if names:
        return list(names)
    return [codes for other, codes in enumerate(identifying) if other != column]


def frequent_fillers(
    codes: NDArray[np.integer], counts: NDArray[np.integer], names: Sequence[NDArray[np.integer]]
) -> list[int]:
    """The value codes that are fillers by their counts.

    `codes` gives each record's value (-1: none), `counts` the records per value, `names`
    the per-record codes of the columns that tell people apart (`witnesses`; without one,
    nothing is found)."""
    if not names or not len(counts) or int(counts.max()) < MIN_PLACEHOLDER_RECORDS:
        return []
    floor = max(MIN_PLACEHOLDER_RECORDS, PLACEHOLDER_EXCESS * float(np.quantile(counts, 0.95)))
    found = []
    for code in np.flatnonzero(counts >= floor).tolist():
        holds = codes == code
        holders = np.stack([column[holds] for column in names], axis=1)
        people = len(np.unique(holders, axis=0))
        if people >= PLACEHOLDER_NAME_SHARE * int(counts[code]):
            found.append(code)
    return found
