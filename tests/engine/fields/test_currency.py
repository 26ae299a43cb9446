"""Tests for the currency field: symbols, codes, separators and ambiguity."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.engine.fields.base import FieldOptions, FieldResult
from cleara.engine.fields.currency import (
    FIELD,
    CurrencyOptions,
    country_currency,
    format_amount,
    minor_units,
    resolve_currency,
    split_money,
)


def codes(result: FieldResult) -> list[str]:
    return [issue.code for issue in result.issues]


@pytest.mark.parametrize(
    ("raw", "amount", "currency", "formatted"),
    [
        ("$1,234.56", 1234.56, "USD", "1234.56 USD"),
        ("1.234,56 €", 1234.56, "EUR", "1234.56 EUR"),
        ("€1.234,56", 1234.56, "EUR", "1234.56 EUR"),
        ("EUR 12", 12, "EUR", "12.00 EUR"),
        ("USD12.00", 12, "USD", "12.00 USD"),
        ("usd 3.5", 3.5, "USD", "3.50 USD"),
        ("£5", 5, "GBP", "5.00 GBP"),
        ("¥1000", 1000, "JPY", "1000 JPY"),
        ("R$ 10,50", 10.5, "BRL", "10.50 BRL"),
        ("₹1,00,000", 100000, "INR", "100000.00 INR"),
        ("CHF 1'000.50", 1000.5, "CHF", "1000.50 CHF"),
        ("US$ 3", 3, "USD", "3.00 USD"),
        ("C$20", 20, "CAD", "20.00 CAD"),
        ("A$ 7.25", 7.25, "AUD", "7.25 AUD"),
        ("$5 USD", 5, "USD", "5.00 USD"),
        ("1 234,50 zł", 1234.5, "PLN", "1234.50 PLN"),
        ("Rs. 500", 500, "INR", "500.00 INR"),
        ("100 kr", 100, "SEK", "100.00 SEK"),
        ("1.5 KWD", 1.5, "KWD", "1.500 KWD"),
        ("₩50,000", 50000, "KRW", "50000 KRW"),
        ("12 euros", 12, "EUR", "12.00 EUR"),
        ("$.50", 0.5, "USD", "0.50 USD"),
        ("＄5", 5, "USD", "5.00 USD"),
    ],
)
def test_amounts_and_currencies(raw: str, amount: float, currency: str, formatted: str) -> None:
    result = FIELD.validate(raw)
    assert result.valid, result.issues
    assert result.value == amount
    assert result.components == {"amount": amount, "currency": currency, "formatted": formatted}
    assert result.rule == "currency.normalize"


@pytest.mark.parametrize(
    ("raw", "amount"),
    [("-$5", -5), ("$-5", -5), ("($1,234.00)", -1234), ("$(5)", -5), ("5,00 €-", -5),
     ("- € 3", -3), ("−£2", -2)],
)  # fmt: skip
def test_negative_amounts(raw: str, amount: float) -> None:
    result = FIELD.validate(raw)
    assert result.value == amount
    assert result.components["formatted"].startswith("-")


@pytest.mark.parametrize(
    "raw",
    ["abc", "$", "€5 USD", "12 xyz", "($5", "5 kg", "$1.2.3", "12% USD", "US$5 €", "5 - 3 €"],
)
def test_invalid_amounts(raw: str) -> None:
    result = FIELD.validate(raw)
    assert not result.valid
    assert result.value is None
    assert codes(result) == ["currency_invalid"]


def test_dollar_without_a_country_is_usd_with_a_note() -> None:
    result = FIELD.validate("$5")
    assert result.components["currency"] == "USD"
    assert codes(result) == ["currency_ambiguous_symbol"]
    assert result.confidence < 1.0


@pytest.mark.parametrize(
    ("country", "currency", "noted"),
    [("CA", "CAD", False), ("AU", "AUD", False), ("MX", "MXN", False), ("EC", "USD", False),
     ("US", "USD", False), ("DE", "USD", True)],
)  # fmt: skip
def test_dollar_takes_the_country_currency(country: str, currency: str, noted: bool) -> None:
    result = FIELD.validate("$5", FieldOptions(country=country))
    assert result.components["currency"] == currency
    assert ("currency_ambiguous_symbol" in codes(result)) is noted


def test_yen_follows_the_country() -> None:
    assert FIELD.validate("¥100", FieldOptions(country="CN")).components["currency"] == "CNY"
    assert FIELD.validate("¥100", FieldOptions(country="JP")).components["currency"] == "JPY"


def test_bare_numbers_leave_the_currency_unset_without_column_evidence() -> None:
    with_country = FIELD.validate("12,5", FieldOptions(country="FR"))
    assert (with_country.value, with_country.components["currency"]) == (12.5, None)
    assert codes(with_country) == []
    bare = FIELD.validate("12.5")
    assert bare.valid
    assert bare.components == {"amount": 12.5, "currency": None, "formatted": "12.50"}
    assert bare.rule is None
    against_country = FIELD.validate("12.5", FieldOptions(country="FR"))
    assert against_country.value == 12.5
    assert codes(against_country) == ["currency_separator_conflict"]


def test_column_infers_decimal_comma_and_currency() -> None:
    values = ["€1.234", "€ 12,50", "7", "3,5"]
    options = FIELD.infer(values, FieldOptions())
    assert isinstance(options, CurrencyOptions)
    assert (options.decimal_separator, options.currency) == (",", "EUR")
    results = FIELD.clean_column(values)
    assert [r.value for r in results] == [1234, 12.5, 7, 3.5]
    assert [r.components["currency"] for r in results] == ["EUR"] * 4


def test_column_infers_decimal_point() -> None:
    results = FIELD.clean_column(["$1,234.50", "$2.5", "$1,234"], FieldOptions(country="US"))
    assert [r.value for r in results] == [1234.5, 2.5, 1234]
    assert all(r.components["currency"] == "USD" for r in results)


def test_mixed_currency_column_has_no_column_currency() -> None:
    options = FIELD.infer(["€1", "$2", "3"], FieldOptions())
    assert isinstance(options, CurrencyOptions)
    assert options.currency is None


def test_lone_separator_after_a_symbol_groups_thousands() -> None:
    assert FIELD.validate("€1.234").value == 1234
    assert FIELD.validate("$1,234").value == 1234
    assert FIELD.validate("KWD 1,234").value == 1234
    assert FIELD.validate("1.234 USD").value == 1.234


def test_helpers() -> None:
    assert country_currency("de") == "EUR"
    assert country_currency("XX") is None
    assert country_currency(None) is None
    assert (minor_units("JPY"), minor_units("USD"), minor_units("BHD")) == (0, 2, 3)
    assert format_amount(1234.5, "USD") == "1234.50 USD"
    assert format_amount(1.005, "USD") == "1.005 USD"
    assert format_amount(1e-7, "EUR") == "0.0000001 EUR"
    assert format_amount(12, None) == "12.00"
    assert resolve_currency(("$", "cad"), None) == ("CAD", False)
    assert resolve_currency(("€", "usd"), None) is None
    assert resolve_currency(("zzz",), None) is None
    parts = split_money("($1,234.00)")
    assert parts is not None
    assert (parts.number, parts.negative, parts.markers) == ("1,234.00", True, ("$",))
    assert split_money("no digits") is None


_AMOUNTS = st.decimals(min_value=-(10**9), max_value=10**9, places=2).map(Decimal.normalize)


@settings(max_examples=200, deadline=None)
@given(_AMOUNTS, st.sampled_from(["$", "€", "£", "USD ", "R$ ", "CHF "]))
def test_symbol_formats_parse_and_clean_idempotently(amount: Decimal, symbol: str) -> None:
    sign = "-" if amount < 0 else ""
    raw = f"{sign}{symbol}{abs(amount):,.2f}"
    first = FIELD.validate(raw)
    assert first.valid, raw
    assert first.value == pytest.approx(float(amount))
    again_value = FIELD.validate(first.value)
    assert again_value.value == first.value
    again_formatted = FIELD.validate(first.components["formatted"])
    assert again_formatted.value == first.value
    assert again_formatted.components["currency"] == first.components["currency"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,' -()$€£¥kr", max_size=12))
def test_validate_never_crashes_and_is_idempotent(raw: str) -> None:
    first = FIELD.validate(raw)
    if first.valid and first.value is not None:
        again = FIELD.validate(first.value)
        assert again.value == first.value
