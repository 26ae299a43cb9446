"""Tests for the text field: mojibake, invisible characters, whitespace and NFC."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleara.engine.fields.text import (
    FIELD,
    RULE_INVISIBLE,
    RULE_MOJIBAKE,
    RULE_NFC,
    RULE_WHITESPACE,
    clean_text,
    looks_like_mojibake,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("cafÃ©", "café"),
        ("â€œquotedâ€", "“quoted”"),
        ("â€œquotedâ€\x9d", "“quoted”"),
        ("He said â€œhiâ€. Then left", "He said “hi”. Then left"),
        ("â€™s", "’s"),
        ("SÃ£o Paulo", "São Paulo"),
        ("MÃ¼ller", "Müller"),
        ("Ã©tÃ©", "été"),
        ("â€”", "—"),
        ("\x93quoted\x94", "“quoted”"),
    ],
)
def test_mojibake_is_repaired(raw: str, expected: str) -> None:
    assert clean_text(raw) == (expected, [RULE_MOJIBAKE])


@pytest.mark.parametrize(
    "clean",
    ["naïve café", "“curly” quotes — and dashes…", "ﬁne ligature", "Ｆｕｌｌ width", "Ã", "東京"],
)
def test_clean_non_ascii_text_is_left_alone(clean: str) -> None:
    assert clean_text(clean) == (clean, [])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zero\u200bwidth", "zerowidth"),
        ("\ufeffBOM first", "BOM first"),
        ("soft\u00adhyphen", "softhyphen"),
        ("\u202eabc\u202c", "abc"),
        ("left\u200eright\u200f", "leftright"),
        ("bell\x07 and null\x00", "bell and null"),
        ("word\u2060joiner", "wordjoiner"),
        ("a\u200db", "ab"),
        ("\u200cedge", "edge"),
    ],
)
def test_invisible_characters_are_removed(raw: str, expected: str) -> None:
    assert clean_text(raw) == (expected, [RULE_INVISIBLE])


@pytest.mark.parametrize(
    "kept",
    ["👨\u200d👩\u200d👧", "می\u200cخواهم", "क्\u200dष"],
)
def test_joiners_inside_scripts_and_emoji_are_kept(kept: str) -> None:
    assert clean_text(kept) == (kept, [])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  padded  ", "padded"),
        ("many   inner \t\t spaces", "many inner spaces"),
        ("non\u00a0breaking\u202fspaces", "non breaking spaces"),
        ("line one  \r\nline two\rline three", "line one\nline two\nline three"),
        ("para one\n\n\n\n  para two  ", "para one\n\npara two"),
        ("\n\nleading and trailing blank lines\n\n", "leading and trailing blank lines"),
        ("line\u2028separator", "line\nseparator"),
    ],
)
def test_whitespace_is_normalized(raw: str, expected: str) -> None:
    assert clean_text(raw) == (expected, [RULE_WHITESPACE])


def test_single_newlines_are_kept() -> None:
    assert clean_text("first\nsecond") == ("first\nsecond", [])


def test_decomposed_accents_are_composed() -> None:
    assert clean_text("cafe\u0301") == ("café", [RULE_NFC])


def test_several_repairs_are_listed_in_priority_order() -> None:
    cleaned, rules = clean_text("  cafÃ©\u200b  au\u00a0lait e\u0301 ")
    assert cleaned == "café au lait é"
    assert rules == [RULE_MOJIBAKE, RULE_INVISIBLE, RULE_WHITESPACE, RULE_NFC]


def test_looks_like_mojibake_is_false_for_ascii_and_clean_text() -> None:
    assert not looks_like_mojibake("plain ascii")
    assert not looks_like_mojibake("crème brûlée")
    assert looks_like_mojibake("crÃ¨me")


def test_validate_reports_mojibake_as_info() -> None:
    result = FIELD.validate("cafÃ©")
    assert result.valid
    assert result.value == "café"
    assert result.rule == RULE_MOJIBAKE
    assert [(i.code, i.severity) for i in result.issues] == [("text_mojibake", "info")]
    assert result.components == {"repairs": [RULE_MOJIBAKE]}


def test_validate_unchanged_text_has_no_rule() -> None:
    result = FIELD.validate("Already clean")
    assert (result.valid, result.value, result.rule, result.issues) == (
        True,
        "Already clean",
        None,
        [],
    )


@pytest.mark.parametrize("raw", ["\u200b", "\u200b\ufeff \u00ad", "\u200b-", "\u200bN/A"])
def test_text_that_cleans_to_nothing_or_a_null_token_is_null(raw: str) -> None:
    result = FIELD.validate(raw)
    assert result.valid
    assert result.value is None


def test_null_tokens_are_null() -> None:
    assert FIELD.validate("N/A").value is None
    assert FIELD.validate(None).value is None


def test_column_cleaning_reuses_results() -> None:
    results = FIELD.clean_column(["  a ", "  a ", "cafÃ©", None])
    assert [r.value for r in results] == ["a", "a", "café", None]


_MOJIBAKE_PRONE = st.text(
    alphabet=st.sampled_from(list("aé Ã©â€œ™\x9d\u200b\u200d\u00a0\t\n\r\u0301É‰Â£ï")), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), _MOJIBAKE_PRONE))
def test_clean_text_is_idempotent(raw: str) -> None:
    cleaned, _ = clean_text(raw)
    assert clean_text(cleaned) == (cleaned, [])


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), _MOJIBAKE_PRONE))
def test_validate_is_idempotent(raw: str) -> None:
    first = FIELD.validate(raw)
    again = FIELD.validate(first.value)
    assert again.value == first.value
    assert again.rule is None
