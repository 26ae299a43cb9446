"""The table pipeline: repeated records resolved once, added columns, result order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.engine.enrich import enrich

_ZIPS = ("02134", "60601", "94105", "10001")


def test_repeated_records_get_the_same_fills_on_their_own_rows() -> None:
    rows = [{"zip": "02134", "city": None, "state": None} for _ in range(3)]
    rows.append({"zip": "60601", "city": None, "state": "CA"})  # a conflict
    rows.append({"zip": "60601", "city": None, "state": "CA"})
    result = enrich(rows)
    cities = [e for e in result.enrichments if e.column == "city"]
    assert [e.row for e in cities] == [0, 1, 2]
    assert {e.value for e in cities} == {"Allston"}
    assert [c.row for c in result.conflicts] == [3, 4]
    assert [r["city"] for r in result.records] == ["Allston"] * 3 + [None, None]
    assert result.records[3]["timezone"] is None  # a conflicting ZIP fills nothing


def test_added_columns_follow_the_input_columns_and_are_aligned() -> None:
    rows = [{"note": "a", "zip": "02134"}, {"note": "b", "zip": None}]
    result = enrich(rows)
    assert list(result.records[0])[:2] == ["note", "zip"]
    assert list(result.records[0]) == result.columns
    assert result.records[0]["timezone"] == "America/New_York"
    assert result.records[1]["timezone"] is None
    assert all(list(r) == result.columns for r in result.records)


def test_enrichments_are_in_row_order_with_models() -> None:
    rows = [{"zip": "02134", "size": float(i % 7), "twice": float(2 * (i % 7))} for i in range(60)]
    for row in rows[::6]:
        row["twice"] = None
    result = enrich(rows, predict_missing=True, min_confidence=0.0)
    order = [e.row for e in result.enrichments]
    assert order == sorted(order)
    assert {e.source for e in result.enrichments} == {"geo", "model"}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ZIPS), st.booleans()), min_size=1, max_size=30))
def test_each_record_is_enriched_as_if_alone(cells: list[tuple[str, bool]]) -> None:
    rows = [{"zip": z, "state": None if blank else "MA"} for z, blank in cells]
    schema = {"zip": "postal_code", "state": "state"}
    together = enrich(rows, schema=schema)
    assert len(together.conflicts) == sum(1 for z, blank in cells if not blank and z != "02134")
    for index, row in enumerate(rows):
        alone = enrich([row], schema=schema)
        assert together.records[index]["state"] == alone.records[0]["state"]
        mine = [e[1:] for e in together.enrichments if e.row == index]
        assert mine == [e[1:] for e in alone.enrichments]


def test_of_two_columns_typed_state_the_one_named_state_is_used() -> None:
    rows = [{"Name": "Ann", "Zip": "02134", "State": None}]
    result = enrich(rows, schema={"Name": "state", "Zip": "postal_code", "State": "state"})
    assert result.records[0]["State"] == "MA"
    assert result.records[0]["Name"] == "Ann"
