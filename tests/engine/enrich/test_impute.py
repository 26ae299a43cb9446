"""Missing-field prediction: fills, leakage guards, calibration and explanations."""

from __future__ import annotations

import numpy as np
import pytest

from cleara.engine.enrich import enrich
from cleara.engine.enrich.impute import encode_column, impute, leakage_reason
from cleara.engine.fields.base import JsonScalar


def _table(rows: int = 400, seed: int = 0) -> list[dict[str, JsonScalar]]:
    """`segment` follows from `spend` and `region`; `score` is linear in `spend`."""
    rng = np.random.default_rng(seed)
    table: list[dict[str, JsonScalar]] = []
    for index in range(rows):
        spend = float(rng.uniform(0, 100))
        region = str(rng.choice(["north", "south", "east"]))
        segment = "gold" if spend > 60 or (region == "north" and spend > 30) else "basic"
        table.append(
            {
                "customer_id": index + 1,
                "spend": round(spend, 2),
                "region": region,
                "segment": segment,
                "segment_code": {"gold": "G", "basic": "B"}[segment],
                "score": round(2 * spend + float(rng.normal(0, 1)), 2),
            }
        )
    return table


def _blank(table: list[dict[str, JsonScalar]], columns: tuple[str, ...], every: int) -> None:
    for index, row in enumerate(table):
        if index % every == 0:
            for column in columns:
                row[column] = None


def test_predicts_missing_categories_with_explanations() -> None:
    table = _table()
    truth = [row["segment"] for row in table]
    _blank(table, ("segment", "segment_code"), 5)
    result = enrich(table, predict_missing=True)
    filled = [e for e in result.enrichments if e.column == "segment"]
    assert len(filled) >= 40
    right = sum(1 for e in filled if e.value == truth[e.row])
    assert right / len(filled) >= 0.9
    assert all(e.source == "model" and e.confidence >= 0.9 for e in filled)
    assert all(
        any(f"{name}=" in e.explanation for name in ("spend", "score", "region")) for e in filled
    )
    assert all("customer_id" not in e.explanation for e in filled)
    models = {m.column: m for m in result.models}
    assert models["segment"].cv_accuracy is not None
    assert models["segment"].cv_accuracy > 0.9
    assert models["segment"].filled == len(filled)


def test_leakage_guard_drops_ids_and_encodings_of_the_target() -> None:
    table = _table()
    _blank(table, ("segment",), 5)
    model = {m.column: m for m in impute(list(table[0]), table).models}["segment"]
    assert model.dropped["customer_id"] == "id_like"
    assert model.dropped["segment_code"] == "encodes_target"
    assert "segment_code" not in model.features
    assert "spend" in model.features


def test_leakage_reason_for_numeric_copies() -> None:
    values = [float(v) for v in range(100)]
    target = encode_column("price", [v * 1.5 + 0.25 for v in values])
    copy = encode_column("price_cents", [(v * 1.5 + 0.25) * 100 for v in values])
    other = encode_column("noise", [float(v % 7) for v in values])
    assert leakage_reason(target, copy) == "near_copy_of_target"
    assert leakage_reason(target, other) is None


def test_numeric_predictions_and_integer_form() -> None:
    table = _table(600)
    truth = [row["score"] for row in table]
    _blank(table, ("score",), 4)
    result = enrich(table, predict_missing=True, min_confidence=0.0)
    filled = [e for e in result.enrichments if e.column == "score"]
    assert len(filled) == 150
    errors = [abs(float(e.value) - float(truth[e.row])) for e in filled]  # type: ignore[arg-type]
    assert float(np.mean(errors)) < 5.0
    model = {m.column: m for m in result.models}["score"]
    assert model.kind == "numeric"
    assert model.cv_nrmse is not None
    assert model.cv_nrmse < 0.2


def test_calibration_sanity_on_held_out_rows() -> None:
    """Confidences are not overstated: the filled values are right at least as often as
    their mean confidence says (within sampling noise)."""
    table = _table(800, seed=3)
    truth = [row["segment"] for row in table]
    _blank(table, ("segment", "segment_code"), 4)
    result = enrich(table, predict_missing=True, min_confidence=0.0)
    filled = [e for e in result.enrichments if e.column == "segment"]
    accuracy = sum(1 for e in filled if e.value == truth[e.row]) / len(filled)
    mean_confidence = float(np.mean([e.confidence for e in filled]))
    assert abs(accuracy - mean_confidence) < 0.08
    assert all(0.0 <= e.confidence <= 1.0 for e in filled)


