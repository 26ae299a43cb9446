"""Header names to semantic types."""

from __future__ import annotations

import pytest

from cleara.engine.schema.headers import header_type, normalize_header, synonyms
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
    ],
)
def test_known_headers(header, expected):
    assert header_type(header) == expected


@pytest.mark.parametrize("header", ["col7", "", "   ", "zzz"])
def test_unknown_headers(header):
    assert header_type(header) is None


def test_normalization_strips_accents_case_and_separators():
    assert normalize_header("  Código_Postal ") == "codigo postal"
    assert normalize_header("lastName") == "last name"


def test_every_synonym_type_is_in_the_taxonomy():
    assert set(synonyms()) <= set(SEMANTIC_TYPES)
