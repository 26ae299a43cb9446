"""IDF-weighted token features and the supervised model that uses them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cleara.engine.dedupe import supervised
from cleara.engine.dedupe.compare import compare
from cleara.engine.dedupe.data import Dataset, encode_field
from cleara.engine.dedupe.fields import FieldSpec
from cleara.engine.dedupe.token_features import RECORD, TokenFeaturizer, words


def _dataset(columns: dict[str, list[str | None]]) -> Dataset:
    fields = [
        encode_field(FieldSpec(name, "long_text", "long_text"), values, embed=False)
        for name, values in columns.items()
    ]
    size = len(next(iter(columns.values())))
    return Dataset(list(range(size)), size, False, fields)


def _feature(featurizer: TokenFeaturizer, matrix: np.ndarray, name: str) -> np.ndarray:
    return matrix[:, featurizer.names.index(name)]


def test_a_rare_shared_word_counts_more_than_a_common_one() -> None:
    titles: list[str | None] = [f"common item {i}" for i in range(30)]
    titles += ["zx81 lamp", "zx81 chair", "common lamp", "common chair"]
    data = _dataset({"title": titles})
    featurizer = TokenFeaturizer.fit(data)
    left, right = np.array([30, 32]), np.array([31, 33])  # share "zx81" / share "common"
    features = featurizer.transform(data, left, right)
    for name in ("title:weighted_jaccard", "title:rarest_shared", "title:tfidf"):
        rare, common = _feature(featurizer, features, name)
        assert rare > common, name
    digits = _feature(featurizer, features, "title:digits")
    assert digits[0] == 1.0
    assert np.isnan(digits[1])  # neither title has a word with a digit


def test_missing_text_gives_nan_and_the_record_column_joins_fields() -> None:
    data = _dataset(
        {
            "title": ["sony bravia kdl40", "kdl40", None],
            "brand": [None, "sony", "sony"],
        }
    )
    featurizer = TokenFeaturizer.fit(data)
    features = featurizer.transform(data, np.array([0, 0]), np.array([1, 2]))
    assert np.isnan(_feature(featurizer, features, "title:tfidf")[1])
    assert np.isnan(_feature(featurizer, features, "brand:tfidf")).all()
    # "sony" is in the left title and the right brand: only the whole record sees it.
    assert _feature(featurizer, features, "record:containment")[0] == pytest.approx(1.0)
    record = [n for n, o in zip(featurizer.names, featurizer.owners, strict=True) if o == RECORD]
    per_field = [n for n in featurizer.names if n.startswith("title:")]
    assert all(n.startswith("record:") for n in record)
    assert len(record) == len(per_field) + 2  # and the code features ("kdl40" is a code)


def test_the_state_round_trips_and_fields_must_match() -> None:
    data = _dataset({"title": ["a b c1", "a b c2", "x y z", "a y"]})
    featurizer = TokenFeaturizer.fit(data)
    left, right = np.array([0, 0, 2]), np.array([1, 3, 3])
    restored = TokenFeaturizer.from_dict(json.loads(json.dumps(featurizer.as_dict())))
    np.testing.assert_allclose(
        restored.transform(data, left, right),
        featurizer.transform(data, left, right),
        atol=1e-4,
    )
    with pytest.raises(ValueError, match="other fields"):
        featurizer.transform(_dataset({"name": ["a", "b"]}), np.array([0]), np.array([1]))


def _products() -> tuple[Dataset, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs whose titles differ only in a model number: it alone decides the match."""
    rng = np.random.default_rng(0)
    titles: list[str | None] = []
    left, right, truth = [], [], []
    for item in range(60):
        kind = ["camera", "laptop", "phone"][item % 3]
        model, other = f"m{item}x", f"m{item + 100}x"
        suffix = " black" if rng.random() < 0.5 else ""
        titles += [f"acme {kind} {model}", f"acme {kind} {model}{suffix}"]
        titles += [f"acme {kind} {other}"]
        base = 3 * item
        left += [base, base]
        right += [base + 1, base + 2]
        truth += [True, False]
    return _dataset({"title": titles}), np.array(left), np.array(right), np.array(truth)


def test_the_classifier_with_records_uses_and_saves_token_features() -> None:
    data, left, right, truth = _products()
    comparison = compare(data, left, right)
    model = supervised.train(comparison, truth, data=data)
    assert model.tokens is not None
    probabilities = model.probability(comparison, data)
    assert ((probabilities >= 0.5) == truth).mean() > 0.95
    with pytest.raises(ValueError, match="data="):
        model.probability(comparison)
    restored = supervised.SupervisedModel.from_string(
        model.to_string(), model.feature_fields, model.fields
    )
    np.testing.assert_allclose(restored.probability(comparison, data), probabilities)
    per_field, base, _ = model.contributions(comparison, data)
    logit = np.log(probabilities / (1 - probabilities))
    np.testing.assert_allclose(per_field.sum(axis=1) + base, logit, atol=1e-6)


def test_the_classifier_without_records_is_unchanged() -> None:
    data, left, right, truth = _products()
    comparison = compare(data, left, right)
    model = supervised.train(comparison, truth)
    assert model.tokens is None
    assert json.loads(model.to_string())["tokens"] is None
    assert len(model.probability(comparison)) == len(truth)
    model, held_out = supervised.fit(comparison, truth)
    assert model.tokens is None
    assert held_out is not None
    assert not np.isnan(held_out).any()


def test_a_booster_stored_before_level_odds_still_loads() -> None:
    data, left, right, truth = _products()
    comparison = compare(data, left, right)
    model = supervised.train(comparison, truth, data=data)
    model.level_odds = None
    old = json.dumps(
        {
            "format": "cleara-supervised-v2",
            "booster": model.booster.model_to_string(),
            "tokens": model.tokens.as_dict() if model.tokens else None,
        }
    )
    assert model.to_string() == old
    restored = supervised.SupervisedModel.from_string(old, model.feature_fields, model.fields)
    assert restored.level_odds is None
    np.testing.assert_allclose(
        restored.probability(comparison, data), model.probability(comparison, data)
    )
    plain = supervised.SupervisedModel.from_string(
        model.booster.model_to_string(), model.feature_fields, model.fields
    )
    assert plain.tokens is None
    assert plain.level_odds is None


def test_version_numbers_meet_however_they_are_written() -> None:
    assert words("Adobe Audition2") == ["adobe", "audition2", "audition", "2"]
    assert set(words("audition 2.0")) <= set(words("Audition2"))
    assert words("SubmitWolf v6 .0") == ["submitwolf", "v6", "v", "6"]
    assert "a5992jch" in words("encore a5992jch")  # a model code still counts whole
    assert words("1.05 cs3") == ["1", "05", "cs3", "cs", "3"]
