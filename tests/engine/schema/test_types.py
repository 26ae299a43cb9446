"""The taxonomy's cleaners and the caller's schema forms."""

from __future__ import annotations

import pytest

from cleara.engine.schema.types import cleaner_for, column_types, is_known_type


def test_semantic_types_map_to_field_cleaners():
    assert cleaner_for("full_name") == "name"
    assert cleaner_for("date_of_birth") == "date"
    assert cleaner_for("currency_amount") == "currency"
    assert cleaner_for("identifier") == "text"
    assert cleaner_for("email") == "email"


def test_flat_and_mapping_schema_forms():
    assert column_types({"a": "email"}) == {"a": "email"}
    assert column_types({"columns": {"a": {"type": "phone", "confidence": 0.9}}}) == {"a": "phone"}


@pytest.mark.parametrize(
    ("schema", "message"),
    [(["a"], "must be an object"), ({"a": 1}, "no type name"), ({"a": "colour"}, "unknown type")],
)
def test_bad_schemas(schema, message):
    with pytest.raises(ValueError, match=message):
        column_types(schema)


def test_known_types():
    assert is_known_type("iban")
    assert is_known_type("number")
    assert not is_known_type("colour")
