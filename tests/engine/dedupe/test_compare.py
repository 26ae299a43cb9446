"""Pairwise comparison: the levels-only mode agrees with the full one."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from people import PEOPLE

from cleara.engine.dedupe.compare import FEATURES, compare, distinct_pairs, words_conflict
from cleara.engine.dedupe.data import Dataset, build_dataset, encode_field
from cleara.engine.dedupe.fellegi_sunter import level_patterns
from cleara.engine.dedupe.fields import FieldSpec, plan_fields


def _all_pairs() -> tuple[object, np.ndarray, np.ndarray]:
    columns = [c for c in PEOPLE[0] if c != "id"]
    specs = plan_fields(columns, PEOPLE, id_field="id")
    data = build_dataset(specs, PEOPLE, [r["id"] for r in PEOPLE])
    pairs = np.array(list(itertools.combinations(range(len(PEOPLE)), 2)), dtype=np.int64)
    return data, pairs[:, 0], pairs[:, 1]


def test_levels_only_gives_the_same_levels_and_no_features() -> None:
    data, left, right = _all_pairs()
    full = compare(data, left, right)  # type: ignore[arg-type]
    levels_only = compare(data, left, right, features=False)  # type: ignore[arg-type]
    assert np.array_equal(full.levels, levels_only.levels)
    assert levels_only.features.shape == (len(left), 0)
    kinds = [f.spec.kind for f in data.fields]  # type: ignore[attr-defined]
    assert full.features.shape[1] == sum(len(FEATURES[k]) for k in kinds)


def test_level_patterns_count_every_row_once() -> None:
    rng = np.random.default_rng(1)
    levels = rng.integers(-1, 5, size=(5000, 9)).astype(np.int8)
    patterns, counts = level_patterns(levels)
    expected, expected_counts = np.unique(levels, axis=0, return_counts=True)
    got = dict(zip(map(bytes, patterns), counts, strict=True))
    assert got == dict(zip(map(bytes, expected), expected_counts.astype(float), strict=True))
    assert counts.sum() == len(levels)


def test_distinct_pairs_index_back_to_every_pair() -> None:
    rng = np.random.default_rng(2)
    repeated_a = rng.integers(0, 5, 1000).astype(np.int32)  # few distinct pairs: deduplicated
    repeated_b = rng.integers(0, 5, 1000).astype(np.int32)
    ua, ub, inverse = distinct_pairs(repeated_a, repeated_b, 5)
    assert inverse is not None
    assert len(ua) <= 25
    assert np.array_equal(ua[inverse], repeated_a)
    assert np.array_equal(ub[inverse], repeated_b)
    spread_a = np.arange(1000, dtype=np.int32)  # all distinct: compared as they are
    ua, ub, inverse = distinct_pairs(spread_a, spread_a[::-1].copy(), 1000)
    assert inverse is None
    assert np.array_equal(ua, spread_a)


def test_first_and_last_name_the_other_way_round_count_as_typos() -> None:
    rows = [
        {"first_name": "Maria", "last_name": "Lopez"},
        {"first_name": "Lopez", "last_name": "Maria"},
        {"first_name": "Anna", "last_name": "Berg"},
        {"first_name": "Lpoez", "last_name": "Maria"},
        {"first_name": "Lopez", "last_name": "Mario"},
        {"first_name": "Lopes", "last_name": "Mario"},
        {"first_name": "Lopez", "last_name": None},
    ]
    specs = plan_fields(["first_name", "last_name"], rows)
    assert [s.type for s in specs] == ["first_name", "last_name"]
    data = build_dataset(specs, rows, list(range(len(rows))))
    levels = compare(data, np.zeros(6, dtype=np.int64), np.arange(1, 7)).levels
    assert levels[0].tolist() == [1, 1]  # swapped: one typo each
    assert levels[1].tolist() == [4, 4]  # different people: different names
    assert levels[2].tolist() == [1, 2]  # swapped, and a typo in the last name: close
    assert levels[3].tolist() == [2, 1]  # swapped, and a typo in the first name
    assert levels[4].tolist() == [4, 4]  # a typo in each: two other names
    assert levels[5].tolist() == [4, -1]  # a missing name is no swap


def test_swapped_names_with_a_nickname_count_as_swapped() -> None:
    rows = [
        {"first_name": "Robert", "last_name": "Hernandez"},
        {"first_name": "Hernandez", "last_name": "Bob"},
        {"first_name": "Hernandez", "last_name": "Rodney"},
        {"first_name": "Hernandes", "last_name": "Bob"},
    ]
    specs = plan_fields(["first_name", "last_name"], rows)
    data = build_dataset(specs, rows, list(range(len(rows))))
    levels = compare(data, np.zeros(3, dtype=np.int64), np.arange(1, 4)).levels
    assert levels[0].tolist() == [2, 1]  # swapped, Bob for Robert: close, and the surname
    assert levels[1].tolist() == [4, 4]  # Rodney is not Robert
    assert levels[2].tolist() == [4, 4]  # a nickname and a typo: two other names


def test_a_given_name_and_its_nickname_are_close() -> None:
    rows = [
        {"first_name": "William", "last_name": "Moore"},
        {"first_name": "BILL", "last_name": "Moore"},
        {"first_name": "Peter", "last_name": "Moore"},
    ]
    specs = plan_fields(["first_name", "last_name"], rows)
    data = build_dataset(specs, rows, [0, 1, 2])
    levels = compare(data, np.array([0, 0]), np.array([1, 2])).levels
    assert levels[0, 0] == 2  # "phonetic or close", not different
    assert levels[1, 0] == 4
    surnames = build_dataset(
        [FieldSpec("last_name", "name", "last_name")],
        [{"last_name": "Bill"}, {"last_name": "William"}],
        [0, 1],
    )
    assert compare(surnames, np.array([0]), np.array([1])).levels[0, 0] > 2  # given names only


def test_long_addresses_with_other_house_numbers_are_at_most_somewhat_similar() -> None:
    values: list[str | None] = [
        "1368 west drive franklin mt 33826", "6600 west drive franklin mt 33826",
        "1368 west drive franklin mt 33826 unit 2", "1368 west drive franklin mt",
        "1386 west drive franklin mt 33826",
    ]  # fmt: skip
    left, right = np.zeros(4, dtype=np.int64), np.array([1, 2, 3, 4], dtype=np.int64)
    for type_name, next_door in (("address", 3), ("text", 1)):  # titles keep their levels
        spec = FieldSpec("where", "long_text", type_name)
        data = Dataset(list(range(5)), 5, False, [encode_field(spec, values, embed=False)])
        levels = compare(data, left, right).levels[:, 0]
        assert levels[0] == next_door  # another house in the same street and ZIP code
        assert levels[1] == levels[2] == 1  # the same house: a unit more, no ZIP code
        assert levels[3] == 1  # the house number mistyped


def test_company_names_with_conflicting_words_are_different_among_organizations() -> None:
    names: list[str | None] = [
        "votec metals", "votec supply", "votec metal", "votec", "hars logistics",
        "hart logistics", "smith bros", "smith brothers",
    ]  # fmt: skip
    left = np.array([0, 0, 0, 4, 6], dtype=np.int64)
    right = np.array([1, 2, 3, 5, 7], dtype=np.int64)
    company = FieldSpec("company", "text", "company")
    city = FieldSpec("city", "text", "city")
    for with_city, sisters in ((True, 3), (False, 2)):  # a product table's maker: as before
        fields = [encode_field(company, names, embed=False)]
        if with_city:
            fields.append(encode_field(city, ["x"] * len(names), embed=False))
        levels = compare(Dataset(list(range(8)), 8, False, fields), left, right).levels[:, 0]
        assert levels[0] == sisters  # `metals` / `supply`: sister companies
        assert levels[1] < 3  # a typo
        assert levels[2] < 3  # a word left out
        assert levels[3] < 3  # `hars` / `hart`: one edit
        assert levels[4] < 3  # an abbreviation


@pytest.mark.parametrize(
    ("one", "other", "conflict"),
    [
        ("quatri supply", "quatri electric", True),
        ("initech", "initrode", True),
        ("acme intl", "acme international", False),
        ("ixvex nor", "ixvexnor", False),
        ("smith jones", "jones smith", False),
    ],
)
def test_words_conflict(one: str, other: str, conflict: bool) -> None:
    assert words_conflict(one, other) is conflict


def test_long_company_names_with_conflicting_words_are_at_long_texts_last_level() -> None:
    names: list[str | None] = [
        "northern atlantic shipping and freight forwarding",
        "northern atlantic shipping and freight consulting",
    ]
    company = FieldSpec("company", "long_text", "company")
    city = FieldSpec("city", "text", "city")
    fields = [encode_field(spec, column, embed=False)
              for spec, column in ((company, names), (city, ["x", "x"]))]  # fmt: skip
    levels = compare(Dataset([0, 1], 2, False, fields), np.array([0]), np.array([1])).levels
    assert levels[0, 0] == 4  # "different", not long text's "somewhat similar"


def test_names_of_many_unshared_words_are_not_judged() -> None:
    # Garbage of thousands of words: judging it would take millions of word comparisons.
    one = " ".join(f"w{i}x" for i in range(3000))
    other = " ".join(f"w{i}y" for i in range(3000))
    assert not words_conflict(one, other)
    assert words_conflict("w1x w2x", "w1y w2y")  # the same words, judged when few


def _name_levels(pairs: list[tuple[str, str]], spec: FieldSpec) -> list[int]:
    rows = [{spec.name: value} for pair in pairs for value in pair]
    data = build_dataset([spec], rows, list(range(len(rows))))
    left = np.arange(0, len(rows), 2, dtype=np.int64)
    return compare(data, left, left + 1).levels[:, 0].tolist()  # type: ignore[no-any-return]


def test_names_in_two_scripts_are_compared_in_latin_letters() -> None:
    spec = FieldSpec("name", "name", "full_name")
    levels = _name_levels(
        [
            ("Иван Петров", "Ivan Petrov"),
            ("Юлия Соловьева", "Iuliia Soloveva"),  # the passport scheme
            ("Михей Хохлов", "Mihey Hohlov"),  # `х` as `h`
            ("Μαγδαληνή Φαρμάκη", "Magdalini Farmaki"),
            ("Иван Петров", "Olga Smirnova"),
            ("Иван Петров", "Иван Петрова"),  # one script: compared as written
        ],
        spec,
    )
    assert levels[:4] == [1, 1, 1, 1]  # a typo at most: the reading agrees
    assert levels[4] == 4
    assert levels[5] == 1


def test_chinese_names_agree_by_their_reading() -> None:
    spec = FieldSpec("name", "name", "last_name")
    levels = _name_levels(
        [("林", "张"), ("小明", "小红"), ("小明", "晓明"), ("小明", "Xiaoming"), ("李", "Lin")],
        spec,
    )
    assert levels == [4, 4, 2, 1, 4]  # one sign off is another name; one reading is close


def test_names_swapped_in_two_scripts_count_as_swapped() -> None:
    rows = [
        {"first_name": "Баранов", "last_name": "Виктор"},
        {"first_name": "Viktor", "last_name": "Baranov"},
        {"first_name": "Mihey", "last_name": "Rodionov"},
        {"first_name": "Родионов", "last_name": "Михей"},
        {"first_name": "Родионов", "last_name": "Петр"},
    ]
    specs = plan_fields(["first_name", "last_name"], rows)
    data = build_dataset(specs, rows, list(range(len(rows))))
    levels = compare(data, np.array([0, 2, 2]), np.array([1, 3, 4])).levels
    assert levels[0].tolist() == [1, 1]  # swapped, the family name first, in Cyrillic
    assert levels[1].tolist() == [1, 1]  # `Mihey` / `Михей` (`Mikhei`): one reading
    assert levels[2].tolist() == [4, 4]  # another given name
