"""Blocking: windowed blocks, rule choice and coverage."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from people import DUPLICATES, PEOPLE

from cleara.engine.dedupe.blocking import (
    BlockingRule,
    Key,
    candidate_pairs,
    reduction_ratio,
    window_pairs,
)
from cleara.engine.dedupe.pipeline import DedupeOptions, prepare
from cleara.engine.table import to_table


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-1, 4), min_size=0, max_size=40), st.integers(2, 6))
def test_window_pairs_share_a_key_and_cover_small_blocks(codes: list[int], window: int) -> None:
    array = np.array(codes, dtype=np.int64)
    left, right = window_pairs(array, np.arange(len(codes), dtype=np.int64), window, None)
    assert np.all(left < right)
    assert np.all(array[left] == array[right])
    assert np.all(array[left] >= 0)
    found = set(zip(left.tolist(), right.tolist(), strict=True))
    assert len(found) == len(left)
    for code in set(codes) - {-1}:
        members = [i for i, c in enumerate(codes) if c == code]
        if len(members) <= window:
            assert {(a, b) for a in members for b in members if a < b} <= found


def test_link_mode_pairs_cross_the_tables() -> None:
    codes = np.array([0, 0, 0, 0], dtype=np.int64)
    left, right = window_pairs(codes, np.arange(4, dtype=np.int64), 10, 2)
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == {(0, 2), (0, 3), (1, 2), (1, 3)}


def test_rule_coverage() -> None:
    exact = BlockingRule((Key("a"),))
    phonetic = BlockingRule((Key("a", "phonetic"),))
    both = BlockingRule((Key("a"), Key("b")))
    assert phonetic.covers(exact)
    assert exact.covers(both)
    assert not exact.covers(phonetic)
    assert not both.covers(exact)


def test_automatic_rules_keep_every_duplicate_and_prune_pairs() -> None:
    table = to_table(PEOPLE)
    data, _ = prepare(table.columns, table.rows, None, DedupeOptions(id_field="id"))
    candidates = candidate_pairs(data)
    ids = data.ids
    found = {
        tuple(sorted((ids[i], ids[j])))
        for i, j in zip(candidates.left, candidates.right, strict=False)
    }
    assert found >= DUPLICATES
    assert candidates.rules
    assert 0.0 < reduction_ratio(data, len(candidates)) < 1.0
