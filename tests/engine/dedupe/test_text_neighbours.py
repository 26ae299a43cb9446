"""Candidate pairs from whole-record TF-IDF neighbours."""

from __future__ import annotations

import numpy as np
import pytest

from cleara.engine.dedupe import text_neighbours
from cleara.engine.dedupe.blocking import candidate_pairs
from cleara.engine.dedupe.data import Dataset, encode_field
from cleara.engine.dedupe.fields import FieldSpec
from cleara.engine.dedupe.text_neighbours import TextIndex, text_neighbour_pairs

GAMES = ["chess deluxe", "solitaire plus", "poker night", "bridge master", "sudoku daily",
         "crossword pro", "backgammon gold", "checkers kids"]  # fmt: skip


def _dataset(columns: dict[str, tuple[str, list[str | None]]], n_left: int | None) -> Dataset:
    fields = [
        encode_field(FieldSpec(name, kind, kind), values, embed=False)
        for name, (kind, values) in columns.items()
    ]
    size = len(next(iter(columns.values()))[1])
    link = n_left is not None
    return Dataset(list(range(size)), n_left if link else size, link, fields)


def _shops() -> Dataset:
    """Left: the maker in its own field; right: the maker inside a longer title."""
    titles: list[str | None] = [f"{game} jewel case" for game in GAMES]
    makers: list[str | None] = [f"maker{n}" for n in range(len(GAMES))]
    titles += [f"maker{n} software {GAMES[n]} win xp" for n in reversed(range(len(GAMES)))]
    makers += [None] * len(GAMES)
    return _dataset(
        {"title": ("long_text", titles), "manufacturer": ("text", makers)}, n_left=len(GAMES)
    )


def _pairs(i: np.ndarray, j: np.ndarray) -> set[tuple[int, int]]:
    return set(zip(i.tolist(), j.tolist(), strict=True))


def test_each_listing_finds_its_product_in_the_other_table() -> None:
    data = _shops()
    count = len(GAMES)
    pairs = _pairs(*text_neighbour_pairs(data, 1, count))
    expected = {(n, 2 * count - 1 - n) for n in range(count)}  # the right side is reversed
    assert pairs == expected


def test_linking_searches_from_the_smaller_table() -> None:
    # Three left records, one right: the right record finds its nearest left one, and the
    # other two left records get no pair of their own.
    titles: list[str | None] = ["red lamp", "red lamp zq1", "lamp zq1", "red lamp zq1"]
    data = _dataset({"title": ("long_text", titles)}, n_left=3)
    assert _pairs(*text_neighbour_pairs(data, 1, 3)) == {(1, 3)}


def test_deduplicating_keeps_k_neighbours_a_record_and_never_itself() -> None:
    titles: list[str | None] = [f"{game} edition {n}" for n in range(3) for game in GAMES]
    data = _dataset({"title": ("long_text", titles)}, n_left=None)
    i, j = text_neighbour_pairs(data, 2, None)
    assert (i < j).all()
    assert np.bincount(np.concatenate([i, j])).min() >= 2  # its own two, maybe others' too
    assert len(i) <= 2 * data.size
    same_game = [(a % len(GAMES)) == (b % len(GAMES)) for a, b in zip(i, j, strict=True)]
    assert all(same_game)


def test_words_in_most_records_pair_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_neighbours, "MAX_RECORDS", 2)
    titles: list[str | None] = ["software alpha", "software beta", "software gamma", "delta"]
    data = _dataset({"title": ("long_text", titles)}, n_left=None)
    i, _ = text_neighbour_pairs(data, 3, None)
    assert len(i) == 0  # "software" is in 3 of 4 records; nothing else is shared


def test_short_free_text_is_searched_unless_the_records_are_people() -> None:
    beers: dict[str, tuple[str, list[str | None]]] = {
        "beer": ("text", ["red ale priprioca", "amazon beer priprioca red ale", "stout"]),
        "brewery": ("text", ["cervejaria amazonia", "amazon beer", "guinness"]),
    }
    i, j = text_neighbour_pairs(_dataset(beers, n_left=None), 1, None)
    assert (0, 1) in _pairs(i, j)
    people = {**beers, "name": ("name", ["ann lee", "ann lee", "bob ray"])}
    i, _ = text_neighbour_pairs(_dataset(people, n_left=None), 4, None)
    assert len(i) == 0  # people: names, contacts and blocking keys find them


def test_blocking_adds_them_to_the_candidates() -> None:
    data = _shops()
    found = candidate_pairs(data, rules=[], neighbours=0)
    none = candidate_pairs(data, rules=[], neighbours=0, text_neighbours=0)
    with_text, without = _pairs(found.left, found.right), _pairs(none.left, none.right)
    assert without == set()
    assert (0, 2 * len(GAMES) - 1) in with_text


def _editions() -> list[str]:
    return [f"{game} edition {n}" for n in range(3) for game in GAMES]


def _text_index(texts: list[str]) -> TextIndex:
    index = TextIndex()
    for position, text in enumerate(texts):
        index.add(position, text)
    return index


def test_the_growing_index_finds_what_the_batch_search_finds() -> None:
    titles = _editions()
    index = _text_index(titles)
    data = _dataset({"title": ("long_text", list[str | None](titles))}, n_left=None)
    batch = _pairs(*text_neighbour_pairs(data, 2, None))
    for position, title in enumerate(titles):
        found = index.nearest(title, 3)
        assert found[0] == position  # itself first
        same_game = {p for p in range(len(titles)) if p % len(GAMES) == position % len(GAMES)}
        assert set(found) == same_game
        assert {tuple(sorted((position, p))) for p in found[1:]} <= batch


def test_the_growing_index_weighs_words_by_the_records_indexed_so_far() -> None:
    titles = _editions()
    grown = _text_index(titles[:2])
    grown.nearest("chess", 1)  # lengths computed with the IDF of two records
    for position, title in enumerate(titles[2:], start=2):
        grown.add(position, title)
    fresh = _text_index(titles)
    for query in ("chess edition 1", "poker 2", "edition 0"):
        assert grown.nearest(query, 5) == fresh.nearest(query, 5)


def test_the_growing_index_leaves_common_and_unknown_words_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(text_neighbours, "MAX_RECORDS", 2)
    index = _text_index(["software alpha", "software beta", "software gamma", "delta"])
    assert index.nearest("software omega", 3) == []  # in 3 of 4 records; omega unknown
    assert index.nearest("beta software", 3) == [1]
    assert index.nearest("beta", 0) == []
    with pytest.raises(ValueError, match="in order"):
        index.add(7, "zeta")


def test_the_growing_index_can_search_only_its_latest_records() -> None:
    titles = _editions()
    index = _text_index(titles)
    later = len(GAMES) * 2  # the third edition of every game
    found = index.nearest("chess deluxe edition 0", 3, since=later)
    assert found[0] == later  # the same game first, then others sharing "edition"
    assert len(found) == 3
    assert min(found) >= later
    assert index.nearest("chess deluxe", 3, since=len(titles)) == []
