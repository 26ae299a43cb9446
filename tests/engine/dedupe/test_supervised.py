"""The supervised model: level odds counted on labels, stacked with the trees."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cleara.engine.dedupe import fellegi_sunter, supervised
from cleara.engine.dedupe.compare import compare
from cleara.engine.dedupe.data import Dataset, encode_field
from cleara.engine.dedupe.fields import FieldSpec
from cleara.engine.table import InputError


def _songs(versions: int) -> tuple[Dataset, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of one song in two shops (lengths a second or two apart), pairs of two songs
    (most of another length), and `versions` pairs of a song and its remix: the same title,
    a minute longer."""
    rng = np.random.default_rng(0)
    titles: list[str | None] = []
    lengths: list[str | None] = []
    left, right, truth = [], [], []

    def add(title_a: str, title_b: str, length_a: int, length_b: int, match: bool) -> None:
        left.append(len(titles))
        right.append(len(titles) + 1)
        titles.extend([title_a, title_b])
        lengths.extend([str(length_a), str(length_b)])
        truth.append(match)

    words = ["love", "night", "river", "fire", "heart", "road", "dream", "light", "rain"]
    for song in range(200):
        title = " ".join(rng.choice(words, 3)) + f" {song}"
        other = " ".join(rng.choice(words, 3)) + f" {song + 1000}"
        length = int(rng.integers(150, 300))
        add(title, title, length, length + int(rng.integers(0, 3)), True)
        other_length = length if rng.random() < 0.3 else length + int(rng.integers(40, 120))
        add(title, other, length, other_length, False)
        if song < versions:
            add(title, f"{title} remix", length, length + 60, False)
    fields = [
        encode_field(FieldSpec("title", "long_text", "text"), titles, embed=False),
        encode_field(FieldSpec("length", "number", "number"), lengths, embed=False),
    ]
    data = Dataset(ids=list(range(len(titles))), n_left=len(titles), link=False, fields=fields)
    return data, np.array(left), np.array(right), np.array(truth)


def test_level_odds_count_each_level_on_the_labels() -> None:
    levels = np.array([[0, -1], [0, 2], [0, 2], [3, 2], [3, -1], [3, 1]], dtype=np.int8)
    labels = np.array([True, True, True, False, False, False])
    odds = supervised.LevelOdds.fit(levels, labels)
    assert odds.odds[0, 1] > 0 > odds.odds[0, 4]  # exact titles: matches; different: not
    assert odds.odds[0, 0] == odds.odds[1, 0] == 0.0  # a missing value is no evidence
    assert odds.odds[0, 2] == 0.0  # a level no label shows
    assert odds.prior == 0.0
    np.testing.assert_allclose(odds.per_field(levels).sum(axis=1), odds.logit(levels))
    restored = supervised.LevelOdds.from_dict(json.loads(json.dumps(odds.as_dict())))
    np.testing.assert_allclose(restored.odds, odds.odds, atol=1e-6)


def test_fit_stacks_trees_and_level_odds_and_explains_both() -> None:
    data, left, right, truth = _songs(versions=6)
    comparison = compare(data, left, right)
    model, held_out = supervised.fit(comparison, truth, data=data)
    assert held_out is not None
    assert ((held_out >= 0.5) == truth).mean() > 0.95
    intercept, trees, odds, fs = model.stack
    assert fs == 0.0  # not given
    assert trees > 0
    assert odds > 0
    assert model.level_odds is not None
    raw = model.booster.predict(
        supervised.design_matrix(comparison, data, model.tokens), raw_score=True
    )
    logit = intercept + trees * raw + odds * model.level_odds.logit(comparison.levels)
    probabilities = model.probability(comparison, data)
    np.testing.assert_allclose(probabilities, 1 / (1 + np.exp(-logit)))
    per_field, base, adjustments = model.contributions(comparison, data)
    assert adjustments == {}
    np.testing.assert_allclose(per_field.sum(axis=1) + base, logit, atol=1e-6)
    restored = supervised.SupervisedModel.from_string(
        model.to_string(), model.feature_fields, model.fields
    )
    assert restored.stack == model.stack
    np.testing.assert_allclose(restored.probability(comparison, data), probabilities)


def test_few_labels_leave_the_trees_alone() -> None:
    data, left, right, truth = _songs(versions=0)
    keep = np.arange(supervised.STACK_LABELS - 1)
    model, held_out = supervised.fit(compare(data, left[keep], right[keep]), truth[keep])
    assert held_out is None
    assert model.stack == (0.0, 1.0, 0.0, 0.0)


def test_stored_level_odds_must_fit_the_fields() -> None:
    data, left, right, truth = _songs(versions=0)
    model = supervised.train(compare(data, left, right), truth)
    with pytest.raises(InputError, match="level odds"):
        supervised.SupervisedModel.from_string(model.to_string(), model.feature_fields, 3)
    state = json.loads(model.to_string())
    state["stack"] = [0.0, 1.0, 0.0]
    with pytest.raises(InputError, match="stacking weights"):
        supervised.SupervisedModel.from_string(
            json.dumps(state), model.feature_fields, model.fields
        )


def test_fellegi_sunter_is_stacked_when_it_helps_and_stored_with_the_model() -> None:
    data, left, right, truth = _songs(versions=6)
    comparison = compare(data, left, right)
    unsupervised = fellegi_sunter.fit(data, comparison)
    model, _ = supervised.fit(comparison, truth, data=data, fellegi_sunter=unsupervised)
    if model.stack[3] > 0:
        assert model.fellegi_sunter is unsupervised
    else:
        assert model.fellegi_sunter is None  # left out: not stored either
    model.fellegi_sunter, model.stack = unsupervised, (0.1, 0.5, 0.2, 0.3)
    state = json.loads(model.to_string())
    restored = supervised.SupervisedModel.from_string(
        json.dumps(state), model.feature_fields, model.fields
    )
    np.testing.assert_allclose(
        restored.probability(comparison, data), model.probability(comparison, data)
    )
    per_field, base, adjustments = model.contributions(comparison, data)
    extra = sum(adjustments.values(), np.zeros(len(comparison)))
    np.testing.assert_allclose(
        per_field.sum(axis=1) + base + extra, model.logit(comparison, data), atol=1e-6
    )
    stored = state["fellegi_sunter"]
    for key in ("fields", "kinds", "m", "u", "home", "household_levels", "movable"):
        stored[key] = stored[key][:1]  # a consistent model of the first field only
    with pytest.raises(InputError, match="Fellegi-Sunter"):
        supervised.SupervisedModel.from_string(
            json.dumps(state), model.feature_fields, model.fields
        )
