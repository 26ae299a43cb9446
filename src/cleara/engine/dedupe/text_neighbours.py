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
    kinds = {f.spec.kind for f in data.fields}
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
