from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.engine.fields.address import (
    COMPONENT_KEYS,
    FIELD,
    is_placeholder,
    split_country,
    street_suffixes,
    title_word,
    unit_designators,
)
from cleara.engine.fields.base import FieldOptions, is_null


def _codes(text: str, country: str | None = None) -> list[str]:
    return [issue.code for issue in FIELD.validate(text, FieldOptions(country=country)).issues]


US_ADDRESSES = [
    ("123 main st #4 springfield il 62704", "123 Main St Unit 4, Springfield, IL 62704"),
    ("123 Main St. Apt. #4B, Springfield, IL 62704-1234",
     "123 Main St Apt 4B, Springfield, IL 62704-1234"),
    ("123 North Main Street Apartment 4, Springfield, Illinois 62704",
     "123 N Main St Apt 4, Springfield, IL 62704"),
    ("123 N Main St Apt 4, Springfield, IL 62704", "123 N Main St Apt 4, Springfield, IL 62704"),
    ("123 MAIN STREET, SPRINGFIELD, IL 62704", "123 Main St, Springfield, IL 62704"),
    ("  123   Main    St  ,  Springfield ,IL   62704  ", "123 Main St, Springfield, IL 62704"),
    ("123 main st springfield ill. 62704", "123 Main St, Springfield, IL 62704"),
    ("123 Main St Apt 4 Springfield IL 62704", "123 Main St Apt 4, Springfield, IL 62704"),
    ("PO Box 123, Springfield, IL 62704", "PO Box 123, Springfield, IL 62704"),
    ("P.O. BOX 45 NEW YORK NY 10001", "PO Box 45, New York, NY 10001"),
    ("1600 Pennsylvania Avenue NW, Washington, DC 20500",
     "1600 Pennsylvania Ave NW, Washington, DC 20500"),
    ("1600 PENNSYLVANIA AVE N.W., WASHINGTON, D.C. 20500",
     "1600 Pennsylvania Ave NW, Washington, DC 20500"),
    ("350 Fifth Avenue, Suite 3300, New York, New York 10118",
     "350 Fifth Ave Ste 3300, New York, NY 10118"),
    ("350 5TH AVE STE 3300 NEW YORK NY 10118", "350 5th Ave Ste 3300, New York, NY 10118"),
    ("1 Infinite Loop Cupertino CA 95014 USA", "1 Infinite Loop, Cupertino, CA 95014"),
    ("1 Infinite Loop, Cupertino, California 95014, United States",
     "1 Infinite Loop, Cupertino, CA 95014"),
    ("100 Avenue of the Americas, New York, NY 10013",
     "100 Avenue of the Americas, New York, NY 10013"),
    ("3200 W MARTIN LUTHER KING JR BLVD, LOS ANGELES, CA 90008",
     "3200 W Martin Luther King Jr Blvd, Los Angeles, CA 90008"),
    ("55 O'FARRELL ST, SAN FRANCISCO, CA 94102", "55 O'Farrell St, San Francisco, CA 94102"),
    ("1200 MACARTHUR BLVD, OAKLAND CA 94610", "1200 MacArthur Blvd, Oakland, CA 94610"),
    ("500 S STATE ST, ANN ARBOR, MICHIGAN 48109", "500 S State St, Ann Arbor, MI 48109"),
    ("1 main street boston ma 2134", "1 Main St, Boston, MA 02134"),
    ("233 S Wacker Drive, Chicago, IL 60606", "233 S Wacker Dr, Chicago, IL 60606"),
    ("42 West 42nd Street, New York, NY 10036", "42 W 42nd St, New York, NY 10036"),
    ("10 Downing Lane, Austin, TX 78701", "10 Downing Ln, Austin, TX 78701"),
    ("77 Massachusetts Ave, Cambridge, Mass. 02139", "77 Massachusetts Ave, Cambridge, MA 02139"),
    ("2 Park Place, Floor 3, Boston, MA 02108", "2 Park Pl Fl 3, Boston, MA 02108"),
    ("1 Harbor Court Room 12, Portland, ME 04101", "1 Harbor Ct Rm 12, Portland, ME 04101"),
    ("5 Elm Parkway Building 2, Denver, CO 80202", "5 Elm Pkwy Bldg 2, Denver, CO 80202"),
    ("900 Southwest Lake Highway, Portland, OR 97205",
     "900 SW Lake Hwy, Portland, OR 97205"),
    ("12 Oak Boulevard, Miami, Florida 33101", "12 Oak Blvd, Miami, FL 33101"),
    ("88 Pine Road, Atlanta, Ga 30303", "88 Pine Rd, Atlanta, GA 30303"),
    ("7 Cedar Terrace, Seattle, Wash. 98101", "7 Cedar Ter, Seattle, WA 98101"),
    ("15 Maple Circle, Phoenix, AZ 85001", "15 Maple Cir, Phoenix, AZ 85001"),
    ("400 Broad Street Suite 200, Philadelphia, Penna. 19102",
     "400 Broad St Ste 200, Philadelphia, PA 19102"),
    ("1 Main St Unit B San Juan PR 00901", "1 Main St Unit B, San Juan, PR 00901"),
    ("123 Main St\nSpringfield, IL 62704", "123 Main St, Springfield, IL 62704"),
    ("123 Main St Bldg 2 Fl 3 Rm 301 Springfield IL 62704",
     "123 Main St Bldg 2 Fl 3 Rm 301, Springfield, IL 62704"),
    ("Empire State Building, 350 5th Ave, New York, NY 10118",
     "Empire State Building, 350 5th Ave, New York, NY 10118"),
    ("42 Highway 101, Eureka, CA 95501", "42 Hwy 101, Eureka, CA 95501"),
    ("6 East Ridge Crossing, Austin, Texas 78701", "6 E Ridge Xing, Austin, TX 78701"),
    ("31 Spooner St, Quahog, RI 02903", "31 Spooner St, Quahog, RI 02903"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "value"), US_ADDRESSES)
