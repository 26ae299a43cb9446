"""Comparison levels, Fellegi-Sunter with term frequencies, thresholds, the classifier."""

from __future__ import annotations

import numpy as np
import pytest

from cleara.engine.dedupe.compare import LEVELS, compare
from cleara.engine.dedupe.data import Dataset, encode_field
from cleara.engine.dedupe.fellegi_sunter import fit
from cleara.engine.dedupe.fields import FieldSpec, fold
from cleara.engine.dedupe.threshold import (
    best_f1_threshold,
    expected_f1_threshold,
    f1_score,
    parse_threshold,
    stable_f1_threshold,
)
from cleara.engine.table import InputError


def _dataset(kind: str, values: list[str | None]) -> Dataset:
    spec = FieldSpec("f", kind, kind)
    return Dataset(
        list(range(len(values))), len(values), False, [encode_field(spec, values, embed=False)]
    )


@pytest.mark.parametrize(
    ("kind", "a", "b", "level"),
    [
        ("name", "jonathan", "jonathon", "typo"),
        ("name", "philip", "fillip", "phonetic or close"),
        ("name", "mary", "peter", "different"),
        ("date", "1980-03-04", "1980-04-03", "typo or day/month swap"),
        ("date", "1980-03-04", "1980-09-30", "within a year"),
        ("phone", "4155552671", "4155552617", "one typo"),
        ("email", "ann@x.com", "ann@y.org", "same user name"),
        ("email", "paul.wood890@outlook.com", "paul.wood890@outlopk.com", "one typo"),
        ("email", "paul.wood890@outlook.com", "paul.woood890@outlook.com", "one typo"),
        # Namesakes' accounts: the number tells them apart.
        ("email", "mary.rivera608@gmail.com", "mary.rivera308@gmail.com", "different"),
        ("email", "ann.lee35@x.com", "ann.lee315@x.com", "different"),
        ("identifier", "1234567", "1234576", "one typo"),
        ("number", "100", "100.5", "within 1%"),
        ("text", "12 main street", "12 main st", "very similar"),
        ("text", "12 main street", "99 ocean drive", "different"),
    ],
)
def test_levels(kind: str, a: str, b: str, level: str) -> None:
    data = _dataset(kind, [a, b, None])
    comparison = compare(data, np.array([0, 0]), np.array([1, 2]))
    assert LEVELS[kind][comparison.levels[0, 0]] == level
    levels_only = compare(data, np.array([0]), np.array([1]), features=False)
    assert levels_only.levels[0, 0] == comparison.levels[0, 0]
    assert comparison.levels[1, 0] == -1  # a missing value
    assert np.isnan(comparison.features[1]).all()


def test_term_frequency_makes_rare_agreement_count_more() -> None:
    names = ["smith"] * 40 + ["zanzibar", "zanzibar"] + [f"name{i}" for i in range(40)]
    data = _dataset("name", names)
    pairs = (np.array([0, 40]), np.array([1, 41]))
    comparison = compare(data, *pairs)
    model = fit(data, comparison)
    weights = model.field_weights(data, comparison)
    assert weights[1, 0] > weights[0, 0] > 0


def test_thresholds() -> None:
    assert parse_threshold("auto") is None
    assert parse_threshold(0.7) == 0.7
    with pytest.raises(InputError):
        parse_threshold(-0.1)
    with pytest.raises(InputError):
        parse_threshold(True)
    scores = np.array([0.95, 0.9, 0.6, 0.4, 0.1])
    labels = np.array([True, True, True, False, False])
    cut = best_f1_threshold(scores, labels)
    assert 0.4 < cut < 0.6
    assert f1_score(scores >= cut, labels) == 1.0
    assert 0.05 <= expected_f1_threshold(np.array([0.99, 0.98, 0.02, 0.01])) <= 0.95


def test_stable_threshold_takes_the_middle_of_near_best_cuts() -> None:
    # Few labels: the cuts between 0.2 and 0.8 are all within one standard error of the best.
    scores = np.array([0.95, 0.9, 0.85, 0.8, 0.7, 0.3, 0.2, 0.1])
    labels = np.array([True, True, True, False, True, False, True, False])
    best = best_f1_threshold(scores, labels)
    stable = stable_f1_threshold(scores, labels)
    assert best < 0.2
    assert 0.3 < stable < 0.8
    # Many labels, a clean split: the best cut only.
    scores = np.linspace(1.0, 0.0, 400)
    labels = scores > 0.5
    assert abs(stable_f1_threshold(scores, labels) - 0.5) < 0.01
    assert stable_f1_threshold(np.zeros(0), np.zeros(0, dtype=bool)) == 0.5


def test_fold_keeps_non_latin_text() -> None:
    assert fold("  José  GARCÍA ") == "jose garcia"
    assert fold("张伟") == "张伟"
    assert fold("Иван") == "иван"
