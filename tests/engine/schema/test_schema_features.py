"""Column features for the value classifier."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.engine.schema.features import (
    _COMPILED,
    PATTERN_CHARS,
    _is_sentence,
    column_features,
    feature_names,
    iban_valid,
    luhn_valid,
    sample_texts,
    type_validity,
)
from cleara.engine.schema.types import SEMANTIC_TYPES


def _named(values: list[object]) -> dict[str, float]:
    return dict(zip(feature_names(), column_features(values), strict=True))  # type: ignore[arg-type]


def test_vector_length_matches_names() -> None:
    assert len(column_features(["a@example.com", None, "b@example.org"])) == len(feature_names())


def test_email_column_hits_email_regex_and_validator() -> None:
    features = _named(["ann@example.com", "bob@mail.org", None, "carl@corp.de"])
    assert features["re_email"] == 1.0
    assert features["null_share"] == 0.25
    assert features["valid_email"] == 1.0 or math.isnan(features["valid_email"])


def test_type_validity_reads_each_validator_for_the_types_it_serves() -> None:
    columns = [["ann@example.com", "bob@mail.org"], ["Ann Lee", "Bob Stone"], [None, None]]
    validity = type_validity(np.array([column_features(c) for c in columns]))
    assert validity.shape == (3, len(SEMANTIC_TYPES))
    email, name, empty = validity
    assert email[SEMANTIC_TYPES.index("email")] == 1.0
    assert name[SEMANTIC_TYPES.index("full_name")] == name[SEMANTIC_TYPES.index("last_name")]
    assert name[SEMANTIC_TYPES.index("full_name")] > 0.5
    assert email[SEMANTIC_TYPES.index("company")] == 0.0  # no validator for companies
    assert not empty.any()  # an empty column: NaN rates read as 0


def test_numeric_statistics() -> None:
    features = _named(["41.2", "-12.5", "88.0"])
    assert features["num_share"] == 1.0
    assert features["num_in_lat"] == 1.0
    assert features["num_negative"] == 1 / 3


def test_empty_and_all_null_columns_give_nan_not_errors() -> None:
    for values in ([], [None, None], ["", "N/A"]):
        vector = column_features(values)
        assert len(vector) == len(feature_names())
        assert math.isnan(vector[0]) or vector[0] == 1.0


def test_checksums() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert iban_valid("DE89 3704 0044 0532 0130 00")
    assert not iban_valid("DE89 3704 0044 0532 0130 01")
    assert not iban_valid("ÖÖ89370400440532013000")


def test_sample_is_spread_and_skips_nulls() -> None:
    values = [str(i) if i % 2 else None for i in range(1000)]
    sample = sample_texts(values, 10)
    assert len(sample) == 10
    assert sample[0] == "1"
    assert int(sample[-1]) > 900


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats(), st.booleans()),
        max_size=30,
    )
)
def test_any_column_gives_a_full_vector(values: list[object]) -> None:
    vector = column_features(values)  # type: ignore[arg-type]
    assert len(vector) == len(feature_names())
    assert all(isinstance(v, float) for v in vector)


def test_national_phone_numbers_validate_in_the_inferred_region() -> None:
    features = _named(["(415) 230-1000", "(415) 231-1037", "(212) 555-0199", "(650) 253-0000"])
    assert features["valid_phone"] == 1.0


def test_columns_without_digits_skip_the_phone_and_date_validators(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cleara.engine.schema import features

    validated: list[str] = []
    original = features._validator

    def spy(name: str):  # type: ignore[no-untyped-def]
        field = original(name)
        if name in ("phone", "date", "datetime") and field is not None:
            monkeypatch.setattr(field, "validate", lambda text, options: validated.append(text))
            monkeypatch.setattr(field, "infer", lambda sample, options: validated.append("*"))
        return field

    monkeypatch.setattr(features, "_validator", spy)
    named = _named(["Alice", "Bob", "Carol"])
    assert named["valid_phone"] == named["valid_date"] == named["valid_datetime"] == 0.0
    assert validated == []


def test_code_lists_separate_country_codes_currencies_and_zip_codes() -> None:
    countries = _named(["DEU", "FRA", "USA", "BRA"])
    assert countries["iso_country_alpha3"] == 1.0
    assert countries["iso_currency"] == 0.0
    currencies = _named(["EUR", "USD", "JPY", "GBP"])
    assert currencies["iso_currency"] == 1.0
    assert currencies["iso_country_alpha3"] == 0.0
    assert _named(["02134", "10001", "94103", "60614"])["us_zip_real"] == 1.0
    assert _named(["00000", "99999", "00011", "99998"])["us_zip_real"] == 0.0
    assert _named(["ann", "bob", "carl"])["us_zip_real"] == 0.0
    assert _named(["02134-1234", "10001", "99999", "00000"])["us_zip_real"] == 0.5  # ZIP+4 too


def test_huge_numbers_do_not_overflow() -> None:
    from cleara.engine.schema.features import column_features

    huge = column_features(["1e308", "-1.7976931348623157e308", "1e308", "5"])
    normal = column_features(["1", "2", "3", "5"])
    assert len(huge) == len(normal)
    assert math.isfinite(sum(v for v in huge if not math.isnan(v)))


def test_place_gazetteers_tell_regions_cities_and_counties_apart() -> None:
    regions = _named(["Greater Accra", "Santa Catarina", "Bavaria", "Ontario"])
    cities = _named(["Knoxville", "Duluth", "Rio Linda", "Pasadena"])
    counties = _named(["Gem County", "Knox County", "Yukon-Koyukuk Census Area"])
    artists = _named(["Wiz Khalifa", "Nicky Jam", "Shinedown"])
    assert regions["gaz_subdivision_names"] >= 0.75
    assert cities["gaz_city_names"] == 1.0
    assert counties["gaz_county_names"] == 1.0
    assert counties["lex_county_words"] == 1.0
    assert all(artists[f"gaz_{n}"] == 0.0 for n in ("subdivision_names", "county_names"))
    assert _named(["French Afars and Issas", "Netherlands Antilles"])["gaz_country_names"] == 1.0
    assert _named(["CA", "TN", "NSW", "ON"])["gaz_state_codes"] == 1.0


def test_shape_year_and_decimal_features() -> None:
    lower = _named(["microsoft", "encore", "adobe", "Apple"])
    assert lower["shape_lower"] == 0.75
    assert lower["shape_title"] == 0.25
    dates = _named(["2013-01-06", "2012-09-08", "not a date"])
    assert dates["year_share"] == 2 / 3
    assert dates["year_age"] == 2025 - 2012.5
    assert dates["year_span"] == 1.0
    assert math.isnan(_named(["abc"])["year_age"])
    prices = _named(["154.99", "25.97", "29.95", "12.34"])
    assert prices["num_price_cents"] == 0.75
    assert prices["num_decimals_std"] == 0.0
    measured = _named(["27.0", "48.86667", "27.43334"])
    assert measured["num_decimals_std"] > 1.0


def test_clock_share_reads_hhmm_times() -> None:
    assert _named(["930", "1437.0", "0745", "2359", "5"])["num_clock"] == 1.0
    assert _named(["930", "1475", "2400", "12.5"])["num_clock"] == 0.25
    assert math.isnan(_named(["abc", "def"])["num_clock"])


@given(st.lists(st.text(max_size=12), min_size=1, max_size=8))
def test_character_classes_counted_per_distinct_character_match_a_count_per_character(
    sample: list[str],
) -> None:
    from cleara.engine.schema import features

    joined = "".join(sample)
    expected = (
        [sum(1 for c in joined if test(c)) / len(joined) for _, test in features._CHAR_CLASSES]
        if joined
        else [math.nan] * len(features._CHAR_CLASSES)
    )
    assert features._char_features(sample) == pytest.approx(expected, nan_ok=True)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab1 ,;\n\t.-", max_size=30))
def test_the_linear_sentence_test_agrees_with_the_pattern(text: str) -> None:
    assert _is_sentence(text) == (_COMPILED["sentence"].fullmatch(text) is not None)


def test_shape_patterns_read_only_the_start_of_a_very_long_value() -> None:
    # `sentence` backtracks over every split of a long word: two records holding one
    # 60,000-character word took 96 s in it before the patterns read only their start.
    word = "a" * 100_000
    named = _named([word, "b" * PATTERN_CHARS + " c d e"])
    assert named["re_sentence"] == 0.0  # the second value's words come after the limit
    assert named["len_max"] == 100_000  # lengths are measured in full
    assert _named(["one two three four " + word])["re_sentence"] == 1.0
