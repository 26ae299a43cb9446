"""Token-weight features of record pairs, per field and over the whole record.

Words that few records share (model numbers, rare names, version numbers) say most about a
match, while fuzzy string scores weigh every character alike. The featurizer learns each
word's and character trigram's inverse document frequency (IDF) from the records of a run
and scores pairs by IDF-weighted overlap. The whole-record column joins every field, so a
word that one table puts in the title and the other in the brand still counts. Where free
text holds product codes, two code features (`code_features`) follow the columns.

    >>> featurizer = TokenFeaturizer.fit(dataset)         # doctest: +SKIP
    >>> featurizer.transform(dataset, left, right).shape  # doctest: +SKIP
    (pairs, len(featurizer.names))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from numpy.typing import NDArray
from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]

from cleara.engine.dedupe.code_features import NAMES as CODE_NAMES
from cleara.engine.dedupe.code_features import code_fields, pair_features
from cleara.engine.dedupe.data import Dataset, IntArray

WORD_PATTERN = r"(?u)\b\w+\b"
FIT_LIMIT = 200_000
"""IDF is learned from at most this many records (a fixed, evenly spread sample)."""
RECORD = -1
"""Owner of the whole-record features (spread over every field in explanations)."""
FEATURES = ("tfidf", "weighted_jaccard", "containment", "rarest_shared", "rarest_unshared")
"""Word features per column; then "digits" (overlap of words with digits), "trigrams"."""
_CHUNK = 200_000
_Sparse: TypeAlias = Any  # scipy.sparse.csr_matrix (SciPy ships no type hints)


@dataclass(slots=True)
class _Vocabulary:
    """Terms with their IDF, as learned from the fitted records."""

    terms: dict[str, int]
    idf: NDArray[np.float64]
    digits: NDArray[np.float64]  # 1.0 for terms with a digit

    @classmethod
    def fit(cls, texts: list[str], analyzer: str) -> _Vocabulary:
        vectorizer = _vectorizer(analyzer, None)
        try:
            counts = vectorizer.fit_transform(texts)
        except ValueError:  # no term at all
            return cls({}, np.zeros(0), np.zeros(0))
        frequency = np.asarray((counts > 0).sum(axis=0), dtype=np.float64).ravel()
        idf = np.log((1.0 + len(texts)) / (1.0 + frequency)) + 1.0
        terms = {str(t): int(i) for t, i in vectorizer.vocabulary_.items()}
        digits = np.zeros(len(terms))
        digits[[i for t, i in terms.items() if any(c.isdigit() for c in t)]] = 1.0
        return cls(terms, idf, digits)

    def counts(self, texts: list[str], analyzer: str) -> _Sparse:
        if not self.terms:
            return sp.csr_matrix((len(texts), 0), dtype=np.float64)
        matrix = _vectorizer(analyzer, self.terms).transform(texts)
        return sp.csr_matrix(matrix, dtype=np.float64)

    def as_dict(self) -> dict[str, Any]:
        order = sorted(self.terms, key=self.terms.__getitem__)
        return {"terms": order, "idf": self.idf.round(5).tolist()}

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> _Vocabulary:
        terms = {str(t): i for i, t in enumerate(state["terms"])}
        digits = np.array([float(any(c.isdigit() for c in t)) for t in terms], np.float64)
        return cls(terms, np.asarray(state["idf"], dtype=np.float64), digits)


_WORD = re.compile(WORD_PATTERN)
_TRAILING_ZEROS = re.compile(r"(\d) ?\.0+\b")
_LETTERS_DIGITS = re.compile(r"[^\W\d_]+|\d+")


def words(text: str) -> list[str]:
    """Lower-case words, plus the letter and digit runs of words that mix both.

    Version and model numbers are written many ways (`audition2` and `audition 2`, `v6 .0`
    and `6`, `standard17`): the runs let them meet, while the whole word (`a5992jch`) still
    counts as one rare term. A version's trailing `.0` is dropped (`4.0` is `4`)."""
    found = []
    for word in _WORD.findall(_TRAILING_ZEROS.sub(r"\1", text.lower())):
        found.append(word)
        if not word.isalpha() and not word.isdigit():
            runs = _LETTERS_DIGITS.findall(word)
            if len(runs) > 1:
                found.extend(runs)
    return found


