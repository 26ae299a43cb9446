"""Four checks for columns of people's names that the value classifier reads as places or
companies.

The classifier learned the look of people's and places' names from Western European
locales, so a contact list's names from elsewhere (`Ivan Petrov`, `Иван Петров`,
`Μαγδαληνή Φαρμάκη`) read to it as cities or states (0.85 for Russian names in Latin
letters), and the header `name` names places and companies as well as people. The checks
apply only under a header that can name a person; without a header, or under one that
names no person (`town`), nothing changes.

- Places are looked up. Whole values are looked up in the place gazetteers (48,000 cities,
  subdivisions, counties, countries): a contact list's cities were 89% known, its Russian,
  Greek and Chinese names 0%. Where fewer than `MIN_PLACE_SHARE` of the values are known
  places, the place types become unlikely. A list of small towns is not in every gazetteer,
  hence the header condition.
- Some columns only a table of people holds (a birth date, a gender,
  `PEOPLE_ONLY_TYPES`): beside one, the person-name types become likelier.
- People's e-mail addresses spell their names. Where the row's e-mail user name holds a word
  of the value, read in Latin letters (`Петров` in `ipetrov@mail.ru`), in at least
  `MIN_EMAIL_SHARE` of the rows, the person-name types become likelier. A company's
  addresses rarely do (`info@`, `sales@`), and where they do (`acmeplumbing@gmail.com`)
  the company's own evidence outweighs it: each rule multiplies odds by `PERSON_ODDS`.
- Names in Cyrillic, Greek, Chinese characters or Hangul have forms of their own
  (`fields.name.person_name_form`): a family name's ending in Cyrillic (`Петров`), two or
  three capitalized words with no legal form, a common Chinese, Japanese or Korean family
  name before one to three signs (`王小明`, `佐藤 花子`). Where at least
  `MIN_NAME_FORM_SHARE` of the values in those scripts have such a form, and they are
  enough to judge, the person-name types become likelier: without an e-mail or a birth
  date beside it, a mixed list's `name` column read as companies.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
from anyascii import anyascii
from numpy.typing import NDArray

from cleara.engine.fields.base import JsonScalar, as_text, is_null
from cleara.engine.fields.name import person_name_form
from cleara.engine.schema.features import GAZETTEERS, feature_names, looks_like_email
from cleara.engine.schema.header_model import HeaderEvidence
from cleara.engine.schema.types import SEMANTIC_TYPES

MIN_PLACE_SHARE = 0.3
"""The least share of known place names among a place column's values (under a header that
can name a person)."""
PLACE_ODDS = 0.01
"""How much the odds of each place type shrink in a column below that share."""
PLACE_TYPES = ("city", "county", "state", "country")
PERSON_TYPES = ("full_name", "first_name", "last_name", "middle_name")
PEOPLE_ONLY_TYPES = ("date_of_birth", "gender")
"""Columns only a table of people holds."""
MIN_EMAIL_SHARE = 0.3
"""The share of rows whose e-mail user name holds a word of the value, from which a column
is likelier a person's name."""
MIN_EMAIL_ROWS = 10
"""Rows with both a value and an e-mail address needed to judge that share."""
PERSON_ODDS = 100.0
"""How much the odds of each person-name type grow in a column past that share."""
EMAIL_SHARE = 0.5
"""The share of a column's values that must be e-mail addresses for it to be read as one."""
MIN_NAME_FORM_SHARE = 0.6
"""The share of a column's values in Cyrillic, Greek, Chinese characters or Hangul with the
form of a person's name there, from which the column is likelier a person's name."""
MIN_FORM_ROWS = 10
"""Values in those scripts needed to judge that share; they must also be at least
`MIN_FORM_PRESENCE` of the column's values."""
MIN_FORM_PRESENCE = 0.2
NOTED_PROBABILITY = 0.05
"""A column's evidence notes the check only where a place type was at least this likely."""


def apply_person_names(
    probabilities: Sequence[NDArray[np.float64]],
    features: NDArray[np.float64],
    headers: Sequence[HeaderEvidence],
    values: Sequence[Sequence[JsonScalar]],
    notes: list[list[str]],
) -> list[NDArray[np.float64]]:
    """Each column's probabilities after the four checks, under headers that can name a person;
    a note says what changed in `notes`. `values` holds each column's sampled values, row by
    row alike."""
    adjusted = [np.asarray(p, dtype=np.float64).copy() for p in probabilities]
    user_names = [_user_names(column) for column in values]
    emails = [users for users in user_names if users is not None]
    told = _told_about_people(adjusted)
    for column, probs in enumerate(adjusted):
        if _names_a_person(headers[column]):
            _places_looked_up(probs, features[column], notes[column])
            if emails and user_names[column] is None:
                _names_in_emails(probs, values[column], emails, notes[column])
            if told is not None and told != column:
                _more_likely_a_person(
                    probs, notes[column], f"the table holds a {_top(adjusted[told])}"
                )
            _names_by_their_form(probs, values[column], notes[column])
    return adjusted