def test_us_addresses_are_standardized(text: str, value: str) -> None:
    result = FIELD.validate(text)
    assert result.value == value
    assert result.valid
    assert tuple(result.components) == COMPONENT_KEYS
    again = FIELD.validate(result.value)
    assert again.value == value


def test_us_components() -> None:
    result = FIELD.validate("123 North Main Street Apartment 4, Springfield, Illinois 62704")
    assert result.components == {
        "number": "123",
        "street": "N Main St",
        "unit": "Apt 4",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62704",
        "country": "US",
    }
    assert result.rule == "address.standardize"
    assert FIELD.validate("123 N Main St Apt 4, Springfield, IL 62704").rule is None


def test_zip_state_mismatch_is_an_error() -> None:
    result = FIELD.validate("123 Main St, Springfield, CA 62704")
    assert not result.valid
    assert _codes("123 Main St, Springfield, CA 62704") == ["address_zip_state_mismatch"]
    assert result.value == "123 Main St, Springfield, CA 62704"


def test_unknown_zip_is_a_warning() -> None:
    result = FIELD.validate("42 Highway 101, Smalltown, CA 90000")
    assert result.valid
    assert [issue.code for issue in result.issues] == ["address_unknown_zip"]


def test_padded_zip_is_reported() -> None:
    assert _codes("1 main street boston ma 2134") == ["address_zip_padded"]


def test_missing_parts_are_named() -> None:
    result = FIELD.validate("123 Main St, Springfield, IL")
    assert result.valid
    assert result.issues[0].code == "address_incomplete"
    assert "postal code" in result.issues[0].message
    no_street = FIELD.validate("Springfield, IL 62704")
    assert not no_street.valid
    assert "street" in no_street.issues[0].message


def test_missing_city_and_state_are_suggested_from_the_zip() -> None:
    result = FIELD.validate("123 Main St 62704")
    assert result.suggestion == "123 Main St, Springfield, IL 62704"


