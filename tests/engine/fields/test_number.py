"""Tests for the number field: separators, signs, column inference and idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.engine.fields.base import FieldOptions, FieldResult
from cleara.engine.fields.number import (
    FIELD,
    NumberOptions,
    country_decimal_separator,
    infer_decimal_separator,
    parse_number,
)


def codes(result: FieldResult) -> list[str]:
    return [issue.code for issue in result.issues]


@pytest.mark.parametrize(
    ("raw", "value", "decimal", "thousands"),
    [
        ("42", 42, None, None),
        ("1,234.56", 1234.56, ".", ","),
        ("1.234,56", 1234.56, ",", "."),
        ("1,234,567", 1234567, None, ","),
        ("1.234.567", 1234567, None, "."),
        ("1 234 567", 1234567, None, " "),
        ("1\u202f234,50", 1234.5, ",", " "),
        ("1\u00a0234", 1234, None, " "),
        ("1'234.50", 1234.5, ".", "'"),
        ("1’234’567", 1234567, None, "'"),
        ("12,34,567", 1234567, None, ","),
        ("1,00,000.50", 100000.5, ".", ","),
        ("1,5", 1.5, ",", None),
        ("0,123", 0.123, ",", None),
        ("1234,567", 1234.567, ",", None),
        (".5", 0.5, ".", None),
        ("-.5", -0.5, ".", None),
        ("007", 7, None, None),
        ("1234.00", 1234, ".", None),
        ("１２３", 123, None, None),
        ("١٢٣", 123, None, None),
    ],
)
def test_separators(raw: str, value: float, decimal: str | None, thousands: str | None) -> None:
    result = FIELD.validate(raw)
    assert result.valid, result.issues
    assert result.value == value
    assert type(result.value) is type(value)
    assert result.components["decimal_separator"] == decimal
    assert result.components["thousands_separator"] == thousands


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("-5", -5),
        ("+12", 12),
        ("\u2212 5", -5),
        ("(1,234)", -1234),
        ("( 12.50 )", -12.5),
        ("1234-", -1234),
        ("-0", 0),
        ("1.5e3", 1500),
        ("1E5", 100000),
        ("2.5e-3", 0.0025),
        ("1,5e2", 150),
        ("-1e400", None),
    ],
)
def test_signs_and_scientific_notation(raw: str, value: float | None) -> None:
    result = FIELD.validate(raw)
    assert result.value == value
    assert result.valid is (value is not None)


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [("12%", 12, "%"), ("-12,5 %", -12.5, "%"), ("% 40", 40, "%"), ("3‰", 3, "‰")],
)
def test_percent_keeps_the_number_as_written(raw: str, value: float, unit: str) -> None:
    result = FIELD.validate(raw)
    assert (result.value, result.components["unit"]) == (value, unit)


@pytest.mark.parametrize(
    "raw",
    ["abc", "1.2.3", "12,3456,7", "1,23,4567", "--5", "(-5)", "5--", "(5", "10²", "½", "%",
     "$5", "1 2", "1,234.567,8", "1.234 567,8", "e5", "inf", "0x1F", "1" * 5000],
)  # fmt: skip
def test_invalid_numbers(raw: str) -> None:
    result = FIELD.validate(raw)
    assert not result.valid
    assert result.value is None
    assert codes(result) == ["number_invalid"]


def test_integral_values_are_ints_and_others_floats() -> None:
    assert FIELD.validate("3.0").value == 3
    assert isinstance(FIELD.validate("3.0").value, int)
    assert isinstance(FIELD.validate("3.25").value, float)
    huge = FIELD.validate("123456789012345678901234567890")
    assert huge.value == 123456789012345678901234567890


def test_rule_only_when_the_text_changes() -> None:
    assert FIELD.validate("1234.5").rule is None
    assert FIELD.validate("-7").rule is None
    assert FIELD.validate("1,234.5").rule == "number.normalize"
    assert FIELD.validate(" 12").rule == "number.normalize"


def test_non_string_input() -> None:
    assert FIELD.validate(12).value == 12
    assert FIELD.validate(2.5).value == 2.5
    assert FIELD.validate(3.0).value == 3


def test_a_lone_ambiguous_value_falls_back_to_a_decimal_point_with_a_note() -> None:
    thousands = FIELD.validate("1,234")
    assert thousands.value == 1234
    assert codes(thousands) == ["number_ambiguous_separator"]
    assert thousands.confidence < 1.0
    decimal = FIELD.validate("1.234")
    assert decimal.value == 1.234
    assert codes(decimal) == ["number_ambiguous_separator"]


@pytest.mark.parametrize(("country", "value"), [("DE", 1.234), ("FR", 1.234), ("US", 1234)])
def test_ambiguous_value_follows_the_country_convention(country: str, value: float) -> None:
    result = FIELD.validate("1,234", FieldOptions(country=country))
    assert result.value == value
    assert codes(result) == []


def column(values: list[str], options: FieldOptions | None = None) -> list[object]:
    return [result.value for result in FIELD.clean_column(values, options)]


def test_decimal_comma_column() -> None:
    values = ["1,5", "2,75", "1.234", "1,234", "10"]
    options = FIELD.infer(values, FieldOptions())
    assert isinstance(options, NumberOptions)
    assert options.decimal_separator == ","
    assert column(values) == [1.5, 2.75, 1234, 1.234, 10]


def test_decimal_point_column() -> None:
    values = ["1,234.50", "2.5", "1,234", "1.234", "7"]
    options = FIELD.infer(values, FieldOptions())
    assert isinstance(options, NumberOptions)
    assert options.decimal_separator == "."
    assert column(values) == [1234.5, 2.5, 1234, 1.234, 7]


def test_thousands_evidence_decides_the_column() -> None:
    assert infer_decimal_separator(["1.234.567", "2.345"]) == ","
    assert infer_decimal_separator(["12,34,567", "2,345"]) == "."


def test_column_without_evidence_uses_the_country_then_a_note() -> None:
    values = ["1,234", "5,678", "12"]
    assert column(values, FieldOptions(country="ES")) == [1.234, 5.678, 12]
    assert column(values, FieldOptions(country="GB")) == [1234, 5678, 12]
    results = FIELD.clean_column(values)
    assert [r.value for r in results] == [1234, 5678, 12]
    assert codes(results[0]) == ["number_ambiguous_separator"]


def test_column_tie_uses_the_country() -> None:
    assert infer_decimal_separator(["1,5", "1.5"], "DE") == ","
    assert infer_decimal_separator(["1,5", "1.5"], "US") == "."
    assert infer_decimal_separator(["1,5", "1.5"]) is None


def test_value_against_the_column_convention_gets_a_warning() -> None:
    results = FIELD.clean_column(["1,5", "2,5", "3,25", "1,234.5"])
    assert results[3].value == 1234.5
    assert codes(results[3]) == ["number_separator_conflict"]
    assert results[3].confidence < 1.0


def test_row_country_overrides_the_default_when_the_column_shows_nothing() -> None:
    results = FIELD.clean_column(["1,234", "1,234"], row_countries=["US", "DE"])
    assert [r.value for r in results] == [1234, 1.234]


def test_country_decimal_separator() -> None:
    assert country_decimal_separator("de") == ","
    assert country_decimal_separator("CH") == "."
    assert country_decimal_separator(None) is None


def test_parse_number_reports_evidence() -> None:
    parsed = parse_number("1.234,5")
    assert parsed is not None
    assert parsed.evidence == ","
    ambiguous = parse_number("1,234")
    assert ambiguous is not None
    assert (ambiguous.evidence, ambiguous.ambiguous) == (None, True)


_NUMBERS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=300, deadline=None)
@given(_NUMBERS)
def test_numbers_round_trip(number: float) -> None:
    result = FIELD.validate(number)
    assert result.valid
    assert result.value == number


@settings(max_examples=300, deadline=None)
@given(st.one_of(_NUMBERS.map(str), st.text(alphabet="0123456789.,' -+()%eE", max_size=14)))
def test_validate_is_idempotent(raw: str) -> None:
    first = FIELD.validate(raw)
    if first.valid and first.value is not None:
        again = FIELD.validate(first.value)
        assert again.value == first.value
        assert again.rule is None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_grouped_numbers_in_both_conventions(whole: int, cents: int) -> None:
    point = f"{whole:,}.{cents:02d}"
    comma = point.replace(",", " ").replace(".", ",").replace(" ", ".")
    expected = whole + cents / 100
    assert FIELD.validate(point).value == pytest.approx(expected)
    assert FIELD.validate(comma).value == pytest.approx(expected)
