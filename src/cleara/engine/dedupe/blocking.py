"""Blocking: which pairs are worth comparing, chosen from the data.

A *rule* is a key made of one or two field transforms (exact value, phonetic code, prefix, first
word, e-mail user). Records with equal keys are compared; blocks larger than the window are
walked as a sorted neighbourhood (sorted by the other fields), so a very common key never
explodes into quadratic work. Rules are chosen automatically: every single key and every pair
of keys whose expected pair count stays within a budget, minus those implied by a kept rule.
Text-heavy fields add approximate nearest neighbours of their embeddings, and records with
one (or with free text and no personal field) add their nearest records by whole-record
TF-IDF (`text_neighbours.py`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cleara.engine.dedupe.arrays import sorted_unique
from cleara.engine.dedupe.data import Dataset, FieldData, IntArray
from cleara.engine.dedupe.text_neighbours import text_neighbour_pairs

TRANSFORMS: dict[str, tuple[str, ...]] = {
    "name": ("exact", "phonetic", "prefix"),
    "text": ("exact", "first_word"),
    "long_text": ("exact",),
    "email": ("exact", "user"),
    "phone": ("exact",),
    "date": ("exact",),
    "code": ("exact",),
    "identifier": ("exact",),
    "number": ("exact",),
}
DEFAULT_WINDOW = 12
TEXT_NEIGHBOURS = 4
"""Whole-record TF-IDF neighbours per record (see `text_neighbours.searchable`)."""
# A rule may propose about one pair per record. Measured on 100,000 synthetic persons, three
# per record quadrupled the candidates (902k vs 215k) and found no true pair more; FEBRL 1-4
# keep every true pair either way.
_PAIRS_PER_RECORD = 1.0
_MIN_BUDGET = 20_000.0
_SAMPLE = 50_000
_MAX_RULES = 40


@dataclass(frozen=True, slots=True)
class Key:
    field: str
    transform: str = "exact"

    def __str__(self) -> str:
        return self.field if self.transform == "exact" else f"{self.transform}({self.field})"


@dataclass(frozen=True, slots=True)
class BlockingRule:
    keys: tuple[Key, ...]

    def __str__(self) -> str:
        return " & ".join(str(k) for k in self.keys)

    def covers(self, other: BlockingRule) -> bool:
        """True when every pair `other` finds is also found by this rule."""
        return all(any(_implies(o, k) for o in other.keys) for k in self.keys)


def _implies(finer: Key, coarser: Key) -> bool:
    return finer.field == coarser.field and finer.transform in ("exact", coarser.transform)


@dataclass(slots=True)
class Candidates:
    left: IntArray
    right: IntArray
    rules: list[BlockingRule]

    def __len__(self) -> int:
        return len(self.left)


def key_codes(data: Dataset, key: Key) -> IntArray:
    """Per record: the key's code, -1 where the field is null or the transform undefined."""
    field_data = data.field(key.field)
    if key.transform == "exact":
        return field_data.codes.astype(np.int64)
    if key.transform == "phonetic" and field_data.phonetic is not None:
        return field_data.phonetic.astype(np.int64)
    per_unique = [_transform(key.transform, u) for u in field_data.uniques]
    codes, _ = pd.factorize(pd.Series(per_unique, dtype=object), use_na_sentinel=True)
    lookup = np.append(codes.astype(np.int64), np.int64(-1))
    result: IntArray = lookup[field_data.codes]
    return result


def _transform(transform: str, value: str) -> str | None:
    if transform == "prefix":
        return value[:3] if len(value) >= 3 else None
    if transform == "first_word":
        word = value.split(" ")[0]
        return word if len(word) >= 2 else None
    if transform == "user":
        return value.split("@")[0] or None
    return value


def rule_codes(data: Dataset, rule: BlockingRule, cache: dict[Key, IntArray]) -> IntArray:
    """Per record: the rule's combined key code, -1 where any part is missing."""
    parts = []
    for key in rule.keys:
        if key not in cache:
            cache[key] = key_codes(data, key)
        parts.append(cache[key])
    if len(parts) == 1:
        return parts[0]
    combined = parts[0].copy()
    for part in parts[1:]:
        width = np.int64(part.max() + 2 if len(part) else 1)
        missing = (combined < 0) | (part < 0)
        combined = combined * width + part
        combined[missing] = -1
    return combined


