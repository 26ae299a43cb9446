"""Clustering resists chaining: A~B and B~C do not merge A with a clearly different C."""

from __future__ import annotations

import numpy as np

from cleara.engine.dedupe.cluster import cluster_records, pairs_within, strongest_links

SCORES = {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.01, (3, 4): 0.95}


def _scorer(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return np.array([SCORES.get((int(a), int(b)), 0.0) for a, b in zip(left, right, strict=True)])


def test_bridge_record_does_not_chain_unrelated_records() -> None:
    left = np.array([0, 1, 3], dtype=np.int64)
    right = np.array([1, 2, 4], dtype=np.int64)
    result = cluster_records(5, left, right, _scorer(left, right), 0.5, _scorer)
    labels = result.labels
    assert labels[0] != labels[2]
    assert labels[3] == labels[4]
    assert len(set(labels.tolist())) == 3


def test_consistent_triangle_stays_together() -> None:
    scores = {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.8}
    left = np.array([0, 1], dtype=np.int64)
    right = np.array([1, 2], dtype=np.int64)

    def scorer(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.array([scores[(int(x), int(y))] for x, y in zip(a, b, strict=True)])

    result = cluster_records(3, left, right, scorer(left, right), 0.5, scorer)
    assert len(set(result.labels.tolist())) == 1
    assert len(result.pair_left) == 3  # every member pair is reported


def test_plain_connected_components_would_have_chained() -> None:
    left = np.array([0, 1], dtype=np.int64)
    right = np.array([1, 2], dtype=np.int64)
    result = cluster_records(3, left, right, _scorer(left, right), 0.5, _scorer, max_dense=2)
    assert result.oversized == 1
    assert len(set(result.labels.tolist())) == 1


def test_pairs_within_clusters() -> None:
    labels = np.array([0, 0, 0, 1, 1, 2])
    assert pairs_within(labels) == 3 + 1
    assert pairs_within(np.zeros(0, dtype=np.int64)) == 0


def test_pairs_not_eligible_do_not_join_records() -> None:
    left = np.array([0, 1, 3], dtype=np.int64)
    right = np.array([1, 2, 4], dtype=np.int64)
    eligible = np.array([True, True, False])
    result = cluster_records(5, left, right, _scorer(left, right), 0.5, _scorer, eligible=eligible)
    assert result.labels[3] != result.labels[4]
    assert result.labels[0] != result.labels[2]


def test_strongest_links_join_each_group_with_its_best_pairs() -> None:
    # Records 0-3 form one group (every pair scored), 4-5 another; 6 stands alone.
    left = np.array([0, 0, 0, 1, 1, 2, 4], dtype=np.int64)
    right = np.array([1, 2, 3, 2, 3, 3, 5], dtype=np.int64)
    scores = np.array([0.9, 0.2, 0.3, 0.95, 0.1, 0.8, 0.0])
    kept = strongest_links(7, left, right, scores)
    links = {(int(a), int(b)) for a, b in zip(left[kept], right[kept], strict=True)}
    assert links == {(0, 1), (1, 2), (2, 3), (4, 5)}


def test_strongest_links_of_no_pairs() -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert len(strongest_links(3, empty, empty, np.zeros(0))) == 0


def _two_groups_and_a_bridge() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Records 0-2 and 3-5 match within their group (0.9); 2~3 is a weaker bridge (0.6)."""
    left = np.array([0, 0, 1, 3, 3, 4, 2], dtype=np.int64)
    right = np.array([1, 2, 2, 4, 5, 5, 3], dtype=np.int64)
    return left, right, np.array([0.9] * 6 + [0.6])


def test_an_oversized_component_is_split_at_its_weakest_links() -> None:
    left, right, scores = _two_groups_and_a_bridge()
    result = cluster_records(6, left, right, scores, 0.5, _scorer, max_dense=4)
    assert result.oversized == 0
    assert result.labels.tolist() in ([0, 0, 0, 1, 1, 1], [1, 1, 1, 0, 0, 0])
    reported = set(zip(result.pair_left.tolist(), result.pair_right.tolist(), strict=True))
    assert (2, 3) not in reported


def test_an_oversized_component_of_equal_links_stays_whole() -> None:
    left, right, _ = _two_groups_and_a_bridge()
    scores = np.full(len(left), 0.9)
    result = cluster_records(6, left, right, scores, 0.5, _scorer, max_dense=4)
    assert result.oversized == 1
    assert len(set(result.labels.tolist())) == 1


def test_where_most_links_are_the_strongest_every_weaker_one_is_cut_at_once() -> None:
    # A chain of 4,000 records: 200 weaker links, each of its own strength. Cutting one
    # strength at a time took a pass over the component per strength.
    size = 4000
    left = np.arange(size - 1, dtype=np.int64)
    right = left + 1
    scores = np.full(size - 1, 0.99)
    weak = np.random.default_rng(0).choice(size - 1, 200, replace=False)
    scores[weak] = np.linspace(0.6, 0.9, 200)
    result = cluster_records(size, left, right, scores, 0.5, lambda a, b: np.full(len(a), 0.99))
    assert result.oversized == 0
    assert (result.labels[left[weak]] != result.labels[right[weak]]).all()
