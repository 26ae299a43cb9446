"""Table context: coordinate pairs, Null Island, one-per-table person attributes, name parts."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from cleara.engine.schema.detect import detect_schema
from cleara.engine.schema.table_context import CONTEXT_ODDS, apply_table_context
from cleara.engine.schema.types import SEMANTIC_TYPES


def _probs(**weights: float) -> NDArray[np.float64]:
    """A probability vector with the given types' shares and the rest spread thinly."""
    probs = np.full(len(SEMANTIC_TYPES), 1e-4)
    for name, weight in weights.items():
        probs[SEMANTIC_TYPES.index(name)] = weight
    return probs / probs.sum()


def _top(probs: NDArray[np.float64]) -> str:
    return SEMANTIC_TYPES[int(probs.argmax())]


def _odds(probs: NDArray[np.float64], name: str) -> float:
    p = float(probs[SEMANTIC_TYPES.index(name)])
    return p / (1 - p)


COORDS = [12.5, -33.9, 48.8]


def test_longitude_without_latitude_promotes_the_best_candidate() -> None:
    lat_like = _probs(number=0.7, latitude=0.25)
    lon = _probs(longitude=0.98)
    weaker = _probs(number=0.9, latitude=0.05)
    adjusted, notes = apply_table_context([lat_like, lon, weaker], [COORDS, [-121.2], COORDS])
    assert [_top(p) for p in adjusted] == ["latitude", "longitude", "number"]
    gained = _odds(adjusted[0], "latitude") / _odds(lat_like, "latitude")
    assert gained == pytest.approx(CONTEXT_ODDS)
    assert notes[0] == ["the table has a longitude column: latitude more likely"]
    assert notes[1] == notes[2] == []
    np.testing.assert_allclose(adjusted[2], weaker)  # only the best candidate gains


def test_candidate_values_must_lie_in_the_coordinate_range() -> None:
    lat_like = _probs(number=0.7, latitude=0.25)
    adjusted, notes = apply_table_context(
        [lat_like, _probs(longitude=0.98)], [[12.5, 95.0], [-121.2]]
    )
    assert _top(adjusted[0]) == "number"
    assert notes[0] == []
    # Text values are no candidates either.
    adjusted, _ = apply_table_context([lat_like, _probs(longitude=0.98)], [None, [-121.2]])
    assert _top(adjusted[0]) == "number"


def _coordinate_odds(probs: NDArray[np.float64]) -> float:
    coordinates = [SEMANTIC_TYPES.index("latitude"), SEMANTIC_TYPES.index("longitude")]
    share = float(probs[coordinates].sum())
    return share / (1 - share)


def test_lone_coordinate_with_no_partner_is_demoted_unless_sure() -> None:
    unsure = _probs(latitude=0.6, longitude=0.15, number=0.25)
    sure = _probs(latitude=0.9999, number=0.0001)
    text = _probs(text=0.99)
    adjusted, notes = apply_table_context([unsure, sure, text], [COORDS, COORDS, None])
    assert _top(adjusted[0]) == "number"  # neither coordinate: both lost odds together
    assert _top(adjusted[1]) == "latitude"
    # No column could be the partner at all: the odds fall twice as far (in log terms).
    assert _coordinate_odds(adjusted[0]) == pytest.approx(
        _coordinate_odds(unsure) / CONTEXT_ODDS**2
    )
    assert notes[0] == ["no longitude column in the table: latitude less likely"]


def test_a_possible_partner_softens_the_lone_coordinate_demotion() -> None:
    lat = _probs(latitude=0.9, number=0.1)
    weak = _probs(number=0.97, longitude=0.02)
    adjusted, _ = apply_table_context([lat, weak], [COORDS, COORDS])
    assert _coordinate_odds(adjusted[0]) == pytest.approx(_coordinate_odds(lat) / CONTEXT_ODDS)