def expected_pairs(codes: IntArray, data: Dataset) -> float:
    """Pairs the rule would generate without a window (for choosing rules)."""
    n = len(codes)
    sample = codes
    scale = 1.0
    if n > _SAMPLE:
        rng = np.random.default_rng(0)
        picked = rng.choice(n, _SAMPLE, replace=False)
        sample = codes[picked]
        scale = (n / _SAMPLE) ** 2
    present = sample[sample >= 0]
    if not len(present):
        return 0.0
    _, counts = np.unique(present, return_counts=True)
    if data.link:
        share = data.n_left / max(data.size, 1)
        return float((counts.astype(np.float64) ** 2).sum() * share * (1 - share) * scale)
    return float((counts.astype(np.float64) * (counts - 1)).sum() / 2 * scale)


def choose_rules(data: Dataset, budget: float | None = None) -> list[BlockingRule]:
    """Single and paired keys whose expected pairs fit the budget, minus implied ones."""
    budget = budget if budget is not None else max(_MIN_BUDGET, _PAIRS_PER_RECORD * data.size)
    cache: dict[Key, IntArray] = {}
    keys = _distinct_keys(data, cache)
    scored: list[tuple[float, BlockingRule]] = []
    singles = [BlockingRule((k,)) for k in keys]
    pairs = [BlockingRule((a, b)) for a, b in itertools.combinations(keys, 2) if a.field != b.field]
    for rule in [*singles, *pairs]:
        if any(kept.covers(rule) for _, kept in scored):
            continue
        expected = expected_pairs(rule_codes(data, rule, cache), data)
        if 0 < expected <= budget:
            scored.append((expected, rule))
    scored.sort(key=lambda item: (len(item[1].keys), item[0]))
    chosen: list[BlockingRule] = []
    for _, rule in scored:
        if not any(kept.covers(rule) for kept in chosen):
            chosen.append(rule)
    if not chosen and keys:
        chosen = [BlockingRule((min(keys, key=lambda k: _spread(data.field(k.field))),))]
    return chosen[:_MAX_RULES]


def _distinct_keys(data: Dataset, cache: dict[Key, IntArray]) -> list[Key]:
    """Every field's keys, minus transforms that group records exactly as the value does.

    `first_word(city)` of one-word city names is `city` again: as a rule it would only
    repeat the pairs of another.
    """
    keys: list[Key] = []
    for field_data in data.fields:
        exact_groups = len(field_data.uniques)
        for transform in TRANSFORMS[field_data.spec.kind]:
            key = Key(field_data.spec.name, transform)
            if transform != "exact":
                codes = cache.setdefault(key, key_codes(data, key))
                if int(codes.max(initial=-1)) + 1 == exact_groups:
                    continue  # one group per distinct value: the same partition
            keys.append(key)
    return keys


def _spread(field_data: FieldData) -> float:
    """Lower is more distinctive: the share of records in the field's largest value."""
    return (
        float(field_data.counts.max() / max(field_data.non_null, 1))
        if len(field_data.counts)
        else 1.0
    )


def window_pairs(
    codes: IntArray, order_key: IntArray, window: int, n_left: int | None
) -> tuple[IntArray, IntArray]:
    """Pairs with equal codes within `window` positions after sorting by (code, order_key).

    Blocks no larger than the window yield all their pairs; larger blocks a sorted
    neighbourhood. With `n_left`, only pairs across the two tables are kept.
    """
    return sorted_window_pairs(codes, np.argsort(order_key, kind="stable"), window, n_left)


def sorted_window_pairs(
    codes: IntArray, by_key: IntArray, window: int, n_left: int | None
) -> tuple[IntArray, IntArray]:
    """`window_pairs` given the records already sorted by the order key (`by_key`).

    A stable sort by code then keeps that order inside each block: one rank sort for all
    rules instead of a two-key sort per rule.
    """
    in_key_order = by_key[codes[by_key] >= 0]
    if len(in_key_order) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    order = in_key_order[np.argsort(codes[in_key_order], kind="stable")]
    return _neighbours(order, codes[order], window, n_left)


