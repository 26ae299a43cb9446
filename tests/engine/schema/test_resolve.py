"""The shared column-type policy: schema, header, confident detection, text."""

from __future__ import annotations

import pytest

from cleara.engine.schema.resolve import resolve_column_types
from cleara.engine.table import InputError


def test_schema_then_header_then_values_then_text() -> None:
    rows = [
        {"a": "x", "Name": "Ohio", "col3": f"user{i}@example.com", "col4": "?"} for i in range(8)
    ]
    types = resolve_column_types(["a", "Name", "col3", "col4"], rows, {"a": "email"})
    assert types == {
        "a": ("email", "schema"),
        "Name": ("full_name", "header"),  # a named header is never overridden by its values
        "col3": ("email", "detected"),
        "col4": ("text", "default"),
    }


def test_few_values_never_type_a_column() -> None:
    rows = [{"col": "a@b.com"}, {"col": "c@d.org"}]
    assert resolve_column_types(["col"], rows) == {"col": ("text", "default")}


def test_unknown_schema_type_names_the_column() -> None:
    with pytest.raises(InputError, match="unknown type") as caught:
        resolve_column_types(["a"], [], {"a": "colour"})
    assert caught.value.column == "a"


@pytest.mark.parametrize(
    ("header", "values", "expected"),
    [
        ("created_at", ["2021-03-04T10:15:00Z", "2021-03-05 09:30:00", None], "datetime"),
        ("order date", ["2021-03-04", "2021-03-05 09:30", "2021-03-06"], "date"),
        ("timestamp", ["2021-03-04", "04/05/2021"], "date"),
        ("date", ["soon", "later"], "date"),  # nothing reads as a date: the header decides
    ],
)
def test_a_date_header_takes_date_or_datetime_from_its_values(
    header: str, values: list[str | None], expected: str
) -> None:
    rows = [{header: value} for value in values]
    assert resolve_column_types([header], rows) == {header: (expected, "header")}


def test_timestamps_under_a_date_header_keep_their_times_when_cleaned() -> None:
    from cleara.engine.clean import clean

    result = clean([{"created_at": "2021-03-04T10:15:00Z"}, {"created_at": "2021-03-05 09:30"}])
    assert [row["created_at"] for row in result.records] == [
        "2021-03-04T10:15:00+00:00",
        "2021-03-05T09:30:00",
    ]