def test_unknown_state_is_flagged() -> None:
    assert "address_unknown_state" in _codes("1 Main St, Anytown, XY 12345")


def test_repeated_parts_keep_the_first() -> None:
    result = FIELD.validate("123 Main St, Springfield, IL, 62704, Springfield IL")
    assert result.value == "123 Main St, Springfield, IL 62704"
    assert _codes("123 Main St, Springfield, IL, 62704, Springfield IL") == [
        "address_repeated_part"
    ]


def test_intersections_need_no_number() -> None:
    result = FIELD.validate("Main St & 1st Ave, New York, NY 10001")
    assert result.valid
    assert result.value == "Main St & 1st Ave, New York, NY 10001"
    assert result.issues == []


@pytest.mark.parametrize(
    "text", ["hello world", "!!!", "...", "x" * 400, "03-12-2025", "+55 15 2242-3805", "20500"]
)
def test_non_addresses_are_unparseable(text: str) -> None:
    result = FIELD.validate(text)
    assert not result.valid
    assert _codes(text) == ["address_unparseable"]


OTHER_ADDRESSES = [
    ("10 Downing Street, London SW1A 2AA, United Kingdom", None,
     "10 Downing Street, London SW1A 2AA, United Kingdom",
     {"country": "GB", "postal_code": "SW1A 2AA", "city": "London", "number": "10"}),
    ("10 downing street, london sw1a2aa, uk", None,
     "10 Downing Street, London SW1A 2AA, United Kingdom",
     {"country": "GB", "postal_code": "SW1A 2AA", "city": "London"}),
    ("221B Baker Street, London NW1 6XE", None, "221B Baker Street, London NW1 6XE",
     {"country": "GB", "postal_code": "NW1 6XE", "number": "221B"}),
    ("24 Sussex Drive, Ottawa, ON K1A 0B1, Canada", None,
     "24 Sussex Drive, Ottawa, ON K1A 0B1, Canada",
     {"country": "CA", "postal_code": "K1A 0B1", "state": "ON", "city": "Ottawa"}),
    ("24 SUSSEX DRIVE, OTTAWA, ON K1A0B1", "CA", "24 Sussex Drive, Ottawa, ON K1A 0B1",
     {"country": "CA", "postal_code": "K1A 0B1", "state": "ON"}),
    ("Hauptstraße 5, 10115 Berlin, Germany", None, "Hauptstraße 5, 10115 Berlin, Germany",
     {"country": "DE", "postal_code": "10115", "city": "Berlin", "street": "Hauptstraße"}),
    ("Marienplatz 8, 80331 München", "DE", "Marienplatz 8, 80331 München",
     {"country": "DE", "postal_code": "80331", "city": "München", "number": "8"}),
    ("Damrak 1, 1012 LG Amsterdam, Netherlands", None,
     "Damrak 1, 1012 LG Amsterdam, Netherlands",
     {"country": "NL", "postal_code": "1012 LG", "city": "Amsterdam"}),
    ("damrak 1, 1012lg amsterdam", "NL", "Damrak 1, 1012 LG Amsterdam",
     {"country": "NL", "postal_code": "1012 LG", "city": "Amsterdam"}),
    ("1 Martin Pl, Sydney NSW 2000, Australia", None, "1 Martin Pl, Sydney NSW 2000, Australia",
     {"country": "AU", "postal_code": "2000", "state": "NSW", "city": "Sydney"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "country", "value", "expected"), OTHER_ADDRESSES)
def test_other_countries_are_cleaned(
    text: str, country: str | None, value: str, expected: dict[str, str]
) -> None:
    result = FIELD.validate(text, FieldOptions(country=country))
    assert result.valid
    assert result.value == value
    assert tuple(result.components) == COMPONENT_KEYS
    for key, component in expected.items():
        assert result.components[key] == component
    assert "address_not_us_parsed" in [issue.code for issue in result.issues]
    assert FIELD.validate(result.value, FieldOptions(country=country)).value == value


def test_other_country_without_a_postal_code_is_incomplete() -> None:
    codes = _codes("Hauptstraße 5, Berlin", "DE")
    assert codes == ["address_not_us_parsed", "address_incomplete"]


@pytest.mark.parametrize(
    ("text", "rest", "country"),
    [
        ("1 Main St, Dover, DE", "1 Main St, Dover, DE", None),
        ("1 Main St, Atlanta, Georgia", "1 Main St, Atlanta, Georgia", None),
        ("Damrak 1, Amsterdam, Netherlands", "Damrak 1, Amsterdam", "NL"),
        ("10 downing st london uk", "10 downing st london", "GB"),
        ("1 Main St Springfield IL 62704", "1 Main St Springfield IL 62704", None),
    ],
)
def test_split_country(text: str, rest: str, country: str | None) -> None:
    assert split_country(text) == (rest, country)


def test_usps_tables() -> None:
    suffixes = street_suffixes()
    assert suffixes["STREET"] == "St"
    assert suffixes["AVENUE"] == "Ave"
    assert suffixes["BOULEVARD"] == "Blvd"
    assert suffixes["PARKWAY"] == "Pkwy"
    assert suffixes["CROSSING"] == "Xing"
    assert len(set(suffixes.values())) > 190
    assert unit_designators()["SUITE"] == "Ste"
    assert unit_designators()["#"] == "Unit"


@pytest.mark.parametrize(
    ("word", "cased"),
    [("MAIN", "Main"), ("42ND", "42nd"), ("1ST", "1st"), ("4b", "4B"), ("McAllen", "McAllen"),
     ("MCALLEN", "McAllen")],
)  # fmt: skip
def test_title_word(word: str, cased: str) -> None:
    assert title_word(word) == cased


# ---------------------------------------------------------------------------- properties

_NUMBERS = ["1", "42", "123", "9000", "77B"]
_DIRECTIONS = ["", "N", "North", "s.", "SOUTHWEST", "E"]
_STREETS = ["main", "MAIN", "Oak", "martin luther king jr", "42nd", "FIFTH", "o'farrell"]
_TYPES = ["St", "STREET", "Ave", "avenue", "Blvd", "Rd", "Drive", "Ln", "Court", "Pkwy"]
_UNITS = ["", "Apt 4", "APARTMENT 12", "Suite 300", "#5", "Ste. 2B", "Unit 7", "Fl 3"]
_PLACES = [("Springfield", "IL", "62704"), ("springfield", "Illinois", "62704-1234"),
           ("NEW YORK", "NY", "10001"), ("Austin", "tx", "78701"), ("Boston", "Mass.", "02134"),
           ("Seattle", "WA", ""), ("Denver", "colorado", "80202")]  # fmt: skip


@st.composite
def us_addresses(draw: st.DrawFn) -> str:
    street = " ".join(
        p
        for p in (
            draw(st.sampled_from(_NUMBERS)),
            draw(st.sampled_from(_DIRECTIONS)),
            draw(st.sampled_from(_STREETS)),
            draw(st.sampled_from(_TYPES)),
            draw(st.sampled_from(_UNITS)),
        )
        if p
    )
    city, region, code = draw(st.sampled_from(_PLACES))
    separator = draw(st.sampled_from([", ", " ", " , "]))
    return separator.join(p for p in (street, city, f"{region} {code}".strip()) if p)


@settings(max_examples=150, deadline=None)
@given(us_addresses())
def test_us_value_is_idempotent(text: str) -> None:
    first = FIELD.validate(text)
    assert isinstance(first.value, str)
    again = FIELD.validate(first.value)
    assert again.value == first.value
    assert again.components == first.components


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.sampled_from([None, "US", "GB", "DE", "ZZ"]))
def test_any_text_gives_a_result(text: str, country: str | None) -> None:
    result = FIELD.validate(text, FieldOptions(country=country))
    assert set(result.components) in (set(), set(COMPONENT_KEYS))
    if is_null(text):
        assert result.value is None
    else:
        assert result.valid is False or isinstance(result.value, str)


