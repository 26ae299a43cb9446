"""Pairwise comparison: agreement levels (for Fellegi-Sunter) and similarity features.

Each distinct pair of values is compared once with RapidFuzz's batch scorers (C++, all cores);
pairs with equal values are exact without any string work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Indel, JaroWinkler
from rapidfuzz.process import cpdist

from cleara.engine.dedupe.arrays import sorted_unique
from cleara.engine.dedupe.data import Dataset, FieldData, IntArray
from cleara.engine.dedupe.fields import ADDRESS_TYPES, ORGANIZATION_TYPES, company_forms_apply
from cleara.engine.dedupe.scripts import has_syllable_signs, latin_skeleton
from cleara.engine.fields.name import are_nicknames

LEVELS: dict[str, tuple[str, ...]] = {
    "name": ("exact", "typo", "phonetic or close", "similar", "different"),
    "text": ("exact", "very similar", "similar", "different"),
    "long_text": ("exact", "very similar", "similar", "somewhat similar", "different"),
    "email": ("exact", "one typo", "same user name", "different"),
    "phone": ("exact", "one typo", "different"),
    "date": ("exact", "typo or day/month swap", "within a year", "different"),
    "code": ("exact", "one typo", "different"),
    "identifier": ("exact", "one typo", "two typos", "different"),
    "number": ("exact", "within 1%", "within 10%", "different"),
}
"""Agreement levels per comparison kind, best first; null (-1) means a value is missing."""

FEATURES: dict[str, tuple[str, ...]] = {
    "name": ("exact", "jaro_winkler", "edit", "phonetic", "token_set"),
    "text": ("exact", "jaro_winkler", "edit", "token_set", "token_sort"),
    "long_text": (
        "exact",
        "token_set",
        "token_sort",
        "partial",
        "jaro_winkler",
        "numbers",
        "cosine",
    ),
    "email": ("exact", "jaro_winkler", "edit", "user"),
    "phone": ("exact", "edit", "suffix"),
    "date": ("exact", "edit", "days", "swap"),
    "code": ("exact", "jaro_winkler", "edit"),
    "identifier": ("exact", "jaro_winkler", "edit"),
    "number": ("exact", "relative"),
}
"""Continuous similarity features per kind (all in [0, 1]; NaN where a value is missing)."""


@dataclass(slots=True)
class Comparison:
    """Candidate pairs with their agreement levels and similarity features."""

    left: IntArray
    right: IntArray
    levels: NDArray[np.int8]  # (pairs, fields)
    features: NDArray[np.float32]  # (pairs, features)
    feature_names: list[str]
    feature_fields: list[int]  # the field index of each feature

    def __len__(self) -> int:
        return len(self.left)

    def subset(self, rows: NDArray[np.bool_] | IntArray) -> Comparison:
        return Comparison(
            self.left[rows],
            self.right[rows],
            self.levels[rows],
            self.features[rows],
            self.feature_names,
            self.feature_fields,
        )


def compare(data: Dataset, left: IntArray, right: IntArray, *, features: bool = True) -> Comparison:
    """Compare every field of the pairs (left[i], right[i]).

    With `features=False` only the agreement levels are computed (all Fellegi-Sunter needs):
    fewer string scorers run and the feature matrix is never built.
    """
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    levels = np.full((len(left), len(data.fields)), -1, dtype=np.int8)
    columns: list[NDArray[np.float32]] = []
    names: list[str] = []
    owners: list[int] = []
    company_rules = company_forms_apply([f.spec for f in data.fields])
    for index, field_data in enumerate(data.fields):
        field_levels, field_features = compare_field(field_data, left, right, features=features)
        if company_rules and field_data.spec.type in ORGANIZATION_TYPES:
            _company_words_conflict(field_data, left, right, field_levels)
        levels[:, index] = field_levels
        for feature_name, values in field_features.items():
            columns.append(values)
            names.append(f"{field_data.spec.name}:{feature_name}")
            owners.append(index)
    _credit_swapped_names(data, left, right, levels)
    matrix = (
        np.column_stack(columns).astype(np.float32)
        if columns
        else np.zeros((len(left), 0), dtype=np.float32)
    )
    return Comparison(left, right, levels, matrix, names, owners)


def _credit_swapped_names(
    data: Dataset, left: IntArray, right: IntArray, levels: NDArray[np.int8]
) -> None:
    """First and last name entered the other way round count as a typo in each, not as two
    different names (one of the most common data-entry errors); swapped with a typo in one of
    them too (`Brittany Foster` / `FOSTER BIRTTANY`), that one counts as close."""
    kinds = {f.spec.type: i for i, f in enumerate(data.fields) if f.spec.kind == "name"}
    first, last = kinds.get("first_name"), kinds.get("last_name")
    if first is None or last is None or not len(left):
        return
    different = len(LEVELS["name"]) - 1
    both = (levels[:, first] == different) & (levels[:, last] == different)
    if not both.any():
        return
    a_first, a_last = _shared_codes(data.fields[first], data.fields[last])
    rows = np.flatnonzero(both)
    i, j = left[rows], right[rows]
    swapped = (
        (a_first[i] >= 0) & (a_first[i] == a_last[j]) & (a_last[i] >= 0) & (a_last[i] == a_first[j])
    )
    levels[rows[swapped], first] = 1
    levels[rows[swapped], last] = 1
    _credit_swapped_with_a_typo(
        data.fields[first], data.fields[last], left, right, levels, rows[~swapped], (first, last)
    )


def _credit_swapped_with_a_typo(
    first_field: FieldData,
    last_field: FieldData,
    left: IntArray,
    right: IntArray,
    levels: NDArray[np.int8],
    rows: IntArray,
    columns: tuple[int, int],
) -> None:
    """Of `rows` (both names different, not swapped exactly), those whose swapped names agree
    exactly on one side and, on the other, are one edit apart or a given name and its
    nickname (`HERNANDEZ BOB` / `Robert Hernandez`): the exact one counts as a typo, the other
    as close. Names in two scripts are read in Latin letters (`Баранов Виктор` / `Viktor
    Baranov`)."""
    i, j = left[rows], right[rows]
    present = (
        (first_field.codes[i] >= 0)
        & (last_field.codes[j] >= 0)
        & (last_field.codes[i] >= 0)
        & (first_field.codes[j] >= 0)
    )
    rows, i, j = rows[present], i[present], j[present]
    if not len(rows):
        return
    own_first, last_texts = _read_alike(first_field, i, last_field, j)
    own_last, first_texts = _read_alike(last_field, i, first_field, j)
    first_to_last = _distance(own_first, last_texts)
    last_to_first = _distance(own_last, first_texts)
    one_exact = np.minimum(first_to_last, last_to_first) == 0
    far = one_exact & (np.maximum(first_to_last, last_to_first) > 1)
    for k in np.flatnonzero(far).tolist():  # the given name's side: a nickname, at most
        given = (
            (own_last[k], first_texts[k])
            if first_to_last[k] == 0
            else (own_first[k], last_texts[k])
        )
        if are_nicknames(*given):
            first_to_last[k], last_to_first[k] = min(first_to_last[k], 1), min(last_to_first[k], 1)
    near = one_exact & (np.maximum(first_to_last, last_to_first) <= 1)
    first, last = columns
    levels[rows[near], first] = np.where(first_to_last[near] == 0, 1, 2)
    levels[rows[near], last] = np.where(last_to_first[near] == 0, 1, 2)


def _shared_codes(one: FieldData, other: FieldData) -> tuple[IntArray, IntArray]:
    """Per record, codes of the two fields' values in one shared code space (-1 for null)."""
    space = {value: code for code, value in enumerate(one.uniques)}
    other_codes = np.array(
        [space.setdefault(value, len(space)) for value in other.uniques] + [-1], dtype=np.int64
    )
    one_codes = np.append(np.arange(len(one.uniques), dtype=np.int64), np.int64(-1))
    return one_codes[one.codes], other_codes[other.codes]


