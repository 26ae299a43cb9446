"""JSON Schema building blocks."""

from __future__ import annotations

from cleara.engine.schema.auto_schema import (
    column_schema,
    common_pattern,
    profile_column,
    shape_of,
    table_schema,
)


def test_shape_and_pattern() -> None:
    assert shape_of("AB-123") == r"[A-Z]{2}\-\d{3}"
    assert common_pattern(["10115", "80331"]) == r"^\d{5}$"
    assert common_pattern(["a", "1", "A-", "xx yy"], max_shapes=3) is None


def test_integer_column_with_nulls() -> None:
    profile = profile_column(["34", None, "51", "19"])
    schema = column_schema("age", profile)
    assert schema == {"type": ["integer", "null"], "minimum": 19, "maximum": 51}


def test_categorical_enum_and_email_format() -> None:
    assert column_schema("categorical", profile_column(["gold", "silver", "gold"]))["enum"] == [
        "gold",
        "silver",
    ]
    email = column_schema("email", profile_column(["a@b.co", "c@d.org"]))
    assert email["format"] == "email"
    assert email["type"] == "string"


def test_clock_times_written_as_numbers_stay_numbers() -> None:
    assert column_schema("time", profile_column([930, 1437, 5])) == {
        "type": "integer", "minimum": 5, "maximum": 1437,
    }  # fmt: skip
    assert column_schema("time", profile_column(["09:30", "14:37"]))["format"] == "time"


def test_latitude_uses_fixed_bounds() -> None:
    schema = column_schema("latitude", profile_column(["41.2", "-3.5"]))
    assert (schema["minimum"], schema["maximum"]) == (-90.0, 90.0)


def test_table_schema_required_and_unique() -> None:
    ids = profile_column(["1", "2", "3"])
    notes = profile_column(["x", None, "x"])
    schema = table_schema([("id", "identifier", 0.9, ids), ("notes", "text", 0.6, notes)])
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["items"]["required"] == ["id"]
    assert schema["items"]["properties"]["id"]["x-cleara-unique"] is True
    assert schema["items"]["properties"]["notes"]["x-cleara-unique"] is False
