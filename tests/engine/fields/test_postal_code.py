"""Postal code field: per-country canonical forms, detection and US ZIP existence."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cleara.engine.fields import postal_code
from cleara.engine.fields.base import FieldOptions

FIELD = postal_code.FIELD

# One messy input and its canonical form for every country with a known format.
CANONICAL = [
    ("US", "02134", "02134"),
    ("US", "021341234", "02134-1234"),
    ("US", " 90210 - 1234 ", "90210-1234"),
    ("CA", "k1a0b1", "K1A 0B1"),
    ("GB", "sw1a1aa", "SW1A 1AA"),
    ("GB", "EC1A  1BB", "EC1A 1BB"),
    ("GB", "m1 1ae", "M1 1AE"),
    ("NL", "1012ab", "1012 AB"),
    ("DE", "D-10115", "10115"),
    ("FR", "F-75001", "75001"),
    ("ES", "28013", "28013"),
    ("IT", "00118", "00118"),
    ("AU", "2000", "2000"),
    ("IN", "110 001", "110001"),
    ("BR", "01310100", "01310-100"),
    ("JP", "1000001", "100-0001"),
    ("MX", "06600", "06600"),
    ("PL", "00950", "00-950"),
    ("PT", "1000001", "1000-001"),
    ("SE", "11351", "113 51"),
    ("CH", "CH-8001", "8001"),
    ("AT", "A-1010", "1010"),
    ("BE", "1000", "1000"),
    ("DK", "DK-2100", "2100"),
    ("NO", "0150", "0150"),
    ("FI", "FI-00100", "00100"),
    ("IE", "d02x285", "D02 X285"),
    ("NZ", "6011", "6011"),
    ("SG", "018956", "018956"),
    ("ZA", "8001", "8001"),
    ("KR", "03187", "03187"),
    ("CN", "100000", "100000"),
    ("RU", "101000", "101000"),
    ("AR", "c1425dkf", "C1425DKF"),
    ("CZ", "11000", "110 00"),
    ("SK", "81101", "811 01"),
    ("GR", "10431", "104 31"),
    ("HU", "1051", "1051"),
    ("RO", "010011", "010011"),
    ("TR", "34000", "34000"),
    ("IL", "6100000", "6100000"),
    ("CL", "8320000", "8320000"),
    ("CO", "110111", "110111"),
    ("HR", "10000", "10000"),
    ("SI", "1000", "1000"),
    ("BG", "1000", "1000"),
    ("EE", "10111", "10111"),
    ("TH", "10200", "10200"),
    ("MY", "50000", "50000"),
    ("ID", "10110", "10110"),
    ("PH", "1000", "1000"),
]


def test_every_format_has_a_case() -> None:
    assert {country for country, _, _ in CANONICAL} == postal_code.SUPPORTED_COUNTRIES


@pytest.mark.parametrize(("country", "text", "expected"), CANONICAL)
def test_canonical_forms(country: str, text: str, expected: str) -> None:
    result = FIELD.validate(text, FieldOptions(country=country))
    assert result.valid, result.issues
    assert result.value == expected
    assert result.components["country"] == country
    assert result.rule == (None if text == expected else "postal_code.format")
    assert postal_code.normalize_postal_code(text, country) == expected


def test_us_components_come_from_the_zip_database() -> None:
    result = FIELD.validate("02134", FieldOptions(country="US"))
    assert result.components == {
        "country": "US",
        "city": "Allston",
        "state": "MA",
        "county": "Suffolk County",
        "zip_type": "STANDARD",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2134", "02134"), ("501", "00501"), ("2134-1234", "02134-1234"), ("2134.0", "02134")],
)
def test_us_leading_zeros_restored(text: str, expected: str) -> None:
    result = FIELD.validate(text, FieldOptions(country="US"))
    assert result.valid
    assert result.value == expected
    assert result.rule == "postal_code.zero_pad"
    assert [issue.code for issue in result.issues] == ["postal_code_zero_padded"]
    assert result.confidence < 1.0


def test_spreadsheet_float_is_padded_too() -> None:
    assert FIELD.validate(2134.0, FieldOptions(country="US")).value == "02134"


def test_nonexistent_zip_is_invalid() -> None:
    result = FIELD.validate("00000", FieldOptions(country="US"))
    assert not result.valid
    assert result.issues[0].code == "postal_code_unknown_zip"
    assert result.components == {"country": "US"}


def test_retired_zip_stays_valid_with_warning() -> None:
    result = FIELD.validate("01133", FieldOptions(country="US"))
    assert result.valid
    assert [issue.code for issue in result.issues] == ["postal_code_inactive_zip"]


@pytest.mark.parametrize(
    ("country", "text"),
    [
        ("US", "1234567890"),
        ("US", "ABCDE"),
        ("GB", "12345"),
        ("CA", "D1A 0B1"),
        ("NL", "1012 SA"),
        ("NL", "0123 AB"),
        ("BR", "1234"),
        ("IE", "B02 X285"),
        ("US", "12"),
    ],
)
def test_invalid_format(country: str, text: str) -> None:
    result = FIELD.validate(text, FieldOptions(country=country))
    assert not result.valid
    assert result.value is None
    assert result.issues[0].code == "postal_code_invalid_format"
    assert postal_code.normalize_postal_code(text, country) is None


@pytest.mark.parametrize(
    ("text", "country", "value"),
    [
        ("SW1A 1AA", "GB", "SW1A 1AA"),
        ("k1a 0b1", "CA", "K1A 0B1"),
        ("1012AB", "NL", "1012 AB"),
        ("D02 X285", "IE", "D02 X285"),
        ("01310-100", "BR", "01310-100"),
        ("100-0001", "JP", "100-0001"),
        ("00-950", "PL", "00-950"),
        ("1000-001", "PT", "1000-001"),
        ("02134-1234", "US", "02134-1234"),
    ],
)
def test_country_detected_from_format(text: str, country: str, value: str) -> None:
    result = FIELD.validate(text)
    assert result.valid
    assert result.value == value
    assert result.components["country"] == country
    assert "postal_code_country_detected" in [issue.code for issue in result.issues]
    assert postal_code.find_country_by_postal_format(text) == country


@pytest.mark.parametrize("text", ["12345", "113 51", "2000", " 75001 "])
def test_ambiguous_without_country_is_unverified(text: str) -> None:
    result = FIELD.validate(text)
    assert result.valid
    assert result.value == text.strip()
    assert result.components["country"] is None
    assert len(result.components["candidates"]) > 1
    assert [issue.code for issue in result.issues] == ["postal_code_country_unknown"]
    assert postal_code.find_country_by_postal_format(text) is None


def test_unverified_requires_a_plausible_code() -> None:
    result = FIELD.validate("not a code!")
    assert not result.valid
    assert result.issues[0].code == "postal_code_invalid_format"
    assert not FIELD.validate("9" * 60).valid


def test_country_without_known_format() -> None:
    result = FIELD.validate("l-1234", FieldOptions(country="LU"))
    assert result.valid
    assert result.value == "L-1234"
    assert result.issues[0].code == "postal_code_format_unchecked"
    assert postal_code.normalize_postal_code("1234", "LU") == "1234"


def test_country_option_may_be_a_name_and_full_width_digits_are_read() -> None:
    assert FIELD.validate("sw1a 1aa", FieldOptions(country="United Kingdom")).value == "SW1A 1AA"
    assert FIELD.validate("１００－０００１", FieldOptions(country="JP")).value == "100-0001"
    assert postal_code.normalize_postal_code("02134", "Narnia") is None


def test_column_infers_country_when_codes_show_it() -> None:
    column = ["02134-1234", "10001", "90210-1234", "60614", "94105"]
    assert FIELD.infer(column, FieldOptions()).country == "US"
    results = FIELD.clean_column(column)
    assert all(r.valid and r.components["country"] == "US" for r in results)
    assert results[1].components["city"] == "New York"


def test_column_without_telling_codes_keeps_no_country() -> None:
    assert FIELD.infer(["10115", "75001", "28013"], FieldOptions()).country is None
    assert FIELD.infer(["SW1A 1AA", "10115"], FieldOptions()).country is None
    assert FIELD.infer(["10115"], FieldOptions(country="DE")).country == "DE"


@st.composite
def _codes(draw: st.DrawFn) -> tuple[str, str]:
    country = draw(st.sampled_from(sorted(postal_code.SUPPORTED_COUNTRIES)))
    code = draw(st.from_regex(postal_code.FORMATS[country].pattern, fullmatch=True))
    return country, code


@given(_codes(), st.sampled_from(["", " ", "-"]), st.booleans())
def test_canonical_form_is_idempotent(case: tuple[str, str], joiner: str, lower: bool) -> None:
    country, code = case
    text = joiner.join(code.lower() if lower else code)
    first = FIELD.validate(text, FieldOptions(country=country))
    assume(first.valid)  # random US ZIPs may not exist
    again = FIELD.validate(first.value, FieldOptions(country=country))
    assert again.valid
    assert again.value == first.value
    assert again.rule is None
    detected = FIELD.validate(first.value)
    assert detected.value == first.value


@given(st.text(max_size=20), st.sampled_from([None, "US", "GB", "NL", "LU"]))
def test_any_text_is_handled(text: str, country: str | None) -> None:
    result = FIELD.validate(text, FieldOptions(country=country))
    if result.valid and result.value is not None:
        assert FIELD.validate(result.value, FieldOptions(country=country)).value == result.value


@given(st.text(alphabet="0123456789", min_size=1, max_size=11))
def test_digit_shortcut_agrees_with_every_pattern(code: str) -> None:
    from cleara.engine.fields.postal_code import FORMATS, _candidates, _parse_for, _Parsed

    full = [_parse_for(code, fmt, allow_pad=False) for fmt in FORMATS.values()]
    assert _candidates(code) == [p for p in full if isinstance(p, _Parsed)]


_CODE_TEXT = st.one_of(
    _codes().map(lambda case: case[1]),
    st.from_regex(r"[0-9]{5}(-[0-9]{4})?", fullmatch=True),  # about half are no real ZIP
    st.from_regex(r"[0-9]{3,10}", fullmatch=True),
    st.text(max_size=14),
)


@settings(max_examples=400, deadline=None)
@given(_CODE_TEXT, st.sampled_from([None, "US", "us", "GB", "NL", "DE", "BR", "Atlantis"]))
def test_accepts_agrees_with_validate(text: str, country: str | None) -> None:
    """The schema features' cheap check (ZIP list, no ZIP records) gives `validate`'s verdict."""
    options = FieldOptions(country=country)
    result = FIELD.validate(text, options)
    assert FIELD.accepts(text, options) == (result.valid and result.value is not None)


def test_accepts_checks_us_zip_codes_exist() -> None:
    us = FieldOptions(country="US")
    assert FIELD.accepts("02134", us)
    assert FIELD.accepts("02134-1234")  # ZIP+4: US by its shape alone
    assert not FIELD.accepts("99999-1234")
    assert not FIELD.accepts("00000", us)
    assert FIELD.accepts("99999")  # five digits fit many countries: unverified, not wrong


def test_the_shipped_zip_list_is_the_zip_database() -> None:
    """`us_zip_codes.txt` holds exactly the database's codes; rebuild it from
    `zipcodes.list_all()` (one code per line, sorted) when the package is upgraded."""
    import zipcodes

    records = zipcodes.list_all()  # type: ignore[no-untyped-call]
    assert postal_code.us_zip_codes() == {record["zip_code"] for record in records}
    assert postal_code.is_us_zip("10115-0000")
    assert not postal_code.is_us_zip("99999")