def compare_field(
    data: FieldData, left: IntArray, right: IntArray, *, features: bool = True
) -> tuple[NDArray[np.int8], dict[str, NDArray[np.float32]]]:
    """Agreement levels (and, unless `features=False`, similarity features) of one field."""
    kind = data.spec.kind
    a = data.codes[left]
    b = data.codes[right]
    null = (a < 0) | (b < 0)
    equal = (a == b) & ~null
    differ = ~null & ~equal
    names = FEATURES[kind] if features else ()
    found = {name: np.full(len(left), np.nan, dtype=np.float32) for name in names}
    for values in found.values():
        values[equal] = 1.0
    levels = np.full(len(left), -1, dtype=np.int8)
    levels[equal] = 0
    if differ.any():
        sub_levels, sub_features = _compare_distinct(data, a[differ], b[differ], features)
        levels[differ] = sub_levels
        for name, values in sub_features.items():
            found[name][differ] = values
    if kind == "name" and data.phonetic is not None:
        pa = data.phonetic[left]
        pb = data.phonetic[right]
        phonetic = (pa >= 0) & (pa == pb)
        if features:
            found["phonetic"] = np.where(null, np.nan, phonetic).astype(np.float32)
        levels[differ & phonetic & (levels > 2)] = 2
    if kind == "name" and data.spec.type == "first_name":
        levels[_nicknames(data, a, b, differ & (levels > 2))] = 2
    return levels, found


