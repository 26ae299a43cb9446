"""Product and part codes compared across whole records, however they are punctuated.

A model number is written `910-001898` in one catalogue and `910001898` in another,
`sdsdq 008g a11m` or `sdsdq-008g-a11m`; it sits in a `modelno` field on one side and inside
the title on the other. And two codes one character apart (`im2306-30001`, `im2306-30002`)
name two products. Per pair, these features find the longest code of one record that the
other record contains once punctuation and spaces are dropped, and, among the codes neither
contains, the closest pair's similarity.

    >>> codes("canon cli-221 magenta 2948b001")
    ['cli221', '2948b001']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import Indel

from cleara.engine.dedupe.data import Dataset, IntArray
from cleara.engine.dedupe.fields import FREE_TEXT_KINDS

NAMES = ("code_found", "code_near")
"""Length of the longest code found in the other record; similarity of the closest codes
that were not found."""
KINDS = ("text", "long_text", "code", "identifier")
"""Field kinds codes are read from (numbers, dates, phones and names hold none)."""
MIN_LENGTH = 4
MIN_SHARE = 0.05
"""Share of records whose free text must hold a code for the features to be used."""
SAMPLE = 2000
MAX_CODES = 20
"""Codes kept per record (the first ones): a long description's part list stays cheap."""
_CHUNK = re.compile(r"\S+")
_PUNCTUATION = re.compile(r"[\W_]+")


def codes(text: str) -> list[str]:
    """The codes in a text: space-separated chunks with punctuation dropped, of at least
    MIN_LENGTH characters, holding a digit and a letter, or at least five digits."""
    found = []
    for chunk in _CHUNK.findall(text.lower()):
        compact = _PUNCTUATION.sub("", chunk)
        if len(compact) < MIN_LENGTH or not any(c.isdigit() for c in compact):
            continue
        if compact.isdigit() and len(compact) < 5:
            continue
        found.append(compact)
    return found


@dataclass(slots=True)
class _Record:
    codes: frozenset[str]
    compact: str


def _records(data: Dataset, rows: IntArray, fields: list[int]) -> list[_Record]:
    texts = [data.fields[index].texts(rows) for index in fields]
    records = []
    for values in zip(*texts, strict=True):
        found = frozenset(list(dict.fromkeys(c for v in values for c in codes(v)))[:MAX_CODES])
        compact = "|".join(_PUNCTUATION.sub("", v.lower()) for v in values if v)
        records.append(_Record(found, compact))
    return records


def code_fields(data: Dataset) -> list[int]:
    """The fields codes are read from; none unless free text (a title, a description) holds
    codes in at least MIN_SHARE of the records: codes in their own fields (postcodes, ids)
    are compared there already."""
    fields = [i for i, f in enumerate(data.fields) if f.spec.kind in KINDS]
    texts = [i for i in fields if data.fields[i].spec.kind in FREE_TEXT_KINDS]
    if not texts or data.size == 0:
        return []
    sample = np.linspace(0, data.size - 1, min(data.size, SAMPLE)).astype(np.int64)
    share = np.mean([bool(r.codes) for r in _records(data, sample, texts)])
    return fields if share >= MIN_SHARE else []


def pair_features(
    data: Dataset, fields: list[int], left: IntArray, right: IntArray
) -> NDArray[np.float32]:
    """(pairs, 2) features; NaN where neither record holds a code."""
    result = np.full((len(left), len(NAMES)), np.nan, dtype=np.float32)
    if not fields or len(left) == 0:
        return result
    rows, inverse = np.unique(np.concatenate([left, right]), return_inverse=True)
    records = _records(data, rows, fields)
    lefts, rights = inverse[: len(left)].tolist(), inverse[len(left) :].tolist()
    for k, (a, b) in enumerate(zip(lefts, rights, strict=True)):
        result[k] = _pair(records[a], records[b])
    return result


def _pair(a: _Record, b: _Record) -> tuple[float, float]:
    if not a.codes and not b.codes:
        return (np.nan, np.nan)
    found_a = {c for c in a.codes if c in b.compact}
    found_b = {c for c in b.codes if c in a.compact}
    longest = float(max(map(len, found_a | found_b), default=0))
    rest_a, rest_b = a.codes - found_a, b.codes - found_b
    near = max((Indel.normalized_similarity(x, y) for x in rest_a for y in rest_b), default=np.nan)
    return (longest, float(near))