def test_a_promoted_partner_saves_the_lone_coordinate() -> None:
    adjusted, notes = apply_table_context(
        [_probs(latitude=0.6, number=0.4), _probs(number=0.8, longitude=0.2)], [COORDS, COORDS]
    )
    assert [_top(p) for p in adjusted] == ["latitude", "longitude"]
    assert notes[0] == []


def test_a_partner_that_does_not_become_one_leaves_the_coordinate_lone() -> None:
    lat = _probs(latitude=0.6, number=0.4)
    weak = _probs(number=0.97, longitude=0.02)
    adjusted, notes = apply_table_context([lat, weak], [COORDS, COORDS])
    assert [_top(p) for p in adjusted] == ["number", "number"]
    assert notes[1] == ["the table has a latitude column: longitude more likely"]
    assert notes[0] == ["no longitude column in the table: latitude less likely"]


def test_pairs_are_left_alone() -> None:
    probs = [_probs(latitude=0.55, number=0.45), _probs(longitude=0.6, number=0.4)]
    adjusted, notes = apply_table_context(probs, [COORDS, COORDS])
    for before, after in zip(probs, adjusted, strict=True):
        np.testing.assert_allclose(before, after)
    assert notes == [[], []]


def test_second_claimant_of_a_singular_type_yields() -> None:
    surname = _probs(last_name=0.7, categorical=0.3)
    race = _probs(last_name=0.49, categorical=0.26, city=0.13)
    adjusted, notes = apply_table_context([surname, race], [None, None])
    assert [_top(p) for p in adjusted] == ["last_name", "categorical"]
    assert notes[1] == ["another column is a surer last_name: last_name less likely"]
    assert notes[0] == []


def test_sure_claimants_keep_a_singular_type() -> None:
    """Two first-name columns named so (a parent's and a child's) both stay first names."""
    adjusted, _ = apply_table_context(
        [_probs(first_name=0.995), _probs(first_name=0.99)], [None, None]
    )
    assert [_top(p) for p in adjusted] == ["first_name", "first_name"]


def test_types_that_repeat_are_not_singular() -> None:
    adjusted, notes = apply_table_context([_probs(phone=0.6), _probs(phone=0.55)], [None, None])
    assert [_top(p) for p in adjusted] == ["phone", "phone"]
    assert notes == [[], []]


def test_coordinates_all_near_null_island_are_demoted() -> None:
    lat, lon = _probs(latitude=0.7, number=0.3), _probs(longitude=0.7, number=0.3)
    small = [[0.03, -0.11, 0.4], [-1.2, 0.9, 0.05]]
    adjusted, notes = apply_table_context([lat, lon], small)
    assert [_top(p) for p in adjusted] == ["number", "number"]
    assert "no land" in notes[0][0]
    london = [[51.5, 51.4, 51.6], [-0.12, 0.05, -0.3]]  # one column near 0 is a place
    kept, kept_notes = apply_table_context([lat, lon], london)
    assert [_top(p) for p in kept] == ["latitude", "longitude"]
    assert kept_notes == [[], []]


def test_name_parts_need_a_name_in_the_table() -> None:
    series = _probs(name_suffix=0.6, categorical=0.4)
    adjusted, notes = apply_table_context([series, _probs(number=0.99)], [None, [1.0]])
    assert _top(adjusted[0]) == "categorical"
    assert notes[0] == ["no name column in the table: name_suffix less likely"]
    named, named_notes = apply_table_context([series, _probs(last_name=0.9)], [None, None])
    assert _top(named[0]) == "name_suffix"
    assert named_notes == [[], []]


def test_empty_table() -> None:
    assert apply_table_context([], []) == ([], [])


def test_detection_reports_the_table_rule_in_the_evidence() -> None:
    rows = [{"lat": f"{30 + i * 0.37:.4f}", "note": f"row {i}"} for i in range(40)]
    column = detect_schema(rows).columns[0]
    assert column.type == "latitude"  # the header is sure: the rule only lowers the odds
    assert column.evidence["table"] == ["no longitude column in the table: latitude less likely"]