def _company_words_conflict(
    data: FieldData, left: IntArray, right: IntArray, levels: NDArray[np.int8]
) -> None:
    """Company names that each hold a word the other lacks in any close form are different
    companies, however alike their letters (`votec metals` / `votec supply`, `hall pharma` /
    `hall labs`: sister companies, which Jaro-Winkler put at "similar" by their shared
    stem). A typo (`wilkerosn`), an abbreviation (`intl`, `bros`) or a word one name leaves
    out (`acme` / `acme logistics`) is no conflict."""
    different = len(LEVELS[data.spec.kind]) - 1  # a long name is long text: its own levels
    a, b = data.codes[left], data.codes[right]
    rows = (a >= 0) & (b >= 0) & (a != b) & (levels < different)
    levels[_pairs_where(words_conflict, data, a, b, rows)] = different


def words_conflict(one: str, other: str) -> bool:
    """Each name holds a word that no word of the other is close to (`_close_words`). Names
    whose unshared words would take over MAX_WORD_CHECKS word comparisons (garbage values of
    thousands of words) are not judged: no conflict."""
    if one.replace(" ", "") == other.replace(" ", ""):
        return False
    words, others = set(one.split(" ")), set(other.split(" "))
    own, their = words - others, others - words
    if not own or not their or len(own) * len(others) + len(their) * len(words) > MAX_WORD_CHECKS:
        return False
    return any(not any(_close_words(w, o) for o in others) for w in own) and any(
        not any(_close_words(o, w) for w in words) for o in their
    )


MAX_WORD_CHECKS = 10_000


_CLOSE_WORDS = 0.8
_TYPO_WORD = 4  # words this long or longer are close at one edit (`hart` / `hars`)


def _close_words(one: str, other: str) -> bool:
    """One word, a typo of it (one edit in a word of four or more letters, or Indel
    similarity 0.8), or an abbreviation of it: a prefix (`tech`) or its letters in order
    with the same first letter (`intl`, `bros`)."""
    if one == other:
        return True
    short, long = sorted((one, other), key=len)
    if short[:1] == long[:1] and (long.startswith(short) or _subsequence(short, long)):
        return True
    if len(short) >= _TYPO_WORD and OSA.distance(one, other, score_cutoff=1) <= 1:
        return True
    return bool(Indel.normalized_similarity(one, other) >= _CLOSE_WORDS)


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


