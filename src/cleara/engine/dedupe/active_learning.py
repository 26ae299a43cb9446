"""Active learning: the candidate pairs whose labels would teach the model the most.

The current model (Fellegi-Sunter without labels, the classifier with them) scores the
candidate pairs; the most uncertain ones (probability nearest the threshold) are proposed,
each record at most once so that one ambiguous record does not fill the whole batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from cleara.engine.dedupe.blocking import candidate_pairs
from cleara.engine.dedupe.compare import compare
from cleara.engine.dedupe.pipeline import (
    DedupeOptions,
    _parse_labels,
    fit_scorer,
    label_indices,
    prepare,
)
from cleara.engine.dedupe.threshold import parse_threshold
from cleara.engine.table import to_table


def propose_labels(
    records: Iterable[Mapping[str, Any]] | Any,
    link_records: Iterable[Mapping[str, Any]] | Any | None = None,
    *,
    labels: Iterable[Mapping[str, Any]] | None = None,
    count: int = 10,
    options: DedupeOptions | None = None,
) -> list[dict[str, Any]]:
    """Up to `count` unlabeled pairs for a person to label, most informative first.

    Each proposal: `{"left_id", "right_id", "score", "explanation"}`; answer with labels
    `{"left_id", "right_id", "match"}` and call again (or `dedupe(..., labels=...)`).
    """
    options = options or DedupeOptions()
    table = to_table(records)
    link_table = to_table(link_records) if link_records is not None else None
    data, _ = prepare(table.columns, table.rows, link_table, options)
    label_list = _parse_labels(labels)
    candidates = candidate_pairs(data, options.blocking, window=options.window)
    comparison = compare(data, candidates.left, candidates.right)
    given = parse_threshold(options.threshold)
    scorer, threshold, _ = fit_scorer(data, comparison, label_list, given)
    scores = scorer.score(comparison)
    labeled: set[tuple[int, int]] = set()
    if label_list:
        li, lj, _ = label_indices(data, label_list)
        labeled = set(zip(li.tolist(), lj.tolist(), strict=True))
    order = np.argsort(np.abs(scores - threshold), kind="stable")
    chosen: list[int] = []
    used: set[int] = set()
    for row in order.tolist():
        i, j = int(comparison.left[row]), int(comparison.right[row])
        if (i, j) in labeled or i in used or j in used:
            continue
        chosen.append(row)
        used.update((i, j))
        if len(chosen) >= count:
            break
    picked = comparison.subset(np.array(chosen, dtype=np.int64))
    explanations = scorer.explain(picked, scores[chosen])
    return [
        {
            "left_id": data.ids[int(picked.left[k])],
            "right_id": data.ids[int(picked.right[k])],
            "score": round(float(scores[row]), 6),
            "explanation": explanations[k],
        }
        for k, row in enumerate(chosen)
    ]
