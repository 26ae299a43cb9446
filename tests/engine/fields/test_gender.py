"""Tests for the gender field: words, honorifics and codes to M/F/X/U."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.engine.fields.gender import _WORDS, FIELD


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("M", "M"), ("m", "M"), ("male", "M"), ("Male", "M"), ("MAN", "M"), ("boy", "M"),
        ("Mr", "M"), ("Mr.", "M"), ("hombre", "M"), ("masculino", "M"), ("männlich", "M"),
        ("Maennlich", "M"), ("homme", "M"), ("H", "M"), ("maschio", "M"), ("1", "M"),
        ("♂", "M"), ("trans man", "M"),
        ("F", "F"), ("female", "F"), ("Woman", "F"), ("girl", "F"), ("Mrs", "F"), ("Ms.", "F"),
        ("Miss", "F"), ("mujer", "F"), ("femenino", "F"), ("weiblich", "F"), ("W", "F"),
        ("femme", "F"), ("femmina", "F"), ("vrouw", "F"), ("V", "F"), ("2", "F"), ("♀", "F"),
        ("X", "X"), ("nb", "X"), ("non-binary", "X"), ("Non Binary", "X"), ("non_binary", "X"),
        ("nonbinary", "X"), ("other", "X"), ("divers", "X"), ("D", "X"), ("Mx", "X"),
        ("genderqueer", "X"),
        ("U", "U"), ("0", "U"), ("9", "U"), ("prefer not to say", "U"),
        ("Prefer  not to   say", "U"), ("not specified", "U"),
    ],
)  # fmt: skip
def test_recognized_values(raw: str, code: str) -> None:
    result = FIELD.validate(raw)
    assert result.valid
    assert result.value == code


@pytest.mark.parametrize(
    ("raw", "label", "iso"),
    [("male", "male", 1), ("F", "female", 2), ("nb", "other", None), ("0", "not_stated", 0),
     ("9", "not_stated", 9)],
)  # fmt: skip
def test_components(raw: str, label: str, iso: int | None) -> None:
    assert FIELD.validate(raw).components == {"label": label, "iso5218": iso}


@pytest.mark.parametrize("raw", ["alien", "3", "mf", "q", "male female"])
def test_unrecognized_values_are_invalid(raw: str) -> None:
    result = FIELD.validate(raw)
    assert not result.valid
    assert result.value is None
    assert [issue.code for issue in result.issues] == ["gender_unknown"]


def test_null_tokens_stay_null() -> None:
    assert FIELD.validate("unknown").value is None
    assert FIELD.validate("").value is None


def test_rule_only_when_the_text_changes() -> None:
    assert FIELD.validate("F").rule is None
    assert FIELD.validate("female").rule == "gender.normalize"


def test_no_word_maps_to_two_codes() -> None:
    seen: dict[str, str] = {}
    for code, words in _WORDS.items():
        for word in words.split("|"):
            assert seen.setdefault(word, code) == code, word


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.sampled_from(sorted("|".join(_WORDS.values()).split("|"))), st.text(max_size=8))
)
def test_validate_is_idempotent(raw: str) -> None:
    first = FIELD.validate(raw)
    if first.valid and first.value is not None:
        again = FIELD.validate(first.value)
        assert again.value == first.value
        assert again.rule is None
