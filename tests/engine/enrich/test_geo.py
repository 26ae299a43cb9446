"""Geographic enrichment: ZIP, city, state, coordinates and phone facts; conflicts."""

from __future__ import annotations

from cleara.engine.enrich import enrich
from cleara.engine.enrich.geo import city_key, read_zip, timezone_at


def test_zip_fills_city_state_and_appends_coordinates_and_timezone() -> None:
    result = enrich([{"zip": "02134", "city": None, "state": None}])
    record = result.records[0]
    assert (record["city"], record["state"]) == ("Allston", "MA")
    assert record["timezone"] == "America/New_York"
    assert abs(float(record["latitude"]) - 42.35) < 0.1  # type: ignore[arg-type]
    assert result.columns[:3] == ["zip", "city", "state"]
    assert {"latitude", "longitude", "timezone", "county"} <= set(result.added_columns)
    filled = {e.column: e for e in result.enrichments}
    assert filled["state"].source == "geo"
    assert filled["state"].confidence >= 0.9
    assert "02134" in filled["city"].explanation


def test_present_values_are_never_overwritten() -> None:
    result = enrich([{"zip": "02134", "city": "Boston", "state": "MA"}])
    assert result.records[0]["city"] == "Boston"
    assert not [e for e in result.enrichments if e.column in ("zip", "city", "state")]
    assert result.conflicts == []  # Boston is an accepted city name of 02134


def test_zip_in_another_state_is_a_conflict_and_fills_nothing_from_it() -> None:
    result = enrich([{"zip": "60601", "city": None, "state": "CA"}])
    assert [c.code for c in result.conflicts] == ["zip_state_mismatch"]
    assert result.conflicts[0].columns == ("zip", "state")
    assert result.records[0]["city"] is None
    assert result.records[0]["state"] == "CA"


def test_city_not_in_zip_is_a_conflict() -> None:
    result = enrich([{"zip": "10001", "city": "Boston", "state": None}])
    assert [c.code for c in result.conflicts] == ["zip_city_mismatch"]
    assert result.records[0]["state"] is None


def test_state_style_of_the_column_is_kept() -> None:
    rows = [{"zip": "02134", "state": None}, {"zip": "60601", "state": "Illinois"}]
    assert enrich(rows).records[0]["state"] == "Massachusetts"


def test_city_and_country_give_coordinates_and_timezone() -> None:
    result = enrich([{"city": "Paris", "country": "France"}])
    assert result.records[0]["timezone"] == "Europe/Paris"
    assert abs(float(result.records[0]["latitude"]) - 48.85) < 0.1  # type: ignore[arg-type]


def test_coordinates_give_timezone_and_country() -> None:
    result = enrich([{"lat": 52.52, "lon": 13.40, "country": None}])
    assert result.records[0]["country"] == "DE"
    assert result.records[0]["timezone"] == "Europe/Berlin"


def test_phone_fills_country_and_flags_contradiction() -> None:
    rows = [
        {"phone": "+44 20 7123 4567", "country": None},
        {"phone": "+44 20 7123 4567", "country": "France"},
    ]
    result = enrich(rows)
    assert result.records[0]["country"] == "United Kingdom"  # the column's style: names
    assert [c.code for c in result.conflicts] == ["phone_country_mismatch"]
    assert result.records[1]["country"] == "France"


def test_no_fillable_columns_changes_nothing() -> None:
    rows = [{"a": 1, "b": "x"}, {"a": None, "b": "y"}]
    result = enrich(rows)
    assert result.records == rows
    assert result.enrichments == []
    assert result.added_columns == []
    assert result.columns == ["a", "b"]


def test_all_values_missing_and_empty_input() -> None:
    rows = [{"zip": None, "city": None}, {"zip": None, "city": None}]
    result = enrich(rows, predict_missing=True)
    assert result.records == rows
    assert result.enrichments == []
    assert enrich([]).records == []


def test_min_confidence_and_fields_limit_fills() -> None:
    rows = [{"zip": "02134", "city": None, "state": None}]
    strict = enrich(rows, min_confidence=0.995)
    assert strict.records[0]["state"] is None
    assert strict.records[0]["city"] is None
    only_state = enrich(rows, fields=["state"])
    assert only_state.records[0]["state"] == "MA"
    assert only_state.records[0]["city"] is None
    assert only_state.added_columns == []


def test_helpers() -> None:
    assert city_key("Saint-Louis") == "st louis"
    assert read_zip("02134-1234", False) is not None
    assert read_zip("2134", False) is None
    assert read_zip("2134", True) is not None
    assert timezone_at(40.71, -74.0) == "America/New_York"
