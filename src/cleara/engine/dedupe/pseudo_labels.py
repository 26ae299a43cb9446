"""Fellegi-Sunter's confident decisions as extra training pairs where the labels say little.

Labels proposed by active learning sit where the model is unsure. A classifier trained on
them alone extrapolates to the rest of the candidates, which none of its labels resemble: on
100,000 synthetic persons, 60 such labels led it to reject thousands of pairs Fellegi-Sunter
(fitted on all candidates) called certain matches, and to accept thousands it called certain
non-matches. So the candidates are split into strata of Fellegi-Sunter log-odds; in each
sure stratum where the classifier overrules Fellegi-Sunter far more often than the labels
there contradict it (or than its own probabilities expect), a random sample of the stratum's
candidates, labelled by Fellegi-Sunter, joins the training pairs: as many as a sample
representative of the candidates would hold there, less the labels already there. Nothing
is added where the labels find Fellegi-Sunter wrong on the pairs it is sure of (Magellan's
product tables): there its confidence is not to be trusted.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from numpy.typing import NDArray

from cleara.engine.dedupe.data import FloatArray, IntArray

CONFIDENT = math.log(9.0)
"""Natural log-odds beyond which Fellegi-Sunter's decision counts as confident (p = 0.9)."""
STRATA = (-math.inf, -10.0, -5.0, -CONFIDENT, CONFIDENT, 5.0, 10.0, math.inf)
AGREEMENT = 0.9
"""Share of the labels it is sure of (all, and a stratum's) Fellegi-Sunter must decide right."""
DOUBT = 10
"""Agreeing labels assumed before any are counted (one contradiction is no verdict)."""
SLACK = 0.01
"""Overruling tolerated in a stratum beyond twice the contradiction the labels show."""
PER_STRATUM = 25
"""Fewest pairs added to a stratum that gets any."""
SAMPLE = 200
"""Size of the representative sample the labels are topped up towards (or the label count,
when larger)."""


def choose(
    candidate_logit: FloatArray,
    label_logit: FloatArray,
    truth: NDArray[np.bool_],
    *,
    eligible: NDArray[np.bool_],
    matched: NDArray[np.bool_],
    seed: int = 0,
) -> tuple[IntArray, NDArray[np.bool_]]:
    """Candidate rows to train on beside the labels, with Fellegi-Sunter's decision on each.

    `candidate_logit` / `label_logit`: Fellegi-Sunter log-odds of the candidates and of the
    labelled pairs; `eligible`: candidates that may be chosen (not labelled themselves).
    """
    if not _trusted(label_logit, truth):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    rng = np.random.default_rng(seed)
    wanted = max(len(truth), SAMPLE)
    rows: list[IntArray] = []
    decisions: list[NDArray[np.bool_]] = []
    for low, high in itertools.pairwise(STRATA):
        if low < 0.0 < high:  # unsure: the labels' own ground
            continue
        match = low >= 0.0
        labelled = (label_logit >= low) & (label_logit < high)
        inside = (candidate_logit >= low) & (candidate_logit < high)
        if not inside.any():
            continue
        contradicted = _contradicted(truth[labelled] != match)
        if contradicted > 1.0 - AGREEMENT:
            continue
        sureness = np.minimum(np.abs(candidate_logit[inside]), 500.0)
        expected = float(np.mean(1.0 / (1.0 + np.exp(sureness))))  # its own error rate
        overruled = inside & (matched != match)
        if overruled.sum() <= (2.0 * max(contradicted, expected) + SLACK) * inside.sum():
            continue
        pool = np.flatnonzero(inside & eligible)
        share = inside.sum() / max(len(candidate_logit), 1)
        count = min(max(round(wanted * share) - int(labelled.sum()), PER_STRATUM), len(pool))
        if count <= 0:
            continue
        rows.append(np.sort(rng.choice(pool, size=count, replace=False)))
        decisions.append(np.full(count, match))
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    return np.concatenate(rows).astype(np.int64), np.concatenate(decisions)


def _trusted(label_logit: FloatArray, truth: NDArray[np.bool_]) -> bool:
    """Whether the labels find Fellegi-Sunter right on the pairs it is confident about."""
    confident = np.abs(label_logit) >= CONFIDENT
    return _contradicted((label_logit[confident] > 0.0) != truth[confident]) <= 1.0 - AGREEMENT


def _contradicted(wrong: NDArray[np.bool_]) -> float:
    """Share of labels that contradict Fellegi-Sunter, with the benefit of the doubt worth
    `DOUBT` agreeing labels (one contradiction among two labels is no verdict)."""
    return float(wrong.sum()) / (len(wrong) + DOUBT)
