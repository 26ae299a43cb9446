"""Country field: ISO codes from codes, names, aliases and translations."""

from __future__ import annotations

import gettext

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import DamerauLevenshtein

from cleara.engine.fields import country
from cleara.engine.fields.base import FieldOptions

FIELD = country.FIELD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("united states of america", "US"),
        ("America", "US"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("Scotland", "GB"),
        ("Wales", "GB"),
        ("Holland", "NL"),
        ("the Netherlands", "NL"),
        ("Deutschland", "DE"),
        ("Allemagne", "DE"),
        ("Alemania", "DE"),
        ("Espagne", "ES"),
        ("España", "ES"),
        ("ESPANA", "ES"),
        ("Brasil", "BR"),
        ("Brazil", "BR"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Republic of Korea", "KR"),
        ("Korea", "KR"),
        ("North Korea", "KP"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("St. Lucia", "LC"),
        ("Bosnia & Herzegovina", "BA"),
        ("Россия", "RU"),
        ("日本", "JP"),
        ("Vereinigtes Königreich", "GB"),
        ("Estados Unidos", "US"),
        ("Germany (DE)", "DE"),
        ("DE - Germany", "DE"),
        ("  germany  ", "DE"),
        ("Kosovo", "XK"),
    ],
)
def test_names_and_aliases(text: str, expected: str) -> None:
    result = FIELD.validate(text)
    assert result.valid
    assert result.value == expected
    assert result.issues == []
    assert result.confidence == 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NA", "NA"),
        ("na", "NA"),
        ("IN", "IN"),
        ("in", "IN"),
        ("DEU", "DE"),
        ("840", "US"),
        ("4", "AF"),
        ("004", "AF"),
        ("u.s.", "US"),
        ("U S A", "US"),
    ],
)
def test_codes(text: str, expected: str) -> None:
    assert FIELD.validate(text).value == expected


def test_every_iso_code_and_english_name_resolves() -> None:
    wrong = []
    for record in pycountry.countries:
        names = [record.alpha_2, record.alpha_3, record.numeric, record.name]
        names += [
            getattr(record, a) for a in ("official_name", "common_name") if hasattr(record, a)
        ]
        wrong += [
            (name, record.alpha_2) for name in names if country.to_alpha2(name) != record.alpha_2
        ]
    assert wrong == []


@pytest.mark.parametrize("language", ["de", "fr", "es", "pt", "it", "nl"])
def test_translated_names_resolve(language: str) -> None:
    catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    wrong = []
    for record in pycountry.countries:
        local = catalogue.gettext(record.name)
        result = FIELD.validate(local)
        ambiguous = result.issues and result.issues[0].code == "country_ambiguous"
        if result.value != record.alpha_2 and not ambiguous:
            wrong.append((local, record.alpha_2, result.value))
    assert wrong == []


def test_components() -> None:
    result = FIELD.validate("Deutschland")
    assert result.components == {
        "alpha_2": "DE",
        "alpha_3": "DEU",
        "name": "Germany",
        "numeric": "276",
    }
    assert result.rule == "country.alpha2"
    assert FIELD.validate("DE").rule is None
    assert FIELD.validate("Korea").components["name"] == "South Korea"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Germny", "DE"),
        ("Frnace", "FR"),
        ("Untied States", "US"),
        ("Austrailia", "AU"),
        ("Switzerlnd", "CH"),
        ("Argentinna", "AR"),  # a letter too many
        ("Argntina", "AR"),  # a letter too few
    ],
)
def test_fuzzy_typos(text: str, expected: str) -> None:
    result = FIELD.validate(text)
    assert result.valid
    assert result.value == expected
    assert result.rule == "country.fuzzy"
    assert [issue.code for issue in result.issues] == ["country_fuzzy_match"]
    assert 0 < result.confidence < 0.95


@pytest.mark.parametrize("text", ["Atlantis", "xyz", "Paris, France", "12345", "Iraa", "ZZ"])
def test_unknown(text: str) -> None:
    result = FIELD.validate(text)
    assert not result.valid
    assert result.value is None
    assert result.issues[0].code == "country_unknown"


def test_ambiguous_name_is_not_guessed() -> None:
    result = FIELD.validate("Virgin Islands")
    assert not result.valid
    assert result.issues[0].code == "country_ambiguous"
    assert "VG" in result.issues[0].message
    assert "VI" in result.issues[0].message


def test_codes_are_not_shadowed_by_aliases() -> None:
    for record in pycountry.countries:
        assert country.to_alpha2(record.alpha_2.lower()) == record.alpha_2
        assert country.to_alpha2(record.alpha_3) == record.alpha_2


def test_fuzzy_candidates_are_the_keys_of_a_reachable_length() -> None:
    keys, codes, masks = country._fuzzy_candidates(9, 2)
    assert keys
    assert all(7 <= len(k) <= 11 for k in keys)
    assert len(keys) == len(codes) == len(masks)
    everything = country._index().fuzzy_keys
    assert len(keys) < len(everything)
    assert [k for k in everything if 7 <= len(k) <= 11] == list(keys)


_KEY_CHARS = st.sampled_from("aeinorstulgkdmbcyhzwéü ")


@settings(max_examples=300, deadline=None)
@given(st.text(_KEY_CHARS, min_size=5, max_size=20), st.data())
def test_the_character_mask_filter_keeps_every_key_within_reach(
    key: str, data: st.DataObject
) -> None:
    """Keys skipped by the mask filter are farther than the allowed edits: the filter finds
    exactly the keys within reach that a full scan finds, here and for edited country keys."""
    keys = country._fuzzy_candidates(9, 2)[0]
    edited = data.draw(st.sampled_from(keys)) + data.draw(st.text(_KEY_CHARS, max_size=2))
    for query in (key, edited):
        edits = country._allowed_edits(len(query))
        everything = country._fuzzy_candidates(len(query), edits)[0]
        reach = [k for k in everything if DamerauLevenshtein.distance(query, k) <= edits]
        near, _codes = country._near_keys(query, edits)
        assert [k for k in near if k in reach] == reach


def test_helpers() -> None:
    assert country.to_alpha2("Holland") == "NL"
    assert country.to_alpha2("Germny") is None  # exact matching only
    assert country.to_alpha2("x" * 500) is None
    assert country.region_option("gb") == "GB"
    assert country.region_option("United Kingdom") == "GB"
    assert country.region_option("") is None
    assert country.region_option(None) is None
    info = country.country_info("fr")
    assert info is not None
    assert info.alpha_3 == "FRA"
    assert country.country_info("QQ") is None


def test_null_tokens_and_options_are_ignored() -> None:
    assert FIELD.validate("N/A").value is None
    assert FIELD.validate("France", FieldOptions(country="US")).value == "FR"


_NAMES = [record.name for record in pycountry.countries] + ["USA", "UK", "Holland", "Korea"]


@given(name=st.sampled_from(_NAMES), upper=st.booleans(), pad=st.sampled_from(["", " ", "  "]))
def test_idempotent_on_names(name: str, upper: bool, pad: str) -> None:
    text = pad + (name.upper() if upper else name.lower()) + pad
    first = FIELD.validate(text)
    assert first.valid
    again = FIELD.validate(first.value)
    assert again.value == first.value
    assert again.rule is None


@given(st.text(max_size=40))
def test_any_text_is_handled_idempotently(text: str) -> None:
    first = FIELD.validate(text)
    if first.valid and first.value is not None:
        assert FIELD.validate(first.value).value == first.value
    else:
        assert first.value is None
