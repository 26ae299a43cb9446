"""Company names without their legal form, for matching."""

from __future__ import annotations

import pytest

from cleara.engine.dedupe.fields import fold
from cleara.engine.fields.company import company_words, legal_forms, name_words


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Acme Corporation", "acme"),
        ("ACME Corp.", "acme"),
        ("Acme Co., Ltd.", "acme"),
        ("Globex Gesellschaft mit beschränkter Haftung", "globex"),
        ("Hall Pharma GmbH & Co. KG", "hall pharma"),
        ("Ixvexnor Printing Pty. Ltd.", "ixvexnor printing"),
        ("Société Générale S.A.", "societe generale"),
        ("Norsk Hydro ASA", "norsk hydro"),
        ("Foo A/S", "foo"),
        ("The Coca-Cola Company", "coca cola"),
        ("Procter & Gamble Co.", "procter gamble"),
        ("Procter and Gamble", "procter gamble"),
        ("Barley John 's Brew Pub", "barley johns brew pub"),
        ("Kuhnhenn Brewing Company", "kuhnhenn brewing"),
    ],
)
def test_legal_forms_and_spellings_are_set_aside(name: str, words: str) -> None:
    assert company_words(fold(name)) == words


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("The Limited", "limited"),  # nothing but legal-form words: kept
        ("Company", "company"),
        ("Inc.", "inc"),
        ("Acme UK Ltd", "acme uk"),  # a country is no legal form
        ("Radio OK", "radio ok"),
    ],
)
def test_a_name_keeps_a_word_and_everyday_words(name: str, words: str) -> None:
    assert company_words(fold(name)) == words


def test_legal_forms_come_as_word_tuples() -> None:
    forms = legal_forms()
    assert {("gmbh",), ("llc",), ("sa",), ("pty", "ltd"), ("gmbh", "co", "kg")} <= forms
    assert ("uk",) not in forms
    assert ("private",) not in forms


def test_name_words_join_a_possessive_and_drop_and() -> None:
    assert name_words("smith and jones s.a.") == ["smith", "jones", "sa"]
    assert name_words("john s bar") == ["johns", "bar"]
    assert name_words("s") == ["s"]
