"""The records of a matching run in columnar comparison form.

In link mode the link records follow the records: indices `0..n_left-1` are the first table,
`n_left..` the second, and only pairs across the two tables are compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jellyfish
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from cleara.engine.dedupe.fields import (
    ADDRESS_TYPES,
    FieldSpec,
    address_words,
    company_forms_apply,
    is_embedded,
    normalize_column,
)
from cleara.engine.dedupe.scripts import has_syllable_signs, romanized
from cleara.engine.fields import address, date, email, name, phone
from cleara.engine.fields.base import FieldOptions, JsonScalar
from cleara.engine.fillers import (
    PERSON_NAME_TYPES,
    PLACEHOLDER_TYPES,
    frequent_fillers,
    witnesses,
)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(slots=True)
class FieldData:
    """One field over all records: distinct normalized values and per-record codes."""

    spec: FieldSpec
    codes: NDArray[np.int32]  # index into `uniques`; -1 for null
    uniques: list[str]
    counts: IntArray  # records per distinct value (term frequencies)
    numbers: FloatArray | None = None  # per distinct value: day number (dates) or the number
    phonetic: NDArray[np.int32] | None = None  # per record: phonetic code id, -1 for none
    vectors: NDArray[np.float32] | None = None  # per distinct value: unit text embedding
    total: int = 0  # non-null values in the whole population, when larger than these records
    settings: dict[str, Any] = field(default_factory=dict)  # how the values were read
    placeholders: list[str] = field(default_factory=list)  # fillers read as missing
    filler_index: NDArray[np.int32] | None = None  # per record: its filler in `placeholders`
    _unique_array: NDArray[np.object_] | None = field(default=None, repr=False)
    _derived: dict[str, IntArray] = field(default_factory=dict, repr=False)

    @property
    def non_null(self) -> int:
        return int(self.counts.sum())

    @property
    def filler_rows(self) -> NDArray[np.bool_] | None:
        """Per record: its value was a filler read as missing (None: the field has none)."""
        return None if self.filler_index is None else self.filler_index >= 0

    @property
    def population(self) -> int:
        """Non-null values the term frequencies are relative to."""
        return self.total or self.non_null

    def unique_array(self) -> NDArray[np.object_]:
        """`uniques` as a NumPy array (for fancy indexing), built once."""
        if self._unique_array is None or len(self._unique_array) != len(self.uniques):
            self._unique_array = np.array(self.uniques, dtype=object)
        return self._unique_array

    def derived_codes(self, name: str, transform: Callable[[str], str | None]) -> IntArray:
        """Per distinct value: the code of `transform(value)` (-1 for None), built once.

        Equal codes mean equal transformed values, so pairs compare as integers.
        """

        def build() -> IntArray:
            keys = [transform(u) for u in self.uniques]
            codes, _ = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
            result: IntArray = codes.astype(np.int64)
            return result

        return self.per_unique(name, build)

    def per_unique(self, name: str, build: Callable[[], IntArray]) -> IntArray:
        """An integer array over the distinct values, built once by `build`."""
        cached = self._derived.get(name)
        if cached is None or len(cached) != len(self.uniques):
            cached = self._derived[name] = build()
        result: IntArray = cached
        return result

    def value(self, index: int) -> str | None:
        code = int(self.codes[index])
        return None if code < 0 else self.uniques[code]

    def texts(self, rows: IntArray) -> list[str]:
        """The normalized values of the rows, "" where a value is missing."""
        uniques = [*self.uniques, ""]  # code -1 (missing) picks ""
        return [uniques[c] for c in self.codes[rows].tolist()]


@dataclass(slots=True)
class Dataset:
    """Records ready to block and compare."""

    ids: list[JsonScalar]
    n_left: int
    link: bool
    fields: list[FieldData]
    rows: list[Mapping[str, JsonScalar]] = field(repr=False, default_factory=list)
    given_rows: list[Mapping[str, JsonScalar]] | None = field(repr=False, default=None)
    """The records as given, when `rows` are them cleaned (`DedupeOptions.clean`)."""

    @property
    def size(self) -> int:
        return len(self.ids)

    def field(self, name: str) -> FieldData:
        for data in self.fields:
            if data.spec.name == name:
                return data
        raise KeyError(name)

    def side(self, index: int) -> str:
        return "left" if index < self.n_left else "right"


def build_dataset(
    specs: Sequence[FieldSpec],
    rows: Sequence[Mapping[str, JsonScalar]],
    ids: Sequence[JsonScalar],
    *,
    right_rows: Sequence[Mapping[str, JsonScalar]] | None = None,
    right_ids: Sequence[JsonScalar] | None = None,
    options: FieldOptions | None = None,
    embed: bool = False,
) -> Dataset:
    """Normalize and encode every field of the records (and link records); fillers that
    stand for unknown values (`placeholder_values`) are read as missing."""
    right_rows = right_rows or []
    all_rows = [*rows, *right_rows]
    fields = []
    company_forms = company_forms_apply(specs)
    for spec in specs:
        values = spec.values(rows) + spec.values(right_rows, right=True)
        normalized, settings = normalize_column(spec, values, options, company_forms=company_forms)
        fields.append(encode_field(spec, normalized, embed=embed))
        fields[-1].settings = settings
    for f, placeholders in enumerate(placeholder_values(fields)):
        if placeholders:
            fields[f] = _without_fillers(fields[f], placeholders, embed=embed)
    all_ids = [*ids, *(right_ids or [])]
    return Dataset(all_ids, len(rows), bool(right_ids is not None), fields, all_rows)


def known_filler_test(spec: FieldSpec) -> Callable[[str], bool] | None:
    """For e-mails, phones, addresses, dates and person names, the cleaning engine's test of
    a value in comparison form for a known filler (`noemail@gmail.com`, `+12025550142`,
    `0000000000`, `no fixed abode`, `1900-01-01`, `test test`). Phones compare by their last
    ten digits, except fictional numbers, which keep their country code for this test (a
    real `+1 207 946 0123` ends as a fictional `+44 20 7946 0123` does)."""
    if spec.kind == "email":
        return email.is_placeholder
    if spec.kind == "phone":
        return _is_phone_filler
    if spec.type in ADDRESS_TYPES:
        return _address_filler_forms().__contains__
    if spec.kind == "date":
        return date.is_placeholder_day
    if spec.type in PERSON_NAME_TYPES:
        return name.is_placeholder
    return None


def _is_phone_filler(form: str) -> bool:
    """A fictional number (`+12025550142`: only those keep a `+`) or dummy digits
    (`0000000000`, `1234567890`)."""
    return phone.is_fictional(form) if form[:1] == "+" else phone.is_dummy_digits(form)


@lru_cache(maxsize=1)
def _address_filler_forms() -> frozenset[str]:
    """`No fixed abode`, `Address unknown` and the like (`address.PLACEHOLDER_PHRASES`) in
    comparison form: street words in their one spelling (`street address` -> `st address`)."""
    return frozenset(address_words(phrase) for phrase in address.PLACEHOLDER_PHRASES)


def placeholder_values(fields: Sequence[FieldData]) -> list[list[str]]:
    """Per field, the values that stand for "unknown": known fillers (`known_filler_test`),
    however few hold them, and, in a field that identifies a person, the fillers found by
    their counts (`fillers.frequent_fillers`, told by the names or, without a name field,
    the other identifying fields). Matching reads them as missing, so that a filler neither
    agrees nor disagrees."""
    result: list[list[str]] = [[] for _ in fields]
    for f, field_data in enumerate(fields):
        known = known_filler_test(field_data.spec)
        if known is not None:
            result[f] = sorted(value for value in field_data.uniques if known(value))
    names = [f.codes for f in fields if f.spec.type in PERSON_NAME_TYPES]
    identifying = [f for f, each in enumerate(fields) if each.spec.type in PLACEHOLDER_TYPES]
    every_code = [fields[f].codes for f in identifying]
    for number, f in enumerate(identifying):
        field_data = fields[f]
        who = witnesses(number, every_code, names)
        for code in frequent_fillers(field_data.codes, field_data.counts, who):
            filler = field_data.uniques[code]
            if filler not in result[f]:
                result[f].append(filler)
        result[f].sort()
    return result


def _without_fillers(field_data: FieldData, placeholders: list[str], *, embed: bool) -> FieldData:
    """The field encoded again with its fillers read as missing."""
    position = {value: code for code, value in enumerate(field_data.uniques)}
    by_code = np.full(len(field_data.uniques) + 1, -1, dtype=np.int32)  # code -1 picks the -1
    by_code[[position[p] for p in placeholders]] = np.arange(len(placeholders), dtype=np.int32)
    filler_index = by_code[field_data.codes]
    values = field_data.unique_array()[np.maximum(field_data.codes, 0)]
    values[(field_data.codes < 0) | (filler_index >= 0)] = None
    column: list[str | None] = values.tolist()
    encoded = encode_field(field_data.spec, column, embed=embed)
    encoded.settings = field_data.settings
    encoded.placeholders = placeholders
    encoded.filler_index = filler_index
    return encoded


def encode_field(spec: FieldSpec, values: Sequence[str | None], *, embed: bool) -> FieldData:
    """Codes, term frequencies and the kind's extra arrays for normalized values."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    codes = codes.astype(np.int32)
    unique_list = [str(u) for u in uniques]
    counts = np.bincount(codes[codes >= 0], minlength=len(unique_list)).astype(np.int64)
    data = FieldData(spec, codes, unique_list, counts)
    if spec.kind == "date":
        data.numbers = np.array([_day_number(u) for u in unique_list], dtype=np.float64)
    elif spec.kind == "number":
        data.numbers = np.array([_number(u) for u in unique_list], dtype=np.float64)
    if spec.kind == "name":
        data.phonetic = _phonetic_codes(codes, unique_list)
    if embed and is_embedded(spec) and unique_list:
        from cleara.engine.dedupe.embeddings import embed_texts

        data.vectors = embed_texts(unique_list)
    return data


def _phonetic_codes(codes: NDArray[np.int32], uniques: list[str]) -> NDArray[np.int32]:
    keys = [phonetic_key(u) for u in uniques]
    key_codes, _ = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
    per_unique = np.append(key_codes.astype(np.int32), np.int32(-1))
    result: NDArray[np.int32] = per_unique[codes]  # code -1 picks the trailing -1
    return result


def phonetic_key(text: str) -> str | None:
    """NYSIIS of the first word, read in Latin letters where it is written in another alphabet
    (`петров` as `petrov`); None where phonetics do not apply, as in Chinese characters."""
    word = text.split(" ")[0] if text else ""
    if not word.isascii() and not has_syllable_signs(word):
        word = romanized(word).split(" ")[0]
    if not word or not word.isascii() or not word.isalpha():
        return None
    return jellyfish.nysiis(word) or None


def _day_number(text: str) -> float:
    try:
        return float(dt.date.fromisoformat(text[:10]).toordinal())
    except ValueError:
        return float("nan")


def _number(text: str) -> float:
    try:
        return float(text.replace(" ", ""))
    except ValueError:
        return float("nan")
