"""Values in other scripts read in Latin letters."""

from __future__ import annotations

import pytest

from cleara.engine.dedupe.data import phonetic_key
from cleara.engine.dedupe.scripts import has_syllable_signs, latin_skeleton, romanized


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("иван петров", "ivan petrov"),
        ("ольга", "olga"),  # the soft sign is dropped, as Latin spellings do
        ("παπαδοπουλος", "papadopoulos"),
        ("王小明", "wang xiao ming"),  # a word per syllable
        ("ivan", "ivan"),
    ],
)
def test_romanized(text: str, latin: str) -> None:
    assert romanized(text) == latin


@pytest.mark.parametrize(
    ("one", "other"),
    [("юлия", "iuliia"), ("юлия", "yuliya"), ("михей", "mihey"), ("александр", "alexandr"),
     ("семён", "semen"), ("дмитрий", "dmitry"), ("νταιζη", "daizi")],
)  # fmt: skip
def test_transliteration_variants_share_a_skeleton(one: str, other: str) -> None:
    assert latin_skeleton(one) == latin_skeleton(other)


def test_different_names_keep_different_skeletons() -> None:
    assert latin_skeleton("иван") != latin_skeleton("ivanov")
    assert latin_skeleton("ольга") != latin_skeleton("olesya")


def test_syllable_signs() -> None:
    assert has_syllable_signs("王小明")
    assert has_syllable_signs("김민준")
    assert not has_syllable_signs("иван")
    assert not has_syllable_signs("ivan")


def test_phonetic_keys_meet_across_alphabets_but_not_for_chinese_characters() -> None:
    assert phonetic_key("петров") == phonetic_key("petrov") is not None
    assert phonetic_key("王小明") is None