def test_unpredictable_columns_are_not_filled() -> None:
    rng = np.random.default_rng(1)
    table = [{"a": float(rng.normal()), "coin": str(rng.choice(["h", "t"]))} for _ in range(300)]
    for row in table[::5]:
        row["coin"] = None
    result = enrich(table, predict_missing=True)
    assert not [e for e in result.enrichments if e.column == "coin"]
    model = {m.column: m for m in result.models}["coin"]
    assert model.cv_accuracy is not None
    assert model.cv_accuracy < 0.7


def test_single_row_and_tiny_tables_are_skipped_with_a_reason() -> None:
    result = enrich([{"a": 1, "b": None}], predict_missing=True)
    assert result.enrichments == []
    reasons = {m.column: m.skipped for m in result.models}
    assert reasons["a"] == "nothing missing"
    assert reasons["b"] == "no values to learn from"


def test_bad_options_raise_input_errors() -> None:
    from cleara.engine.table import InputError

    with pytest.raises(InputError):
        enrich([{"a": 1}], min_confidence=1.5)
    with pytest.raises(InputError):
        enrich([{"a": 1}], fields=["nonsense"])
    with pytest.raises(InputError):
        enrich([{"a": 1}], schema={"zzz": "city"})


def test_id_named_measures_are_features_but_id_keys_are_not() -> None:
    rng = np.random.default_rng(5)
    measure = encode_column("num_0", [round(float(v), 1) for v in rng.normal(size=200)])
    key = encode_column("order_id", list(range(1000, 1200)))
    assert measure.unusable is None
    assert key.unusable == "id_like"


def test_small_integer_columns_are_filled_with_their_own_levels() -> None:
    rng = np.random.default_rng(2)
    table: list[dict[str, JsonScalar]] = []
    for _ in range(300):
        size = float(rng.uniform(1, 5))
        table.append({"size": round(size, 2), "cylinders": int(2 * round(size) + 2)})
    truth = [row["cylinders"] for row in table]
    _blank(table, ("cylinders",), 5)
    result = enrich(table, predict_missing=True, min_confidence=0.0)
    filled = [e for e in result.enrichments if e.column == "cylinders"]
    assert len(filled) == 60
    assert {e.value for e in filled} <= {4, 6, 8, 10, 12}
    assert sum(1 for e in filled if e.value == truth[e.row]) >= 50
    model = {m.column: m for m in result.models}["cylinders"]
    assert model.kind == "numeric"


def test_small_tables_blend_lightgbm_with_extra_trees_measured_by_cv() -> None:
    table = _table(300, seed=4)
    _blank(table, ("score",), 6)
    result = enrich(table, predict_missing=True, min_confidence=0.0)
    model = {m.column: m for m in result.models}["score"]
    assert model.method is not None
    assert model.method.startswith("LightGBM")
    filled = [e for e in result.enrichments if e.column == "score"]
    assert filled
    assert all(e.explanation.startswith(f"predicted by {model.method} ") for e in filled)


def test_filled_features_have_no_gaps_and_never_use_the_target() -> None:
    from cleara.engine.enrich.impute import _filled_features, _typical_fill

    table = _table(200, seed=6)
    _blank(table, ("spend", "region"), 4)
    encoded = {c: encode_column(c, [row[c] for row in table]) for c in table[0]}
    typical = _typical_fill(encoded)
    assert "customer_id" not in typical.values
    features = [encoded["spend"], encoded["region"], encoded["score"]]
    filled = _filled_features(features, typical)
    assert filled is not None
    assert filled.shape == (200, 3)
    assert not np.isnan(filled).any()
    assert set(np.unique(filled[:, 1])) <= {0.0, 1.0, 2.0}
    # The target's values (and its code) do not reach its features' fills.
    for row in table:
        row["segment"] = "gold" if row["segment"] == "basic" else "basic"
        row["segment_code"] = {"gold": "G", "basic": "B"}[str(row["segment"])]
    flipped = {c: encode_column(c, [row[c] for row in table]) for c in table[0]}
    again = _filled_features(features, _typical_fill(flipped))
    assert again is not None
    assert np.array_equal(filled, again)
