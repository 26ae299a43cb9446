"""Value-corrected field kinds, EM's bounded match rate, rank thresholds, number tokens."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cleara.engine.dedupe.compare import compare
from cleara.engine.dedupe.data import Dataset, encode_field
from cleara.engine.dedupe.fellegi_sunter import fit, max_prior
from cleara.engine.dedupe.fields import FieldSpec, plan_fields
from cleara.engine.dedupe.threshold import rank_threshold

_PRODUCTS = [
    "sony 16gb class 4 sd memory card",
    "pny 4gb class 4 navy sd card",
    "apple iphone 12 pro max 256gb graphite",
    "elite screens cinewhite fixed frame 85 diagonal",
]


def _product_rows(count: int) -> list[dict[str, str]]:
    return [{"title": f"{_PRODUCTS[i % 4]} model {i}", "gender": "F"} for i in range(count)]


def test_a_code_column_of_free_text_is_compared_as_text() -> None:
    specs = {s.name: s for s in plan_fields(["title", "gender"], _product_rows(200))}
    assert specs["title"].kind == "long_text"
    assert specs["title"].type == "text"  # the misread type's cleaner is not applied
    assert specs["gender"].kind == "code"


def _two_tables(left: list[str], right: list[str]) -> Dataset:
    spec = FieldSpec("title", "long_text", "text")
    field = encode_field(spec, [*left, *right], embed=False)
    return Dataset([*range(len(left) + len(right))], len(left), True, [field])


def test_em_match_rate_stays_within_the_possible_links() -> None:
    left = [f"{_PRODUCTS[i % 4]} {i}" for i in range(40)]
    right = [f"{_PRODUCTS[i % 4]} {i + 1}" for i in range(40)]
    data = _two_tables(left, right)
    i, j = np.meshgrid(np.arange(40), np.arange(40, 80), indexing="ij")
    comparison = compare(data, i.ravel(), j.ravel())  # every pair is alike: all candidates
    model = fit(data, comparison)
    assert model.prior <= max_prior(data, len(comparison)) + 1e-9
    assert abs(max_prior(data, len(comparison)) - 40 / 1600) < 1e-9


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=50), st.integers(1, 60))
def test_rank_threshold_keeps_the_top_count(scores: list[float], count: int) -> None:
    values = np.array(scores)
    kept = values >= rank_threshold(values, count)
    top = np.sort(values)[::-1][: min(count, len(values))]
    assert kept.sum() >= len(top)  # ties with the last kept score stay too
    assert values[kept].min() >= top.min()
    assert not kept.any() or not (~kept).any() or values[~kept].max() < values[kept].min()


def test_number_tokens_tell_product_sizes_apart() -> None:
    data = _two_tables(["sandisk 16gb sd card", "sandisk sd card"], ["sandisk 32gb sd card"] * 2)
    comparison = compare(data, np.array([0, 1]), np.array([2, 3]))
    column = comparison.feature_names.index("title:numbers")
    assert comparison.features[0, column] == 0.0
    assert comparison.features[1, column] == 0.0  # one side has a size, the other none
    same = compare(data, np.array([0]), np.array([0]))
    assert same.features[0, column] == 1.0


def test_a_cut_between_the_tiniest_scores_keeps_them_apart() -> None:
    values = np.array([0.0, 1.0, 5e-324])  # their midpoint rounds down to 0
    assert (values >= rank_threshold(values, 2)).tolist() == [False, True, True]
