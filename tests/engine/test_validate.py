"""Validating single values through the public entry point."""

from __future__ import annotations

import pytest

from cleara.engine.fields.registry import UnknownFieldTypeError
from cleara.engine.validate import validate


def test_one_value_or_many():
    assert len(validate("email", "a@b.com")) == 1
    results = validate("phone", ["(415) 555-2671", "bad"], country="us")
    assert [r.valid for r in results] == [True, False]
    assert results[0].value == "+14155552671"
    assert results[0].components["country"] == "US"


def test_null_tokens_are_valid_nulls():
    (result,) = validate("email", "N/A")
    assert result.valid
    assert result.value is None


def test_unknown_type_lists_the_known_ones():
    with pytest.raises(UnknownFieldTypeError, match="expected one of"):
        validate("colour", "red")