def _nicknames(
    data: FieldData, a: NDArray[np.int32], b: NDArray[np.int32], rows: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Of `rows`, those whose two given names are a name and its nickname or two nicknames of
    one name (`William` / `Bill`): as close as a phonetic match, not different names."""
    return _pairs_where(are_nicknames, data, a, b, rows)


def _pairs_where(
    test: Callable[[str, str], bool],
    data: FieldData,
    a: NDArray[np.int32],
    b: NDArray[np.int32],
    rows: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Of `rows`, those whose two values pass `test`, run once per distinct value pair."""
    result = np.zeros(len(a), dtype=bool)
    if not rows.any():
        return result
    ua, ub, inverse = distinct_pairs(a[rows], b[rows], len(data.uniques))
    uniques = data.uniques
    passed = np.fromiter(
        (test(uniques[x], uniques[y]) for x, y in zip(ua.tolist(), ub.tolist(), strict=True)),
        dtype=bool,
        count=len(ua),
    )
    result[rows] = passed if inverse is None else passed[inverse]
    return result


def _compare_distinct(
    data: FieldData, a: NDArray[np.int32], b: NDArray[np.int32], features: bool = True
) -> tuple[NDArray[np.int8], dict[str, NDArray[np.float32]]]:
    """Compare each distinct value pair once and spread the results back."""
    ua, ub, inverse = distinct_pairs(a, b, len(data.uniques))
    kind = data.spec.kind
    if not features:
        function = _LEVEL_FUNCTIONS.get(kind, _KIND_FUNCTIONS[kind])
        levels = function(data, ua, ub)[0]
        return (levels if inverse is None else levels[inverse]), {}
    levels, found = _KIND_FUNCTIONS[kind](data, ua, ub)
    if inverse is None:
        return levels, found
    return levels[inverse], {name: values[inverse] for name, values in found.items()}


_DISTINCT_SAMPLE = 100_000
_MOSTLY_DISTINCT = 0.6


def distinct_pairs(
    a: NDArray[np.int32], b: NDArray[np.int32], width: int
) -> tuple[IntArray, IntArray, IntArray | None]:
    """The distinct value pairs and each pair's index among them (None: all are distinct).

    Finding them costs about as much as comparing two strings, so when a sample shows the
    pairs are mostly distinct already (e-mails, phones, street addresses) they are compared
    as they are.
    """
    keys = a.astype(np.int64) * np.int64(max(width, 1)) + b.astype(np.int64)
    sample = keys[:: max(1, len(keys) // _DISTINCT_SAMPLE)]
    if len(sample) and len(sorted_unique(sample)) > _MOSTLY_DISTINCT * len(sample):
        return a.astype(np.int64), b.astype(np.int64), None
    inverse, unique_keys = pd.factorize(keys)  # hashing: linear, unlike a sort
    width64 = np.int64(max(width, 1))
    return unique_keys // width64, unique_keys % width64, inverse.astype(np.int64)


_Result = tuple[NDArray[np.int8], dict[str, NDArray[np.float32]]]


def _strings(data: FieldData, codes: IntArray) -> list[str]:
    return data.unique_array()[codes].tolist()  # type: ignore[no-any-return]


_PARALLEL_PAIRS = 20_000  # below this, starting worker threads costs more than it saves


def _workers(count: int) -> int:
    return -1 if count >= _PARALLEL_PAIRS else 1


def _score(scorer: Any, a: list[str], b: list[str], scale: float = 1.0) -> NDArray[np.float32]:
    values = cpdist(a, b, scorer=scorer, workers=_workers(len(a)), dtype=np.float32)
    result: NDArray[np.float32] = np.asarray(values, dtype=np.float32) / np.float32(scale)
    return result


def _distance(a: list[str], b: list[str]) -> NDArray[np.int32]:
    """Restricted Damerau-Levenshtein (optimal string alignment) distance.

    It counts a transposition as one edit like full Damerau-Levenshtein and differs from it
    only when a substring is edited twice; RapidFuzz computes it bit-parallel, 5-9x faster.
    """
    return np.asarray(cpdist(a, b, scorer=OSA.distance, workers=_workers(len(a))), dtype=np.int32)


def _edit(a: list[str], b: list[str]) -> tuple[NDArray[np.float32], NDArray[np.int32]]:
    distance = _distance(a, b)
    lengths = np.maximum(
        np.fromiter(map(len, a), np.int32, len(a)), np.fromiter(map(len, b), np.int32, len(b))
    )
    similarity = 1.0 - distance / np.maximum(lengths, 1)
    return similarity.astype(np.float32), distance


def _select(conditions: list[NDArray[np.bool_]], count: int) -> NDArray[np.int8]:
    """Level = index of the first true condition; the last level when none holds."""
    levels = np.full(count, len(conditions) + 1, dtype=np.int8)
    for level in range(len(conditions), 0, -1):
        levels[conditions[level - 1]] = level
    return levels


def _name(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    a, b = _latin_across_scripts(data, ua, ub)
    jw = _score(JaroWinkler.normalized_similarity, a, b)
    edit, distance = _edit(a, b)
    token_set = _score(fuzz.token_set_ratio, a, b, 100.0)
    close = np.maximum(jw, token_set)
    levels = _select([(distance <= 1) | (close >= 0.95), close >= 0.88, close >= 0.7], len(a))
    _by_reading(data, ua, ub, levels)
    features = {"jaro_winkler": jw, "edit": edit, "token_set": token_set}
    return levels, features


def _by_reading(data: FieldData, ua: IntArray, ub: IntArray, levels: NDArray[np.int8]) -> None:
    """Names in Chinese characters or Hangul agree by their reading or not at all.

    Each sign is a syllable, so one sign off is another name (`林` / `张`, `小明` / `小红`),
    not a typo; the common slip is a sign of the same reading (`小明` / `晓明`, both `xiao
    ming`), which counts as close, and a Latin spelling of the reading (`Xiaoming`) as a
    typo, as other names in two scripts do."""
    signs = data.per_unique("syllable_signs", lambda: _has_signs(data.uniques))
    rows = np.flatnonzero(signs[ua] | signs[ub])
    if not len(rows):
        return
    uniques = data.uniques
    for k, x, y in zip(rows.tolist(), ua[rows].tolist(), ub[rows].tolist(), strict=True):
        same = _reading(uniques[x]) == _reading(uniques[y])
        levels[k] = (2 if signs[x] and signs[y] else 1) if same else len(LEVELS["name"]) - 1


def _reading(text: str) -> str:
    return latin_skeleton(text).replace(" ", "")


def _has_signs(values: list[str]) -> IntArray:
    return np.fromiter((has_syllable_signs(v) for v in values), dtype=np.int64, count=len(values))


def _latin_across_scripts(
    data: FieldData, ua: IntArray, ub: IntArray
) -> tuple[list[str], list[str]]:
    """The pairs' values; both read in Latin letters where only one is written in them
    (`иван петров` / `ivan petrov`), so that their letters can agree."""
    a, b = _strings(data, ua), _strings(data, ub)
    latin = data.per_unique("latin", lambda: _is_ascii(data.uniques))
    for k in np.flatnonzero(latin[ua] != latin[ub]).tolist():
        a[k], b[k] = latin_skeleton(a[k]), latin_skeleton(b[k])
    return a, b


def _read_alike(
    one: FieldData, rows: IntArray, other: FieldData, other_rows: IntArray
) -> tuple[list[str], list[str]]:
    """The two fields' values of the row pairs (present in both), both read in Latin letters
    where only one is written in them."""
    texts, other_texts = one.texts(rows), other.texts(other_rows)
    latin = one.per_unique("latin", lambda: _is_ascii(one.uniques))[one.codes[rows]]
    other_latin = other.per_unique("latin", lambda: _is_ascii(other.uniques))
    for k in np.flatnonzero(latin != other_latin[other.codes[other_rows]]).tolist():
        texts[k], other_texts[k] = latin_skeleton(texts[k]), latin_skeleton(other_texts[k])
    return texts, other_texts


def _is_ascii(values: list[str]) -> IntArray:
    return np.fromiter((value.isascii() for value in values), dtype=np.int64, count=len(values))


def _text(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    a, b = _strings(data, ua), _strings(data, ub)
    jw = _score(JaroWinkler.normalized_similarity, a, b)
    edit, _ = _edit(a, b)
    token_set = _score(fuzz.token_set_ratio, a, b, 100.0)
    token_sort = _score(fuzz.token_sort_ratio, a, b, 100.0)
    best = np.maximum(np.maximum(jw, token_set), edit)
    levels = _select([best >= 0.92, best >= 0.75], len(a))
    features = {"jaro_winkler": jw, "edit": edit, "token_set": token_set, "token_sort": token_sort}
    return levels, features


def _long_text(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    a, b = _strings(data, ua), _strings(data, ub)
    token_set = _score(fuzz.token_set_ratio, a, b, 100.0)
    numbers = _digit_words(data, ua, ub)
    features = {
        "token_set": token_set,
        "token_sort": _score(fuzz.token_sort_ratio, a, b, 100.0),
        "partial": _score(fuzz.partial_ratio, a, b, 100.0),
        "jaro_winkler": _score(JaroWinkler.normalized_similarity, a, b),
        "numbers": _number_token_overlap(*numbers),
    }
    if data.vectors is not None:
        features["cosine"] = _cosine(data, ua, ub)
    return _long_text_select(data, token_set, features.get("cosine"), numbers), features


def _long_text_levels(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    a, b = _strings(data, ua), _strings(data, ub)
    token_set = _score(fuzz.token_set_ratio, a, b, 100.0)
    cosine = _cosine(data, ua, ub) if data.vectors is not None else None
    numbers = _digit_words(data, ua, ub) if data.spec.type in ADDRESS_TYPES else None
    return _long_text_select(data, token_set, cosine, numbers), {}


def _cosine(data: FieldData, ua: IntArray, ub: IntArray) -> NDArray[np.float32]:
    assert data.vectors is not None
    cosine = np.einsum("ij,ij->i", data.vectors[ua], data.vectors[ub]).astype(np.float32)
    result: NDArray[np.float32] = np.clip(cosine, 0.0, 1.0)
    return result


def _long_text_select(
    data: FieldData,
    token_set: NDArray[np.float32],
    cosine: NDArray[np.float32] | None,
    numbers: tuple[list[frozenset[str]], list[frozenset[str]]] | None,
) -> NDArray[np.int8]:
    best = token_set if cosine is None else np.maximum(token_set, cosine)
    if data.spec.type in ADDRESS_TYPES and numbers is not None:
        best = np.where(_numbers_conflict(*numbers), np.minimum(best, 0.74), best)
    return _select([best >= 0.9, best >= 0.75, best >= 0.5], len(token_set))


def _digit_words(
    data: FieldData, ua: IntArray, ub: IntArray
) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """Per pair, each side's words with digits (split once per distinct value)."""
    uniques = data.uniques
    words = {
        code: frozenset(w for w in uniques[code].split(" ") if any(c.isdigit() for c in w))
        for code in np.unique(np.concatenate([ua, ub])).tolist()
    }
    return [words[code] for code in ua.tolist()], [words[code] for code in ub.tolist()]


def _numbers_conflict(left: list[frozenset[str]], right: list[frozenset[str]]) -> NDArray[np.bool_]:
    """Each text holds a number that the other holds in no form one typo away (`1368 west
    drive 33826` and `6600 west drive 33826`: another house). A unit added, a number left
    out, or a mistyped house number or ZIP code (`6470` / `6407`) is no conflict.
    `left`, `right`: per pair, each text's words with digits (`_digit_words`)."""
    conflict = np.zeros(len(left), dtype=bool)
    for row, (x, y) in enumerate(zip(left, right, strict=True)):
        if x and y and x != y:  # a number both hold matches itself
            conflict[row] = _has_unmatched(x - y, y) and _has_unmatched(y - x, x)
    return conflict


def _has_unmatched(numbers: frozenset[str], others: frozenset[str]) -> bool:
    return any(all(OSA.distance(n, o, score_cutoff=1) > 1 for o in others) for n in numbers)


def _number_token_overlap(
    left: list[frozenset[str]], right: list[frozenset[str]]
) -> NDArray[np.float32]:
    """Jaccard overlap of the words with digits (model numbers, sizes, versions); NaN if none.

    Product titles that share most words still differ in exactly these ("16gb" vs "32gb").
    """
    result = np.full(len(left), np.nan, dtype=np.float32)
    for row, (x, y) in enumerate(zip(left, right, strict=True)):
        if x or y:
            result[row] = len(x & y) / len(x | y)
    return result


def _email(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    a, b = _strings(data, ua), _strings(data, ub)
    jw = _score(JaroWinkler.normalized_similarity, a, b)
    edit, distance = _edit(a, b)
    user = _same_user(data, ua, ub)
    levels = _email_select(_one_typo_email(a, b, distance), user)
    features = {"jaro_winkler": jw, "edit": edit, "user": user.astype(np.float32)}
    return levels, features


def _same_user(data: FieldData, ua: IntArray, ub: IntArray) -> NDArray[np.bool_]:
    users = data.derived_codes("user", email_user)
    same: NDArray[np.bool_] = (users[ua] == users[ub]) & (users[ua] >= 0)
    return same


def email_user(address: str) -> str | None:
    """The part of an address before `@`."""
    return address.split("@")[0] or None


def _email_levels(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    a, b = _strings(data, ua), _strings(data, ub)
    return _email_select(_one_typo_email(a, b), _same_user(data, ua, ub)), {}


def _email_select(one_typo: NDArray[np.bool_], user: NDArray[np.bool_]) -> NDArray[np.int8]:
    return _select([one_typo, user], len(one_typo))


def _one_typo_email(
    a: list[str], b: list[str], distance: NDArray[np.int32] | None = None
) -> NDArray[np.bool_]:
    """At most one edit apart, and not in the user name's digits: `mary.rivera608` and
    `mary.rivera308` are two namesakes' accounts, not one mistyped (the name in an address
    already counts in the name fields)."""
    if distance is None:
        distance = _distance(a, b)
    typo = distance <= 1
    for row in np.flatnonzero(typo & (distance > 0)):
        typo[row] = _user_digits(a[row]) == _user_digits(b[row])
    return typo


def _user_digits(address: str) -> str:
    return "".join(c for c in address.split("@")[0] if c.isdigit())


def _phone(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    a, b = _strings(data, ua), _strings(data, ub)
    edit, distance = _edit(a, b)
    suffix = np.fromiter(
        (x[-7:] == y[-7:] for x, y in zip(a, b, strict=True)), bool, len(a)
    ).astype(np.float32)
    levels = _one_typo_select(distance)
    return levels, {"edit": edit, "suffix": suffix}


def _one_typo_levels(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    """Levels of phones and codes: exact (not seen here), one typo, different."""
    a, b = _strings(data, ua), _strings(data, ub)
    return _one_typo_select(_distance(a, b)), {}


def _one_typo_select(distance: NDArray[np.int32]) -> NDArray[np.int8]:
    return _select([distance <= 1], len(distance))


def _date(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    a, b = _strings(data, ua), _strings(data, ub)
    edit, distance = _edit(a, b)
    numbers = data.numbers if data.numbers is not None else np.full(len(data.uniques), np.nan)
    days = np.abs(numbers[ua] - numbers[ub])
    swap = _swapped(data, ua, ub)
    close = np.where(np.isnan(days), 0.0, np.clip(1.0 - days / 3650.0, 0.0, 1.0))
    levels = _select([(distance <= 1) | swap, days <= 366], len(a))
    features = {
        "edit": edit,
        "days": close.astype(np.float32),
        "swap": swap.astype(np.float32),
    }
    return levels, features


def _swapped(data: FieldData, ua: IntArray, ub: IntArray) -> NDArray[np.bool_]:
    """True for ISO dates whose month and day are swapped (2001-03-04 vs 2001-04-03)."""
    partner = data.per_unique("swap_partner", lambda: _swap_partners(data.uniques))
    result: NDArray[np.bool_] = partner[ua] == ub
    return result


def _swap_partners(uniques: list[str]) -> IntArray:
    """Per distinct date: the index of the date with day and month swapped, or -1."""
    index = {value: code for code, value in enumerate(uniques)}
    partners = [index.get(day_month_swapped(u) or "", -1) for u in uniques]
    return np.array(partners, dtype=np.int64)


def day_month_swapped(date: str) -> str | None:
    """`YYYY-MM-DD` with month and day exchanged; None for other shapes."""
    if len(date) != 10 or date[4] != "-" or date[7] != "-":
        return None
    return f"{date[:5]}{date[8:]}-{date[5:7]}"


def _code(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    a, b = _strings(data, ua), _strings(data, ub)
    jw = _score(JaroWinkler.normalized_similarity, a, b)
    edit, distance = _edit(a, b)
    levels = _one_typo_select(distance)
    return levels, {"jaro_winkler": jw, "edit": edit}


def _identifier(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    a, b = _strings(data, ua), _strings(data, ub)
    jw = _score(JaroWinkler.normalized_similarity, a, b)
    edit, distance = _edit(a, b)
    levels = _two_typo_select(distance)
    return levels, {"jaro_winkler": jw, "edit": edit}


def _identifier_levels(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    a, b = _strings(data, ua), _strings(data, ub)
    distance = _distance(a, b)
    return _two_typo_select(distance), {}


def _two_typo_select(distance: NDArray[np.int32]) -> NDArray[np.int8]:
    return _select([distance <= 1, distance <= 2], len(distance))


def _number(data: FieldData, ua: IntArray, ub: IntArray) -> _Result:
    numbers = data.numbers if data.numbers is not None else np.full(len(data.uniques), np.nan)
    x, y = numbers[ua], numbers[ub]
    scale = np.maximum(np.maximum(np.abs(x), np.abs(y)), 1e-9)
    relative = np.abs(x - y) / scale
    similarity = np.where(np.isnan(relative), 0.0, np.clip(1.0 - relative, 0.0, 1.0))
    levels = _select([relative <= 0.01, relative <= 0.1], len(ua))
    return levels, {"relative": similarity.astype(np.float32)}


_KIND_FUNCTIONS = {
    "name": _name,
    "text": _text,
    "long_text": _long_text,
    "email": _email,
    "phone": _phone,
    "date": _date,
    "code": _code,
    "identifier": _identifier,
    "number": _number,
}


# Levels without the features, for kinds whose features cost extra scorers.
_LEVEL_FUNCTIONS = {
    "long_text": _long_text_levels,
    "email": _email_levels,
    "phone": _one_typo_levels,
    "code": _one_typo_levels,
    "identifier": _identifier_levels,
}


def level_counts(kind: str) -> int:
    """How many agreement levels the kind has (not counting null)."""
    return len(LEVELS[kind])
