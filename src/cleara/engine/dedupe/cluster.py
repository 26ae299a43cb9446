"""Clustering matched pairs without chaining.

Connected components alone merge A and C when A~B and B~C even if A and C clearly differ.
Here each component of more than two records is re-clustered by average linkage over *all* its
member pairs (pairs blocking skipped are scored now): two groups merge only while their mean
match probability stays at or above the threshold, so one bridging record cannot chain
unrelated records together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster, linkage  # type: ignore[import-untyped]
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import (  # type: ignore[import-untyped]
    connected_components,
    minimum_spanning_tree,
)

from cleara.engine.dedupe.data import FloatArray, IntArray

Scorer = Callable[[IntArray, IntArray], FloatArray]
"""Match probabilities of arbitrary record pairs (left[i], right[i])."""

MAX_DENSE = 1500
"""Components larger than this are split first at their weakest links (scoring all their
pairs would be quadratic); one that cannot be split (every link as strong: copies of one
record) keeps its connected-component grouping, and the cluster result counts it."""

_WEAKEST_SHARE = 0.1
"""The share of an oversized component's links cut at each step of splitting it."""


@dataclass(slots=True)
class Clustering:
    labels: IntArray  # cluster number per record, 0..clusters-1
    pair_left: IntArray  # every scored pair inside a final cluster
    pair_right: IntArray
    pair_score: FloatArray
    oversized: int = 0  # components left as connected components


def cluster_records(
    size: int,
    left: IntArray,
    right: IntArray,
    scores: FloatArray,
    threshold: float,
    scorer: Scorer,
    *,
    max_dense: int = MAX_DENSE,
    eligible: NDArray[np.bool_] | None = None,
) -> Clustering:
    """Cluster records from scored candidate pairs; `scorer` scores member pairs not yet seen.

    `eligible` marks the candidate pairs that may join records at all (all by default); the
    others still count with their scores when a component is re-clustered.
    """
    matched = scores >= threshold
    if eligible is not None:
        matched &= eligible
    components = _components(size, left[matched], right[matched])
    components = _split_oversized(components, left, right, scores, matched, max_dense)
    matched &= components[left] == components[right]
    labels = components.copy()
    sizes = np.bincount(components, minlength=1) if size else np.zeros(0, dtype=np.int64)
    big = _members(components, sizes, 3, max_dense)
    oversized = int((sizes > max_dense).sum())
    inside = _inside_dense(components, sizes, left, right, max_dense)
    known = _pair_lookup(left[inside], right[inside], scores[inside], size)
    dense_left, dense_right, dense_scores, owner = _dense_scores(big, known, scorer, size)
    # Most components hold together (every member pair is a match): keep them as they are
    # and run average linkage only on the others.
    weakest = np.full(len(big), np.inf)
    np.minimum.at(weakest, owner, dense_scores)
    whole = weakest >= threshold
    keep = whole[owner] if len(owner) else np.zeros(0, dtype=bool)
    pairs_l = [dense_left[keep]]
    pairs_r = [dense_right[keep]]
    pairs_s = [dense_scores[keep]]
    next_label = int(components.max()) + 1 if size else 0
    for index in np.flatnonzero(~whole).tolist():
        members = big[index]
        mine = slice(*np.searchsorted(owner, [index, index + 1]).tolist())  # owner is sorted
        pl, pr, ps = dense_left[mine], dense_right[mine], dense_scores[mine]
        groups = _average_linkage(len(members), ps, threshold)
        for group in np.unique(groups)[1:]:
            labels[members[groups == group]] = next_label
            next_label += 1
        same = labels[pl] == labels[pr]
        pairs_l.append(pl[same])
        pairs_r.append(pr[same])
        pairs_s.append(ps[same])
    in_small = _small_component_edges(components, sizes, left, matched, max_dense)
    pairs_l.append(left[in_small])
    pairs_r.append(right[in_small])
    pairs_s.append(scores[in_small])
    _, labels = np.unique(labels, return_inverse=True)
    return Clustering(
        labels.astype(np.int64),
        np.concatenate(pairs_l),
        np.concatenate(pairs_r),
        np.concatenate(pairs_s),
        oversized,
    )