@pytest.mark.parametrize(
    "text",
    [
        "123 Main St, Springfield, IL 62704",
        "9118 Martin Junctions Apt. 760, Aliciamouth, IA 50336",
        "12233 Todd Radial, Feliciafurt, KY 41704",
        "6507 Jackson Crescent Suite 034, North Jessicaport, NJ 08428",
        "301 Barnes Garden, Port Amandastad, SD 57050",
    ],
)
def test_plain_addresses_take_the_fast_path_with_usaddress_labels(text: str) -> None:
    import usaddress

    from cleara.engine.fields.address import simple_us_tokens

    assert simple_us_tokens(text) == tuple(usaddress.parse(text))


@pytest.mark.parametrize(
    "text",
    [
        "123 North St, Springfield, IL 62704",  # directional as the street name
        "123 Main St Ste, Springfield, IL 62704",  # unit type without an id
        "PO Box 12, Springfield, IL 62704",
        "123 Main St, Springfield, XX 62704",  # not a state
        "123 Main Foo, Springfield, IL 62704",  # not a street suffix
    ],
)
def test_unusual_addresses_fall_back_to_the_crf(text: str) -> None:
    from cleara.engine.fields.address import simple_us_tokens

    assert simple_us_tokens(text) is None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("2009 W. 6th St.", True),
        ("123 Main St NE", True),  # a directional, not Nebraska
        ("100 Main St Suite 1200", True),  # a unit number, not a ZIP
        ("12345 Main St", True),  # a long house number comes first
        ("123 Main St, Springfield, IL 62701", False),
        ("123 Main St Springfield IL", False),
        ("Hauptstraße 5 10115 Berlin", False),
        ("Main", False),
    ],
)
def test_street_lines_are_told_from_whole_addresses(text: str, line: bool) -> None:
    from cleara.engine.fields.address import is_street_line

    assert is_street_line(text) is line


