"""Header names to semantic types."""

from __future__ import annotations

import pytest

from cleara.engine.schema.headers import (
    header_type,
    normalize_header,
    synonyms,
    table_readings,
)
from cleara.engine.schema.types import SEMANTIC_TYPES


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("E-mail Addr", "email"),
        ("E_MAIL", "email"),
        ("Tel.", "phone"),
        ("telefono", "phone"),
        ("DOB", "date_of_birth"),
        ("Zip/Postal", "postal_code"),
        ("PLZ", "postal_code"),
        ("Código Postal", "postal_code"),
        ("fname", "first_name"),
        ("firstName", "first_name"),
        ("Nachname", "last_name"),
        ("Billing Email", "email"),
        ("Customer Phone Number", "phone"),
        ("Pays", "country"),
        ("woonplaats", "city"),
        ("Hourly Wage", "currency_amount"),
        ("Gehalt (EUR)", "currency_amount"),
        ("monthly_income", "currency_amount"),
        ("Net Pay", "currency_amount"),
        ("fee type", "categorical"),
        ("wage1992", "currency_amount"),
        ("homePhone2", "phone"),
        ("Address2", "address_line2"),
        ("menwage", "currency_amount"),
        ("basesalary", "currency_amount"),
        ("workemail", "email"),
        ("tip", "currency_amount"),
        ("district_id", "identifier"),
        ("Tuna.id", "identifier"),
        ("Straße", "street_address"),
        ("totalbill", "currency_amount"),
        ("demvoteshare", "percentage"),
        ("market_share", "percentage"),
    ],
)
def test_known_headers(header, expected):
    assert header_type(header) == expected


@pytest.mark.parametrize(
    "header", ["col7", "", "   ", "zzz", "candidate", "username", "realestate", "ccode"]
)
def test_unknown_headers(header):
    assert header_type(header) is None


def test_normalization_strips_accents_case_and_separators():
    assert normalize_header("  Código_Postal ") == "codigo postal"
    assert normalize_header("lastName") == "last name"
    assert normalize_header("phone2") == "phone 2"
    assert normalize_header("x048wvs") == "x 048 wvs"
    assert normalize_header("Café2") == "cafe 2"
    assert normalize_header("Straße") == "strasse"


def test_a_run_together_head_needs_a_modifier_of_three_letters():
    assert header_type("mywage") is None
    assert header_type("taxcost") == "currency_amount"


def test_every_synonym_type_is_in_the_taxonomy():
    assert set(synonyms()) <= set(SEMANTIC_TYPES)


def test_ambiguous_headers_name_every_type_that_lists_them():
    from cleara.engine.schema.headers import header_types

    assert set(header_types("name")) >= {"full_name", "city", "country", "county", "text"}
    assert set(header_types("Genre")) == {"gender", "categorical"}
    assert "language" in header_types("code")
    assert header_types("Artist_Name") == ("full_name",)
    assert header_types("subdivision") == ("state",)
    assert set(header_types("Total")) == {"currency_amount", "integer"}
    assert header_types("order total") == ("currency_amount",)
    assert header_types("col7") == ()
    # The single type other parts of Cleara act on stays the first-listed one.
    assert header_type("code") == "identifier"
    assert header_type("name") == "full_name"


@pytest.mark.parametrize(
    ("header", "types"),
    [
        ("Beer_Name", ("text",)),  # a thing's name: a title, as `product name` is
        ("SongName", ("text",)),
        ("Patient Name", ("full_name",)),  # a person's
        ("billing_name", ("full_name",)),
        ("Hotel Name", ("company",)),  # an organization's
        ("brand name", ("company",)),  # a longer synonym decides
        ("city_name", ("city",)),  # a synonym as long as `name` decides too
        ("Street Name", ("street_address",)),
        ("contact address", ("street_address", "address")),  # the head noun decides a tie
    ],
)
def test_a_names_modifier_says_whose_name_it_is(header, types):
    from cleara.engine.schema.headers import header_types

    assert header_types(header) == types


@pytest.mark.parametrize(
    "header", ["name", "Station Name", "home name", "name 2", "Legal Name", "Maiden Name"]
)
def test_a_place_or_plain_qualifier_leaves_name_to_the_values(header):
    from cleara.engine.schema.headers import header_types

    assert len(header_types(header)) > 3


def test_address_is_a_street_line_or_a_whole_address():
    from cleara.engine.schema.headers import header_types

    assert set(header_types("Address")) == {"street_address", "address"}
    assert header_type("Address") == "address"  # what other parts act on is unchanged
    assert header_types("Street Address") == ("street_address",)


def test_price_quote_headers_read_as_prices_together():
    quotes = ["date", "open", "high", "low", "close", "volume"]
    assert table_readings(quotes) == [
        "date", "open price", "high price", "low price", "close price", "volume"
    ]  # fmt: skip


def test_fewer_than_three_quote_headers_keep_their_reading():
    assert table_readings(["open", "close", "status"]) == ["open", "close", "status"]
    assert table_readings(["open", "open", "close"]) == ["open", "open", "close"]