def _vectorizer(analyzer: str, vocabulary: dict[str, int] | None) -> CountVectorizer:
    if analyzer == "word":
        return CountVectorizer(
            tokenizer=words, token_pattern=None, lowercase=False, vocabulary=vocabulary
        )
    return CountVectorizer(analyzer="char_wb", ngram_range=(3, 3), vocabulary=vocabulary)


@dataclass(slots=True)
class TokenFeaturizer:
    """IDF vocabularies per column (each field, then the whole record) and their features."""

    fields: list[str]
    words: list[_Vocabulary]
    trigrams: list[_Vocabulary]
    code_fields: list[int] = field(default_factory=list)

    @classmethod
    def fit(cls, data: Dataset) -> TokenFeaturizer:
        """Learn the vocabularies and IDF from the records (a sample of large datasets)."""
        rows = np.arange(data.size, dtype=np.int64)
        if data.size > FIT_LIMIT:
            rows = np.linspace(0, data.size - 1, FIT_LIMIT).astype(np.int64)
        columns = column_texts(data, rows)
        words = [_Vocabulary.fit(texts, "word") for texts in columns]
        trigrams = [_Vocabulary.fit(texts, "trigram") for texts in columns]
        fields = [f.spec.name for f in data.fields]
        return cls(fields, words, trigrams, code_fields(data))

    @property
    def names(self) -> list[str]:
        names = [f"{column}:{name}" for column, _ in self._columns() for name in _NAMES]
        return names + [f"record:{name}" for name in CODE_NAMES] * bool(self.code_fields)

    @property
    def owners(self) -> list[int]:
        """The field index of each feature; RECORD for whole-record features."""
        owners = [owner for _, owner in self._columns() for _ in _NAMES]
        return owners + [RECORD] * len(CODE_NAMES) * bool(self.code_fields)

    def _columns(self) -> list[tuple[str, int]]:
        return [*((name, i) for i, name in enumerate(self.fields)), ("record", RECORD)]

    def transform(self, data: Dataset, left: IntArray, right: IntArray) -> NDArray[np.float32]:
        """Features of the pairs (left[i], right[i]); NaN where a side has no text."""
        if [f.spec.name for f in data.fields] != self.fields:
            raise ValueError("the records have other fields than the featurizer was fitted on")
        rows, inverse = np.unique(np.concatenate([left, right]), return_inverse=True)
        a, b = inverse[: len(left)], inverse[len(left) :]
        blocks = []
        for column, texts in enumerate(column_texts(data, rows)):
            empty = np.array([not t for t in texts], dtype=bool)
            words = self.words[column].counts(texts, "word")
            trigrams = self.trigrams[column].counts(texts, "trigram")
            parts = [
                _column_features(words, trigrams, self.words[column], a[s], b[s])
                for s in _chunks(len(left))
            ]
            features = np.vstack(parts) if parts else np.zeros((0, len(_NAMES)), np.float32)
            features[empty[a] | empty[b]] = np.nan
            blocks.append(features)
        if self.code_fields:
            blocks.append(pair_features(data, self.code_fields, left, right))
        return np.hstack(blocks).astype(np.float32)

    def as_dict(self) -> dict[str, Any]:
        return {
            "fields": self.fields,
            "words": [v.as_dict() for v in self.words],
            "trigrams": [v.as_dict() for v in self.trigrams],
            "code_fields": self.code_fields,
        }

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> TokenFeaturizer:
        return cls(
            list(state["fields"]),
            [_Vocabulary.from_dict(v) for v in state["words"]],
            [_Vocabulary.from_dict(v) for v in state["trigrams"]],
            [int(i) for i in state.get("code_fields", [])],
        )