def _names_by_their_form(
    probs: NDArray[np.float64], column: Sequence[JsonScalar], notes: list[str]
) -> None:
    texts = [as_text(v).strip() for v in column if not is_null(v)]
    verdicts = [v for v in map(person_name_form, texts) if v is not None]
    if len(verdicts) < max(MIN_FORM_ROWS, MIN_FORM_PRESENCE * len(texts)):
        return
    share = sum(verdicts) / len(verdicts)
    if share >= MIN_NAME_FORM_SHARE:
        _more_likely_a_person(
            probs,
            notes,
            f"{share:.0%} of its values in Cyrillic, Greek, Chinese, Japanese or Korean"
            " have a name's form",
        )


def _top(probs: NDArray[np.float64]) -> str:
    return SEMANTIC_TYPES[int(np.argmax(probs))].replace("_", " ")


def _told_about_people(probabilities: Sequence[NDArray[np.float64]]) -> int | None:
    """A column that only a table of people holds (a birth date, a gender), if any."""
    for column, probs in enumerate(probabilities):
        if SEMANTIC_TYPES[int(np.argmax(probs))] in PEOPLE_ONLY_TYPES:
            return column
    return None


def _more_likely_a_person(probs: NDArray[np.float64], notes: list[str], why: str) -> None:
    before = int(np.argmax(probs))
    probs[[SEMANTIC_TYPES.index(t) for t in PERSON_TYPES]] *= PERSON_ODDS
    probs /= probs.sum()
    after = SEMANTIC_TYPES[int(np.argmax(probs))]
    if int(np.argmax(probs)) != before and after in PERSON_TYPES:
        notes.append(f"{why}: a person's name")


def _places_looked_up(
    probs: NDArray[np.float64], features: NDArray[np.float64], notes: list[str]
) -> None:
    names = feature_names()
    share = max(float(features[names.index(f"gaz_{name}")]) for name in GAZETTEERS)
    if math.isnan(share) or share >= MIN_PLACE_SHARE:
        return
    places = [SEMANTIC_TYPES.index(t) for t in PLACE_TYPES]
    if probs[places].max() >= NOTED_PROBABILITY:
        notes.append(f"{share:.0%} of the values are known places: a place unlikely")
    probs[places] *= PLACE_ODDS
    probs /= probs.sum()


def _names_in_emails(
    probs: NDArray[np.float64],
    column: Sequence[JsonScalar],
    emails: list[list[str | None]],
    notes: list[str],
) -> None:
    shares = [_share_in_user_names(column, users) for users in emails]
    share = max((s for s in shares if not math.isnan(s)), default=math.nan)
    if math.isnan(share) or share < MIN_EMAIL_SHARE:
        return
    _more_likely_a_person(probs, notes, f"{share:.0%} of the rows' e-mail addresses spell it")


_LATIN_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+")
"""A word, or a capitalized part of one: AnyAscii runs a Chinese name's syllables together
(`王小明` -> `WangXiaoMing`)."""


def _user_names(column: Sequence[JsonScalar]) -> list[str | None] | None:
    """Per row, the e-mail user name in letters alone (lower case); None when the column is
    not one of e-mail addresses."""
    texts = [None if is_null(v) else as_text(v).strip() for v in column]
    present = [t for t in texts if t]
    if not present or sum(1 for t in present if looks_like_email(t)) < EMAIL_SHARE * len(present):
        return None
    return [
        re.sub(r"[^a-z]", "", t.partition("@")[0].lower()) if t and looks_like_email(t) else None
        for t in texts
    ]


def _share_in_user_names(column: Sequence[JsonScalar], users: list[str | None]) -> float:
    """The share of rows with a value and a user name where a word of the value, read in
    Latin letters, is in the user name (NaN for fewer than `MIN_EMAIL_ROWS` such rows)."""
    rows = hits = 0
    for value, user in zip(column, users, strict=True):
        if user is None or is_null(value):
            continue
        rows += 1
        words = _LATIN_WORD.findall(anyascii(as_text(value)))
        hits += any(len(word) >= 3 and word.lower() in user for word in words)
    return hits / rows if rows >= MIN_EMAIL_ROWS else math.nan


def _names_a_person(header: HeaderEvidence) -> bool:
    return header.informative and any(
        header.exact[SEMANTIC_TYPES.index(t)] > 0 for t in PERSON_TYPES
    )
