"""Phone field: libphonenumber parsing, messy input, formats and column region inference."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from cleara.engine.fields import phone
from cleara.engine.fields.base import FieldOptions

FIELD = phone.FIELD
REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)


def _options(country: str | None = None, **kwargs: str) -> FieldOptions:
    return FieldOptions(country=country, **kwargs)  # type: ignore[arg-type]


def test_example_number_of_every_region_round_trips() -> None:
    failures = []
    for region in REGIONS:
        example = phonenumbers.example_number(region)
        assert example is not None, region
        national = phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
        expected = phonenumbers.format_number(example, PhoneNumberFormat.E164)
        result = FIELD.validate(national, _options(region))
        if not (result.valid and result.value == expected):
            failures.append((region, national, result.value, result.issues))
    assert failures == []
    assert len(REGIONS) > 240


@pytest.mark.parametrize("kind", [PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE])
def test_example_numbers_by_type_keep_region_and_type(kind: int) -> None:
    wrong = []
    for region in REGIONS:
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        e164 = phonenumbers.format_number(example, PhoneNumberFormat.E164)
        result = FIELD.validate(e164)
        expected_type = phonenumbers.number_type(example)
        if (
            not result.valid
            or result.components["country"] != phonenumbers.region_code_for_number(example)
            or result.components["type"] != phone._TYPE_NAMES[expected_type]
        ):
            wrong.append((region, e164, result.components))
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("(415) 555-2671", "US", "+14155552671"),
        ("415.555.2671", "US", "+14155552671"),
        ("415-555-2671", "us", "+14155552671"),
        ("+44 20 7946 0958", None, "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("0049 30 1234567", None, "+49301234567"),
        ("0049 30 1234567", "US", "+49301234567"),
        ("011 49 30 1234567", "US", "+49301234567"),
        ("+44 (0)20 7946 0958", None, "+442079460958"),
        ("0044 (0) 20 7946 0958", None, "+442079460958"),
        ("tel:+1-415-555-2671", None, "+14155552671"),
        ("1-800-FLOWERS", "US", "+18003569377"),
        ("4155552671.0", "US", "+14155552671"),
        ("4.155552671E+9", "US", "+14155552671"),
        ("1 (415) 555-2671", "US", "+14155552671"),
        ("+49 (0)30 1234567", None, "+49301234567"),
        ("+1 415 555 2671", "GB", "+14155552671"),
        ("+14155552671", None, "+14155552671"),
        ("０２０ ７９４６ ０９５８", "GB", "+442079460958"),
    ],
)
def test_messy_numbers(text: str, country: str | None, expected: str) -> None:
    result = FIELD.validate(text, _options(country))
    assert result.valid, result.issues
    assert result.value == expected
    assert result.rule == (None if text == expected else "phone.e164")
    assert result.components["e164"] == expected


def test_spreadsheet_float_value() -> None:
    assert FIELD.validate(4155552671.0, _options("US")).value == "+14155552671"


@pytest.mark.parametrize(
    "text",
    [
        "+1 415 555 2671 ext 12",
        "+1 415 555 2671 x12",
        "+1 415 555 2671 ext. 12",
        "+1 415 555 2671 #12",
        "tel:+1-415-555-2671;ext=12",
    ],
)
def test_extension_goes_to_components(text: str) -> None:
    result = FIELD.validate(text)
    assert result.valid
    assert result.value == "+14155552671"
    assert result.components["extension"] == "12"
    assert result.components["international"] == "+1 415-555-2671"
    assert [issue.code for issue in result.issues] == ["phone_has_extension"]
    assert result.issues[0].severity == "info"


def test_components_of_a_valid_number() -> None:
    result = FIELD.validate("(415) 555-2671", _options("US"))
    assert result.components == {
        "country": "US",
        "type": "fixed_line_or_mobile",
        "e164": "+14155552671",
        "international": "+1 415-555-2671",
        "national": "(415) 555-2671",
        "extension": None,
        "region_description": "San Francisco, CA",
        "carrier": "",
        "timezones": ["America/Los_Angeles"],
        "possible": True,
        "valid": True,
    }


def test_components_match_libphonenumber_geocoder_and_carrier() -> None:
    from phonenumbers import carrier, geocoder, timezone

    for text in ["+447400123456", "+49301234567", "+5491123456789", "+33612345678"]:
        number = phonenumbers.parse(text)
        components = FIELD.validate(text).components
        assert components["region_description"] == geocoder.description_for_number(number, "en")
        assert components["carrier"] == carrier.name_for_number(number, "en")
        assert components["timezones"] == list(timezone.time_zones_for_number(number))


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("e164", "+442079460958"),
        ("international", "+44 20 7946 0958"),
        ("national", "020 7946 0958"),
    ],
)
def test_value_format_option(style: str, expected: str) -> None:
    result = FIELD.validate("+44 (0)20-7946-0958", _options(None, phone_format=style))
    assert result.value == expected
    assert result.rule == f"phone.{style}"
    again = FIELD.validate(expected, _options("GB", phone_format=style))
    assert again.value == expected
    assert again.rule is None


def test_possible_but_unassigned_number() -> None:
    result = FIELD.validate("+1 555 234 5678")
    assert not result.valid
    assert result.value == "+15552345678"
    assert result.issues[0].code == "phone_not_valid"
    assert "possible" in result.issues[0].message
    assert result.components["possible"] is True
    assert result.components["valid"] is False


@pytest.mark.parametrize(
    ("text", "country", "code"),
    [
        ("12", "US", "phone_too_short"),
        ("555-2671", "US", "phone_too_short"),
        ("+1 415 555 26711234", None, "phone_too_long"),
        ("4155552671", None, "phone_invalid"),
        ("hello", "US", "phone_invalid"),
        ("+999 1234 5678", None, "phone_invalid"),
        ("+", None, "phone_invalid"),
        ("1" * 80, "US", "phone_too_long"),
    ],
)
def test_invalid_numbers_name_the_reason(text: str, country: str | None, code: str) -> None:
    result = FIELD.validate(text, _options(country))
    assert not result.valid
    assert result.value is None
    assert result.issues[0].code == code
    assert result.issues[0].severity == "error"


def test_missing_country_message_suggests_a_default() -> None:
    message = FIELD.validate("4155552671").issues[0].message
    assert "default country" in message


def test_missing_plus_is_read_as_international() -> None:
    result = FIELD.validate("447400123456")
    assert result.valid
    assert result.value == "+447400123456"
    assert [issue.code for issue in result.issues] == ["phone_missing_plus"]
    assert result.confidence < 1.0


def test_non_geographic_numbers() -> None:
    result = FIELD.validate("+800 1234 5678")
    assert result.valid
    assert result.components["country"] is None
    assert result.components["type"] == "toll_free"


UK_COLUMN = [
    "020 7946 0958",
    "07400 123456",
    "0161 496 0000",
    "(0117) 496 0123",
    "0131 496 0000",
    "+44 20 7946 0959",
    "",
]


def test_column_of_uk_national_numbers_infers_gb() -> None:
    assert FIELD.infer(UK_COLUMN, FieldOptions()).country == "GB"
    assert phone.infer_region(UK_COLUMN) == "GB"
    results = FIELD.clean_column(UK_COLUMN)
    assert [r.value for r in results[:2]] == ["+442079460958", "+447400123456"]
    assert all(r.valid for r in results)


def test_column_inference_uses_regions_of_plus_numbers() -> None:
    column = ["01 23 45 67 89", "06 12 34 56 78", "+33 1 23 45 67 90"]
    assert FIELD.infer(column, FieldOptions()).country == "FR"


def test_column_inference_needs_a_majority() -> None:
    assert FIELD.infer(["hello", "world", "020 7946 0958"], FieldOptions()).country is None
    assert FIELD.infer(["+14155552671"], FieldOptions()).country is None
    assert FIELD.infer([], FieldOptions()).country is None


def test_given_country_is_upper_cased_not_overridden() -> None:
    assert FIELD.infer(UK_COLUMN, FieldOptions(country="us")).country == "US"
    assert FIELD.infer(UK_COLUMN, FieldOptions(country="uk")).country == "GB"


def test_row_country_overrides_column_region() -> None:
    results = FIELD.clean_column(
        ["020 7946 0958", "(415) 555-2671"], FieldOptions(), row_countries=["GB", "US"]
    )
    assert [r.value for r in results] == ["+442079460958", "+14155552671"]


_EXAMPLES = [
    number
    for region in REGIONS
    for kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE)
    if (number := phonenumbers.example_number_for_type(region, kind)) is not None
]


@given(
    number=st.sampled_from(_EXAMPLES),
    layout=st.sampled_from(
        [PhoneNumberFormat.E164, PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.NATIONAL]
    ),
)
def test_e164_output_is_idempotent(number: phonenumbers.PhoneNumber, layout: int) -> None:
    region = phonenumbers.region_code_for_number(number)
    text = phonenumbers.format_number(number, layout)
    first = FIELD.validate(text, _options(region))
    assert first.valid
    again = FIELD.validate(first.value)
    assert again.valid
    assert again.value == first.value
    assert again.rule is None


@given(st.text(max_size=30), st.sampled_from([None, "US", "GB", "DE", "IN"]))
def test_any_text_is_handled(text: str, country: str | None) -> None:
    result = FIELD.validate(text, _options(country))
    if result.value is not None:
        assert str(result.value).startswith("+")
        assert FIELD.validate(result.value).value == result.value


def _infer_region_by_full_count(texts: list[str]) -> str | None:
    """The region inference rule, counting every number under every candidate."""
    from collections import Counter

    distinct = [phone._spreadsheet_number(t.strip()) for t in dict.fromkeys(texts)]
    international = [t for t in distinct if phone._is_international(t)]
    national = [t for t in distinct if not phone._is_international(t)][: phone._INFER_SAMPLE]
    if not national:
        return None
    seen = Counter(r for r in map(phone._plus_region, international) if r)
    candidates = list(
        dict.fromkeys([r for r, _ in seen.most_common()] + list(phone.COMMON_REGIONS))
    )
    best_region, best_count = None, 0
    for region in candidates:
        count = sum(1 for text in national if phone._valid_in(text, region))
        if count >= 0.9 * len(national):
            return region
        if count > best_count:
            best_region, best_count = region, count
    return best_region if best_count * 2 > len(national) else None


_NUMBER_PIECES = st.sampled_from(
    [
        "020 7946 0958", "07400 123456", "(415) 555-2671", "415.555.0199", "030 901820",
        "06 12 34 56 78", "+44 20 7946 0959", "+1 212 555 0100", "+49 30 901820", "2021-03-04",
        "34.0522", "12", "n/a", "Ann Lee", "0612345678", "612 345 678", "+33 6 12 34 56 78",
        "1-800-FLOWERS", "98765", "02 9374 4000", "011 2345 6789",
    ]
)  # fmt: skip


@given(st.lists(_NUMBER_PIECES, min_size=1, max_size=12))
def test_region_inference_stops_early_without_changing_its_answer(texts: list[str]) -> None:
    assert phone.infer_region(texts) == _infer_region_by_full_count(texts)


@settings(max_examples=400)
@given(
    st.text(alphabet="0123456789 -()./", max_size=14),
    st.sampled_from([*phone.COMMON_REGIONS, "NU", "SH", "TK"]),
)
def test_the_length_shortcut_never_changes_validity(text: str, region: str) -> None:
    """Region inference skips parsing numbers shorter than any valid number of the region;
    the answer is the one a full parse gives."""
    number, _ = phone._parse(text, region)
    parsed = number is not None and phonenumbers.is_valid_number(number)
    assert phone._valid_in(text, region) == parsed


def test_the_length_shortcut_skips_short_numbers_but_not_letters() -> None:
    assert phone._shortest_number("US") == 10
    assert phone._too_short("35361", "US")
    assert not phone._too_short("1-800-FLOWERS", "US")  # letters dial as digits
    assert not phone._too_short("415 555 2671", "US")
    # Short numbers are valid where the region has them (Niue: four digits).
    assert phone._shortest_number("NU") <= 4
    assert phone._valid_in("7012", "NU") == phonenumbers.is_valid_number(
        phonenumbers.parse("7012", "NU")
    )


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"\+?[0-9 ()\-.]{3,18}", fullmatch=True),
        st.from_regex(r"(00|011|tel:)?[0-9]{6,14}(\.0| x[0-9]{2,4})?", fullmatch=True),
        st.text(max_size=20),
    ),
    st.sampled_from([None, "US", "GB", "DE", "FR", "IN", "BR", "NU"]),
)
def test_accepts_agrees_with_validate(text: str, region: str | None) -> None:
    """The schema features' cheap check gives `validate`'s verdict on every value."""
    options = _options(region)
    result = FIELD.validate(text, options)
    assert FIELD.accepts(text, options) == (result.valid and result.value is not None)


def test_accepts_the_valid_and_rejects_the_rest_without_place_data() -> None:
    assert FIELD.accepts("+1 415 555 2671")
    assert FIELD.accepts("(415) 555-2671", _options("US"))
    assert FIELD.accepts("4155552671.0", _options("US"))
    assert not FIELD.accepts("415 555 267", _options("US"))
    assert not FIELD.accepts("not a phone")
    assert not FIELD.accepts(None)
    assert not FIELD.accepts("9" * 200)


def test_the_unknown_time_zone_is_libphonenumbers() -> None:
    from phonenumbers import timezone

    assert phone.UNKNOWN_TIMEZONE == timezone.UNKNOWN_TIMEZONE
    result = FIELD.validate("+1 415 555 2671")
    assert result.components["timezones"] == ["America/Los_Angeles"]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("(202) 555-0142", "US"),
        ("+1 416 555 0199", None),
        ("020 7946 0958", "GB"),
        ("+44 113 496 0000", None),
        ("(02) 5550 1234", "AU"),
    ],
)
def test_numbers_reserved_for_fiction_are_flagged(text: str, region: str | None) -> None:
    result = phone.FIELD.validate(text, FieldOptions(country=region))
    assert result.placeholder
    assert "phone_fictional" in [issue.code for issue in result.issues]
    assert phone.is_fictional(str(result.components["e164"]))


@pytest.mark.parametrize(
    ("digits", "international", "e164"),
    [
        ("2025550142", False, "+12025550142"),  # North America, national
        ("12025550199", False, "+12025550199"),
        ("12025550142", True, "+12025550142"),
        ("02079460958", False, "+442079460958"),  # the UK, national
        ("00442079460958", False, "+442079460958"),  # `00` dials out
        ("0255501234", False, "+61255501234"),  # Australia, national
        ("2025550200", False, None),  # 555 outside 0100-0199
        ("2079460123", False, None),  # a real number in Maine, ending as the UK's drama ones
        ("5550142", False, None),  # too short to tell
        ("", False, None),
    ],
)
def test_fictional_numbers_are_told_from_their_digits(
    digits: str, international: bool, e164: str | None
) -> None:
    assert phone.fictional_from_digits(digits, international=international) == e164


@pytest.mark.parametrize(
    ("text", "country", "valid"),
    [
        ("000-000-0000", "US", False),
        ("(555) 555-5555", "US", False),
        ("+1 123 456 7890", None, False),
        ("111-1111", "US", False),
        ("07777 777777", "GB", True),  # a UK mobile number in form
        ("01 23 45 67 89", "FR", True),  # France's example number
    ],
)
def test_dummy_numbers_are_fillers(text: str, country: str | None, valid: bool) -> None:
    result = phone.FIELD.validate(text, FieldOptions(country=country))
    assert result.placeholder
    assert result.valid is valid
    severity = "warning" if valid else "error"  # in place of the reason it is no number
    assert [(i.code, i.severity) for i in result.issues] == [("phone_placeholder", severity)]


@pytest.mark.parametrize("digits", ["2125551234", "0000", "1234", "4155552671", "12345670"])
def test_ordinary_digits_are_no_dummy_number(digits: str) -> None:
    assert not phone.is_dummy_digits(digits)


def test_calling_codes_split_international_digits() -> None:
    assert phone.split_calling_code("34612345678") == ("34", "612345678")
    assert phone.split_calling_code("14155552671") == ("1", "4155552671")
    assert phone.split_calling_code("8613812345678") == ("86", "13812345678")
    assert phone.split_calling_code("") is None
    assert phone.calling_region("44") == "GB"
    assert phone.calling_region("800") is None  # international freephone: no region


@pytest.mark.parametrize(
    ("region", "prefix"),
    [("GB", "0"), ("US", "1"), ("RU", "8"), ("ES", ""), ("IT", ""), (None, "0")],
)
def test_trunk_prefixes_come_from_the_metadata(region: str | None, prefix: str) -> None:
    assert phone.trunk_prefix(region) == prefix


@pytest.mark.parametrize("text", ["+1 202 555 0200", "+1 202 555 2671", "+44 20 7123 4567"])
def test_ordinary_numbers_are_not_fictional(text: str) -> None:
    result = phone.FIELD.validate(text)
    assert result.valid
    assert not result.placeholder
    assert not phone.is_fictional(str(result.components["e164"]))
