"""Best-match links: across two tables a pair matches only as some record's best candidate.

When two tables are linked, a record has about one match in the other table. A classifier
scores each pair on its own, so a record's true match and a near copy of it (another edition
or colour of one product) can both clear the threshold. A pair that is beaten on *both* sides
(each of its records has another candidate that scores higher) is then the weaker guess for
both of them and is not a link. A pair that is the best candidate of at least one of its
records stays, so a record may still link to several records of the other table when it is
their best match (one catalogue entry for several listings), and ties keep every tied pair.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from cleara.engine.dedupe.data import FloatArray, IntArray


def best_for_either(
    left: IntArray,
    right: IntArray,
    scores: FloatArray,
    reference: tuple[IntArray, IntArray, FloatArray] | None = None,
) -> NDArray[np.bool_]:
    """Which pairs no other pair beats on both sides.

    `reference` holds the competing pairs (by default the pairs themselves): pair i is beaten
    on its left side when a reference pair with the same left record scores higher, and
    likewise on its right side.
    """
    ref_left, ref_right, ref_scores = reference if reference is not None else (left, right, scores)
    size = int(max(_largest(left), _largest(right), _largest(ref_left), _largest(ref_right))) + 1
    best_left = _best_per_record(ref_left, ref_scores, size)
    best_right = _best_per_record(ref_right, ref_scores, size)
    beaten_left = best_left[left] > scores
    beaten_right = best_right[right] > scores
    result: NDArray[np.bool_] = ~(beaten_left & beaten_right)
    return result


def _best_per_record(records: IntArray, scores: FloatArray, size: int) -> FloatArray:
    best = np.full(size, -np.inf, dtype=np.float64)
    np.maximum.at(best, records, scores)
    return best


def _largest(values: IntArray) -> int:
    return int(values.max()) if len(values) else -1