def pairs_within(labels: IntArray) -> int:
    """How many record pairs share a cluster."""
    if not len(labels):
        return 0
    sizes = np.bincount(labels)
    return int((sizes * (sizes - 1) // 2).sum())


def strongest_links(
    size: int, left: IntArray, right: IntArray, scores: FloatArray
) -> NDArray[np.bool_]:
    """The pairs of a maximum spanning forest: in each group of linked records, the
    strongest links that still join every record (one fewer than its records).

    Pairs are distinct, with `left < right`.
    """
    keep = np.zeros(len(left), dtype=bool)
    if not len(left):
        return keep
    # Weights 1..2 (the stronger, the lighter) keep every edge, including scores of 0 or 1.
    graph = coo_matrix((2.0 - scores, (left, right)), shape=(size, size)).tocsr()
    tree = minimum_spanning_tree(graph).tocoo()
    low = np.minimum(tree.row, tree.col).astype(np.int64)
    high = np.maximum(tree.row, tree.col).astype(np.int64)
    keys = left * size + right
    order = np.argsort(keys, kind="stable")
    found = np.searchsorted(keys[order], low * size + high)
    keep[order[found]] = True
    return keep


def _inside_dense(
    components: IntArray, sizes: IntArray, left: IntArray, right: IntArray, max_dense: int
) -> NDArray[np.bool_]:
    """Candidate pairs inside one component that average linkage will re-cluster."""
    if not len(left):
        return np.zeros(0, dtype=bool)
    own = components[left]
    result: NDArray[np.bool_] = (
        (own == components[right]) & (sizes[own] > 2) & (sizes[own] <= max_dense)
    )
    return result


def _components(size: int, left: IntArray, right: IntArray) -> IntArray:
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    result: IntArray = labels.astype(np.int64)
    return result


def _split_oversized(
    components: IntArray,
    left: IntArray,
    right: IntArray,
    scores: FloatArray,
    matched: NDArray[np.bool_],
    max_dense: int,
) -> IntArray:
    """Components relabelled so that each of more than `max_dense` records is split at its
    weakest links (`_WEAKEST_SHARE` of them at a time, again in each still oversized part)
    until its parts are small enough for average linkage or its links are all as strong."""
    if not len(components):
        return components
    sizes = np.bincount(components)
    if not (sizes > max_dense).any():
        return components
    labels = components.copy()
    next_label = int(labels.max()) + 1
    edges = np.flatnonzero(matched)
    owner = components[left[edges]]
    work = [edges[owner == c] for c in np.flatnonzero(sizes > max_dense).tolist()]
    while work:
        mine = work.pop()
        strength = scores[mine]
        cut, strongest = np.quantile(strength, _WEAKEST_SHARE), strength.max()
        # Where most links are the strongest, every weaker one goes at once.
        stronger = strength > cut if cut < strongest else strength >= strongest
        if stronger.all():
            continue  # every link as strong: it stays one component
        records = np.unique(np.concatenate([left[mine], right[mine]]))
        kept = mine[stronger]
        local = _components(
            len(records),
            np.searchsorted(records, left[kept]),
            np.searchsorted(records, right[kept]),
        )
        labels[records] = next_label + local
        next_label += int(local.max()) + 1
        part_of_edge = local[np.searchsorted(records, left[kept])]
        for part in np.flatnonzero(np.bincount(local) > max_dense).tolist():
            work.append(kept[part_of_edge == part])
    _, relabelled = np.unique(labels, return_inverse=True)
    result: IntArray = relabelled.astype(np.int64)
    return result


def _members(labels: IntArray, sizes: IntArray, smallest: int, largest: int) -> list[IntArray]:
    """The records of each component with `smallest` to `largest` members."""
    chosen = np.flatnonzero((sizes[labels] >= smallest) & (sizes[labels] <= largest))
    if not len(chosen):
        return []
    order = chosen[np.argsort(labels[chosen], kind="stable")]
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    return list(np.split(order, bounds))


def _pair_lookup(
    left: IntArray, right: IntArray, scores: FloatArray, size: int
) -> dict[int, float]:
    keys = (np.minimum(left, right) * size + np.maximum(left, right)).tolist()
    return dict(zip(keys, scores.tolist(), strict=True))


def _dense_scores(
    components: list[IntArray], known: dict[int, float], scorer: Scorer, size: int
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """All member pairs of each component (condensed order) with their scores and component.

    Pairs blocking did not propose are scored now, all at once.
    """
    lefts: list[IntArray] = []
    rights: list[IntArray] = []
    for members in components:
        a, b = np.triu_indices(len(members), k=1)
        lefts.append(members[a])
        rights.append(members[b])
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64), empty
    owner = np.repeat(np.arange(len(lefts)), [len(x) for x in lefts]).astype(np.int64)
    all_left = np.minimum(np.concatenate(lefts), np.concatenate(rights))
    all_right = np.maximum(np.concatenate(lefts), np.concatenate(rights))
    keys = (all_left * size + all_right).tolist()
    scores = np.array([known.get(k, np.nan) for k in keys], dtype=np.float64)
    missing = np.isnan(scores)
    if missing.any():
        scores[missing] = scorer(all_left[missing], all_right[missing])
    return all_left, all_right, scores, owner


def _average_linkage(count: int, scores: FloatArray, threshold: float) -> NDArray[np.int32]:
    """Group labels (1-based) merging while the mean probability stays >= threshold."""
    if (scores >= threshold).all():
        return np.ones(count, dtype=np.int32)
    distances = np.clip(1.0 - scores, 0.0, 1.0)
    tree = linkage(distances, method="average")
    labels: NDArray[np.int32] = fcluster(tree, t=1.0 - threshold + 1e-9, criterion="distance")
    return labels


def _small_component_edges(
    components: IntArray,
    sizes: IntArray,
    left: IntArray,
    matched: NDArray[np.bool_],
    max_dense: int,
) -> NDArray[np.bool_]:
    """Matched pairs of components that were not re-clustered (pairs and oversized ones)."""
    component_size = sizes[components[left]] if len(left) else np.zeros(0, dtype=np.int64)
    result: NDArray[np.bool_] = matched & ((component_size <= 2) | (component_size > max_dense))
    return result
