from __future__ import annotations

from collections.abc import Callable

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleara.engine.fields import state
from cleara.engine.fields.base import FieldOptions
from cleara.engine.fields.state import FIELD, find_subdivision, state_name, us_state_code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("IL", "IL"),
        ("il", "IL"),
        ("Illinois", "IL"),
        ("ILLINOIS", "IL"),
        ("Calif.", "CA"),
        ("calif", "CA"),
        ("Mass.", "MA"),
        ("N.Y.", "NY"),
        ("new york", "NY"),
        ("New York State", "NY"),
        ("State of New York", "NY"),
        ("Washington State", "WA"),
        ("Wash.", "WA"),
        ("W. Va.", "WV"),
        ("Penna.", "PA"),
        ("District of Columbia", "DC"),
        ("D.C.", "DC"),
        ("Puerto Rico", "PR"),
        ("Guam", "GU"),
        ("U.S. Virgin Islands", "VI"),
        ("Armed Forces Europe", "AE"),
        ("AP", "AP"),
        ("Hawai'i", "HI"),
        ("  texas  ", "TX"),
    ],
)
def test_us_states_become_usps_codes(text: str, code: str) -> None:
    assert us_state_code(text) == code
    result = FIELD.validate(text)
    assert result.valid
    assert result.value == code
    assert result.components["country"] == "US"


@pytest.mark.parametrize(
    ("text", "code"),
    [("Ontario", "ON"), ("Québec", "QC"), ("Quebec", "QC"), ("B.C.", "BC"), ("PQ", "QC"),
     ("Nfld.", "NL"), ("Yukon", "YT"), ("Prince Edward Island", "PE")],
)  # fmt: skip
def test_canadian_provinces_without_a_country(text: str, code: str) -> None:
    result = FIELD.validate(text)
    assert result.value == code
    assert result.components["country"] == "CA"


@pytest.mark.parametrize(
    ("text", "country", "code", "iso"),
    [
        ("Bavaria", "DE", "BY", "DE-BY"),
        ("Bayern", "DE", "BY", "DE-BY"),
        ("BY", "DE", "BY", "DE-BY"),
        ("Nordrhein-Westfalen", "DE", "NW", "DE-NW"),
        ("Baden-Wurttemberg", "DE", "BW", "DE-BW"),
        ("New South Wales", "AU", "NSW", "AU-NSW"),
        ("Noord-Holland", "NL", "NH", "NL-NH"),
        ("North Holland", "NL", "NH", "NL-NH"),
        ("Catalonia", "ES", "CT", "ES-CT"),
        ("Cataluña", "ES", "CT", "ES-CT"),
        ("Scotland", "GB", "SCT", "GB-SCT"),
        ("Ontario", "CA", "ON", "CA-ON"),
    ],
)
def test_other_countries_use_the_iso_3166_2_suffix(
    text: str, country: str, code: str, iso: str
) -> None:
    result = FIELD.validate(text, FieldOptions(country=country))
    assert result.valid
    assert result.value == code
    assert result.components["iso_code"] == iso


def test_full_iso_code_is_understood_without_a_country() -> None:
    result = FIELD.validate("DE-BY")
    assert result.value == "BY"
    assert result.components["country"] == "DE"


def test_unknown_state_is_invalid_with_a_suggestion_for_typos() -> None:
    result = FIELD.validate("Californa")
    assert not result.valid
    assert [issue.code for issue in result.issues] == ["state_unknown"]
    assert result.suggestion == "CA"
    assert FIELD.validate("Atlantis").suggestion is None


def test_a_country_option_restricts_the_lookup() -> None:
    assert not FIELD.validate("Ontario", FieldOptions(country="US")).valid
    assert not FIELD.validate("Bavaria").valid


def test_state_name_and_rule() -> None:
    assert state_name("IL") == "Illinois"
    assert state_name("qc", "CA") == "Quebec"
    assert state_name("BY", "DE") == "Bayern"
    assert state_name("ZZ") is None
    assert FIELD.validate("Illinois").rule == "state.code"
    assert FIELD.validate("IL").rule is None


def test_iso_display_names_read_naturally() -> None:
    found = find_subdivision("Madrid", "ES")
    assert found is not None
    assert found.name == "Comunidad de Madrid"


def test_every_alias_names_a_real_subdivision() -> None:
    for iso_code in state._english_aliases():
        found = pycountry.subdivisions.get(code=iso_code)  # type: ignore[no-untyped-call]
        assert found is not None, iso_code


def test_every_code_finds_itself() -> None:
    for country in ("US", "CA"):
        for code in state._postal_index(country).by_code:
            found = find_subdivision(code, country)
            assert found is not None
            assert found.code == code


_US_NAMES = [sub.name for sub in state._postal_index("US").by_code.values()]


@given(
    st.sampled_from(_US_NAMES),
    st.sampled_from([str.upper, str.lower, str.title, str.strip]),
    st.sampled_from(["", " ", "  "]),
)
def test_value_is_idempotent(name: str, case: Callable[[str], str], pad: str) -> None:
    first = FIELD.validate(pad + case(name) + pad)
    assert first.valid
    again = FIELD.validate(first.value)
    assert again.value == first.value
    assert again.rule is None


@given(st.text(max_size=30))
def test_arbitrary_text_never_crashes(text: str) -> None:
    result = FIELD.validate(text)
    assert result.valid in (True, False)