_NAMES = (*FEATURES, "digits", "trigrams")


def column_texts(data: Dataset, rows: IntArray) -> list[list[str]]:
    """Each field's normalized text of the rows, then the whole record (fields joined)."""
    columns = [field_data.texts(rows) for field_data in data.fields]
    whole = [" ".join(v for v in values if v) for values in zip(*columns, strict=True)]
    return [*columns, whole] if columns else [whole]


def _chunks(count: int) -> list[slice]:
    return [slice(start, min(start + _CHUNK, count)) for start in range(0, count, _CHUNK)]


def _column_features(
    words: _Sparse, trigrams: _Sparse, vocabulary: _Vocabulary, a: IntArray, b: IntArray
) -> NDArray[np.float32]:
    """The features of one column for pairs of row positions a[i], b[i]."""
    idf = vocabulary.idf
    weighted = _unit_rows(_sublinear(words, idf))
    cosine = _row_dot(weighted[a], weighted[b])
    present = words.copy()
    present.data[:] = 1.0
    left, right = present[a], present[b]
    shared = left.multiply(right).tocsr()
    mass_left, mass_right, mass_shared = left @ idf, right @ idf, shared @ idf
    union = mass_left + mass_right - mass_shared
    jaccard = _ratio(mass_shared, union)
    containment = _ratio(mass_shared, np.minimum(mass_left, mass_right))
    top = float(idf.max()) if len(idf) else 1.0
    rarest_shared = _row_max(shared.multiply(idf[None, :]).tocsr()) / top
    unshared = (left + right).tocsr()
    unshared.data = (unshared.data == 1.0).astype(np.float64)
    rarest_unshared = _row_max(unshared.multiply(idf[None, :]).tocsr()) / top
    digits = _digit_overlap(left, right, shared, vocabulary.digits)
    grams = _unit_rows(trigrams)
    trigram_cosine = _row_dot(grams[a], grams[b])
    return np.column_stack(
        [cosine, jaccard, containment, rarest_shared, rarest_unshared, digits, trigram_cosine]
    ).astype(np.float32)


def _sublinear(counts: _Sparse, idf: NDArray[np.float64]) -> _Sparse:
    """TF-IDF with logarithmic term frequency."""
    weighted = counts.copy()
    weighted.data = 1.0 + np.log(weighted.data)
    return sp.csr_matrix(weighted.multiply(idf[None, :]))


def _unit_rows(matrix: _Sparse) -> _Sparse:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scale = sp.diags(np.where(norms > 0, 1.0 / np.maximum(norms, 1e-12), 0.0))
    return sp.csr_matrix(scale @ matrix)


def _row_dot(a: _Sparse, b: _Sparse) -> NDArray[np.float64]:
    return np.asarray(a.multiply(b).sum(axis=1), dtype=np.float64).ravel()


def _row_max(matrix: _Sparse) -> NDArray[np.float64]:
    if matrix.shape[1] == 0:
        return np.zeros(matrix.shape[0])
    return np.asarray(matrix.max(axis=1).todense(), dtype=np.float64).ravel()


def _ratio(numerator: NDArray[np.float64], denominator: NDArray[np.float64]) -> NDArray[Any]:
    return np.where(denominator > 0, numerator / np.maximum(denominator, 1e-12), 0.0)


def _digit_overlap(
    left: _Sparse, right: _Sparse, shared: _Sparse, digits: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Jaccard overlap of the words with digits; NaN when neither side has one."""
    if len(digits) == 0:
        return np.full(left.shape[0], np.nan)
    count_left, count_right, count_shared = left @ digits, right @ digits, shared @ digits
    union = count_left + count_right - count_shared
    return np.where(union > 0, count_shared / np.maximum(union, 1.0), np.nan)
