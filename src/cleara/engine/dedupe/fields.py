"""Which columns to compare, how, and their values in comparison form.

Every compared column becomes a `FieldSpec` with a comparison *kind* (name, text, email, ...)
chosen from its semantic type (caller schema, schema detection or header synonyms, then the
values themselves). Values are normalized with the cleaning engine's field modules (one call
per distinct value), then folded to a comparison form (lower case, no accents, single spaces).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from cleara.engine.dedupe.golden import is_recency_header
from cleara.engine.dedupe.places import city_form
from cleara.engine.fields import phone
from cleara.engine.fields.address import DIRECTIONALS, street_suffixes, unit_designators
from cleara.engine.fields.base import FieldOptions, JsonScalar, as_text, is_null
from cleara.engine.fields.company import company_words
from cleara.engine.fields.country import region_option
from cleara.engine.fields.name import given_and_family
from cleara.engine.fields.registry import get_field
from cleara.engine.schema.headers import header_type
from cleara.engine.schema.types import cleaner_for, is_known_type
from cleara.engine.table import InputError

KINDS: tuple[str, ...] = (
    "name", "text", "long_text", "email", "phone", "date", "code", "identifier", "number",
)  # fmt: skip
"""Comparison kinds; each has its own similarity functions and agreement levels."""
FREE_TEXT_KINDS: tuple[str, ...] = ("text", "long_text")
"""Kinds of free text (titles, names of things, descriptions), as opposed to typed values."""
ADDRESS_TYPES = frozenset({"address", "street_address"})
"""Semantic types compared in one spelling of street words (`address_words`) and whose
house numbers must agree in long text (`compare._long_text`)."""


HOME_TYPES = frozenset(
    {
        "last_name",
        "street_address",
        "address",
        "address_line2",
        "city",
        "county",
        "state",
        "postal_code",
        "phone",
    }
)
"""Semantic types that people of one home share."""
PERSONAL_TYPES = frozenset(
    {"first_name", "middle_name", "full_name", "date_of_birth", "email", "national_id"}
)
"""Semantic types that tell people of one home apart (a full name by its first name)."""
ORGANIZATION_TYPES = frozenset({"company"})
"""Semantic types that name an organization. Beside a site or contact field, their names are
compared without their legal form (`company_forms_apply`) and, in a table without people,
the table is scored as one of people is (all-pair rates; a class for neighbours, see
`fellegi_sunter.home_fields`)."""
SITE_TYPES = HOME_TYPES - {"last_name", "phone"}
"""Semantic types that organizations at one site (an office building, a business park) share."""
_CONTACT_TYPES = SITE_TYPES | {"phone", "email", "url"}


def is_people(types: list[str]) -> bool:
    """A table of people: a field that tells one person from another (`PERSONAL_TYPES`)."""
    return any(t in PERSONAL_TYPES for t in types)


def is_organizations(types: list[str]) -> bool:
    """A table of organizations (suppliers, customers' companies), not of people or products:
    a company name and a site or contact field (address, city, phone, e-mail, website).
    Product tables name makers and brands with no address or phone."""
    return (
        not is_people(types)
        and any(t in ORGANIZATION_TYPES for t in types)
        and any(t in _CONTACT_TYPES for t in types)
    )


def is_embedded(spec: FieldSpec) -> bool:
    """Whether MiniLM embeddings compare (and block) the field: long free text, but not an
    address, whose words and numbers say more than its meaning (10,000 addresses alone: F1
    0.8353 embedded, 0.8363 not, in 35.1 s against 2.4 s)."""
    return spec.kind == "long_text" and spec.type not in ADDRESS_TYPES


_KIND_OF_TYPE: dict[str, str] = {
    **dict.fromkeys(("first_name", "last_name", "middle_name", "full_name", "name"), "name"),
    "email": "email",
    "phone": "phone",
    **dict.fromkeys(("date_of_birth", "date", "datetime"), "date"),
    **dict.fromkeys(
        (
            "postal_code",
            "state",
            "country",
            "gender",
            "categorical",
            "currency_code",
            "language",
            "timezone",
            "boolean",
            "year",
            "name_prefix",
            "name_suffix",
        ),
        "code",
    ),
    **dict.fromkeys(
        ("identifier", "uuid", "credit_card", "iban", "national_id", "ip_address", "url"),
        "identifier",
    ),
    **dict.fromkeys(
        (
            "age",
            "latitude",
            "longitude",
            "integer",
            "number",
            "currency_amount",
            "percentage",
            "time",
        ),
        "number",
    ),
}

# Cleaners worth their cost for matching: they map different spellings of one value to one form.
# Phones are not among them: their comparison form (the last ten digits) already is one form,
# and parsing every number cost half the time of a 1,000-record request.
_CLEANED_FOR_MATCHING = frozenset(
    {"name", "date", "datetime", "postal_code", "state", "country", "gender", "email"}
)
# Above this many distinct values a column gets the fast normalizer instead of its cleaner,
# so that a million-record table is normalized in seconds.
MAX_CLEANED_DISTINCT = 100_000
_REGION_SAMPLE = 2000
_NSN_DIGITS = 10
_LONG_TEXT_CHARS = 30
_FREE_TEXT_CHARS = 12  # codes (states, genders, categories) are short ...
_FREE_TEXT_DISTINCT = 50  # ... and few
_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s@.+-]", re.UNICODE)
_DIGITS = re.compile(r"\D+")
_EXTENSION = re.compile(r"(?:[,;]\s*)?(?:e?xt(?:ension)?\.?|x|#)\s*\d{1,6}\s*$", re.IGNORECASE)
_EXTENSION_TAIL = 24  # the characters an extension may take at the end: searched alone, so
# that a long value cannot make the search quadratic


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One compared field: `name` in the records, `right` in the link records; or a part of
    the full names in column `source` (`part`: "given" or "family", named `source.part`)."""

    name: str
    kind: str
    type: str = "text"
    right: str | None = None
    source: str | None = None
    part: str | None = None

    @property
    def column(self) -> str:
        """The records' column the field is read from."""
        return self.source if self.source is not None else self.name

    @property
    def right_name(self) -> str:
        return self.right if self.right is not None else self.column

    def values(
        self, rows: Sequence[Mapping[str, JsonScalar]], *, right: bool = False
    ) -> list[JsonScalar]:
        """The field's raw values in the records (or in link records, with `right`)."""
        column = self.right_name if right else self.column
        values = [row.get(column) for row in rows]
        if self.part is None:
            return values
        return [name_part(value, self.part) for value in values]

    def as_dict(self) -> dict[str, Any]:
        described = {"name": self.name, "kind": self.kind, "type": self.type}
        if self.part is not None:
            described |= {"source": self.column, "part": self.part}
        return {**described, "right": self.right_name}

    @classmethod
    def from_dict(cls, described: Mapping[str, Any]) -> FieldSpec:
        """The spec `as_dict` described."""
        name, part = described["name"], described.get("part")
        source = described.get("source") if part is not None else None
        right = described["right"] if described["right"] != (source or name) else None
        return cls(name, described["kind"], described["type"], right, source, part)


NAME_PARTS: dict[str, str] = {"given": "first_name", "family": "last_name"}
"""Parts a full-name column is compared by, and their semantic types."""
_SPLIT_SHARE = 0.8
"""Share of a full-name column's sampled values that must read as one person's given and
family name for the column to be compared by its parts."""
_TELLS_PEOPLE_APART = frozenset({"email", "date_of_birth", "national_id"})
_NAME_LIST = re.compile(r"\S+\s+\S+\s*[,;&]\s*\S+\s+\S+|\band\b", re.IGNORECASE)


def _is_one_person(text: str) -> bool:
    """Whether the name cleaner reads the text as one person with a given and family name.

    The cleaner comes first: it refuses an overlong text at once, while the name-list
    pattern's time grows with the square of the length."""
    components = get_field("name").validate(text).components or {}
    return (
        components.get("kind") == "person"
        and bool(components.get("first"))
        and bool(components.get("last"))
        and not _NAME_LIST.search(text)
    )


@lru_cache(maxsize=200_000)
def _name_parts(text: str) -> tuple[str | None, str | None]:
    """(given, family) of a name, by the cleaner's parser alone (about 1 µs a name: 25 times
    faster than cleaning it); (None, None) for a list of names."""
    if _NAME_LIST.search(text):
        return None, None
    return given_and_family(text)


def name_part(value: JsonScalar, part: str) -> str | None:
    """The given or family name in a full name (None where it has none)."""
    if is_null(value):
        return None
    given, family = _name_parts(as_text(value).strip())
    return given if part == "given" else family


def split_full_names(
    specs: list[FieldSpec], rows: Sequence[Mapping[str, JsonScalar]]
) -> list[FieldSpec]:
    """Full-name fields compared by their given and family names, where most values are one
    person's name and another field tells people apart (an e-mail, birth date or national
    id): people of one home then share a family name but not a given one, which the
    household class reads, and a typo in one part leaves the other exact. On 3,000 synthetic
    persons with name, e-mail, phone, address and city F1 rose from 0.886 to 0.988. Without
    such a field the parts did worse than the whole name (name, phone and address, 10,000
    persons: 0.88 -> 0.71; EM took people who share a first name or a surname for one), and
    a table that also has a first or last name column keeps its full name whole."""
    types = {spec.type for spec in specs}
    if types & set(NAME_PARTS.values()) or not types & _TELLS_PEOPLE_APART:
        return specs
    split: list[FieldSpec] = []
    for spec in specs:
        if spec.type != "full_name" or spec.part is not None or not _one_person_each(spec, rows):
            split.append(spec)
            continue
        right = spec.right_name if spec.right_name != spec.column else None
        split += [
            FieldSpec(f"{spec.column}.{part}", "name", type_name, right, spec.column, part)
            for part, type_name in NAME_PARTS.items()
        ]
    return split


def _one_person_each(spec: FieldSpec, rows: Sequence[Mapping[str, JsonScalar]]) -> bool:
    sample = _sample_texts(rows, spec.column)
    people = sum(_is_one_person(text) for text in sample)
    return bool(sample) and people >= _SPLIT_SHARE * len(sample)


def kind_of_type(type_name: str) -> str:
    """The comparison kind of a semantic (or field) type."""
    return _KIND_OF_TYPE.get(type_name, "text")


def plan_fields(
    columns: Sequence[str],
    rows: Sequence[Mapping[str, JsonScalar]],
    *,
    right_columns: Sequence[str] | None = None,
    right_rows: Sequence[Mapping[str, JsonScalar]] | None = None,
    fields: Sequence[str | Mapping[str, Any]] | None = None,
    schema: Mapping[str, str] | None = None,
    id_field: str | None = None,
    right_id_field: str | None = None,
) -> list[FieldSpec]:
    """The fields to compare: the caller's `fields` as given, or every column but the ids
    (`right_id_field` of the link records, `id_field` if absent; full names by their parts:
    `split_full_names`).

    With link records, columns of the two tables are paired by name, then by semantic type.
    """
    schema = dict(schema or {})
    if fields:
        return [_caller_field(f, columns, rows, right_columns, schema) for f in fields]
    left_types = column_types(columns, rows, schema, id_field)
    if right_columns is None or right_rows is None:
        return split_full_names([_spec(c, t, rows, c) for c, t in left_types.items()], rows)
    right_types = column_types(right_columns, right_rows, schema, right_id_field or id_field)
    paired = [
        _spec(left, left_types[left], rows, right)
        for left, right in pair_columns(left_types, right_types)
    ]
    return split_full_names(paired, rows)


def _spec(
    column: str, type_name: str, rows: Sequence[Mapping[str, JsonScalar]], right: str
) -> FieldSpec:
    sample = _sample_texts(rows, column)
    kind = _kind_from_values(kind_of_type(type_name), sample)
    if kind != kind_of_type(type_name) and kind_of_type(type_name) == "code":
        type_name = "text"  # the detected type was wrong, so is its cleaner
    return FieldSpec(column, kind, type_name, right if right != column else None)


def _caller_field(
    entry: str | Mapping[str, Any],
    columns: Sequence[str],
    rows: Sequence[Mapping[str, JsonScalar]],
    right_columns: Sequence[str] | None,
    schema: Mapping[str, str],
) -> FieldSpec:
    if isinstance(entry, str):
        entry = {"name": entry}
    if not isinstance(entry, Mapping):
        raise InputError(
            f"fields: each entry is a column name or {{'name', 'type'?, 'right'?}}, got {entry!r}"
        )
    name = entry.get("name")
    if not isinstance(name, str) or name not in columns:
        raise InputError(f"fields names a column the records lack: {name!r}")
    right = entry.get("right") or name
    if right_columns is not None and right not in right_columns:
        raise InputError(f"fields names a column the link records lack: {right!r}")
    type_name = entry.get("type") or schema.get(name)
    if type_name is None:
        type_name = _named_column_type(name, rows)
    if type_name in KINDS:
        return FieldSpec(name, type_name, type_name, right if right != name else None)
    if not is_known_type(str(type_name)):
        raise InputError(f"unknown type {type_name!r} for field {name!r}")
    return _spec(name, str(type_name), rows, str(right))


def column_types(
    columns: Sequence[str],
    rows: Sequence[Mapping[str, JsonScalar]],
    schema: Mapping[str, str],
    id_field: str | None,
) -> dict[str, str]:
    """Column -> semantic type: the schema, then detection or header synonyms, then values."""
    for column, type_name in schema.items():
        if not is_known_type(type_name):
            raise InputError(f"unknown type {type_name!r} in schema", column=column)
    # Update timestamps tell which record is newer, not whether two records match.
    wanted = [c for c in columns if c != id_field and not is_recency_header(c)]
    detected = _detected_types(wanted, rows)
    types: dict[str, str] = {}
    for column in wanted:
        sample = _sample_texts(rows, column)
        if not sample and column not in schema:
            continue  # an all-empty column cannot tell records apart
        found = schema.get(column) or detected.get(column) or header_type(column)
        types[column] = _refine_type(found, sample)
    return types


def _named_column_type(name: str, rows: Sequence[Mapping[str, JsonScalar]]) -> str:
    """The type of a column the caller names: found as for any column, even where zero-config
    matching would leave it out (empty in every record, or an update timestamp)."""
    detected = _detected_types([name], rows).get(name)
    return _refine_type(detected or header_type(name), _sample_texts(rows, name))


def _detected_types(columns: list[str], rows: Sequence[Mapping[str, JsonScalar]]) -> dict[str, str]:
    """Schema detection where its models are installed; header synonyms otherwise."""
    try:
        from cleara.engine.schema.detect import detect_column_types

        found = detect_column_types(columns, rows)
    except Exception:
        return {}
    return {c: t for c, t in found.items() if t != "text"}


def _refine_type(type_name: str | None, sample: list[str]) -> str:
    """Correct what headers get wrong: digit-only 'addresses' are numbers, `@` means email."""
    if not sample:
        return type_name or "text"
    digits = sum(1 for s in sample if s.replace(" ", "").replace("-", "").isdigit())
    if type_name in (None, "text", "street_address", "address", "identifier") and (
        digits >= 0.9 * len(sample)
    ):
        average = _mean_length(sample)
        return "identifier" if average >= 5 else "categorical"
    if type_name is None and sum("@" in s for s in sample) >= 0.8 * len(sample):
        return "email"
    if type_name is None:
        distinct = len(set(sample))
        return "categorical" if distinct <= max(3, len(sample) // 20) else "text"
    return type_name


def _kind_from_values(kind: str, sample: list[str]) -> str:
    """Correct a kind the values contradict: a 'code' column of many long strings is text.

    Header synonyms misread product or song columns (`title` as a name prefix, `genre` as a
    gender, `Song_Name` as a person's name); comparing such values for exact equality, or
    with the phonetic and word-swap rules of person names, would lose or invent matches.
    """
    if kind == "code" and _is_free_text(sample):
        return _text_kind(sample)
    if kind == "name" and _is_titles(sample):
        return _text_kind(sample)
    if kind == "text":
        return _text_kind(sample)
    return kind


_TITLE_MARKS = re.compile(r"[\d()\[\]&/:!?]")


def _is_titles(sample: list[str]) -> bool:
    """Titles under a `..._name` header (songs, albums, products), not people's names: long,
    or often holding digits, brackets or `&`, which person names do not."""
    if not sample:
        return False
    average = _mean_length(sample)
    marked = sum(1 for s in sample if _TITLE_MARKS.search(s))
    return average >= _LONG_TEXT_CHARS or marked >= 0.2 * len(sample)


def _is_free_text(sample: list[str]) -> bool:
    if not sample:
        return False
    average = _mean_length(sample)
    distinct = len(set(sample))
    return average >= _FREE_TEXT_CHARS and distinct > max(_FREE_TEXT_DISTINCT, len(sample) // 20)


def _mean_length(sample: list[str]) -> float:
    """Mean length in characters of a non-empty sample."""
    return sum(len(s) for s in sample) / len(sample)


def _text_kind(sample: list[str]) -> str:
    if not sample:
        return "text"
    average = _mean_length(sample)
    return "long_text" if average >= _LONG_TEXT_CHARS else "text"


def _sample_texts(rows: Sequence[Mapping[str, JsonScalar]], column: str) -> list[str]:
    step = max(1, len(rows) // 500)
    texts: list[str] = []
    for row in rows[::step]:
        value = row.get(column)
        if not is_null(value):
            text = as_text(value).strip()
            if text:
                texts.append(text)
    return texts


def pair_columns(left: Mapping[str, str], right: Mapping[str, str]) -> list[tuple[str, str]]:
    """Pair the columns of two tables: same (normalized) name first, then same type."""
    pairs: list[tuple[str, str]] = []
    unused = dict(right)
    by_key = {_header_key(c): c for c in right}
    for column in left:
        match = by_key.get(_header_key(column))
        if match is not None and match in unused:
            pairs.append((column, match))
            del unused[match]
    paired = {p[0] for p in pairs}
    for column, type_name in left.items():
        if column in paired or type_name in ("text", "categorical"):
            continue
        match = next((c for c, t in unused.items() if t == type_name), None)
        if match is not None:
            pairs.append((column, match))
            del unused[match]
    order = {c: i for i, c in enumerate(left)}
    return sorted(pairs, key=lambda p: order[p[0]])


def _header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


# -- normalization ------------------------------------------------------------------------


def fold(text: str) -> str:
    """Comparison form: NFKC, accents removed from Latin letters, lower case, single spaces."""
    if text.isascii():  # nothing to normalize or strip: the common case, 5x faster
        return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text.lower())).strip()
    text = unicodedata.normalize("NFKC", text).lower()
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if stripped.isascii() or not text.isascii():
        text = unicodedata.normalize("NFC", stripped)
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def normalize_values(
    spec: FieldSpec,
    values: Sequence[JsonScalar],
    options: FieldOptions | None = None,
    *,
    company_forms: bool = False,
) -> list[str | None]:
    """Each value in comparison form (None for nulls), cleaned once per distinct value.
    `company_forms`: company names without their legal form, as where `company_forms_apply`
    says so."""
    return normalize_column(spec, values, options, company_forms=company_forms)[0]


def company_forms_apply(specs: Sequence[FieldSpec]) -> bool:
    """Whether company names are compared without their legal form (and names with
    conflicting words are different: `compare.words_conflict`): where the table has a site
    or contact field too, so that the name says which company a record is or works for
    (suppliers; contacts and their employer; a vendor list with a contact person, F1 0.86 ->
    0.94 on the supplier bench with one). In a product table a maker's name is shared by its
    products (Beer's breweries); there, legal forms set aside made more of one brewery's
    beers agree, and test F1 fell by a pair (90.3 -> 87.5)."""
    types = [spec.type for spec in specs]
    return any(t in ORGANIZATION_TYPES for t in types) and any(t in _CONTACT_TYPES for t in types)


def normalize_column(
    spec: FieldSpec,
    values: Sequence[JsonScalar],
    options: FieldOptions | None = None,
    *,
    company_forms: bool = False,
) -> tuple[list[str | None], dict[str, Any]]:
    """`normalize_values`, and the column's settings (`column_settings`) they were read with."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    distinct = [v for v in uniques.tolist() if not is_null(v)]
    cleaner = cleaner_for(spec.type)
    use_cleaner = cleaner in _CLEANED_FOR_MATCHING and len(distinct) <= MAX_CLEANED_DISTINCT
    options = options or FieldOptions()
    if use_cleaner:
        field_type = get_field(cleaner)
        options = field_type.infer(distinct[:2000], options)
    forms: dict[JsonScalar, str | None] = {}
    trunk = "0"
    if spec.type == "time":
        forms = clock_forms(distinct)
    elif spec.type == "url":
        forms = {value: url_form(as_text(value)) for value in distinct}
    elif spec.kind == "phone":
        region = phone_column_region(distinct, options)
        trunk = phone.trunk_prefix(region)
        if region and not options.country:
            options = replace(options, country=region)  # for later records (`column_settings`)
    plain = _PLAIN_FORMS.get(cleaner) if use_cleaner and not options.country else None
    for value in distinct:
        if value in forms:
            continue
        cleaned = value
        form = plain(as_text(value)) if plain is not None else None
        if form is not None:
            forms[value] = form or None
            continue
        if use_cleaner:
            result = field_type.validate(value, options)
            if result.valid and result.value is not None:
                cleaned = result.value
        form = _comparison_form(spec.kind, as_text(cleaned), trunk)
        forms[value] = typed_form(spec, form, company_forms=company_forms)
    lookup = np.array([*(forms.get(u) for u in uniques.tolist()), None], dtype=object)
    normalized: list[str | None] = lookup[codes].tolist()  # code -1 (None, NaN): the None
    return normalized, column_settings(options)


def column_settings(options: FieldOptions) -> dict[str, Any]:
    """What reading a column decided and later values of it must be read with: its country
    (given, or adopted from postal codes) and its day/month order (given, or settled by
    dates like `25/12/1980`). `FieldOptions(**settings)` applies them."""
    settings: dict[str, Any] = {}
    if options.country:
        settings["country"] = options.country
    if options.dayfirst is not None:
        settings["dayfirst"] = options.dayfirst
    return settings


# -- clock values: durations and times of day as seconds ------------------------------------

_CLOCK = re.compile(r"^\s*(\d{1,3}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:([AaPp])\.?[Mm]\.?)?\s*$")


def clock_forms(values: Sequence[JsonScalar]) -> dict[JsonScalar, str | None]:
    """Clock values (`3:35`, `0:03:35`, `14:30`, `2:30 PM`) as seconds, in comparison form.

    Compared as numbers, a song of 3:33 nearly equals one of 3:31 and differs from a remix of
    3:58, which text similarity cannot tell. How `a:b` reads depends on the column: where
    values say AM/PM, or three-part values with hours (`14:30:00`) are at least as many as
    two-part ones, it is hours and minutes, else (song lengths, `0:03:35`, and a list of
    songs with one two-hour mix) minutes and seconds. Values that are not clock times are
    left out."""
    parsed = {v: _CLOCK.match(as_text(v)) for v in values}
    found = [m for m in parsed.values() if m]
    with_hours = sum(1 for m in found if m[3] is not None and int(m[1]) > 0)
    two_part = sum(1 for m in found if m[3] is None)
    hours = any(m[4] for m in found) or (with_hours > 0 and with_hours >= two_part)
    return {v: str(_clock_seconds(m, hours_first=hours)) for v, m in parsed.items() if m}


def _clock_seconds(match: re.Match[str], *, hours_first: bool) -> int:
    first, second = int(match[1]), int(match[2])
    if match[4]:  # 12-hour clock: 12:05 AM is 00:05, 1 PM is 13:00
        first = first % 12 + (12 if match[4].lower() == "p" else 0)
    if match[3] is not None:
        return first * 3600 + second * 60 + int(match[3])
    return first * 3600 + second * 60 if hours_first else first * 60 + second


# -- plain values: the comparison form without the cleaner --------------------------------
# Most values of a large table are plain (`Henry`, `ann@example.com`, `1989-06-01`, `02134`):
# for those the cleaner's output, once folded, is the folded input, so calling it (60-250 us
# per value) buys nothing. Each function returns the comparison form of a plain value and
# None for anything else, which then goes through the cleaner. Equality with the cleaner's
# result is tested value by value (tests/engine/dedupe/test_fields.py).

_PLAIN_WORD = re.compile(r"^[^\W\d_]+(?:['-][^\W\d_]+)*$")
_PLAIN_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PLAIN_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PLAIN_POSTAL = re.compile(r"^[A-Za-z0-9]{2,10}$")


def _plain_name(text: str) -> str | None:
    """One word of letters (`Henry`, `O'Neil`, `Smith-Jones`): its folded form."""
    text = text.strip()
    return fold(text) if _PLAIN_WORD.match(text) else None


def _plain_email(text: str) -> str | None:
    """An ASCII address with nothing around it: lower case (as compared)."""
    text = text.strip()
    if not _PLAIN_EMAIL.match(text) or ".." in text or text.startswith("."):
        return None
    local = text.split("@", 1)[0]
    return text.lower() if len(local) <= 64 and not local.endswith(".") else None


def _plain_date(text: str) -> str | None:
    """An existing ISO date (`1989-06-01`): itself."""
    text = text.strip()
    match = _PLAIN_ISO_DATE.match(text)
    if match is None:
        return None
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return text if day.year >= _PLAIN_MIN_YEAR else None


def _plain_postal_code(text: str) -> str | None:
    """Without a country the cleaner only verifies the shape; folding gives the same code."""
    text = text.strip()
    return fold(text).replace(" ", "") if _PLAIN_POSTAL.match(text) else None


_PLAIN_MIN_YEAR = 1800
_PLAIN_FORMS = {
    "name": _plain_name,
    "email": _plain_email,
    "date": _plain_date,
    "postal_code": _plain_postal_code,
}


def typed_form(spec: FieldSpec, form: str | None, *, company_forms: bool = False) -> str | None:
    """A kind's comparison form refined for the column's type: addresses in one spelling
    of street words, cities by their own name (`places.city_form`: `Москва` as `moscow`)
    and, with `company_forms`, company names without their legal form (`company_words`)."""
    if not form:
        return form
    if spec.type in ADDRESS_TYPES:
        return address_words(form)
    if company_forms and spec.type in ORGANIZATION_TYPES:
        return company_words(form) or None
    if spec.type == "city":
        return city_form(form)
    return form


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_WWW = re.compile(r"^www\d?\.")
_DEFAULT_PORT = re.compile(r":(?:80|443)(?=/|$)")


def url_form(text: str) -> str | None:
    """A web address's comparison form: lower case, without its scheme, `www.`, default
    port, query, fragment and trailing slash, so that `https://www.acme.com/` and `acme.com`
    agree while `linkedin.com/in/ann` and `linkedin.com/in/bob` do not."""
    text = text.strip().lower()
    text = _SCHEME.sub("", text, count=1)
    for mark in ("#", "?"):
        text = text.split(mark, 1)[0]
    text = _WWW.sub("", _DEFAULT_PORT.sub("", text, count=1), count=1)
    return text.rstrip("/") or None


def address_words(text: str) -> str:
    """Street types, directions and unit words in one spelling (USPS abbreviations, lower
    case, no periods): `4195 lake road` and `4195 lake rd.` compare equal, as do `north`
    and `n`."""
    words = (_address_word(word.replace(".", "")) for word in text.split(" "))
    return " ".join(word for word in words if word)


@lru_cache(maxsize=65_536)
def _address_word(word: str) -> str:
    key = word.upper()
    if key in DIRECTIONALS:
        return DIRECTIONALS[key].lower()
    standard = street_suffixes().get(key) or unit_designators().get(key)
    return standard.lower() if standard else word


def phone_column_region(values: Sequence[JsonScalar], options: FieldOptions) -> str | None:
    """The region a phone column's national numbers are read in: the given country, else
    that of the calling code most of its international numbers (of the first 2,000) carry."""
    if options.country:
        return region_option(options.country)
    codes: Counter[str] = Counter()
    for value in values[:_REGION_SAMPLE]:
        text = as_text(value).lstrip()
        if text.startswith("+"):
            split = phone.split_calling_code(_DIGITS.sub("", text))
            if split is not None:
                codes[split[0]] += 1
    return phone.calling_region(codes.most_common(1)[0][0]) if codes else None


def phone_form(text: str, trunk: str = "0") -> str | None:
    """A phone number's comparison form: the last ten digits of its national significant
    number, so that `+34 612 345 678` and `612 345 678`, or `+33 1 42 68 53 00` and
    `01 42 68 53 00`, agree. An international number (`+`, `00`) loses its calling code, a
    national one the column's `trunk` prefix (`phone.trunk_prefix`; other than `0`, only
    from numbers of over ten digits: `1 415 555 2671`, `8 912 345 67 89`), and an extension
    (`x 12`, `ext. 12`, `#12`) is no part of the number. Fictional numbers stay whole, with
    their country code, for the filler test (`data.known_filler_test`)."""
    if "x" in text or "X" in text or "#" in text:  # `ext. 12`, `x12`, `#12`: not the number
        start = max(len(text) - _EXTENSION_TAIL, 0)
        extension = _EXTENSION.search(text, start)
        text = text[: extension.start()] if extension else text
    digits = _DIGITS.sub("", text)
    international = text.lstrip().startswith("+")
    fictional = phone.fictional_from_digits(digits, international=international)
    if fictional is not None:
        return fictional
    if international or digits.startswith("00"):
        split = phone.split_calling_code(digits if international else digits[2:])
        national = split[1] if split is not None else digits
    elif trunk and digits.startswith(trunk) and (trunk == "0" or len(digits) > _NSN_DIGITS):
        national = digits[len(trunk) :]  # a `1` or `8` starts ten-digit numbers too
    else:
        national = digits
    return national[-_NSN_DIGITS:] or None


def _comparison_form(kind: str, text: str, trunk: str = "0") -> str | None:
    if kind == "phone":
        return phone_form(text, trunk)
    if kind == "email":
        return text.strip().lower() or None
    if kind == "date":
        return text.strip()[:10] or None
    folded = fold(text)
    if kind in ("identifier", "code"):
        folded = folded.replace(" ", "")
    return folded or None
