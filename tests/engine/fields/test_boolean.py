"""Tests for the boolean field: yes/no tokens in several languages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.engine.fields.boolean import FIELD, TOKENS, parse_boolean

TRUE_INPUTS = [
    "true", "TRUE", "True", "t", "T", "yes", "Yes", "Y", "y", "1", "1.0", "on", "ON",
    "checked", "enabled", "x", "X", "✓", "✔", "☑", " yes ", "Yes.", "sí", "SÍ", "si", "oui",
    "Oui", "ja", "JA", "sim", "Sim", "vrai", "wahr", "waar", "verdadero",
]  # fmt: skip
FALSE_INPUTS = [
    "false", "FALSE", "f", "F", "no", "No", "N", "n", "0", "0.0", "off", "unchecked",
    "disabled", "✗", "✘", "☐", "non", "Non", "nein", "Nein", "não", "NÃO", "nao", "nee",
    "faux", "falsch", "falso", "onwaar", "nej",
]  # fmt: skip


@pytest.mark.parametrize("raw", TRUE_INPUTS)
def test_true_values(raw: str) -> None:
    result = FIELD.validate(raw)
    assert result.valid
    assert result.value is True


@pytest.mark.parametrize("raw", FALSE_INPUTS)
def test_false_values(raw: str) -> None:
    result = FIELD.validate(raw)
    assert result.valid
    assert result.value is False


@pytest.mark.parametrize("raw", ["maybe", "2", "yess", "yes/no", "xx", "10", "vero falso"])
def test_invalid_values(raw: str) -> None:
    result = FIELD.validate(raw)
    assert not result.valid
    assert result.value is None
    assert [issue.code for issue in result.issues] == ["boolean_invalid"]


def test_json_booleans_and_numbers() -> None:
    assert FIELD.validate(True).value is True
    assert FIELD.validate(False).value is False
    assert FIELD.validate(1).value is True
    assert FIELD.validate(0.0).value is False


def test_rule_only_when_the_text_changes() -> None:
    assert FIELD.validate("true").rule is None
    assert FIELD.validate("false").rule is None
    assert FIELD.validate("Y").rule == "boolean.normalize"


def test_empty_cells_stay_null_in_a_column_of_check_marks() -> None:
    results = FIELD.clean_column(["x", "", "X", None, "✓"])
    assert [r.value for r in results] == [True, None, True, None, True]
    assert all(r.valid for r in results)


def test_decomposed_accents_are_recognized() -> None:
    assert parse_boolean("si\u0301") is True
    assert parse_boolean("na\u0303o") is False


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.sampled_from(sorted(TOKENS)), st.text(max_size=6)))
def test_validate_is_idempotent(raw: str) -> None:
    first = FIELD.validate(raw)
    if first.valid and first.value is not None:
        again = FIELD.validate(first.value)
        assert again.value is first.value
        assert again.rule is None