def test_a_column_of_street_lines_is_not_incomplete() -> None:
    column = ["2009 W. 6th St.", "3100 Rosecrans ave.", "123 main street apt 4", None]
    options = FIELD.infer(column, FieldOptions())
    assert options.street_lines
    results = [FIELD.validate(value, options) for value in column[:3]]
    assert [r.value for r in results] == [
        "2009 W 6th St",
        "3100 Rosecrans Ave",
        "123 Main St Apt 4",
    ]
    assert all(r.valid and not r.issues for r in results)
    # Without a house number a street line is still undeliverable.
    assert "address_incomplete" in [
        i.code for i in FIELD.validate("Main St, Boston", options).issues
    ]


def test_a_column_of_whole_addresses_still_reports_missing_parts() -> None:
    column = ["123 Main St, Springfield, IL 62704", "9 Elm St, Boston, MA 02108", "5 Oak Ave"]
    options = FIELD.infer(column, FieldOptions())
    assert not options.street_lines
    assert "address_incomplete" in [i.code for i in FIELD.validate("5 Oak Ave", options).issues]


def test_cleaning_leaves_a_date_in_an_address_column_as_it_was() -> None:
    import cleara

    result = cleara.clean([{"addr": "03-12-2025"}], schema={"addr": "address"})
    assert result.records == [{"addr": "03-12-2025"}]  # was rewritten as a postal code
    assert result.changes == []


@pytest.mark.parametrize(
    "text", ["No Fixed Abode", "NO FIXED ABODE.", "Address unknown", "no address given", "Address"]
)
def test_a_value_that_says_there_is_no_address_is_a_placeholder(text: str) -> None:
    result = FIELD.validate(text)
    assert result.valid
    assert result.placeholder
    assert result.value == text.strip()  # kept: a person without a home is worth knowing
    assert [i.code for i in result.issues] == ["address_placeholder"]
    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["Homeless", "Declined", "NFA", "Address Rd, Dover, DE"])
def test_words_other_columns_hold_are_no_address_placeholder(text: str) -> None:
    assert not is_placeholder(text)
    assert not FIELD.validate(text).placeholder
