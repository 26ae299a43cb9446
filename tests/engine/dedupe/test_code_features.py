"""Product codes compared across whole records, however they are punctuated."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cleara.engine.dedupe.code_features import (
    MAX_CODES,
    _records,
    code_fields,
    codes,
    pair_features,
)
from cleara.engine.dedupe.data import Dataset, encode_field
from cleara.engine.dedupe.fields import FieldSpec
from cleara.engine.dedupe.token_features import TokenFeaturizer


def _dataset(columns: dict[str, tuple[str, list[str | None]]]) -> Dataset:
    fields = [
        encode_field(FieldSpec(name, kind, kind), values, embed=False)
        for name, (kind, values) in columns.items()
    ]
    size = len(next(iter(columns.values()))[1])
    return Dataset(list(range(size)), size, False, fields)


def test_codes_drop_punctuation_and_need_a_digit() -> None:
    assert codes("Canon CLI-221 magenta 2948b001") == ["cli221", "2948b001"]
    assert codes("rr-vtps-28pk-r1 / 910-001898") == ["rrvtps28pkr1", "910001898"]
    # Words, short codes and short numbers (a year, a size) are no codes.
    assert codes("black ink 2011 hp 61 5x") == []


def _catalogue() -> Dataset:
    return _dataset(
        {
            "title": (
                "text",
                [
                    "cooler master vortex plus cpu cooler",
                    "cooler master vortex plus cpu cooler rr-vtps-28pk-r1",
                    "storm case with foam im2306-30001",
                    "storm case with foam",
                    "plain paper",
                    "plain paper ream",
                ],
            ),
            "modelno": ("code", ["rrvtps28pkr1", None, None, "im2306-30002", None, None]),
        }
    )


def test_a_code_in_one_records_field_is_found_in_the_others_title() -> None:
    data = _catalogue()
    fields = code_fields(data)
    assert fields == [0, 1]
    found, near = pair_features(data, fields, np.array([0, 2, 4]), np.array([1, 3, 5])).T
    assert found[0] == len("rrvtps28pkr1")
    assert np.isnan(near[0])  # every code was found
    # One character apart: not found, and the closest codes are very alike (a variant).
    assert found[1] == 0.0
    assert near[1] == pytest.approx(1 - 2 / 22)
    assert np.isnan(found[2])  # neither record holds a code
    assert np.isnan(near[2])


def test_codes_only_in_their_own_fields_leave_the_features_off() -> None:
    people = _dataset(
        {
            "address": ("text", [f"{n} main street" for n in range(40)]),
            "zip": ("code", [f"{10000 + n}" for n in range(40)]),
        }
    )
    assert code_fields(people) == []
    featurizer = TokenFeaturizer.fit(people)
    assert not any("code_" in name for name in featurizer.names)


def test_the_token_featurizer_adds_them_and_keeps_them_in_its_state() -> None:
    data = _catalogue()
    featurizer = TokenFeaturizer.fit(data)
    assert featurizer.names[-2:] == ["record:code_found", "record:code_near"]
    left, right = np.array([0, 2]), np.array([1, 3])
    matrix = featurizer.transform(data, left, right)
    assert matrix.shape == (2, len(featurizer.names))
    restored = TokenFeaturizer.from_dict(json.loads(json.dumps(featurizer.as_dict())))
    assert restored.code_fields == featurizer.code_fields
    np.testing.assert_allclose(restored.transform(data, left, right), matrix, atol=1e-4)
    older = featurizer.as_dict()
    del older["code_fields"]  # saved before code features existed
    assert TokenFeaturizer.from_dict(older).names == featurizer.names[:-2]


def test_a_long_part_list_keeps_only_its_first_codes() -> None:
    parts = " ".join(f"p{n:04d}x" for n in range(500))
    data = _dataset({"description": ("long_text", [f"kit zq7701 {parts}", "zq7701 kit", "kit"])})
    fields = code_fields(data)
    kept = _records(data, np.array([0]), fields)[0].codes
    assert len(kept) == MAX_CODES
    assert "zq7701" in kept
    found, near = pair_features(data, fields, np.array([0]), np.array([1])).T
    assert found[0] == len("zq7701")
    assert np.isnan(near[0])  # the other record's only code was found
