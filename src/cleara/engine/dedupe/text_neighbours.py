"""Candidate pairs from whole-record TF-IDF: each record with its most similar records.

Blocking keys need one field to agree exactly, and embedding neighbours look at one text
field: a product whose maker sits in its own field on one side and inside the title on the
other (`hoyle mahjongg` by `encore` against `encore software 10023 hoyle mahjongg`) can miss
both. Here every record's fields are joined, weighted by IDF (rare words count most), and
each record is paired with its `k` most similar records by cosine; when linking two tables,
each record of the smaller table with its `k` nearest of the larger. (Searching both ways
added the neighbours of the larger table's unmatched records: on Magellan Walmart-Amazon,
where most Amazon products have no Walmart match, F1 through `dedupe()` fell from 89.7 to
83.8.) Words in more than MAX_RECORDS records are left out of the search: they rank
nothing, and they would make every record a neighbour of every other. The bound is a count,
not a share, so the work per record stays bounded as the records grow.

    >>> text_neighbour_pairs(data, 4, None)  # doctest: +SKIP
    (array([...]), array([...]))
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from cleara.engine.dedupe.data import Dataset, IntArray
from cleara.engine.dedupe.fields import FREE_TEXT_KINDS
from cleara.engine.dedupe.token_features import column_texts, words

TEXT_KINDS = ("long_text",)
"""The search runs for records with such a field (titles, descriptions)..."""
PERSONAL = ("name", "email", "phone", "date")
"""...and for records with free text but no personal field (beers, products, parts): people
are found by their names, contacts and birth dates, which blocking keys already serve."""
MAX_RECORDS = 1000
"""Words in more records than this are left out of the search."""
_CHUNK = 256


def text_neighbour_pairs(data: Dataset, k: int, n_left: int | None) -> tuple[IntArray, IntArray]:
    """Pairs (i < j) of each record with its k most similar records by whole-record TF-IDF."""
    empty = np.zeros(0, dtype=np.int64)
    if k <= 0 or data.size < 2 or not searchable(data):
        return empty, empty
    matrix = _tfidf(column_texts(data, np.arange(data.size, dtype=np.int64))[-1], data.size)
    if matrix is None:
        return empty, empty
    everyone = np.arange(data.size, dtype=np.int64)
    if n_left is None:  # a record finds itself first: one neighbour more
        i, j = _nearest(matrix, everyone, everyone, k + 1)
    else:
        left, right = everyone[:n_left], everyone[n_left:]
        small, large = (left, right) if len(left) <= len(right) else (right, left)
        i, j = _nearest(matrix, small, large, k)
    keep = i != j
    return np.minimum(i[keep], j[keep]), np.maximum(i[keep], j[keep])


def searchable(data: Dataset) -> bool:
    """Whether the records get text neighbours (see TEXT_KINDS)."""
    return searchable_kinds({f.spec.kind for f in data.fields})


def searchable_kinds(kinds: set[str]) -> bool:
    """Whether records with fields of these kinds get text neighbours."""
    if kinds & set(TEXT_KINDS):
        return True
    return bool(kinds & set(FREE_TEXT_KINDS)) and not kinds & set(PERSONAL)


def _tfidf(texts: list[str], size: int) -> Any:
    """Unit-length TF-IDF rows without the common words; None when no word is left."""
    vectorizer = TfidfVectorizer(
        tokenizer=words,
        token_pattern=None,
        lowercase=False,
        sublinear_tf=True,
        max_df=1.0 if size <= MAX_RECORDS else MAX_RECORDS,
        dtype=np.float32,
    )
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no word at all, or every word too common
        return None


def _nearest(
    matrix: Any, queries: IntArray, targets: IntArray, k: int
) -> tuple[IntArray, IntArray]:
    """Each query row with its (up to) k most similar target rows that share a word."""
    target_t = matrix[targets].T.tocsr()
    lefts, rights = [], []
    for start in range(0, len(queries), _CHUNK):
        rows = queries[start : start + _CHUNK]
        similarity = (matrix[rows] @ target_t).tocsr()
        for r, query in enumerate(rows.tolist()):
            begin, end = similarity.indptr[r], similarity.indptr[r + 1]
            if begin == end:
                continue
            scores = similarity.data[begin:end]
            columns = similarity.indices[begin:end]
            take = min(k, len(scores))
            best = np.argpartition(-scores, take - 1)[:take]
            lefts.append(np.full(take, query, dtype=np.int64))
            rights.append(targets[columns[best]])
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(lefts), np.concatenate(rights)


class TextIndex:
    """Whole-record TF-IDF search that grows one record at a time (incremental matching).

    The same weighting as the batch search (smoothed IDF, logarithmic term frequency, unit
    length, words in more than MAX_RECORDS records left out), with the IDF of the records
    indexed so far: an inverted index from each word to the records that hold it."""

    def __init__(self) -> None:
        self.postings: dict[str, list[int]] = {}
        self.terms: list[Counter[str]] = []
        self._norms: list[float] = []
        self._norms_size = 0  # records indexed when the norms were last all computed

    def add(self, position: int, text: str) -> None:
        """Index the record at `position` (positions are added in order, from 0)."""
        if position != len(self.terms):
            raise ValueError("records are indexed in order")
        terms = Counter(words(text))
        self.terms.append(terms)
        for word in terms:
            self.postings.setdefault(word, []).append(position)

    def nearest(self, text: str, k: int, since: int = 0) -> list[int]:
        """The (up to) k indexed records most similar to `text` that share a word with it,
        among those at position `since` or later."""
        query = self._weights(Counter(words(text)))
        if not query or k <= 0:
            return []
        self._update_norms()
        dots: dict[int, float] = {}
        for word, weight in query.items():
            weight *= self._idf(word)
            postings = self.postings[word]
            for position in postings[bisect.bisect_left(postings, since) :]:
                tf = 1.0 + math.log(self.terms[position][word])
                dots[position] = dots.get(position, 0.0) + weight * tf
        scores = {p: dot / self._norms[p] for p, dot in dots.items()}
        return sorted(scores, key=lambda p: (-scores[p], p))[:k]

    def _update_norms(self) -> None:
        """Each record's TF-IDF length: all again once the records grew by a tenth (the IDF
        has moved), else only the new records'."""
        size = len(self.terms)
        if size > 1.1 * self._norms_size:
            self._norms, self._norms_size = [], size
        self._norms += [self._norm(terms) for terms in self.terms[len(self._norms) :]]

    def _idf(self, word: str) -> float:
        count = len(self.postings.get(word, ()))
        if count == 0 or (len(self.terms) > MAX_RECORDS and count > MAX_RECORDS):
            return 0.0
        return math.log((1 + len(self.terms)) / (1 + count)) + 1.0

    def _weights(self, terms: Counter[str]) -> dict[str, float]:
        """Unit-length weights of the searchable words (those already indexed)."""
        raw = {w: (1.0 + math.log(n)) * self._idf(w) for w, n in terms.items()}
        raw = {w: v for w, v in raw.items() if v > 0}
        norm = math.sqrt(sum(v * v for v in raw.values()))
        return {w: v / norm for w, v in raw.items()} if norm else {}

    def _norm(self, terms: Counter[str]) -> float:
        values = [(1.0 + math.log(n)) * self._idf(w) for w, n in terms.items()]
        return math.sqrt(sum(v * v for v in values)) or 1.0