def _neighbours(
    order: IntArray, sorted_codes: IntArray, window: int, n_left: int | None
) -> tuple[IntArray, IntArray]:
    """Pairs of records (in `order`) with equal codes less than `window` positions apart."""
    lefts: list[IntArray] = []
    rights: list[IntArray] = []
    count = len(order)
    active = np.arange(count - 1)  # positions whose block continues `step` further on
    for step in range(1, min(window, count)):
        active = active[active + step < count]
        active = active[sorted_codes[active + step] == sorted_codes[active]]
        if not len(active):
            break
        i = order[active]
        j = order[active + step]
        if n_left is not None:
            across = (i < n_left) != (j < n_left)
            i, j = i[across], j[across]
        lefts.append(i)
        rights.append(j)
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return _ordered(np.concatenate(lefts), np.concatenate(rights))


def _ordered(i: IntArray, j: IntArray) -> tuple[IntArray, IntArray]:
    return np.minimum(i, j), np.maximum(i, j)


def unique_pairs(
    lefts: Sequence[IntArray], rights: Sequence[IntArray], size: int
) -> tuple[IntArray, IntArray]:
    """The union of pair lists, each pair once (left < right), sorted."""
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    i = np.concatenate(lefts)
    j = np.concatenate(rights)
    keep = i != j
    keys = sorted_unique(i[keep] * np.int64(size) + j[keep])
    return keys // size, keys % size


def candidate_pairs(
    data: Dataset,
    rules: Sequence[BlockingRule] | None = None,
    *,
    window: int = DEFAULT_WINDOW,
    neighbours: int = 8,
    text_neighbours: int = TEXT_NEIGHBOURS,
) -> Candidates:
    """Candidate pairs from the blocking rules (chosen from the data when not given), the
    embedding neighbours of text fields and the whole-record TF-IDF neighbours."""
    rules = list(rules) if rules is not None else choose_rules(data)
    cache: dict[Key, IntArray] = {}
    by_tiebreak = _tiebreak_order(data)
    n_left = data.n_left if data.link else None
    lefts: list[IntArray] = []
    rights: list[IntArray] = []
    for rule in rules:
        i, j = sorted_window_pairs(rule_codes(data, rule, cache), by_tiebreak, window, n_left)
        lefts.append(i)
        rights.append(j)
    for field_data in data.fields:
        if field_data.vectors is not None and neighbours > 0:
            from cleara.engine.dedupe.embeddings import neighbour_pairs

            i, j = neighbour_pairs(field_data, neighbours, n_left)
            lefts.append(i)
            rights.append(j)
    i, j = text_neighbour_pairs(data, text_neighbours, n_left)
    lefts.append(i)
    rights.append(j)
    left, right = unique_pairs(lefts, rights, data.size)
    return Candidates(left, right, rules)


def _tiebreak_order(data: Dataset) -> IntArray:
    """Records in `_tiebreak` order. When linking, records of equal rank alternate between
    the tables (by their relative position in their own table): left first, a block of
    identical records larger than the window would meet the other table only at its edge."""
    ranks = _tiebreak(data)
    if not data.link:
        return np.argsort(ranks, kind="stable")
    index = np.arange(data.size, dtype=np.float64)
    n_right = max(data.size - data.n_left, 1)
    position = np.where(
        index < data.n_left, index / max(data.n_left, 1), (index - data.n_left) / n_right
    )
    order: IntArray = np.lexsort((position, ranks))
    return order


def _tiebreak(data: Dataset) -> IntArray:
    """Order inside large blocks: by the most distinctive field, so similar records meet."""
    if not data.fields:
        return np.arange(data.size, dtype=np.int64)
    best = min(data.fields, key=_spread)
    values = np.array([*best.uniques, ""], dtype=object)[best.codes]
    ranks: NDArray[np.int64] = pd.Series(values).rank(method="dense").to_numpy(np.int64)
    return ranks


def reduction_ratio(data: Dataset, candidates: int) -> float:
    """1 - compared pairs / all possible pairs."""
    if data.link:
        total = data.n_left * (data.size - data.n_left)
    else:
        total = data.size * (data.size - 1) // 2
    return 1.0 - candidates / total if total else 1.0
