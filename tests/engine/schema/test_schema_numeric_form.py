"""Numeric form: whole numbers read as `number` are `integer` columns."""

from __future__ import annotations

import random

import numpy as np
from numpy.typing import NDArray

from cleara.engine.schema.detect import detect_schema
from cleara.engine.schema.header_model import HeaderEvidence, header_evidence
from cleara.engine.schema.numeric_form import apply_numeric_form
from cleara.engine.schema.types import SEMANTIC_TYPES

INTEGER, NUMBER = SEMANTIC_TYPES.index("integer"), SEMANTIC_TYPES.index("number")


def _probs(number: float, integer: float) -> NDArray[np.float64]:
    probs = np.full(len(SEMANTIC_TYPES), (1 - number - integer) / (len(SEMANTIC_TYPES) - 2))
    probs[NUMBER], probs[INTEGER] = number, integer
    return probs


def _headers(count: int, *names: str) -> list[HeaderEvidence]:
    return header_evidence(list(names) or [None] * count, use_embeddings=False)


def test_whole_numbers_read_as_number_become_integer() -> None:
    notes: list[list[str]] = [[]]
    (adjusted,) = apply_numeric_form([_probs(0.7, 0.2)], [[184.0, 210.0, -6.0]], _headers(1), notes)
    assert adjusted[INTEGER] == 0.7
    assert adjusted[NUMBER] == 0.2
    assert notes == [["every value is a whole number: integer, not number"]]


def test_fractions_text_and_other_types_are_left_alone() -> None:
    measured = _probs(0.7, 0.2)
    money = _probs(0.1, 0.1)
    money[SEMANTIC_TYPES.index("currency_amount")] += 1.0
    money /= money.sum()
    stray = _probs(0.2, 0.7)  # an integer reading keeps a stray fraction
    columns = [measured, measured, money, stray]
    numbers = [[1.5, 2.0], None, [10.0, 20.0], [1.0, 2.5]]
    notes: list[list[str]] = [[], [], [], []]
    adjusted = apply_numeric_form(columns, numbers, _headers(len(columns)), notes)
    for before, after in zip(columns, adjusted, strict=True):
        np.testing.assert_array_equal(before, after)
    assert notes == [[], [], [], []]


def test_detection_types_float_exported_whole_numbers_as_integers() -> None:
    # A `weight` header reads as a measurement (`number`); the values are whole numbers.
    weights = [f"{v}.0" for v in (88, 78, 67, 150, 72, 145, 95, 100, 90, 180, 198, 52, 75)]
    rows = [{"weight": w, "ratio": f"{i / 7:.2f}"} for i, w in enumerate(weights, 1)]
    result = detect_schema(rows)
    assert result.types() == {"weight": "integer", "ratio": "number"}
    weight = result.columns[0]
    assert weight.alternatives[1].type == "number"
    assert "every value is a whole number: integer, not number" in weight.evidence["table"]


def test_a_column_of_only_zeros_and_ones_is_a_flag() -> None:
    flags = [0.0, 1.0] * 6
    money = _probs(0.1, 0.1)
    money[SEMANTIC_TYPES.index("currency_amount")] = 0.7
    columns = [_probs(0.2, 0.7), money, _probs(0.2, 0.7), _probs(0.2, 0.7)]
    numbers = [flags, flags, [0.0, 1.0] * 4, [0.0] * 12]  # too few values; no 1
    notes: list[list[str]] = [[], [], [], []]
    adjusted = apply_numeric_form(columns, numbers, _headers(len(columns)), notes)
    boolean = SEMANTIC_TYPES.index("boolean")
    assert adjusted[0][boolean] == 0.7
    assert adjusted[1][boolean] == 0.7
    assert notes[0] == ["only 0 and 1: boolean, not integer"]
    assert notes[1] == ["only 0 and 1: boolean, not currency_amount"]
    np.testing.assert_array_equal(adjusted[2], columns[2])
    np.testing.assert_array_equal(adjusted[3], columns[3])


def test_detection_types_float_exported_flags_as_booleans() -> None:
    values = ["0.0", "1.0", "", "0.0", "0.0", "1.0", "0.0", "0.0", "1.0", "0.0", "0.0", "0.0"]
    rows = [{"eliminated": v, "count": str(i * 3)} for i, v in enumerate(values * 3)]
    assert detect_schema(rows).types()["eliminated"] == "boolean"


def test_whole_numbers_under_a_header_naming_a_key_are_identifiers() -> None:
    counts = [_probs(0.1, 0.8)] * 4
    numbers: list[list[float] | None] = [[1.0, 2.0, 3.0]] * 3 + [[1.5, 2.0]]
    notes: list[list[str]] = [[], [], [], []]
    headers = _headers(4, "district_id", "calling code", "visits", "id")
    adjusted = apply_numeric_form(counts, numbers, headers, notes)
    identifier = SEMANTIC_TYPES.index("identifier")
    assert adjusted[0][identifier] == 0.8
    assert notes[0] == ["the header names a key: identifier, not integer"]
    # `code` may name a country or a currency too; `visits` names no key; keys are whole.
    for column in (1, 2, 3):
        np.testing.assert_array_equal(adjusted[column], counts[column])


def test_detection_types_numbered_record_keys_as_identifiers() -> None:
    rows = [{"ID": str(i), "Cards": str(i % 7 + 1)} for i in range(1, 41)]
    assert detect_schema(rows).types() == {"ID": "identifier", "Cards": "integer"}


def test_whole_numbers_under_an_age_header_are_ages() -> None:
    counts = [_probs(0.1, 0.8)] * 3
    numbers: list[list[float] | None] = [[31.0, 44.0, 50.0], [777.0, 1207.0], [31.0, 44.0]]
    notes: list[list[str]] = [[], [], []]
    headers = _headers(3, "age", "age", "visits")
    adjusted = apply_numeric_form(counts, numbers, headers, notes)
    assert adjusted[0][SEMANTIC_TYPES.index("age")] == 0.8
    assert notes[0] == ["the header names an age: age, not integer"]
    # Beyond 120 (months?) or under another header, the values stay integers.
    for column in (1, 2):
        np.testing.assert_array_equal(adjusted[column], counts[column])


def test_detection_types_ages_including_children_under_an_age_header() -> None:
    # Ages from 1 to 58 (age at diagnosis): the values alone read as plain integers.
    rng = random.Random(1)
    rows = [{"age": str(rng.randint(1, 58)), "kids": str(rng.randint(0, 5))} for _ in range(200)]
    result = detect_schema(rows)
    assert result.types()["age"] == "age"
    assert "the header names an age: age, not integer" in result.columns[0].evidence["table"]
