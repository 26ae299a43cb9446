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
